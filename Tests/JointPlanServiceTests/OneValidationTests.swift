import Foundation
import JointPlan
import Testing

/// Issue 24, item 1: one validation. `import`, `validate`, the service's `validate` and
/// `solve` (CLI and service) judge a scenario with the same code, so a pin that cannot hold —
/// alone, for the draw, or with the other pins — is refused by all of them, at the same pin.
@Suite struct OneValidationTests {
    /// Six enterprises, two departments; P001 on leave on 2026-01-20; breaks 12:00–13:30.
    static let base = """
    {"format": "jointplan.scenario/1", "name": "pins",
     "horizon": {"start": "2026-01-01", "end": "2026-03-31", "workdays": [1, 2, 3, 4, 5],
       "holidays": ["2026-01-01/2026-01-03", "2026-02-15/2026-02-23"],
       "extraWorkdays": ["2026-01-04", "2026-02-14", "2026-02-28"],
       "dayStart": "09:00", "dayEnd": "17:30", "breaks": [{"start": "12:00", "end": "13:30"}]},
     "towns": [{"id": "T01", "name": "新兴街道", "travel": {"T02": 20}}, {"id": "T02", "name": "南湖街道"}],
     "departments": [{"id": "SCJG", "name": "市场监管局"}, {"id": "XF", "name": "消防救援大队"}],
     "inspectors": [
       {"id": "P001", "name": "张伟", "department": "SCJG", "unavailable": ["2026-01-20"]},
       {"id": "P002", "name": "王芳", "department": "SCJG"}, {"id": "P003", "name": "李强", "department": "SCJG"},
       {"id": "P004", "name": "陈静", "department": "XF"}, {"id": "P005", "name": "杨磊", "department": "XF"},
       {"id": "P006", "name": "赵敏", "department": "XF"}],
     "items": [
       {"id": "food-safety", "name": "食品安全", "department": "SCJG", "categories": ["restaurant", "hotel"],
        "minutes": 20, "frequency": {"B": {"count": 1}, "C": {"count": 1}, "D": {"count": 2}}},
       {"id": "fire-exits", "name": "消防通道", "department": "XF", "categories": ["restaurant", "hotel"],
        "minutes": 25, "frequency": {"C": {"count": 1}, "D": {"count": 2}}}],
     "enterprises": [
       {"id": "E01", "name": "某某餐饮有限公司", "town": "T01", "categories": ["restaurant"], "tier": "C"},
       {"id": "E02", "name": "南湖宾馆", "town": "T02", "categories": ["hotel"], "tier": "D"},
       {"id": "E03", "name": "新兴小吃", "town": "T01", "categories": ["restaurant"], "tier": "B"},
       {"id": "E04", "name": "湖畔饭店", "town": "T02", "categories": ["restaurant"], "tier": "C"}],
     "policy": {"seed": 20260101, "minInspectorsPerVisit": 2},
     "pinned": [PINS]}
    """

    /// Each kind of pin, with whether it can hold and a word its reason must contain.
    static let kinds: [(name: String, pins: [String], valid: Bool, reason: String)] = [
        ("fine", [#"{"enterprise": "E01", "date": "2026-01-12", "start": "09:30", "inspectors": ["P001"], "items": ["food-safety"]}"#], true, ""),
        ("holiday", [#"{"enterprise": "E01", "date": "2026-02-16"}"#], false, "holiday"),
        ("leave", [#"{"enterprise": "E01", "date": "2026-01-20", "inspectors": ["P001"]}"#], false, "unavailable"),
        ("break", [#"{"enterprise": "E01", "date": "2026-01-13", "start": "12:30"}"#], false, "break"),
        ("notDrawn", [#"{"enterprise": "E03", "date": "2026-01-13", "items": ["fire-exits"]}"#], false, "not required"),
        ("together", [#"{"enterprise": "E03", "date": "2026-01-14", "start": "10:00", "inspectors": ["P002", "P003"]}"#,
                      #"{"enterprise": "E04", "date": "2026-01-14", "start": "10:00", "inspectors": ["P002", "P003"]}"#], false, "cannot all hold"),
    ]

    static func scenario(_ pins: [String]) -> String { base.replacingOccurrences(of: "PINS", with: pins.joined(separator: ", ")) }

    static func run(_ arguments: [String], env: [String: String] = [:]) throws -> (status: Int32, stdout: String, stderr: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Executable.path)
        p.arguments = arguments
        var e = ProcessInfo.processInfo.environment
        e["LANG"] = "C.UTF-8"; e["LC_ALL"] = nil; e["LC_MESSAGES"] = nil
        for (k, v) in env { e[k] = v }
        p.environment = e
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let r = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: r, as: UTF8.self))
    }

    @Test func everyKindOfBadPinGetsTheSameVerdictFromImportValidateTheServiceAndSolve() throws {
        let dir = Fixtures.directory.appendingPathComponent("one-validation-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let s = try ServiceSession()
        var id = 0
        // Each kind alone, then all of them together (the bad ones still bad beside the fine one).
        let cases = Self.kinds.map { ($0.name, $0.pins, $0.valid, [$0.reason]) }
            + [("all", Self.kinds.flatMap(\.pins), false, Self.kinds.map(\.reason).filter { !$0.isEmpty })]
        for (name, pins, valid, reasons) in cases {
            let path = "\(dir)/\(name).json"
            try Data(Self.scenario(pins).utf8).write(to: URL(fileURLWithPath: path))

            // validate (CLI)
            let v = try Self.run(["validate", path, "--json"])
            let doc = try JSONParser.parse(Data(v.stdout.utf8))
            let paths = Set((doc["errors"]?.arrayValue ?? []).compactMap { $0["path"]?.stringValue })
            #expect((v.status == 0) == valid, "\(name): validate \(v.status) \(v.stdout)")
            for r in reasons where !r.isEmpty {
                #expect(v.stdout.contains(r), "\(name): validate does not say \(r): \(v.stdout)")
            }

            // the service's validate and solve
            id += 1
            try s.send(RPC.request(.int(id), "validate", JSONObject([("path", .string(path))])))
            let sv = try #require(s.response(.int(id)), "\(name): no answer; \(s.log)")
            let svPaths = Set((sv["result"]?["errors"]?.arrayValue ?? []).compactMap { $0["path"]?.stringValue })
            #expect(sv["result"]?["valid"] == .bool(valid), "\(name): service validate \(sv.short)")
            #expect(svPaths == paths, "\(name): service validate \(svPaths) against \(paths)")
            id += 1
            try s.send(RPC.request(.int(id), "solve", JSONObject([("path", .string(path)),
                                                                  ("options", .object(JSONObject([("timeLimitSeconds", .int(10))])))])))
            let so = try #require(s.response(.int(id), timeout: 60), "\(name): no answer; \(s.log)")
            if valid {
                #expect(so["result"]?["plan"]?["status"]?.stringValue != "infeasible", "\(name): \(so.short)")
            } else {
                #expect(so["error"]?["code"] == .int(-32602), "\(name): service solve \(so.short)")
                let soPaths = Set((so["error"]?["data"]?["errors"]?.arrayValue ?? []).compactMap { $0["path"]?.stringValue })
                #expect(soPaths == paths, "\(name): service solve \(soPaths) against \(paths)")
            }

            // solve (CLI): refused before any work, with the same reason (the break, not "booked")
            let solved = try Self.run(["solve", path, "-o", "\(dir)/\(name).plan.json", "--time-limit", "10"])
            #expect((solved.status == 0) == valid, "\(name): solve \(solved.status) \(solved.stderr)")
            if !valid {
                for r in reasons { #expect(solved.stderr.contains(r), "\(name): solve does not say \(r): \(solved.stderr)") }
                #expect(!solved.stderr.contains("booked"), "\(name): \(solved.stderr)")
                for p in paths { #expect(solved.stderr.contains(p), "\(name): solve does not name \(p)") }
            }

            // import: the registers written from the scenario, read back; problems by sheet and row
            let xlsx = "\(dir)/\(name).xlsx"
            #expect(try Self.run(["template", "--from", path, "-o", xlsx]).status == 0)
            let imported = try Self.run(["import", xlsx, "-o", "\(dir)/\(name).imported.json", "--lang", "zh"])
            #expect((imported.status == 0) == valid, "\(name): import \(imported.status) \(imported.stderr)")
            if !valid {
                let rows = Set(paths.compactMap { p in p.firstMatch(of: #/pinned\[(\d+)\]/#).map { Int($0.output.1)! + 2 } })
                for r in rows { #expect(imported.stderr.contains("预约检查 第\(r)行"), "\(name): import does not name row \(r): \(imported.stderr)") }
                // In the operator's language: no English reason words reach the office.
                let lines = imported.stderr.split(separator: "\n").filter { $0.hasPrefix("  ") }
                for r in reasons { #expect(!lines.contains { $0.contains(r) }, "\(name): English at import: \(imported.stderr)") }
            }
        }
        try s.closeInput()
        _ = s.waitForExit()
    }
}
