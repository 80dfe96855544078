import Foundation
import JointPlan
import Testing

/// `whatif`, `explain`, `replan` and `export` over a real `jointplan serve` process (issues 4,
/// 5, 6), each with the bad params a script gets wrong; and `jointplan solve --db --report`.
@Suite struct WorkflowMethodTests {
    static func scenarioJSON(_ path: String) throws -> JSON {
        try JSONParser.parse(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    static func object(_ pairs: [(String, JSON)]) -> JSON { .object(JSONObject(pairs)) }

    /// The error paths of a -32602 answer, in order.
    static func errorPaths(_ response: JSON?) -> [String] {
        response?["error"]?["data"]?["errors"]?.arrayValue?.compactMap { $0["path"]?.stringValue } ?? []
    }

    /// Solves the 60-enterprise district with seed 7 in the service; returns the run's id and plan.
    static func solveRecorded(_ s: ServiceSession, id: JSON) throws -> (runId: Int, plan: JSON) {
        try s.send(RPC.request(id, "solve", JSONObject([
            ("path", .string(try Fixtures.district(60))),
            ("options", object([("timeLimitSeconds", .int(20)), ("seed", .int(7))])),
        ])))
        let result = try #require(s.response(id)?["result"], "the solve was not answered; log:\n\(s.log)")
        return (try #require(result["runId"]?.intValue), try #require(result["plan"]))
    }

    // MARK: - whatif

    @Test func whatifComparesVariantsWithAProgressNotificationPerVariant() throws {
        let s = try ServiceSession()
        let path = try Fixtures.district(60)
        let patches: [JSON] = [
            Self.object([("name", .string("independent-draw")),
                         ("patch", Self.object([("policy", Self.object([("sampling", .string("independent"))]))]))]),
            Self.object([("name", .string("one-visit-caps")),
                         ("patch", Self.object([("policy", Self.object([("maxOnsiteVisits", Self.object([("C", .int(1)), ("D", .int(1))]))]))]))]),
            Self.object([("name", .string("typo")),
                         ("patch", Self.object([("policy", Self.object([("sampling", .string("at random"))]))]))]),
        ]
        try s.send(RPC.request(.int(1), "whatif", JSONObject([
            ("path", .string(path)), ("patches", .array(patches)),
            ("options", Self.object([("timeLimitSeconds", .int(20)), ("seed", .int(7))])),
            RPC.progressMeta("w"),
        ])))
        let response = try #require(s.response(.int(1), timeout: 120), "no answer; log:\n\(s.log)")
        let result = try #require(response["result"], "\(response.short)")
        let variants = try #require(result["variants"]?.arrayValue)
        #expect(result["base"] == .string("district-60"))
        #expect(variants.map { $0["name"]?.stringValue } == ["district-60", "independent-draw", "one-visit-caps", "typo"])
        #expect(variants.prefix(3).allSatisfy { $0["valid"] == .bool(true) && $0["planPassesChecker"] == .bool(true) })
        // The invalid variant is reported with paths into the patched scenario; the rest ran.
        #expect(variants[3]["valid"] == .bool(false))
        #expect(variants[3]["errors"]?.arrayValue?.first?["path"] == .string("policy.sampling"))
        // The draw does not depend on the policy changes of variant 2 (same seed, same rates).
        #expect(variants[0]["kpis"]?["requiredChecks"] == variants[2]["kpis"]?["requiredChecks"])

        // One "variant" notification per variant, counting up, all before the answer, and the
        // progress only grows.
        let all = s.messages.compactMap(\.message)
        let answered = try #require(all.firstIndex { $0["id"] == .int(1) })
        let progress = all.enumerated().filter { RPC.isProgress($0.element, "w") }
        #expect(progress.allSatisfy { $0.offset < answered })
        let ends = progress.map(\.element["params"]).filter { $0?["stage"] == .string("variant") }
        #expect(Set(ends.compactMap { $0?["variant"]?.stringValue }) == ["district-60", "independent-draw", "one-visit-caps", "typo"])
        #expect(ends.compactMap { $0?["variantsDone"]?.intValue } == [1, 2, 3, 4])
        #expect(ends.last??["progress"]?.doubleValue == 100)
        let values = progress.compactMap { $0.element["params"]?["progress"]?.doubleValue }
        #expect(zip(values, values.dropFirst()).allSatisfy { $0 < $1 })
        print("whatif: \(variants.count) variants, \(progress.count) progress notifications, \(ends.count) variant ends")

        // The same base solved on its own draws the same checks.
        let solved = try Self.solveRecorded(s, id: .int(2))
        #expect(solved.plan["kpis"]?["requiredChecks"] == variants[0]["kpis"]?["requiredChecks"])

        // Bad params: every problem with its path.
        try s.send(RPC.request(.int(3), "whatif", JSONObject([
            ("path", .string(path)), ("threads", .int(0)),
            ("patches", .array([Self.object([("name", .string("district-60")), ("patch", Self.object([]))]),
                                Self.object([("name", .string("x")), ("patch", .array([.int(1)]))]),
                                Self.object([("nme", .string("y")), ("patch", Self.object([]))]),
                                .int(4)])),
            ("options", Self.object([("mipGap", .int(2))])),
        ])))
        let bad = s.response(.int(3))
        #expect(RPC.errorCode(bad) == -32602)
        #expect(Self.errorPaths(bad) == ["params.options.mipGap", "params.threads", "params.patches[0].name",
                                         "params.patches[1].patch", "params.patches[2].nme", "params.patches[2].name",
                                         "params.patches[3]"], "\(bad?.short ?? "no answer")")
        // An invalid base is the request's fault: -32602 with paths into the scenario.
        var base = try #require(try Self.scenarioJSON(path).objectValue)
        var enterprises = try #require(base["enterprises"]?.arrayValue)
        var first = try #require(enterprises[0].objectValue)
        first["town"] = .string("T99")
        enterprises[0] = .object(first)
        base["enterprises"] = .array(enterprises)
        try s.send(RPC.request(.int(4), "whatif", JSONObject([("base", .object(base)), ("patches", .array([]))])))
        let badBase = s.response(.int(4))
        #expect(RPC.errorCode(badBase) == -32602)
        #expect(Self.errorPaths(badBase).contains("enterprises[0].town"))
        try s.send(RPC.request(.int(5), "whatif", JSONObject([("path", .string(path))])))
        #expect(Self.errorPaths(s.response(.int(5))) == ["params.patches"])

        try s.closeInput()
        #expect(s.waitForExit() == 0)
        #expect(s.messages.allSatisfy { $0.message != nil })
    }

    @Test func aRunningWhatifIsCancelledAndItsProcessStops() throws {
        let s = try ServiceSession()
        try s.send(RPC.request(.string("big"), "whatif", JSONObject([
            ("path", .string(try Fixtures.district(3000))),
            ("patches", .array([Self.object([("name", .string("independent")),
                                             ("patch", Self.object([("policy", Self.object([("sampling", .string("independent"))]))]))])])),
            RPC.progressMeta("c"),
        ])))
        let scheduling = s.wait(timeout: 120) { RPC.isProgress($0, "c") && $0["params"]?["stage"] == .string("schedule") }
        #expect(scheduling != nil, "no schedule progress; log:\n\(s.log)")
        #expect(s.children.count == 1)
        let cancelledAt = Date()
        try s.send(RPC.notification("$/cancelRequest", JSONObject([("id", .string("big"))])))
        #expect(RPC.errorCode(s.response(.string("big"))) == -32800)
        while !s.children.isEmpty && Date().timeIntervalSince(cancelledAt) < 15 { Thread.sleep(forTimeInterval: 0.05) }
        #expect(s.children.isEmpty)
        print("whatif cancel: process gone \(String(format: "%.2f", Date().timeIntervalSince(cancelledAt))) s after $/cancelRequest")
        let all = s.messages.compactMap(\.message)
        let answered = try #require(all.firstIndex { $0["id"] == .string("big") })
        #expect(!all[answered...].contains { RPC.isProgress($0, "c") })
        // Still serving.
        try s.send(RPC.request(.int(2), "validate", JSONObject([("path", .string(try Fixtures.district(60)))])))
        #expect(s.response(.int(2))?["result"]?["valid"] == .bool(true))
        try s.closeInput()
        #expect(s.waitForExit() == 0)
    }

    /// A GLPK `abort()` inside a what-if kills only its child process (killed here with
    /// SIGABRT mid-search, the backtracer off, as `abort()` ends a process).
    @Test func aCrashingWhatifCostsOneRequestNotTheService() throws {
        let s = try ServiceSession(environment: ["SWIFT_BACKTRACE": "enable=no"])
        try s.send(RPC.request(.string("doomed"), "whatif", JSONObject([
            ("path", .string(try Fixtures.district(3000))), ("patches", .array([])), RPC.progressMeta("d"),
        ])))
        _ = s.wait(timeout: 120) { RPC.isProgress($0, "d") && $0["params"]?["stage"] == .string("schedule") }
        let workers = s.children
        #expect(workers.count == 1)
        for pid in workers { kill(pid, SIGABRT) }
        let crashed = s.response(.string("doomed"))
        #expect(RPC.errorCode(crashed) == -32603)
        #expect(crashed?["error"]?["data"]?["signal"] == .int(Int(SIGABRT)))
        try s.send(RPC.request(.string("next"), "whatif", JSONObject([("path", .string(try Fixtures.district(60))), ("patches", .array([]))])))
        #expect(s.response(.string("next"))?["result"]?["variants"]?.arrayValue?.count == 1)
        try s.closeInput()
        #expect(s.waitForExit() == 0)
    }

    // MARK: - explain

    @Test func explainAnEnterpriseAndADepartmentDayFromARunOrAPlan() throws {
        let s = try ServiceSession()
        let path = try Fixtures.district(60)
        let (runId, planJSON) = try Self.solveRecorded(s, id: .int(1))
        let plan = try PlanReader.read(planJSON)
        let visit = try #require(plan.visits.first)

        // By run id alone: the run's recorded scenario is used.
        try s.send(RPC.request(.int(2), "explain", JSONObject([("runId", .int(runId)), ("enterprise", .string(visit.enterprise))])))
        let enterprise = try #require(s.response(.int(2))?["result"])
        #expect(enterprise["enterprise"] == .string(visit.enterprise))
        #expect(enterprise["visits"]?.arrayValue?.compactMap { $0["id"]?.stringValue }
                == plan.visits.filter { $0.enterprise == visit.enterprise }.map(\.id))
        #expect(enterprise["seed"] == .int(7))
        #expect(enterprise["warnings"] == nil)

        // By path and inline plan: a department's day holds exactly its inspectors' visits.
        try s.send(RPC.request(.int(3), "explain", JSONObject([
            ("path", .string(path)), ("plan", planJSON),
            ("department", .string("XF")), ("date", .string(visit.date.description)),
        ])))
        let day = try #require(s.response(.int(3))?["result"])
        let scenario = try ScenarioReader.read(try Data(contentsOf: URL(fileURLWithPath: path)))
        let fire = Set(scenario.inspectors.filter { $0.department == "XF" }.map(\.id))
        let expected = Set(plan.visits.filter { $0.date == visit.date && !fire.isDisjoint(with: $0.inspectors) }.map(\.id))
        let listed = Set(day["inspectors"]?.arrayValue?.flatMap { $0["visits"]?.arrayValue ?? [] }.compactMap { $0["visit"]?.stringValue } ?? [])
        #expect(day["date"] == .string(visit.date.description))
        #expect(listed == expected)

        // A plan read against another scenario is explained, with a warning.
        var other = try #require(try Self.scenarioJSON(path).objectValue)
        other["name"] = .string("another district")
        try s.send(RPC.request(.int(4), "explain", JSONObject([("scenario", .object(other)), ("runId", .int(runId)),
                                                               ("enterprise", .string(visit.enterprise))])))
        #expect(s.response(.int(4))?["result"]?["warnings"]?.arrayValue?.count == 1)

        // Bad params.
        try s.send(RPC.request(.int(5), "explain", JSONObject([("runId", .int(runId)), ("enterprise", .string("E0001"))])))
        let unknown = s.response(.int(5))
        #expect(Self.errorPaths(unknown) == ["params.enterprise"])
        #expect(unknown?["error"]?["message"]?.stringValue?.contains("did you mean") == true)
        try s.send(RPC.request(.int(6), "explain", JSONObject([("runId", .int(runId)), ("department", .string("XF"))])))
        #expect(Self.errorPaths(s.response(.int(6))) == ["params.date"])
        try s.send(RPC.request(.int(7), "explain", JSONObject([("runId", .int(9999)), ("enterprise", .string("E00001"))])))
        #expect(Self.errorPaths(s.response(.int(7))) == ["params.runId"])
        try s.send(RPC.request(.int(8), "explain", JSONObject([
            ("path", .string(path)), ("plan", Self.object([("format", .string("jointplan.plan/1")), ("visits", .array([Self.object([("id", .int(1))])]))])),
            ("enterprise", .string("E00001")), ("date", .string("2026-02-30")),
        ])))
        let bad = s.response(.int(8))
        #expect(RPC.errorCode(bad) == -32602)
        #expect(Self.errorPaths(bad) == ["params.date", "params"], "\(bad?.short ?? "no answer")")
        try s.send(RPC.request(.int(9), "explain", JSONObject([
            ("path", .string(path)), ("plan", Self.object([("format", .string("jointplan.plan/1")), ("visits", .array([Self.object([("id", .int(1))])]))])),
            ("enterprise", .string("E00001")),
        ])))
        let badPlan = Self.errorPaths(s.response(.int(9)))
        #expect(!badPlan.isEmpty && badPlan.allSatisfy { $0.hasPrefix("params.plan.visits[0]") }, "\(badPlan)")

        try s.closeInput()
        #expect(s.waitForExit() == 0)
    }

    // MARK: - replan

    @Test func replanKeepsWhatIsDoneAndRecordsTheNewRun() throws {
        let s = try ServiceSession()
        let path = try Fixtures.district(60)
        let (runId, planJSON) = try Self.solveRecorded(s, id: .int(1))
        let plan = try PlanReader.read(planJSON)
        let days = plan.visits.map(\.date).sorted()
        let from = days[days.count / 2]
        // The inspector with the most visits from that date on takes leave for the rest of
        // the quarter (the patch repeats the whole inspectors array: arrays replace, RFC 7386);
        // not one a later pinned visit names, which would make the changes contradict a pin.
        let document = try #require(try Self.scenarioJSON(path).objectValue)
        let pinnedLater = Set((document["pinned"]?.arrayValue ?? []).filter { ($0["date"]?.stringValue ?? "") >= from.description }
            .flatMap { $0["inspectors"]?.arrayValue?.compactMap(\.stringValue) ?? [] })
        var later: [String: Int] = [:]
        for v in plan.visits where v.date >= from { for p in v.inspectors where !pinnedLater.contains(p) { later[p, default: 0] += 1 } }
        let absent = try #require(later.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key)
        let horizonEnd = try #require(document["horizon"]?["end"]?.stringValue)
        let inspectors = try #require(document["inspectors"]?.arrayValue).map { entry -> JSON in
            guard var o = entry.objectValue, o["id"] == .string(absent) else { return entry }
            o["unavailable"] = .array([.string("\(from)/\(horizonEnd)")])
            return .object(o)
        }
        try s.send(RPC.request(.int(2), "replan", JSONObject([
            ("runId", .int(runId)), ("from", .string(from.description)),
            ("changes", Self.object([("inspectors", .array(inspectors))])),
            ("options", Self.object([("timeLimitSeconds", .int(20))])), RPC.progressMeta("r"),
        ])))
        let response = try #require(s.response(.int(2), timeout: 120), "no answer; log:\n\(s.log)")
        let result = try #require(response["result"], "\(response.short)")
        let newPlan = try PlanReader.read(try #require(result["plan"]))
        let newRun = try #require(result["runId"]?.intValue)
        #expect(newRun != runId)
        #expect(result["baseRunId"] == .int(runId))
        #expect(newPlan.seed == plan.seed)
        #expect(result["check"]?["valid"] == .bool(true), "\(result["check"]?.short ?? "")")
        // What is done stays exactly as it was; the absent inspector has nothing from `from` on.
        let before = { (p: JSON) in p["visits"]?.arrayValue?.filter { ($0["date"]?.stringValue ?? "") < from.description } }
        #expect(before(result["plan"]!) == before(planJSON))
        #expect(result["report"]?["frozen"]?.intValue == plan.visits.filter { $0.date < from }.count)
        #expect(!newPlan.visits.contains { $0.date >= from && $0.inspectors.contains(absent) })
        #expect(s.messages.contains { RPC.isProgress($0.message ?? .null, "r") })
        print("replan from \(from) with \(absent) on leave: \(result["report"]?.short ?? "")")

        // Recorded as a run of method "replan", for the changed scenario.
        try s.send(RPC.request(.int(3), "runs/list"))
        let runs = try #require(s.response(.int(3))?["result"]?["runs"]?.arrayValue)
        let recorded = try #require(runs.first { $0["id"] == .int(newRun) })
        #expect(recorded["method"] == .string("replan"))
        #expect(recorded["scenario"]?["sha256"] == .string(newPlan.scenarioSHA256))

        // Bad params: all problems at once (the seed, the changed scenario) with their paths.
        try s.send(RPC.request(.int(4), "replan", JSONObject([
            ("runId", .int(runId)), ("from", .string(from.description)),
            ("changes", Self.object([("policy", Self.object([("sampling", .string("at random"))]))])),
            ("options", Self.object([("seed", .int(8))])),
        ])))
        let bad = s.response(.int(4))
        #expect(RPC.errorCode(bad) == -32602)
        #expect(Self.errorPaths(bad) == ["params.options.seed", "policy.sampling"], "\(bad?.short ?? "no answer")")
        try s.send(RPC.request(.int(5), "replan", JSONObject([("path", .string(path)), ("plan", planJSON), ("from", .string("2027-01-01"))])))
        #expect(Self.errorPaths(s.response(.int(5))) == ["params.from"])
        try s.send(RPC.request(.int(6), "replan", JSONObject([("runId", .int(runId)), ("changes", .array([]))])))
        #expect(Self.errorPaths(s.response(.int(6))) == ["params.from", "params.changes"])
        try s.send(RPC.request(.int(7), "replan", JSONObject([("path", .string(path)), ("from", .string(from.description))])))
        #expect(Self.errorPaths(s.response(.int(7))) == ["params"])

        try s.closeInput()
        #expect(s.waitForExit() == 0)
    }

    // MARK: - export

    @Test func exportAnswersTheFilesAndWritesOnlyIntoADirectoryItIsGiven() throws {
        let s = try ServiceSession()
        let path = try Fixtures.district(60)
        let (runId, planJSON) = try Self.solveRecorded(s, id: .int(1))
        let plan = try PlanReader.read(planJSON)

        // Calendars per inspector and per town: every visit is in exactly one town calendar.
        try s.send(RPC.request(.int(2), "export", JSONObject([
            ("runId", .int(runId)), ("format", .string("ics")), ("by", .array([.string("inspector"), .string("town")])),
            ("dtstamp", .string("2026-01-01T00:00:00Z")),
        ])))
        let ics = try #require(s.response(.int(2))?["result"]?["files"]?.arrayValue)
        let names = ics.compactMap { $0["name"]?.stringValue }
        let contents = ics.compactMap { $0["content"]?.stringValue }
        #expect(contents.count == ics.count && !ics.isEmpty)
        #expect(names.contains { $0.hasPrefix("inspector-") } && names.contains { $0.hasPrefix("town-") })
        #expect(contents.allSatisfy { $0.hasPrefix("BEGIN:VCALENDAR\r\n") && $0.hasSuffix("END:VCALENDAR\r\n") && $0.contains("DTSTAMP:20260101T000000Z") })
        let townEvents = zip(names, contents).filter { $0.0.hasPrefix("town-") }
            .map { $0.1.components(separatedBy: "BEGIN:VEVENT").count - 1 }.reduce(0, +)
        // Town calendars hold on-site visits only: nobody comes for a remote check.
        #expect(townEvents == plan.visits.count)

        // CSV by inline scenario and plan: the four tables; one row per on-site check.
        try s.send(RPC.request(.int(3), "export", JSONObject([("path", .string(path)), ("plan", planJSON), ("format", .string("csv"))])))
        let csv = try #require(s.response(.int(3))?["result"]?["files"]?.arrayValue)
        #expect(csv.compactMap { $0["name"]?.stringValue } == ["plan.csv", "plan-visits.csv", "plan-remote.csv", "plan-unmet.csv"])
        let checks = try #require(csv.first?["content"]?.stringValue)
        #expect(checks.hasPrefix("\u{FEFF}visit,"))
        #expect(checks.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count - 1 == plan.visits.reduce(0) { $0 + $1.checks.count })

        // The HTML report, written into a directory: nothing in the answer but where it is.
        let dir = Fixtures.directory.appendingPathComponent("export-\(UUID().uuidString)").path
        try s.send(RPC.request(.int(4), "export", JSONObject([("runId", .int(runId)), ("format", .string("html")), ("directory", .string(dir))])))
        let written = try #require(s.response(.int(4))?["result"]?["files"]?.arrayValue)
        #expect(written.count == 1)
        #expect(written.first?["content"] == nil)
        let file = try #require(written.first?["path"]?.stringValue)
        let html = try String(contentsOfFile: file, encoding: .utf8)
        #expect(written.first?["bytes"]?.intValue == html.utf8.count)
        #expect(html.contains("<html") && !html.contains("src=\"http") && !html.contains("href=\"http"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["run-\(runId).html"])
        // Each KPI against its target (issue 23): met or not; completion not assessed without actuals.
        #expect(html.contains("<section id=\"targets\">"))
        #expect(html.contains("<tr class=\"\(plan.kpis.jointVisitRate >= 0.4 ? "met" : "unmet")\"><th>综合查一次实施率</th>"))
        #expect(html.contains("<tr class=\"na\"><th>计划按期完成率</th>"))

        // Bad params: every problem with its path.
        try s.send(RPC.request(.int(5), "export", JSONObject([("runId", .int(runId)), ("format", .string("pdf")),
                                                              ("by", .string("team")), ("dtstamp", .string("yesterday"))])))
        let bad = s.response(.int(5))
        #expect(RPC.errorCode(bad) == -32602)
        #expect(Self.errorPaths(bad) == ["params.format", "params.by", "params.dtstamp"], "\(bad?.short ?? "no answer")")
        try s.send(RPC.request(.int(6), "export", JSONObject([("runId", .int(runId)), ("format", .string("csv")), ("by", .string("town"))])))
        #expect(Self.errorPaths(s.response(.int(6))) == ["params.by"])
        try s.send(RPC.request(.int(7), "export", JSONObject([("path", .string(path)), ("format", .string("ics"))])))
        #expect(Self.errorPaths(s.response(.int(7))) == ["params"])
        try s.send(RPC.request(.int(8), "export", JSONObject([("runId", .int(runId)), ("format", .string("html")),
                                                              ("directory", .string("/proc/no/such/place"))])))
        #expect(Self.errorPaths(s.response(.int(8))) == ["params.directory"])

        try s.closeInput()
        #expect(s.waitForExit() == 0)
    }

    // MARK: - solve --db --report

    @Test func solveRecordsItsRunAndWritesASelfContainedReport() throws {
        let dir = Fixtures.directory.appendingPathComponent("cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let db = dir.appendingPathComponent("runs.sqlite").path
        let planPath = dir.appendingPathComponent("plan.json").path
        let report = dir.appendingPathComponent("report.html").path
        let status = try Executable.run(["solve", try Fixtures.district(60), "--seed", "11", "-o", planPath,
                                         "--db", db, "--report", report])
        #expect(status == 0)

        let (listed, out) = try Executable.output(["runs", "list", "--db", db, "--json"])
        #expect(listed == 0)
        let runs = try #require(try JSONParser.parse(Data(out.utf8)).arrayValue)
        let plan = try PlanReader.read(try Data(contentsOf: URL(fileURLWithPath: planPath)))
        #expect(runs.count == 1)
        #expect(runs.first?["seed"] == .int(11))
        #expect(runs.first?["method"] == .string("jointplan"))
        #expect(runs.first?["scenario"]?["sha256"] == .string(plan.scenarioSHA256))
        #expect(runs.first?["visits"]?.intValue == plan.visits.count)

        // Self-contained: the page, its styles and charts inline, nothing fetched.
        let html = try String(contentsOfFile: report, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<svg"))
        // Each KPI against its target, as `jointplan report` writes it (issue 23).
        #expect(html.contains("<section id=\"targets\">") && html.contains("<tr class=\"na\">"))
        #expect(html.contains("<tr class=\"\(plan.kpis.jointVisitRate >= 0.4 ? "met" : "unmet")\">"))
        for external in ["src=\"http", "href=\"http", "url(http", "@import", "<script src", "<link rel=\"stylesheet\""] {
            #expect(!html.contains(external), "the report refers to something outside itself: \(external)")
        }
    }
}
