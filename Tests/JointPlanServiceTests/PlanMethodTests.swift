import Foundation
import JointPlan
import Testing

/// Issue 23: `plan/submit` … `plan/show` over JSON-RPC, the same steps as `jointplan plan …`.
@Suite struct PlanMethodTests {
    @Test func aPlanVersionGoesThroughEveryStateOverTheService() throws {
        let db = Fixtures.scratchDatabase()
        let district = try Fixtures.district(60)
        #expect(try Executable.run(["solve", district, "--db", db, "--time-limit", "20", "-o", db + ".plan.json"]) == 0)
        let s = try ServiceSession(database: db)
        func call(_ id: Int, _ method: String, _ params: [(String, JSON)]) -> JSON? {
            try? s.send(RPC.request(.int(id), method, JSONObject(params)))
            return s.response(.int(id))
        }
        // Out of order: -32602 at params.id, naming both states.
        let early = call(1, "plan/approve", [("id", .int(1)), ("by", .string("张主任"))])
        #expect(RPC.errorCode(early) == -32602)
        #expect(early?["error"]?["data"]?["errors"]?.arrayValue?.first?["message"] == .string("cannot approve run 1: it is draft, and this step is legal only from submitted (draft → submitted → approved → filed → published)"))
        #expect(RPC.errorCode(call(2, "plan/submit", [("id", .int(1))])) == -32602)   // no "by"
        for (n, (method, by)) in [("plan/submit", "李科员"), ("plan/approve", "张主任"), ("plan/file", "李科员"), ("plan/publish", "李科员")].enumerated() {
            let r = call(10 + n, method, [("id", .int(1)), ("by", .string(by)), ("note", .string("第\(n + 1)步"))])
            #expect(r?["result"]?["version"]?["steps"]?.arrayValue?.count == n + 1, "\(method): \(String(describing: r))")
        }
        let shown = try #require(call(20, "plan/show", [("id", .int(1))])?["result"])
        #expect(shown["version"]?["state"] == .string("published"))
        #expect(shown["version"]?["locked"] == .bool(true))
        #expect(shown["version"]?["steps"]?.arrayValue?.map { $0["by"]?.stringValue } == ["李科员", "张主任", "李科员", "李科员"])
        #expect(shown["lineage"]?.arrayValue?.count == 1)
        let listed = call(21, "runs/list", [])
        #expect(listed?["result"]?["runs"]?.arrayValue?.first?["state"] == .string("published"))
        #expect(RPC.errorCode(call(22, "plan/show", [("id", .int(99))])) == -32602)
        try s.closeInput()
        #expect(s.waitForExit() == 0)
    }

    /// The service's `replan` of an approved version records a new draft version naming its
    /// parent, as `jointplan replan --db` does — given the base by `runId` or inline (then the
    /// parent is the recorded run with that plan); the parent keeps its state.
    @Test func theServicesReplanOfAnApprovedVersionIsANewDraftNamingItsParent() throws {
        let db = Fixtures.scratchDatabase()
        let district = try Fixtures.district(60)
        let planPath = db + ".plan.json"
        #expect(try Executable.run(["solve", district, "--db", db, "--time-limit", "20", "-o", planPath]) == 0)
        let planJSON = try JSONParser.parse(try Data(contentsOf: URL(fileURLWithPath: planPath)))
        let plan = try PlanReader.read(planJSON)
        let from = plan.visits.map(\.date).sorted()[plan.visits.count / 2]
        let s = try ServiceSession(database: db)
        func call(_ id: Int, _ method: String, _ params: [(String, JSON)], timeout: Double = 30) -> JSON? {
            try? s.send(RPC.request(.int(id), method, JSONObject(params)))
            return s.response(.int(id), timeout: timeout)
        }
        for (n, (method, by)) in [("plan/submit", "李科员"), ("plan/approve", "张主任")].enumerated() {
            #expect(call(1 + n, method, [("id", .int(1)), ("by", .string(by))])?["result"] != nil, "\(method)")
        }
        let options = JSON.object(JSONObject([("timeLimitSeconds", .int(20))]))
        // By run id.
        let byRun = try #require(call(10, "replan", [("runId", .int(1)), ("from", .string(from.description)), ("options", options)],
                                      timeout: 120)?["result"], "log:\n\(s.log)")
        #expect(byRun["parentRunId"] == .int(1))
        let second = try #require(byRun["runId"]?.intValue)
        // Inline, with its scenario by path: the parent is the recorded run with that plan.
        let inline = try #require(call(11, "replan", [("path", .string(district)), ("plan", planJSON), ("from", .string(from.description)),
                                                      ("options", options)], timeout: 120)?["result"], "log:\n\(s.log)")
        #expect(inline["parentRunId"] == .int(1))
        let third = try #require(inline["runId"]?.intValue)
        for id in [second, third] {
            let shown = try #require(call(20 + id, "plan/show", [("id", .int(id))])?["result"])
            #expect(shown["version"]?["state"] == .string("draft"))
            #expect(shown["version"]?["version"] == .int(2))
            #expect(shown["version"]?["parent"] == .int(1))
        }
        let parent = try #require(call(30, "plan/show", [("id", .int(1))])?["result"])
        #expect(parent["version"]?["state"] == .string("approved"))
        // A draft re-planned again: version 3 of the lineage.
        let again = try #require(call(31, "replan", [("runId", .int(second)), ("from", .string(from.description)), ("options", options)],
                                      timeout: 120)?["result"])
        #expect(again["parentRunId"] == .int(second))
        let shownAgain = try #require(call(32, "plan/show", [("id", again["runId"] ?? .null)])?["result"])
        #expect(shownAgain["version"]?["version"] == .int(3))
        try s.closeInput()
        #expect(s.waitForExit() == 0)
    }
}
