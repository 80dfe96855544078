import Foundation
import JointPlan
import Testing

/// Issue 25: one request must not kill the service. Every JSON type at every key of every
/// method gets an answer — a result or -32602, never -32603 and never silence — and the
/// service still answers `runs/list` afterwards and exits 0 at end of input.
@Suite struct ServiceParamsPropertyTests {
    /// Each method's params keys (as `Params(allowed:)` lists them), with the nested keys of
    /// `options` written as `options.key`.
    static let keys: [String: [String]] = [
        "validate": ["scenario", "path"],
        "solve": ["scenario", "path", "options", "options.timeLimitSeconds", "options.mipGap", "options.seed",
                  "options.iterations", "options.windows", "options.warmStart"],
        "whatif": ["base", "path", "patches", "options", "threads"],
        "replan": ["scenario", "path", "plan", "runId", "from", "changes", "options"],
        "explain": ["scenario", "path", "plan", "runId", "enterprise", "department", "date"],
        "export": ["scenario", "path", "plan", "runId", "format", "by", "dtstamp", "directory", "overwrite"],
        "runs/list": ["limit"],
        "runs/get": ["id", "plan"],
        "runs/visits": ["runId", "town", "department", "inspector", "date", "limit"],
        "$/cancelRequest": ["id"],
    ]

    /// One value of each JSON type (and the troublesome numbers).
    static let values: [JSON] = [
        .null, .bool(true), .bool(false), .int(0), .int(-1), .number("1e300"), .number("1.5"),
        .string(""), .string("x"), .array([]), .array([.null]), .object(JSONObject()),
    ]

    @Test func everyJSONTypeAtEveryKeyIsAnswered() throws {
        let s = try ServiceSession()
        var n = 0, invalidRequests = 0
        // One request at a time, each answered before the next is sent: what is tested is the
        // answer to each params, not the busy pool (a flood is answered "busy", rightly).
        func send(_ method: String, _ params: JSON?) throws {
            n += 1
            var o = JSONObject([("jsonrpc", .string("2.0")), ("id", .int(n)), ("method", .string(method))])
            if let params { o["params"] = params }
            try s.send(.object(o))
            let what = "\(method) \(params.map(JSONWriter.compact) ?? "(no params)")"
            switch params {
            case nil, .object?, .array?:
                let r = s.response(.int(n), timeout: 60)
                #expect(r != nil, "no answer to \(what)")
                guard let r else { return }
                if let code = RPC.errorCode(r) {
                    #expect(code == -32602, "\(what) answered \(code): \(r["error"]?["message"]?.stringValue ?? "")")
                } else {
                    #expect(r["result"] != nil, "\(what): neither result nor error")
                }
            default:
                // Params that are neither object nor array make no request (JSON-RPC 2.0):
                // -32600 with id null, as for any invalid request.
                invalidRequests += 1
                let count = invalidRequests
                var seen = 0
                #expect(s.wait(timeout: 60) { m in
                    if m["id"] == .null && RPC.errorCode(m) == -32600 { seen += 1 }
                    return seen >= count
                } != nil, "no -32600 for \(what)")
            }
        }
        for (method, keys) in Self.keys.sorted(by: { $0.key < $1.key }) {
            try send(method, nil)
            for v in Self.values {
                try send(method, v)  // params itself of every type
                for key in keys {
                    let parts = key.split(separator: ".").map(String.init)
                    let params: JSON = parts.count == 2
                        ? .object(JSONObject([(parts[0], .object(JSONObject([(parts[1], v)])))]))
                        : .object(JSONObject([(key, v)]))
                    try send(method, params)
                }
            }
        }
        // Still serving, and ends cleanly at end of input.
        try s.send(RPC.request(.string("after"), "runs/list"))
        #expect(s.response(.string("after"))?["result"]?["runs"] != nil)
        try s.closeInput()
        #expect(s.waitForExit(timeout: 30) == 0)
    }

    /// The request of the issue, and solve/whatif with a null path, get -32602 naming the key.
    @Test func aNullPathIsInvalidParams() throws {
        let s = try ServiceSession()
        for (i, (method, key)) in [("validate", "path"), ("solve", "path"), ("whatif", "path"), ("export", "runId")].enumerated() {
            try s.send(RPC.request(.int(i), method, JSONObject([(key, .null)])))
            let r = s.response(.int(i))
            #expect(RPC.errorCode(r) == -32602, "\(method)")
            let paths = r?["error"]?["data"]?["errors"]?.arrayValue?.compactMap { $0["path"]?.stringValue } ?? []
            #expect(paths.contains("params.\(key)"), "\(method): \(paths)")
        }
        try s.closeInput()
        #expect(s.waitForExit(timeout: 30) == 0)
    }

    /// `serve --no-db`: `runs/list` is an empty list with a warning, not an internal error.
    @Test func runsListWithoutADatabaseIsAnEmptyList() throws {
        let s = try ServiceSession(arguments: ["--no-db"])
        try s.send(RPC.request(.int(1), "runs/list"))
        let r = s.response(.int(1))
        #expect(RPC.errorCode(r) == nil)
        #expect(r?["result"]?["runs"] == .array([]))
        #expect(r?["result"]?["warnings"]?.arrayValue?.isEmpty == false)
        try s.closeInput()
        #expect(s.waitForExit(timeout: 30) == 0)
    }

    /// Exports into FIFOs are refused before they are opened (a FIFO without a reader would
    /// hold a worker for ever): after 100 of them the service still answers at once, and end
    /// of input ends it.
    @Test func exportsIntoFIFOsDoNotBlockTheService() throws {
        let s = try ServiceSession()
        let path = try Fixtures.district(60)
        try s.send(RPC.request(.int(1), "solve", JSONObject([("path", .string(path)), ("options", .object(JSONObject([("windows", .int(0)), ("iterations", .int(0))])))])))
        let runId = try #require(s.response(.int(1), timeout: 120)?["result"]?["runId"])
        // Learn the names an export writes, then put FIFOs in their place.
        let plain = Fixtures.directory.appendingPathComponent("export-\(UUID().uuidString)").path
        let fifos = Fixtures.directory.appendingPathComponent("fifos-\(UUID().uuidString)").path
        let params = { (dir: String) in JSONObject([("path", .string(path)), ("runId", runId), ("format", .string("csv")),
                                                   ("directory", .string(dir)), ("overwrite", .bool(true))]) }
        try s.send(RPC.request(.int(2), "export", params(plain)))
        let names = try #require(s.response(.int(2))?["result"]?["files"]?.arrayValue?.compactMap { $0["name"]?.stringValue })
        try #require(!names.isEmpty)
        try FileManager.default.createDirectory(atPath: fifos, withIntermediateDirectories: true)
        for name in names { #expect(mkfifo(fifos + "/" + name, 0o600) == 0) }
        for i in 0..<100 { try s.send(RPC.request(.int(100 + i), "export", params(fifos))) }
        // Answered while the exports are being refused: the run database's reads have a lane
        // of their own, so a flood of exports cannot make `runs/list` busy.
        try s.send(RPC.request(.string("list"), "runs/list"))
        let during = s.response(.string("list"), timeout: 60)
        #expect(during?["result"]?["runs"] != nil, "\(String(describing: during))")
        for i in 0..<100 {
            let r = s.response(.int(100 + i), timeout: 60)
            // Refused (-32602, "not a regular file"), or "busy" when the pool was full.
            #expect(RPC.errorCode(r) == -32602 || RPC.errorCode(r) == -32603, "export \(i): \(String(describing: r))")
        }
        try s.send(RPC.request(.string("after"), "runs/list"))
        #expect(s.response(.string("after"), timeout: 60)?["result"]?["runs"] != nil)
        for name in names {
            var st = stat()
            #expect(lstat(fifos + "/" + name, &st) == 0 && (st.st_mode & S_IFMT) == S_IFIFO, "\(name) is still a FIFO")
        }
        try s.closeInput()
        #expect(s.waitForExit(timeout: 30) == 0)
    }
}
