import Foundation
import JointPlan
import Testing

/// Issue 12: `serve --root DIR` confines every path a request names, for reading and for
/// writing, after symlinks and `..` are resolved; `export` never replaces a file unless
/// asked; `validate` of a file that is not a scenario reports none of its values.
@Suite struct ConfinementTests {
    /// A root with a scenario in it, a symlink leading out of it, and a folder beside it.
    struct Layout {
        let root: String
        let outside: String
        init() throws {
            let base = Fixtures.directory.appendingPathComponent("root-\(UUID().uuidString)").path
            root = base + "/root"
            outside = base + "/outside"
            for d in [root, outside] { try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true) }
            try FileManager.default.copyItem(atPath: try Fixtures.district(60), toPath: root + "/s60.json")
            try FileManager.default.copyItem(atPath: try Fixtures.district(60), toPath: outside + "/secret.json")
            try FileManager.default.createSymbolicLink(atPath: root + "/escape", withDestinationPath: outside)
            try FileManager.default.createSymbolicLink(atPath: root + "/passwd", withDestinationPath: "/etc/passwd")
        }
    }

    static func refusal(_ m: JSON?) -> (code: Int?, path: String?, message: String) {
        let e = m?["error"]
        return (e?["code"]?.intValue, e?["data"]?["errors"]?.arrayValue?.first?["path"]?.stringValue, e?["message"]?.stringValue ?? "")
    }

    @Test func pathsOutsideTheRootAreRefusedWithThePathNamed() throws {
        let l = try Layout()
        let s = try ServiceSession(arguments: ["--root", l.root])
        let refused: [(String, String)] = [
            ("/etc/passwd", "/etc/passwd"),
            ("../outside/secret.json", "../outside/secret.json"),
            ("escape/secret.json", "escape/secret.json"),
            ("passwd", "passwd"),
            (l.root + "/../outside/secret.json", l.root + "/../outside/secret.json"),
            // Missing files outside are "outside" too: "no such file" would tell what exists there.
            ("../outside/nope.json", "../outside/nope.json"),
            ("../root/../../etc/passwd", "../root/../../etc/passwd"),
            ("/nonexistent/x.json", "/nonexistent/x.json"),
        ]
        for (k, (path, named)) in refused.enumerated() {
            for method in ["validate", "solve"] {
                let id = JSON.string("\(method)-\(k)")
                try s.send(RPC.request(id, method, JSONObject([("path", .string(path))])))
                let r = Self.refusal(s.response(id))
                #expect(r.code == -32602, "\(method) \(path)")
                #expect(r.path == "params.path")
                #expect(r.message.contains(JSONWriter.quote(named)) && r.message.contains("outside the service's root"), "\(r.message)")
                #expect(!r.message.contains("root:x:0:0"))
            }
        }
        // Inside the root, relative to it: read as usual.
        try s.send(RPC.request(.int(1), "validate", JSONObject([("path", .string("s60.json"))])))
        #expect(s.response(.int(1))?["result"]?["valid"] == .bool(true))
        try s.send(RPC.request(.int(2), "validate", JSONObject([("path", .string("./sub/../s60.json"))])))
        #expect(RPC.errorCode(s.response(.int(2))) == -32602)  // sub does not exist: realpath fails
        try s.closeInput()
        #expect(s.waitForExit() == 0)
    }

    @Test func exportWritesOnlyInsideTheRootAndNeverReplacesUnlessAsked() throws {
        let l = try Layout()
        let s = try ServiceSession(arguments: ["--root", l.root])
        try s.send(RPC.request(.int(1), "solve", JSONObject([("path", .string("s60.json"))])))
        let runId = try #require(s.response(.int(1), timeout: 120)?["result"]?["runId"])
        for (k, dir) in ["../outside", "escape", "/tmp", "new/../../outside", l.outside].enumerated() {
            try s.send(RPC.request(.int(10 + k), "export", JSONObject([("runId", runId), ("format", .string("csv")), ("directory", .string(dir))])))
            let r = Self.refusal(s.response(.int(10 + k)))
            #expect(r.code == -32602, "\(dir)")
            #expect(r.path == "params.directory")
            #expect(r.message.contains(JSONWriter.quote(dir)) || r.message.contains("outside"), "\(r.message)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: l.outside) == ["secret.json"])

        // Inside: written; a second export is refused and leaves the files as they were.
        try s.send(RPC.request(.int(2), "export", JSONObject([("runId", runId), ("format", .string("html")), ("directory", .string("out"))])))
        let files = s.response(.int(2))?["result"]?["files"]?.arrayValue ?? []
        #expect(files.count == 1)
        let written = try #require(files.first?["path"]?.stringValue)
        #expect(written.hasPrefix(PathRootTestSupport.real(l.root) + "/out/"))
        try Data("mine".utf8).write(to: URL(fileURLWithPath: written))
        try s.send(RPC.request(.int(3), "export", JSONObject([("runId", runId), ("format", .string("html")), ("directory", .string("out"))])))
        let again = Self.refusal(s.response(.int(3)))
        #expect(again.code == -32602)
        #expect(again.message.contains("already exists") && again.message.contains("overwrite"), "\(again.message)")
        #expect(try String(contentsOfFile: written, encoding: .utf8) == "mine")
        try s.send(RPC.request(.int(4), "export", JSONObject([("runId", runId), ("format", .string("html")), ("directory", .string("out")),
                                                             ("overwrite", .bool(true))])))
        #expect(s.response(.int(4))?["result"]?["files"] != nil)
        #expect(try String(contentsOfFile: written, encoding: .utf8).contains("<html"))

        // A symlink planted in the export folder must not lead out of the root either.
        try FileManager.default.removeItem(atPath: written)
        try FileManager.default.createSymbolicLink(atPath: written, withDestinationPath: l.outside + "/planted.html")
        try s.send(RPC.request(.int(5), "export", JSONObject([("runId", runId), ("format", .string("html")), ("directory", .string("out")),
                                                             ("overwrite", .bool(true))])))
        #expect(Self.refusal(s.response(.int(5))).code == -32602)
        #expect(!FileManager.default.fileExists(atPath: l.outside + "/planted.html"))
        try s.closeInput()
        #expect(s.waitForExit() == 0)
    }

    /// Without --root too: a JSON file that is not a scenario is not reported on.
    @Test func validateOfAFileThatIsNotAScenarioEchoesNothing() throws {
        let l = try Layout()
        let secret = l.outside + "/token.json"
        try Data(#"{"format": "SECRET-TOKEN-abc123", "name": "SECRET-NAME", "horizon": {"start": "SECRET-DATE"}, "towns": "SECRET"}"#.utf8)
            .write(to: URL(fileURLWithPath: secret))
        let s = try ServiceSession()
        try s.send(RPC.request(.int(1), "validate", JSONObject([("path", .string(secret))])))
        let m = try #require(s.response(.int(1)))
        let errors = m["result"]?["errors"]?.arrayValue ?? []
        #expect(errors.count == 1)
        #expect(errors.first?["path"] == .string("format"))
        #expect(!JSONWriter.compact(m).contains("SECRET"))
        try s.closeInput()
        #expect(s.waitForExit() == 0)
    }
}

enum PathRootTestSupport {
    static func real(_ p: String) -> String {
        guard let r = realpath(p, nil) else { return p }
        defer { free(r) }
        return String(cString: r)
    }
}
