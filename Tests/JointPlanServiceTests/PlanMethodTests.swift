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
}
