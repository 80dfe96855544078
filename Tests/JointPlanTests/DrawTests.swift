import Foundation
import Testing
@testable import JointPlan

/// The random draw (spec 2.1): exact draw sizes, the SHA-256 random numbers as Python computes
/// them, and the required checks of every bundled scenario equal to check_plan.py's.
@Suite("Random draw")
struct DrawTests {
    /// Tests/JointPlanTests/DrawTests.swift → the repository root.
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let checkPlanPy = repository.appendingPathComponent("../shared/tools/check_plan.py").standardizedFileURL
    static let scenarios = repository.appendingPathComponent("Scenarios")

    @Test("n = floor(r·N + 1/2) exactly on the decimal as written",
          arguments: [("0.29", 50, 15), ("0.0006", 2500, 2), ("1e-05", 150_000, 2), ("0.05", 3650, 183),
                      ("0.01", 49, 0), ("0.01", 50, 1), ("0.5", 1, 1), ("0.15", 0, 0), ("0.999", 1000, 999)])
    func exactSize(rate: String, population: Int, expected: Int) throws {
        let r = try #require(SampleRate(literal: rate))
        #expect(Draw.size(rate: r, population: population) == expected)
    }

    @Test("binary floating point would get the half cases wrong (why the size is exact)")
    func doubleDiffers() {
        #expect(Int((0.29 * 50 + 0.5).rounded(.down)) == 14)
        #expect(Int((0.0006 * 2500 + 0.5).rounded(.down)) == 1)
    }

    @Test("u is the first 8 bytes of SHA-256, big-endian (values from Python's hashlib)")
    func randomNumbers() {
        #expect(Draw.randomNumber(seed: 20_260_101, enterprise: "E00001") == 3_079_970_023_136_123_095)
        #expect(Draw.randomNumber(seed: 20_260_101, enterprise: "E19999") == 17_861_694_716_800_725_513)
        #expect(Draw.randomNumber(seed: 0, enterprise: "E1") == 7_190_778_837_444_184_800)
        #expect(Draw.randomNumber(seed: 20_260_101, item: "food-safety", enterprise: "E00001") == 10_599_640_635_274_187_860)
    }

    /// Ten A-tier enterprises E01…E10 and one item "food" with rate 0.3 (n = 3).
    static func tenEnterprises(sampling: String) throws -> Scenario {
        let enterprises = (1...10).map { String(format: #"{"id":"E%02d","town":"T1","categories":["restaurant"],"tier":"A"}"#, $0) }
        let text = """
            {"format":"jointplan.scenario/1","horizon":{"start":"2026-01-05","end":"2026-01-09"},
             "towns":[{"id":"T1"}],"departments":[{"id":"SCJG"}],"inspectors":[],
             "items":[{"id":"food","department":"SCJG","categories":["restaurant"],"minutes":20,
                       "frequency":{"A":{"sampleRate":0.3}}}],
             "enterprises":[\(enterprises.joined(separator: ","))],
             "policy":{"sampling":"\(sampling)","seed":7}}
            """
        return try ScenarioReader.read(Data(text.utf8))
    }

    @Test("the drawn enterprises are those with the smallest u (sets from Python's hashlib)")
    func drawnSets() throws {
        let coordinated = Duties(scenario: try Self.tenEnterprises(sampling: "coordinated"))
        #expect(coordinated.groups.count == 1)
        #expect(coordinated.groups[0].size == 3 && coordinated.groups[0].population == 10)
        #expect(coordinated.groups[0].drawn.map(\.enterprise) == ["E07", "E04", "E02"])
        #expect(coordinated.totalChecks == 3)
        let independent = Duties(scenario: try Self.tenEnterprises(sampling: "independent"))
        #expect(independent.groups[0].drawn.map(\.enterprise) == ["E03", "E01", "E05"])
        // Another seed, another draw.
        let reseeded = Duties(scenario: try Self.tenEnterprises(sampling: "coordinated"), seed: 8)
        #expect(reseeded.seed == 8)
        #expect(reseeded.groups[0].drawn.map(\.enterprise) != ["E07", "E04", "E02"])
    }

    /// The scenario files under Scenarios/ (the what-if patches are not scenarios).
    static func bundledScenarioFiles() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: scenarios, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    @Test("every bundled scenario: Duties' required checks and draws equal check_plan.py's",
          .timeLimit(.minutes(20)))   // a hang guard, not a speed test: two suites side by side on 2 cores took over 2 min
    func bundledScenariosMatchChecker() throws {
        let files = try Self.bundledScenarioFiles()
        #expect(files.map(\.lastPathComponent) == ["demo.json", "district.json", "medium.json", "tight.json"])
        let emptyPlan = FileManager.default.temporaryDirectory.appendingPathComponent("jointplan-empty-plan-\(UUID().uuidString).json")
        try Data(#"{"format":"jointplan.plan/1"}"#.utf8).write(to: emptyPlan)
        defer { try? FileManager.default.removeItem(at: emptyPlan) }
        for file in files {
            let scenario = try ScenarioReader.read(Data(contentsOf: file))
            let duties = Duties(scenario: scenario)
            let python = try Self.checkPlan(scenario: file, plan: emptyPlan)
            let name = file.lastPathComponent
            #expect(python["required"]?.intValue == duties.totalChecks, "\(name): required checks")
            #expect(python["seed"]?.intValue.map(UInt64.init) == duties.seed, "\(name): seed")
            let theirs = (python["draws"]?.arrayValue ?? []).map { d in
                "\(d["item"]?.stringValue ?? "?") \(d["tier"]?.stringValue ?? "?") N=\(d["N"]?.intValue ?? -1) n=\(d["n"]?.intValue ?? -1)"
            }
            let ours = duties.groups.map { "\($0.item) \($0.tier.rawValue) N=\($0.population) n=\($0.size)" }
            #expect(ours == theirs, "\(name): draws")
            #expect(!ours.isEmpty, "\(name) has sampled items")
        }
    }

    @Test("every what-if patch gives a valid variant of district.json with the change it names",
          .timeLimit(.minutes(20)))   // a hang guard, not a speed test: two suites side by side on 2 cores took over 2 min
    func whatIfPatches() throws {
        let baseJSON = try JSONParser.parse(Data(contentsOf: Self.scenarios.appendingPathComponent("district.json")))
        let base = try ScenarioReader.read(json: baseJSON)
        let dir = Self.scenarios.appendingPathComponent("whatif")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".json") }.sorted()
        #expect(names == ["dept-leave-week.json", "fewer-inspectors.json", "independent-draw.json",
                          "more-joint.json", "optimised-dispatch.json", "three-person-teams.json"])
        var variants: [String: (json: JSON, scenario: Scenario)] = [:]
        for name in names {
            let patch = try JSONParser.parse(Data(contentsOf: dir.appendingPathComponent(name)))
            #expect(MergePatch.problems(patch).isEmpty, "\(name)")
            let json = MergePatch.apply(patch, to: baseJSON)
            variants[name] = (json, try ScenarioReader.read(json: json))
        }
        let fewer = try #require(variants["fewer-inspectors.json"]).scenario
        #expect(abs(Double(fewer.inspectors.count) - 0.8 * Double(base.inspectors.count)) <= Double(base.departments.count))
        #expect(Set(fewer.inspectors.map(\.id)).isSubset(of: Set(base.inspectors.map(\.id))))

        let leave = try #require(variants["dept-leave-week.json"]).scenario
        let calendar = WorkCalendar(leave.horizon)
        let away = calendar.days.filter { d in leave.inspectors.filter { $0.department == "XF" }.allSatisfy { $0.unavailable.contains(day: d) } }
        #expect(away.count >= 5, "every XF inspector away for a working week")
        for (p, q) in zip(base.inspectors, leave.inspectors) where p.department != "XF" {
            #expect(p.unavailable == q.unavailable, "\(p.id) unchanged")
        }

        #expect(try #require(variants["three-person-teams.json"]).scenario.policy.minInspectorsPerVisit == 3)
        // The price of the draw (rule 11): the same district with the planner choosing members.
        #expect(base.policy.inspectorDispatch == .random)
        #expect(try #require(variants["optimised-dispatch.json"]).scenario.policy.inspectorDispatch == .optimised)
        let joint = try #require(variants["more-joint.json"]).scenario.policy.maxOnsiteVisits
        #expect(joint.values == [1, 1, 1, 2])

        // Independent draws: the same sizes, other enterprises, and the same as check_plan.py's.
        let (independentJSON, independent) = try #require(variants["independent-draw.json"])
        #expect(independent.policy.sampling == .independent)
        let duties = Duties(scenario: independent), baseDuties = Duties(scenario: base)
        #expect(duties.totalChecks == baseDuties.totalChecks)
        #expect(duties.groups.map(\.size) == baseDuties.groups.map(\.size))
        #expect(duties.groups.map { $0.drawn.map(\.enterprise) } != baseDuties.groups.map { $0.drawn.map(\.enterprise) })
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("jointplan-independent-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tmp) }
        let file = tmp.appendingPathComponent("independent.json"), plan = tmp.appendingPathComponent("plan.json")
        try Data(JSONWriter.compact(independentJSON).utf8).write(to: file)
        try Data(#"{"format":"jointplan.plan/1"}"#.utf8).write(to: plan)
        let python = try Self.checkPlan(scenario: file, plan: plan)
        #expect(python["required"]?.intValue == duties.totalChecks)
    }

    /// `check_plan.py SCENARIO PLAN --json`; exit 1 (the empty plan leaves every check out) is
    /// expected, exit 2 would mean check_plan.py found the scenario malformed.
    static func checkPlan(scenario: URL, plan: URL) throws -> JSON {
        guard FileManager.default.fileExists(atPath: checkPlanPy.path) else {
            throw DrawTestFailure("check_plan.py not found at \(checkPlanPy.path): the shared tools must sit beside the repository")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", checkPlanPy.path, scenario.path, plan.path, "--json"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 1 else {
            throw DrawTestFailure("check_plan.py exited \(p.terminationStatus) on \(scenario.lastPathComponent): \(String(decoding: data.prefix(2000), as: UTF8.self))")
        }
        return try JSONParser.parse(data)
    }
}

struct DrawTestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
