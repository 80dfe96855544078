import Foundation
import Testing
@testable import JointPlan

/// The fixture files and the independent Python checker this suite compares against.
enum CheckerFixtures {
    static let testsDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let dir = testsDir.appendingPathComponent("Fixtures/checker")
    /// Tests/JointPlanTests/PlanCheckerTests.swift → the repository root → ../shared/tools.
    static let checkPlanPy = testsDir.deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/tools/check_plan.py").standardizedFileURL

    static let scenarioURL = dir.appendingPathComponent("two-towns.scenario.json")
    static let planURL = dir.appendingPathComponent("two-towns.plan.json")

    static func scenario() throws -> (scenario: Scenario, data: Data) {
        let data = try Data(contentsOf: scenarioURL)
        return (try ScenarioReader.read(data), data)
    }

    static func plan() throws -> Plan { try PlanReader.read(Data(contentsOf: planURL)) }

    /// A fresh directory for the variants of one test.
    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("jointplan-checker-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// What `check_plan.py --json` said.
struct PythonVerdict {
    let exitCode: Int32
    let json: JSON

    var valid: Bool { json["valid"] == .bool(true) }
    var counts: [Int: Int] {
        var out: [Int: Int] = [:]
        for (k, v) in json["violationCounts"]?.objectValue?.pairs ?? [] { out[Int(k)!] = v.intValue }
        return out
    }
    var brokenRules: Set<Int> { Set(counts.filter { $0.value > 0 }.map(\.key)) }
    var messages: [CheckReport.Violation] {
        (json["violations"]?.arrayValue ?? []).map {
            CheckReport.Violation(rule: $0["rule"]!.intValue!, message: $0["message"]!.stringValue!)
        }
    }
    var warnings: [String] { (json["warnings"]?.arrayValue ?? []).compactMap(\.stringValue) }

    static func run(scenario: URL, plan: URL) throws -> PythonVerdict {
        let script = CheckerFixtures.checkPlanPy
        guard FileManager.default.fileExists(atPath: script.path) else {
            throw CheckerTestError("check_plan.py not found at \(script.path): the shared tools must sit beside the repository")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", script.path, scenario.path, plan.path, "--json"]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard let json = try? JSONParser.parse(data) else {
            let e = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw CheckerTestError("check_plan.py printed no JSON (exit \(p.terminationStatus)): \(e)")
        }
        return PythonVerdict(exitCode: p.terminationStatus, json: json)
    }
}

struct CheckerTestError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// Both checkers on one plan file: ours through `PlanReader` + `PlanChecker` (as `jointplan
/// check` runs them), and check_plan.py.
struct BothVerdicts {
    let ours: CheckReport
    let python: PythonVerdict

    static func check(scenarioURL: URL = CheckerFixtures.scenarioURL, planData: Data, in dir: URL,
                      name: String) throws -> BothVerdicts {
        let scenarioData = try Data(contentsOf: scenarioURL)
        let scenario = try ScenarioReader.read(scenarioData)
        let url = dir.appendingPathComponent("\(name).plan.json")
        try planData.write(to: url)
        let doc = try JSONParser.parse(planData)
        let plan = try PlanReader.read(doc)
        let ours = PlanChecker.check(scenario: scenario, plan: plan, scenarioData: scenarioData, planDocument: doc)
        let python = try PythonVerdict.run(scenario: scenarioURL, plan: url)
        return BothVerdicts(ours: ours, python: python)
    }

    /// Same rules broken as often, same messages, same warnings, same objective and KPIs.
    func expectAgreement(sourceLocation: SourceLocation = #_sourceLocation) {
        let counts = ours.violationCounts
        #expect(python.counts == counts, "violationCounts differ", sourceLocation: sourceLocation)
        let listed = Dictionary(grouping: ours.violations, by: \.rule).values.flatMap { $0.prefix(CheckReport.listedPerRule) }
        #expect(Set(python.messages) == Set(listed), "violation messages differ", sourceLocation: sourceLocation)
        #expect(python.warnings == ours.warnings, "warnings differ", sourceLocation: sourceLocation)
        #expect(python.valid == ours.valid, sourceLocation: sourceLocation)
        #expect(python.exitCode == (ours.valid ? 0 : 1), sourceLocation: sourceLocation)
        expectSameNumbers(sourceLocation: sourceLocation)
    }

    func expectSameNumbers(sourceLocation: SourceLocation = #_sourceLocation) {
        let o = python.json["objective"]
        #expect(o?["unmetWeighted"]?.doubleValue == ours.objective.unmetWeighted, sourceLocation: sourceLocation)
        #expect(o?["onsiteVisits"]?.intValue == ours.objective.onsiteVisits, sourceLocation: sourceLocation)
        #expect(o?["inspectorMinutes"]?.intValue == ours.objective.inspectorMinutes, sourceLocation: sourceLocation)
        #expect(python.json["required"]?.intValue == ours.required, sourceLocation: sourceLocation)
        #expect(python.json["seed"] == .number(String(ours.seed)), sourceLocation: sourceLocation)
        // KPIs: every field, numbers within check_plan.py's own tolerance (A20).
        for (key, mine) in CheckNumber.kpiFields(ours.kpis) {
            guard let theirs = python.json["kpis"]?[key] else {
                Issue.record("python has no kpis.\(key)", sourceLocation: sourceLocation); continue
            }
            if case .map(let fields) = mine {
                #expect(theirs.objectValue?.keys == fields.map(\.key), "kpis.\(key) keys", sourceLocation: sourceLocation)
                for (sub, v) in fields {
                    #expect(v.equals(theirs[sub] ?? .null), "kpis.\(key).\(sub)", sourceLocation: sourceLocation)
                }
            } else {
                #expect(mine.equals(theirs), "kpis.\(key): python \(theirs.short)", sourceLocation: sourceLocation)
            }
        }
        let draws = (python.json["draws"]?.arrayValue ?? []).map {
            "\($0["item"]!.stringValue!)/\($0["tier"]!.stringValue!)/\($0["N"]!.intValue!)/\($0["n"]!.intValue!)"
        }
        #expect(draws == ours.draws.map { "\($0.item)/\($0.tier.rawValue)/\($0.population)/\($0.size)" }, sourceLocation: sourceLocation)
    }
}

/// One deliberately broken (or deliberately still valid) change to the valid fixture plan.
struct PlanVariant: CustomTestStringConvertible, Sendable {
    let name: String
    /// The rules our checker must report (empty: the variant is still valid).
    let rules: Set<Int>
    /// Recompute objective and KPIs after the change, so that only the rule under test fires.
    var refinish = true
    let change: @Sendable (inout Plan) -> Void

    var testDescription: String { name }

    init(_ name: String, _ rules: Set<Int>, refinish: Bool = true, _ change: @escaping @Sendable (inout Plan) -> Void) {
        self.name = name; self.rules = rules; self.refinish = refinish; self.change = change
    }
}

extension Plan {
    /// The visit with this id (the fixture's ids are V1…V5).
    subscript(visit id: String) -> Visit {
        get { visits.first { $0.id == id }! }
        set { visits[visits.firstIndex { $0.id == id }!] = newValue }
    }
}

private func day(_ s: String) -> Day { Day(s)! }
private func time(_ s: String) -> Int { ClockTime.parse(s)! }

/// Broken variants of two-towns.plan.json, at least one per rule of spec 3.1.
let planVariants: [PlanVariant] = [
    // Rule 1
    PlanVariant("second food check on a Sunday", [1]) { $0[visit: "V2"].date = day("2026-03-29") },
    PlanVariant("second food check on the Monday holiday, 7 days after the first", [1, 7]) { $0[visit: "V2"].date = day("2026-03-16") },
    PlanVariant("hotel visited in its blackout", [1]) { $0[visit: "V3"].date = day("2026-03-05") },
    PlanVariant("visit over the lunch break", [1]) { p in
        p[visit: "V2"].start = time("11:50"); p[visit: "V2"].end = time("12:20")
    },
    PlanVariant("visit past the end of the day", [1]) { p in
        p[visit: "V2"].start = time("17:10"); p[visit: "V2"].end = time("17:40")
    },
    PlanVariant("pinned visit too short for its busiest member", [1]) { $0[visit: "V4"].end = time("10:10") },
    PlanVariant("visit ends before it starts", [1]) { $0[visit: "V2"].end = time("09:50") },
    // Rule 2
    PlanVariant("team of one", [2]) { $0[visit: "V2"].inspectors = ["P02"] },
    PlanVariant("uncertified inspector on a team", [2]) { $0[visit: "V3"].inspectors.append("P06") },
    PlanVariant("inspector on leave on a team", [2]) { $0[visit: "V1"].inspectors.append("P03") },
    PlanVariant("recused inspector on a team", [2]) { $0[visit: "V5"].inspectors.append("P07") },
    PlanVariant("unknown inspector on a team", [2]) { $0[visit: "V2"].inspectors.append("P99") },
    // Rule 3
    PlanVariant("non-delegable item performed by another department", [3]) { p in
        p[visit: "V1"].checks = [Check(item: "food", occurrence: 1, inspector: "P04"),
                                 Check(item: "gas", occurrence: 1, inspector: "P01"),
                                 Check(item: "fire", occurrence: 1, inspector: "P05")]
    },
    PlanVariant("check performed by someone not on the team", [3]) { $0[visit: "V2"].checks[0].inspector = "P04" },
    PlanVariant("check of an unknown item", [3]) { $0[visit: "V2"].checks.append(Check(item: "noise", occurrence: 1, inspector: "P02")) },
    PlanVariant("check that is not required (gas at a tier-A enterprise)", [3]) { p in
        p[visit: "V5"].checks.append(Check(item: "gas", occurrence: 1, inspector: "P01"))
        p[visit: "V5"].end = time("11:50")
    },
    PlanVariant("visit to an unknown enterprise", [3, 6]) { $0[visit: "V2"].enterprise = "E99" },
    PlanVariant("two occurrences of one item in one visit", [3, 6, 7]) {
        $0[visit: "V2"].checks.append(Check(item: "food", occurrence: 1, inspector: "P01"))
    },
    // Rule 4
    PlanVariant("inspector cannot travel between visits in time", [4]) { p in
        p[visit: "V3"].start = time("09:40"); p[visit: "V3"].end = time("10:20")
    },
    PlanVariant("inspector over their maxVisitsPerDay", [4]) { p in
        p[visit: "V1"].inspectors.append("P07"); p[visit: "V3"].inspectors.append("P07")
    },
    PlanVariant("inspector's day longer than the working day", [4]) { p in
        p[visit: "V2"].start = time("09:00"); p[visit: "V2"].end = time("12:00")
        p[visit: "V3"].date = day("2026-03-24"); p[visit: "V3"].start = time("13:30"); p[visit: "V3"].end = time("17:30")
    },
    // Rule 5
    PlanVariant("remote check of an item that does not allow it, by another department", [5]) { p in
        p.remoteChecks[0].item = "fire"
        p.unmet = [UnmetCheck(enterprise: "E03", item: "license", occurrence: 1, reason: .staffing)]
    },
    PlanVariant("remote check on a holiday", [5]) { $0.remoteChecks[0].date = day("2026-03-16") },
    PlanVariant("remote check by an inspector on leave of another department", [5]) { $0.remoteChecks[0].inspector = "P03" },
    PlanVariant("remote check by an unknown inspector", [5]) { $0.remoteChecks[0].inspector = "P99" },
    PlanVariant("remote check by an uncertified inspector of another department", [5]) { $0.remoteChecks[0].inspector = "P06" },
    PlanVariant("remote check by a recused inspector, of a check not required", [5, 6]) {
        $0.remoteChecks.append(RemoteCheck(enterprise: "E06", item: "license", occurrence: 1, date: day("2026-03-11"), inspector: "P07"))
    },
    // Rule 6 (the last one also breaks rule 5: food is not remote)
    PlanVariant("required check missing", [6]) { $0.unmet = [] },
    PlanVariant("unmet entry that is not required", [6]) {
        $0.unmet.append(UnmetCheck(enterprise: "E04", item: "fire", occurrence: 1, reason: .staffing))
    },
    PlanVariant("visit with no checks", [6]) { p in
        p.visits.append(Visit(id: "V6", enterprise: "E04", date: day("2026-03-11"), start: time("09:00"), end: time("09:10"),
                              inspectors: ["P01", "P02"], checks: []))
    },
    PlanVariant("check both on site and unmet", [6]) {
        $0.unmet.append(UnmetCheck(enterprise: "E01", item: "gas", occurrence: 1, reason: .staffing))
    },
    PlanVariant("same occurrence twice in one visit", [6, 7]) {
        $0[visit: "V2"].checks.append(Check(item: "food", occurrence: 2, inspector: "P01"))
    },
    PlanVariant("remote check that is not required and not remote", [5, 6]) {
        $0.remoteChecks.append(RemoteCheck(enterprise: "E04", item: "food", occurrence: 1, date: day("2026-03-12"), inspector: "P02"))
    },
    // Rule 7
    PlanVariant("two food checks 11 days apart", [7]) { $0[visit: "V2"].date = day("2026-03-20") },
    PlanVariant("first food check 13 days after lastChecked", [7]) { $0[visit: "V1"].date = day("2026-03-05") },
    // Rule 8
    PlanVariant("tier-A enterprise visited twice", [8]) { p in
        p[visit: "V5"].checks.removeLast()
        p[visit: "V5"].end = time("11:30")
        p.visits.append(Visit(id: "V6", enterprise: "E06", date: day("2026-03-11"), start: time("09:00"), end: time("09:35"),
                              inspectors: ["P02", "P05"], checks: [Check(item: "fire", occurrence: 1, inspector: "P05")]))
    },
    PlanVariant("whitelisted enterprise visited over its yearly allowance", [8]) { p in
        p.unmet = []
        p.visits.append(Visit(id: "V6", enterprise: "E03", date: day("2026-03-11"), start: time("09:00"), end: time("09:35"),
                              inspectors: ["P04", "P05"], checks: [Check(item: "fire", occurrence: 1, inspector: "P05")]))
    },
    // Rule 9
    PlanVariant("pinned visit starts late", [9]) { p in
        p[visit: "V4"].start = time("09:40"); p[visit: "V4"].end = time("10:30")
    },
    PlanVariant("pinned visit without the pinned inspector", [9]) { p in
        p[visit: "V4"].inspectors = ["P02", "P05"]
        p[visit: "V4"].checks[0].inspector = "P02"; p[visit: "V4"].checks[1].inspector = "P02"
    },
    PlanVariant("pinned visit without the pinned item", [9]) { p in
        p[visit: "V4"].checks.removeFirst()
        p.visits.append(Visit(id: "V6", enterprise: "E05", date: day("2026-03-12"), start: time("09:00"), end: time("09:30"),
                              inspectors: ["P01", "P02"], checks: [Check(item: "food", occurrence: 1, inspector: "P01")]))
    },
    PlanVariant("pinned visit on another day", [9]) { $0[visit: "V4"].date = day("2026-03-12") },
    // Rule 10
    PlanVariant("objective's inspectorMinutes off by one", [10], refinish: false) { $0.objective.inspectorMinutes -= 1 },
    PlanVariant("objective's unmetWeighted wrong", [10], refinish: false) { $0.objective.unmetWeighted = 4 },
    PlanVariant("objective not updated after a change", [4, 10], refinish: false) { p in
        p[visit: "V3"].start = time("09:40"); p[visit: "V3"].end = time("10:30")
    },
    // Still valid
    PlanVariant("remote check on the enterprise's blackout date (A22)", []) { p in
        p[visit: "V3"].checks.remove(at: 1)
        p.remoteChecks.append(RemoteCheck(enterprise: "E02", item: "license", occurrence: 1, date: day("2026-03-03"), inspector: "P01"))
    },
    PlanVariant("delegable gas checked by the market inspector", []) { p in
        p[visit: "V1"].checks[1].inspector = "P01"
        p[visit: "V1"].end = time("09:45")
    },
    PlanVariant("pinned visit with a bigger team than pinned", []) { $0[visit: "V4"].inspectors.append("P04") },
]

@Suite("PlanChecker against check_plan.py")
struct PlanCheckerTests {
    @Test("the hand-made plan is valid for both checkers, with identical objective and KPIs")
    func validFixture() throws {
        let (scenario, scenarioData) = try CheckerFixtures.scenario()
        let planData = try Data(contentsOf: CheckerFixtures.planURL)
        let report = PlanChecker.check(scenario: scenario, plan: try PlanReader.read(planData), scenarioData: scenarioData,
                                       planDocument: try JSONParser.parse(planData))
        #expect(report.valid, "\(report.violations)")
        #expect(report.warnings.isEmpty, "\(report.warnings)")
        #expect(report.objective == Objective(unmetWeighted: 2, onsiteVisits: 5, inspectorMinutes: 510))
        #expect(report.required == 15)
        #expect(report.seed == 20260301)
        #expect(report.kpis.baselineVisits == 11 && report.kpis.visitLowerBound == 5 && report.kpis.onsiteChecks == 13)
        let python = try PythonVerdict.run(scenario: CheckerFixtures.scenarioURL, plan: CheckerFixtures.planURL)
        #expect(python.valid && python.warnings.isEmpty)
        BothVerdicts(ours: report, python: python).expectAgreement()
    }

    @Test("each broken variant breaks the same rules for both checkers", arguments: planVariants)
    func variant(_ v: PlanVariant) throws {
        var plan = try CheckerFixtures.plan()
        v.change(&plan)
        if v.refinish {
            let (scenario, _) = try CheckerFixtures.scenario()
            Evaluation(scenario: scenario).finish(&plan, requiredChecks: Duties(scenario: scenario, seed: plan.seed).totalChecks)
        }
        let dir = try CheckerFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let both = try BothVerdicts.check(planData: plan.encoded(), in: dir, name: "variant")
        #expect(both.ours.brokenRules == v.rules, "\(both.ours.violations.map { "\($0.rule): \($0.message)" })")
        both.expectAgreement()
    }

    /// The valid fixture plan's file with one edit of its JSON (for what `Plan` cannot hold).
    static func editedFixture(_ edit: (inout JSONObject) -> Void) throws -> Data {
        guard var top = try JSONParser.parse(Data(contentsOf: CheckerFixtures.planURL)).objectValue else {
            throw CheckerTestError("fixture plan is not an object")
        }
        edit(&top)
        return Data(JSONWriter.pretty(.object(top)).utf8)
    }

    static func both(_ data: Data, scenarioURL: URL = CheckerFixtures.scenarioURL) throws -> BothVerdicts {
        let dir = try CheckerFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        return try BothVerdicts.check(scenarioURL: scenarioURL, planData: data, in: dir, name: "edited")
    }

    @Test("a plan without an objective breaks rule 10 (A20)")
    func missingObjective() throws {
        let both = try Self.both(Self.editedFixture { $0["objective"] = nil })
        #expect(both.ours.violations == [CheckReport.Violation(rule: 10, message: "plan has no objective")])
        both.expectAgreement()
    }

    @Test("an objective value written as 5.0 equals 5, a missing one is a violation (A20)")
    func objectiveNumberKinds() throws {
        let both = try Self.both(Self.editedFixture { top in
            top["objective"] = .object(JSONObject([("unmetWeighted", .number("2.0")), ("onsiteVisits", .number("5.0"))]))
        })
        #expect(both.ours.violations == [CheckReport.Violation(rule: 10, message: "objective.inspectorMinutes is missing (checker computes 510)")])
        both.expectAgreement()
    }

    @Test("a wrong or missing KPI is a warning, not a violation")
    func kpiDifferenceIsAWarning() throws {
        let both = try Self.both(Self.editedFixture { top in
            var k = top["kpis"]!.objectValue!
            k["onsiteChecks"] = .int(12)
            k["jointVisitRate"] = nil
            k["utilization"] = .object(JSONObject([("SCJG", .double(0.5)), ("GA", .int(0))]))
            top["kpis"] = .object(k)
        })
        #expect(both.ours.valid)
        #expect(both.ours.warnings.contains("kpis.onsiteChecks is 12, checker computes 13"))
        #expect(both.ours.warnings.contains { $0.hasPrefix("kpis.jointVisitRate is missing") })
        #expect(both.ours.warnings.contains("kpis.utilization.SCJG is 0.5, checker computes 0.00992063"))
        both.expectAgreement()
    }

    @Test("provenance warnings: unknown status, scenario name and sha256 that do not match")
    func provenanceWarnings() throws {
        let both = try Self.both(Self.editedFixture { top in
            top["status"] = .string("done")
            top["scenario"] = .object(JSONObject([("name", .string("another")), ("sha256", .string("00ff"))]))
        })
        #expect(both.ours.valid)
        #expect(both.ours.warnings.count == 3)
        both.expectAgreement()
    }

    @Test("the sha256 of the scenario's canonical JSON is accepted, in both escapings (A23)")
    func canonicalDigests() throws {
        let data = try Data(contentsOf: CheckerFixtures.scenarioURL)
        let digests = CheckRun.scenarioDigests(data)
        #expect(digests.count == 3)
        for sha in digests {
            let both = try Self.both(Self.editedFixture { top in
                top["scenario"] = .object(JSONObject([("name", .string("Checker fixture: two towns, three departments, March 2026")),
                                                      ("sha256", .string(sha.uppercased()))]))
            })
            #expect(both.ours.warnings.isEmpty, "\(both.ours.warnings)")
            both.expectAgreement()
        }
    }

    @Test("a plan seed other than policy.seed is a warning and the draw uses it (A9)")
    func planSeedDrivesTheDraw() throws {
        // Under seed 1 the draw picks other tier-A enterprises, so the plan's checks at E06 are
        // no longer required and E04's are missing.
        let both = try Self.both(Self.editedFixture { $0["seed"] = .int(1) })
        #expect(both.ours.seed == 1)
        #expect(both.ours.warnings.first == "plan seed 1 differs from scenario policy.seed 20260301; the draw uses the plan's seed 1")
        both.expectAgreement()
        // Without a seed the draw uses policy.seed.
        let unseeded = try Self.both(Self.editedFixture { $0["seed"] = nil })
        #expect(unseeded.ours.seed == 20260301 && unseeded.ours.valid)
        unseeded.expectAgreement()
    }

    @Test("an unmet entry without a reason: PlanReader rejects the file, check_plan.py reports rule 6 (A13)")
    func unmetWithoutReason() throws {
        let data = try Self.editedFixture { top in
            var u = top["unmet"]!.arrayValue![0].objectValue!
            u["reason"] = nil
            top["unmet"] = .array([.object(u)])
        }
        #expect(throws: InputProblems.self) { try PlanReader.read(data) }
        do { _ = try PlanReader.read(data) } catch let e as InputProblems {
            #expect(e.problems.map(\.path) == ["unmet[0].reason"])
        }
        let dir = try CheckerFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("no-reason.plan.json")
        try data.write(to: url)
        let python = try PythonVerdict.run(scenario: CheckerFixtures.scenarioURL, plan: url)
        #expect(python.brokenRules == [6] && python.exitCode == 1)
    }

    @Test("a draw whose exact size differs from binary floating point is warned about by both (A8)")
    func exactDrawSizeWarning() throws {
        // 50 tier-A restaurants, sampleRate 0.29: 0.29 × 50 + 0.5 = 15 exactly, 14.999… in Double.
        let enterprises = (1...50).map { k in
            #"{"id": "R\#(String(format: "%02d", k))", "town": "T1", "categories": ["restaurant"], "tier": "A"}"#
        }.joined(separator: ",\n    ")
        let scenarioText = """
        {
          "format": "jointplan.scenario/1", "name": "draw size",
          "horizon": {"start": "2026-03-02", "end": "2026-03-06"},
          "towns": [{"id": "T1"}], "departments": [{"id": "SCJG"}],
          "inspectors": [{"id": "P1", "department": "SCJG"}, {"id": "P2", "department": "SCJG"}],
          "items": [{"id": "food", "department": "SCJG", "categories": ["restaurant"], "minutes": 20,
                     "frequency": {"A": {"sampleRate": 0.29}}}],
          "enterprises": [
            \(enterprises)
          ],
          "policy": {"seed": 5}
        }
        """
        let dir = try CheckerFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let scenarioURL = dir.appendingPathComponent("draw.scenario.json")
        try Data(scenarioText.utf8).write(to: scenarioURL)
        let scenario = try ScenarioReader.read(Data(scenarioText.utf8))
        let duties = Duties(scenario: scenario, seed: 5)
        var plan = Plan()
        plan.seed = 5
        plan.unmet = duties.duties.map {
            UnmetCheck(enterprise: scenario.enterprises[$0.enterprise].id, item: "food", occurrence: 1, reason: .staffing)
        }
        Evaluation(scenario: scenario).finish(&plan, requiredChecks: duties.totalChecks)
        plan.scenarioName = "draw size"
        let both = try BothVerdicts.check(scenarioURL: scenarioURL, planData: plan.encoded(), in: dir, name: "draw")
        #expect(both.ours.required == 15)
        #expect(both.ours.valid, "\(both.ours.violations)")
        #expect(both.ours.warnings.contains { $0.contains("exact decimal arithmetic gives n=15, IEEE double arithmetic gives n=14") })
        both.expectAgreement()
    }

    @Test("the JSON report has check_plan.py's shape, and the summary its lines")
    func reportShapes() throws {
        var plan = try CheckerFixtures.plan()
        planVariants.first { $0.name == "team of one" }!.change(&plan)
        planVariants.first { $0.name == "two food checks 11 days apart" }!.change(&plan)
        let dir = try CheckerFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let both = try BothVerdicts.check(planData: plan.encoded(), in: dir, name: "shape")
        let ours = both.ours.json
        #expect(ours.objectValue?.keys == both.python.json.objectValue?.keys)
        #expect(ours["violationCounts"] == both.python.json["violationCounts"])
        #expect(ours["draws"] == both.python.json["draws"])
        #expect(ours["violations"] == both.python.json["violations"])
        #expect(ours["kpis"]?.objectValue?.keys == both.python.json["kpis"]?.objectValue?.keys)

        // The human summary, line for line, against check_plan.py's own.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let planURL = dir.appendingPathComponent("shape.plan.json")
        p.arguments = ["python3", CheckerFixtures.checkPlanPy.path, CheckerFixtures.scenarioURL.path, planURL.path]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        let (scenario, _) = try CheckerFixtures.scenario()
        let summary = both.ours.summary(scenario: scenario, scenarioPath: CheckerFixtures.scenarioURL.path, planPath: planURL.path)
        #expect(summary == text)
    }

    @Test("a 20,000-enterprise plan with 10,000 visits checks in seconds")
    func largePlanIsFast() throws {
        let (scenario, plan) = Self.largeCase()
        let clock = ContinuousClock()
        var report: CheckReport?
        let elapsed = clock.measure { report = PlanChecker.check(scenario: scenario, plan: plan) }
        #expect(report!.required == 20_000)
        #expect(report!.objective.onsiteVisits == 10_000)
        // Every check is required and every required check is placed once.
        #expect(report!.violationCounts[3] == 0 && report!.violationCounts[6] == 0)
        // About a second in release builds; debug builds are several times slower.
        #expect(elapsed < .seconds(15), "took \(elapsed)")
    }

    /// 20,000 restaurants in 20 towns, one item each with a count of 1; the first 10,000 are
    /// visited (one visit each, by pairs of inspectors, four a day), the rest are unmet.
    static func largeCase() -> (Scenario, Plan) {
        var s = Scenario(horizon: Horizon(start: Day("2026-01-05")!, end: Day("2026-06-26")!))
        // The planner's teams: this case measures rules 1-10 on a large plan (rule 11 draws
        // from every inspector of a 20-town department for each visit, and has its own tests).
        s.policy.inspectorDispatch = .optimised
        s.towns = (0..<20).map { Town(id: "T\($0)") }
        s.departments = [Department(id: "SCJG")]
        s.inspectors = (0..<200).map { Inspector(id: "P\($0)", department: "SCJG") }
        var food = Item(id: "food", department: "SCJG", minutes: 20)
        food.categories = ["restaurant"]
        food.frequency = [.A: .count(1), .B: .count(1), .C: .count(1), .D: .count(1)]
        s.items = [food]
        s.enterprises = (0..<20_000).map { k in
            var e = Enterprise(id: String(format: "E%05d", k), town: "T\(k % 20)", tier: Tier.allCases[k % 4])
            e.categories = ["restaurant"]
            return e
        }
        s.index()
        let days = WorkCalendar(s.horizon).days
        var plan = Plan()
        for k in 0..<10_000 {
            // 100 pairs of inspectors, 4 visits a day each: 400 visits a day.
            let pair = k % 100, slot = (k / 100) % 4, d = days[k / 400]
            let start = 9 * 60 + slot * 90
            plan.visits.append(Visit(id: "V\(k)", enterprise: s.enterprises[k].id, date: d, start: start, end: start + 30,
                                     inspectors: ["P\(2 * pair)", "P\(2 * pair + 1)"],
                                     checks: [Check(item: "food", occurrence: 1, inspector: "P\(2 * pair)")]))
        }
        for k in 10_000..<20_000 {
            plan.unmet.append(UnmetCheck(enterprise: s.enterprises[k].id, item: "food", occurrence: 1, reason: .staffing))
        }
        Evaluation(scenario: s).finish(&plan, requiredChecks: 20_000)
        return (s, plan)
    }
}
