import Foundation
import JointPlan
import Testing

/// `jointplan serve` driven through its stdin and stdout, as an analyst's script drives it
/// (spec 4, Service; conventions: JSON-RPC over stdio).
@Suite struct ServiceTests {
    static func scenarioJSON(_ path: String) throws -> JSON {
        try JSONParser.parse(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Sends one line and returns the next message the service writes (for exchanges where
    /// nothing else is in flight).
    static func exchange(_ s: ServiceSession, _ line: String) throws -> JSON? {
        let before = s.messages.count
        try s.send(line)
        var seen = 0
        return s.wait(timeout: 30) { _ in
            seen += 1
            return seen > before
        }
    }

    /// The work limits the CLI has (`--windows`, `--iterations`) the service takes too, in
    /// the same ranges (issue 11: the CLI and the service accept the same limits).
    @Test func solveTakesTheWorkLimitsOfTheCLI() throws {
        let s = try ServiceSession()
        let path = try Fixtures.district(60)
        func stages(_ id: Int, _ options: [(String, JSON)]) throws -> [String] {
            try s.send(RPC.request(.int(id), "solve", JSONObject([("path", .string(path)), ("options", .object(JSONObject(options)))])))
            let result = try #require(s.response(.int(id))?["result"], "request \(id)")
            let stages = try #require(result["plan"]?["solver"]?["stages"]?.arrayValue, "request \(id): no stages")
            return stages.compactMap { $0["name"]?.stringValue }
        }
        let without = try stages(1, [("windows", .int(0)), ("iterations", .int(0))])
        #expect(!without.contains("search"), "windows 0: no window search, got stages \(without)")
        let with = try stages(2, [("windows", .int(5))])
        #expect(with.contains("search"), "windows 5: the search runs, got stages \(with)")
        try s.send(RPC.request(.int(3), "solve", JSONObject([("path", .string(path)), ("options", .object(JSONObject([
            ("windows", .int(-1)), ("iterations", .double(1.5)),
        ])))])))
        let refused = s.response(.int(3))
        #expect(RPC.errorCode(refused) == -32602)
        let paths = refused?["error"]?["data"]?["errors"]?.arrayValue?.compactMap { $0["path"]?.stringValue } ?? []
        #expect(Set(paths) == ["params.options.windows", "params.options.iterations"], "\(paths)")
        try s.send(RPC.request(.int(4), "solve", JSONObject([("path", .string(path)), ("options", .object(JSONObject([
            ("windows", .int(SolveOptions.windowsRange.upperBound + 1)),
        ])))])))
        #expect(RPC.errorCode(s.response(.int(4))) == -32602)
        // The CLI's --warm-start: a boolean, passed to the solver process.
        try s.send(RPC.request(.int(5), "solve", JSONObject([("path", .string(path)), ("options", .object(JSONObject([("warmStart", .string("yes"))])))])))
        let notBool = s.response(.int(5))
        #expect(RPC.errorCode(notBool) == -32602)
        #expect(notBool?["error"]?["data"]?["errors"]?.arrayValue?.compactMap { $0["path"]?.stringValue } == ["params.options.warmStart"])
        for (id, warm) in [(6, true), (7, false)] {
            try s.send(RPC.request(.int(id), "solve", JSONObject([("path", .string(path)), ("options", .object(JSONObject([("warmStart", .bool(warm)), ("windows", .int(5))])))])))
            let stages = try #require(s.response(.int(id))?["result"]?["plan"]?["solver"]?["stages"]?.arrayValue)
            let note = stages.first { $0["name"]?.stringValue == "search" }?["note"]?.stringValue ?? ""
            #expect(note.contains("windows") && note.contains("not warm-started") == !warm, "warmStart \(warm), the search stage: \(note)")
        }
        try s.closeInput()
        #expect(s.waitForExit() == 0)
    }

    @Test func solveSendsProgressThenThePlanAndRecordsTheRun() throws {
        let s = try ServiceSession()
        let scenario = try Self.scenarioJSON(try Fixtures.district(60))
        try s.send(RPC.request(.int(1), "solve", JSONObject([
            ("scenario", scenario),
            ("options", .object(JSONObject([("timeLimitSeconds", .int(20)), ("seed", .int(99))]))),
            RPC.progressMeta("p1"),
        ])))
        let response = try #require(s.response(.int(1)))
        let result = try #require(response["result"], "\(response.short)")
        let runId = try #require(result["runId"]?.intValue)
        let planJSON = try #require(result["plan"])
        let plan = try PlanReader.read(planJSON)
        #expect(plan.seed == 99)
        #expect(plan.visits.count > 0)
        #expect(plan.scenarioSHA256.count == 64)
        // The bottleneck by department rides along (issue 14): one row per department, the
        // unmet checks summing to the plan's.
        let bottleneck = try #require(result["bottleneck"]?.arrayValue)
        #expect(bottleneck.count == (scenario["departments"]?.arrayValue?.count ?? -1))
        #expect(bottleneck.compactMap { $0["unmetChecks"]?.intValue }.reduce(0, +) == plan.unmet.count)
        #expect(bottleneck.allSatisfy { $0["slotUse"]?.doubleValue != nil && $0["minuteUse"]?.doubleValue != nil })

        // Progress: some, increasing, all before the response.
        let all = s.messages.compactMap(\.message)
        let responseIndex = try #require(all.firstIndex { $0["id"] == .int(1) })
        let progress = all.enumerated().filter { RPC.isProgress($0.element, "p1") }
        #expect(progress.count > 0)
        #expect(progress.allSatisfy { $0.offset < responseIndex })
        let values = progress.compactMap { $0.element["params"]?["progress"]?.doubleValue }
        #expect(values.count == progress.count && zip(values, values.dropFirst()).allSatisfy { $0 < $1 })
        #expect(progress.allSatisfy { $0.element["params"]?["total"] == .int(100) && $0.element["params"]?["stage"]?.stringValue != nil })
        print("solve: \(progress.count) progress notifications, then the plan (\(plan.visits.count) visits), run \(runId)")

        // The run is in the store.
        try s.send(RPC.request(.int(2), "runs/list"))
        let runs = try #require(s.response(.int(2))?["result"]?["runs"]?.arrayValue)
        #expect(runs.map { $0["id"]?.intValue } == [runId])
        #expect(runs.first?["seed"] == .int(99))
        try s.send(RPC.request(.int(3), "runs/get", JSONObject([("id", .int(runId))])))
        let got = try #require(s.response(.int(3))?["result"])
        #expect(got["plan"] == planJSON)
        #expect(got["kpis"] == planJSON["kpis"])
        let visit = try #require(plan.visits.first)
        try s.send(RPC.request(.int(4), "runs/visits", JSONObject([("runId", .int(runId)), ("inspector", .string(visit.inspectors[0]))])))
        let visits = try #require(s.response(.int(4))?["result"]?["visits"]?.arrayValue)
        #expect(visits.map { $0["visit"]?.stringValue } == plan.visits.filter { $0.inspectors.contains(visit.inspectors[0]) }.map(\.id))

        try s.closeInput()
        #expect(s.waitForExit() == 0)
        #expect(s.messages.allSatisfy { $0.message != nil }, "stdout carried something that is not a protocol message")
    }

    @Test func cancelStopsARunningSolveWithMinus32800() throws {
        let s = try ServiceSession()
        let big = try Fixtures.district(3000)
        try s.send(RPC.request(.string("long"), "solve", JSONObject([("path", .string(big)), RPC.progressMeta("c")])))
        // Cancel once GLPK is at work on the planning days.
        let scheduling = s.wait(timeout: 60) { RPC.isProgress($0, "c") && $0["params"]?["stage"] == .string("schedule") }
        #expect(scheduling != nil, "no schedule progress; log:\n\(s.log)")
        let workers = s.children
        #expect(workers.count == 1)
        let cancelledAt = Date()
        try s.send(RPC.notification("$/cancelRequest", JSONObject([("id", .string("long"))])))
        let response = s.response(.string("long"))
        #expect(RPC.errorCode(response) == -32800)
        // The child stops (its search ends through glp_ios_terminate; it is killed only if it
        // has not ended after the grace period).
        while !s.children.isEmpty && Date().timeIntervalSince(cancelledAt) < 15 { Thread.sleep(forTimeInterval: 0.05) }
        let stopped = Date().timeIntervalSince(cancelledAt)
        #expect(s.children.isEmpty)
        print("cancel: answered -32800, solver process stopped \(String(format: "%.2f", stopped)) s after $/cancelRequest")

        // Still serving; nothing recorded for the cancelled solve; no progress after the answer.
        try s.send(RPC.request(.int(2), "runs/list"))
        #expect(s.response(.int(2))?["result"]?["runs"] == .array([]))
        let all = s.messages.compactMap(\.message)
        let answered = try #require(all.firstIndex { $0["id"] == .string("long") })
        #expect(!all[answered...].contains { RPC.isProgress($0, "c") })

        // Cancelling an id that is not in flight is harmless; as a request it is answered.
        try s.send(RPC.request(.int(3), "$/cancelRequest", JSONObject([("id", .string("nothing"))])))
        #expect(s.response(.int(3))?["result"] == .null)
        try s.closeInput()
        #expect(s.waitForExit() == 0)
    }

    @Test func badInputGetsTheStandardErrors() throws {
        let s = try ServiceSession()
        func expectError(_ line: String, _ code: Int, id: JSON = .null, _ comment: Comment) throws {
            let m = try Self.exchange(s, line)
            #expect(RPC.errorCode(m) == code, comment)
            #expect(m?["id"] == id, comment)
        }
        try expectError("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":", -32700, "truncated JSON")
        try expectError("not json at all", -32700, "garbage")
        try expectError("[]", -32600, "empty batch")
        try expectError("{\"jsonrpc\":\"2.0\",\"id\":1}", -32600, "no method")
        try expectError("{\"jsonrpc\":\"1.0\",\"id\":2,\"method\":\"validate\"}", -32600, "wrong version")
        try expectError("{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":\"validate\"}", -32600, "object id")
        try expectError("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"validate\",\"params\":7}", -32600, "scalar params")
        try expectError("42", -32600, "a number")
        try expectError("null", -32600, "null")
        try expectError("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"nope\"}", -32601, id: .int(4), "unknown method")
        try expectError("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"validate\",\"params\":[1]}", -32602, id: .int(5), "positional params")

        // Invalid UTF-8 inside a string.
        var bad = Data("{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"validate\",\"params\":{\"path\":\"".utf8)
        bad.append(contentsOf: [0xFF, 0xFE, 0xC3])
        bad.append(contentsOf: Data("\"}}\n".utf8))
        let before = s.messages.count
        try s.send(raw: bad)
        var n = 0
        let utf8 = s.wait(timeout: 30) { _ in n += 1; return n > before }
        #expect(RPC.errorCode(utf8) == -32700)

        // Invalid params: -32602 whose data.errors are exactly what validate reports.
        var doc = try #require(try Self.scenarioJSON(try Fixtures.district(60)).objectValue)
        var enterprises = try #require(doc["enterprises"]?.arrayValue)
        var first = try #require(enterprises[0].objectValue)
        first["town"] = .string("T99")
        first["tier"] = .string("Z")
        enterprises[0] = .object(first)
        doc["enterprises"] = .array(enterprises)
        try s.send(RPC.request(.int(7), "validate", JSONObject([("scenario", .object(doc))])))
        let validation = try #require(s.response(.int(7))?["result"])
        #expect(validation["valid"] == .bool(false))
        let errors = try #require(validation["errors"]?.arrayValue)
        #expect(errors.contains { $0["path"] == .string("enterprises[0].town") })
        try s.send(RPC.request(.int(8), "solve", JSONObject([("scenario", .object(doc))])))
        let refused = s.response(.int(8))
        #expect(RPC.errorCode(refused) == -32602)
        #expect(refused?["error"]?["data"]?["errors"] == .array(errors))

        try s.send(RPC.request(.int(9), "solve", JSONObject([
            ("path", .string(try Fixtures.district(60))),
            ("options", .object(JSONObject([("mipGap", .int(2)), ("bogus", .bool(true))]))),
        ])))
        let options = s.response(.int(9))
        #expect(RPC.errorCode(options) == -32602)
        #expect(options?["error"]?["data"]?["errors"]?.arrayValue?.compactMap { $0["path"]?.stringValue }
                == ["params.options.bogus", "params.options.mipGap"])
        try s.send(RPC.request(.int(10), "solve", JSONObject([("path", .string("/no/such/file.json"))])))
        #expect(RPC.errorCode(s.response(.int(10))) == -32602)
        try s.send(RPC.request(.int(11), "solve", JSONObject([("path", .string("/dev/zero"))])))
        #expect(RPC.errorCode(s.response(.int(11))) == -32602)
        try s.send(RPC.request(.int(12), "runs/get", JSONObject([("id", .int(424242))])))
        #expect(s.response(.int(12))?["error"]?["data"]?["errors"]?.arrayValue?.first?["path"] == .string("params.id"))

        try s.closeInput()
        #expect(s.waitForExit() == 0)
    }

    @Test func batchesAndNotifications() throws {
        let s = try ServiceSession()
        let small = try Fixtures.district(60)
        // A batch answers with one array: requests and invalid entries, not notifications.
        let batch = try #require(try Self.exchange(s, """
            [{"jsonrpc":"2.0","id":"a","method":"runs/list"},{"jsonrpc":"2.0","method":"runs/list"},5,\
            {"jsonrpc":"2.0","id":"b","method":"nope"},{"jsonrpc":"2.0","id":"c","method":"validate","params":{"path":\(JSONWriter.quote(small))}}]
            """))
        let entries = try #require(batch.arrayValue, "\(batch.short)")
        #expect(entries.count == 4)
        #expect(Set(entries.compactMap { $0["id"].map(JSONWriter.compact) }) == ["\"a\"", "\"b\"", "\"c\"", "null"])
        #expect(entries.first { $0["id"] == .string("c") }?["result"]?["valid"] == .bool(true))
        #expect(RPC.errorCode(entries.first { $0["id"] == .string("b") }) == -32601)
        #expect(RPC.errorCode(entries.first { $0["id"] == .null }) == -32600)

        // Notifications (alone, in a batch, of unknown methods, with bad params) get nothing;
        // the next message is the answer to the request sent after them.
        try s.send("[{\"jsonrpc\":\"2.0\",\"method\":\"runs/list\"},{\"jsonrpc\":\"2.0\",\"method\":\"validate\",\"params\":{}}]")
        try s.send("{\"jsonrpc\":\"2.0\",\"method\":\"no/such/method\"}")
        try s.send("{\"jsonrpc\":\"2.0\",\"method\":\"runs/get\",\"params\":{\"id\":\"x\"}}")
        try s.send("")
        try s.send("   ")
        let next = try Self.exchange(s, "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"runs/list\"}")
        #expect(next?["id"] == .null && next?["result"]?["runs"] == .array([]), "\(next?.short ?? "nothing")")
        try s.closeInput()
        #expect(s.waitForExit() == 0)
        #expect(s.messages.count == 2)
    }

    @Test func aHundredMegabyteLineIsRefusedWithoutBufferingIt() throws {
        let s = try ServiceSession()
        var line = Data("{\"jsonrpc\":\"2.0\",\"id\":\"huge\",\"method\":\"validate\",\"params\":{\"scenario\":{\"name\":\"".utf8)
        line.append(Data(repeating: UInt8(ascii: "a"), count: 100 << 20))
        line.append(Data("\"}}}\n".utf8))
        let before = s.messages.count
        try s.send(raw: line)
        var n = 0
        let refused = s.wait(timeout: 60) { _ in n += 1; return n > before }
        #expect(RPC.errorCode(refused) == -32600)
        #expect(refused?["id"] == .null)
        #expect(refused?["error"]?["message"]?.stringValue?.contains("\(line.count - 1) bytes") == true)
        try s.send(RPC.request(.string("next"), "runs/list"))
        #expect(s.response(.string("next"))?["result"] != nil)
        let peak = try #require(s.peakMemoryMiB)
        print("100 MB line: refused with -32600; service peak memory \(peak) MiB")
        #expect(peak < 400)
        try s.closeInput()
        #expect(s.waitForExit() == 0)
    }

    @Test func endOfInputMidRequestFinishesTheWorkInFlight() throws {
        let s = try ServiceSession()
        try s.send(RPC.request(.string("last"), "solve", JSONObject([("path", .string(try Fixtures.district(60)))])))
        try s.send(raw: Data("{\"jsonrpc\":\"2.0\",\"id\":\"cut\",\"method\":\"val".utf8))
        try s.closeInput()
        #expect(s.waitForExit(timeout: 120) == 0)
        let all = s.messages.compactMap(\.message)
        #expect(all.contains { $0["id"] == .string("last") && $0["result"]?["plan"] != nil })
        #expect(all.contains { RPC.errorCode($0) == -32700 })
        #expect(all.count == 2)
    }

    /// A GLPK `abort()` inside a solve: the solve runs in a child process, so only the child
    /// dies. The test kills the child with SIGABRT mid-search — with the Swift backtracer
    /// off, exactly how `abort()` ends a process.
    @Test func aCrashingSolveCostsOneRequestNotTheService() throws {
        let s = try ServiceSession(environment: ["SWIFT_BACKTRACE": "enable=no"])
        try s.send(RPC.request(.string("doomed"), "solve", JSONObject([("path", .string(try Fixtures.district(3000))), RPC.progressMeta("d")])))
        _ = s.wait(timeout: 60) { RPC.isProgress($0, "d") && $0["params"]?["stage"] == .string("schedule") }
        let workers = s.children
        #expect(workers.count == 1)
        for pid in workers { kill(pid, SIGABRT) }
        let crashed = s.response(.string("doomed"))
        #expect(RPC.errorCode(crashed) == -32603)
        #expect(crashed?["error"]?["data"]?["signal"] == .int(Int(SIGABRT)))
        print("abort: \(crashed?["error"]?["message"]?.stringValue ?? "no answer")")
        try s.send(RPC.request(.string("next"), "solve", JSONObject([("path", .string(try Fixtures.district(60)))])))
        #expect(s.response(.string("next"))?["result"]?["plan"]?["format"] == .string("jointplan.plan/1"))
        try s.closeInput()
        #expect(s.waitForExit() == 0)
    }

    @Test func aSolveWhoseTimeLimitExpiresAnswersWithItsPlan() throws {
        let s = try ServiceSession()
        let started = Date()
        try s.send(RPC.request(.int(1), "solve", JSONObject([
            ("path", .string(try Fixtures.district(3000))),
            ("options", .object(JSONObject([("timeLimitSeconds", .double(0.3))]))),
        ])))
        let plan = s.response(.int(1), timeout: 120)?["result"]?["plan"]
        #expect(plan?["status"] == .string("timeLimit"))
        print("time limit 0.3 s: answered after \(String(format: "%.1f", Date().timeIntervalSince(started))) s with status \(plan?["status"]?.short ?? "none")")
        try s.closeInput()
        #expect(s.waitForExit() == 0)
    }

    @Test func shutdownAnswersThenRefusesEveryLaterRequestUntilEndOfInput() throws {
        let s = try ServiceSession()
        try s.send(RPC.request(.int(1), "solve", JSONObject([("path", .string(try Fixtures.district(60)))])))
        try s.send(RPC.request(.int(2), "shutdown"))
        try s.send(RPC.request(.int(3), "runs/list"))
        #expect(s.response(.int(2))?["result"] == .null)
        #expect(RPC.errorCode(s.response(.int(3))) == -32600)
        #expect(s.response(.int(1))?["result"]?["runId"] != nil)
        // The work in flight is done, but the service still reads: a request sent long
        // after `shutdown` is refused too, not lost to an exit.
        Thread.sleep(forTimeInterval: 0.5)
        try s.send(RPC.request(.int(4), "validate", JSONObject([("path", .string(try Fixtures.district(60)))])))
        let late = s.response(.int(4))
        #expect(RPC.errorCode(late) == -32600)
        #expect(late?["error"]?["message"]?.stringValue?.contains("shutting down") == true)
        try s.closeInput()
        #expect(s.waitForExit(timeout: 60) == 0)
    }

    /// Issue 12: `printf 'shutdown\nruns/list\n' | jointplan serve --no-db` left the second
    /// request unanswered in 5 of 20 tries. Both lines arrive together; the second must be
    /// refused every time.
    @Test func theShutdownRaceIsAnsweredEveryTime() throws {
        let input = Data(("{\"jsonrpc\":\"2.0\",\"id\":\"bye\",\"method\":\"shutdown\"}\n"
                          + "{\"jsonrpc\":\"2.0\",\"id\":\"after\",\"method\":\"runs/list\"}\n").utf8)
        var answered = 0
        for _ in 0..<100 {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: Executable.path)
            p.arguments = ["serve", "--no-db", "--log-level", "error"]
            let stdin = Pipe(), stdout = Pipe()
            p.standardInput = stdin
            p.standardOutput = stdout
            p.standardError = FileHandle.nullDevice
            try p.run()
            stdin.fileHandleForWriting.write(input)
            try stdin.fileHandleForWriting.close()
            let out = stdout.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            let lines = String(decoding: out, as: UTF8.self).split(separator: "\n").compactMap { try? JSONParser.parse(Data($0.utf8)) }
            let after = lines.first { $0["id"] == .string("after") }
            if p.terminationStatus == 0, lines.first(where: { $0["id"] == .string("bye") })?["result"] == .null,
               after?["error"]?["code"]?.intValue == -32600,
               after?["error"]?["message"]?.stringValue?.contains("shutting down") == true {
                answered += 1
            }
        }
        print("shutdown race: the request after shutdown was answered in \(answered) of 100 runs")
        #expect(answered == 100)
    }

    /// Issue 12: `validate` reports what the reader accepts but cannot work — a pin on a
    /// holiday — and warns of a category no item names.
    @Test func validateReportsPinsThatCannotHoldAndUnusedCategories() throws {
        let s = try ServiceSession()
        var doc = try #require(try Self.scenarioJSON(try Fixtures.district(60)).objectValue)
        var enterprises = try #require(doc["enterprises"]?.arrayValue)
        var first = try #require(enterprises[0].objectValue)
        first["categories"] = .array([.string("restuarant")])
        enterprises[0] = .object(first)
        doc["enterprises"] = .array(enterprises)
        let id = try #require(enterprises[1]["id"])
        doc["pinned"] = .array([.object(JSONObject([("enterprise", id), ("date", .string("2026-01-01"))]))])
        try s.send(RPC.request(.int(1), "validate", JSONObject([("scenario", .object(doc))])))
        let result = try #require(s.response(.int(1))?["result"])
        #expect(result["valid"] == .bool(false))
        let errors = result["errors"]?.arrayValue ?? []
        #expect(errors.contains { $0["path"] == .string("pinned[0].date") && $0["message"]?.stringValue?.contains("not a working day") == true }, "\(errors)")
        let warnings = result["warnings"]?.arrayValue ?? []
        #expect(warnings.contains { $0["path"] == .string("enterprises[0].categories[0]") }, "\(warnings)")
        try s.closeInput()
        #expect(s.waitForExit() == 0)
    }
}
