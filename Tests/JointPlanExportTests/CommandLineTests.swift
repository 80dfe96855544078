import Foundation
import JointPlan
import Testing

/// The `jointplan` binary that `swift test` builds beside the tests: --lang, the refusal of a
/// plan of another scenario (issue 14, item 7) and the new export options end to end.
enum CommandLine14 {
    static let binary = PythonOracle.repository.appendingPathComponent(".build/debug/jointplan").path
    static let available = FileManager.default.isExecutableFile(atPath: binary)

    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, stdout: String, stderr: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = arguments
        p.currentDirectoryURL = PythonOracle.repository
        var env = ProcessInfo.processInfo.environment
        for k in ["LC_ALL", "LC_MESSAGES", "LANG"] { env[k] = nil }
        env.merge(environment) { _, b in b }
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }
}

@Suite(.enabled(if: CommandLine14.available, "the jointplan binary is not built"), .serialized)
struct CommandLineTests {
    @Test func languageFollowsTheEnvironmentAndLang() throws {
        let dir = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let plan = dir.appendingPathComponent("demo.plan.json").path
        let zh = try CommandLine14.run(["solve", "Scenarios/demo.json", "-o", plan, "--no-timings"], environment: ["LANG": "zh_CN.UTF-8"])
        #expect(zh.status == 0, "\(zh.stderr)")
        #expect(zh.stderr.contains("求解状态") && zh.stderr.contains("检查名额使用") && zh.stderr.contains("开始时间网格"))
        let en = try CommandLine14.run(["solve", "Scenarios/demo.json", "--lang", "en", "--no-timings"], environment: ["LANG": "zh_CN.UTF-8"])
        #expect(en.stderr.contains("required checks") && en.stderr.contains("visit slots used") && !en.stderr.contains("求解状态"))
        // JSON does not change with the language.
        let planText = try String(contentsOfFile: plan, encoding: .utf8)
        #expect(en.stdout == planText)
        let bad = try CommandLine14.run(["solve", "Scenarios/demo.json", "--lang", "fr"])
        #expect(bad.status == 64)
        let v = try CommandLine14.run(["validate", "Scenarios/demo.json", "--lang", "zh"])
        #expect(v.status == 0 && v.stdout.contains("有效"))
    }

    @Test func aPlanOfAnotherScenarioIsRefusedUnlessForced() throws {
        let dir = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let plan = dir.appendingPathComponent("demo.plan.json").path
        #expect(try CommandLine14.run(["solve", "Scenarios/demo.json", "-o", plan]).status == 0)
        let other = "Scenarios/tight.json"
        let out = dir.appendingPathComponent("x").path
        let commands: [[String]] = [
            ["export", other, plan, "--csv", out + ".csv"],
            ["report", other, plan, "-o", out + ".html"],
            ["explain", other, plan, "--enterprise", "E00001"],
            ["diff", other, plan, plan],
        ]
        for c in commands {
            let r = try CommandLine14.run(c + ["--lang", "en"])
            #expect(r.status == 1 && r.stderr.contains("was made for another scenario"), "\(c[0]): \(r.status) \(r.stderr)")
            let forced = try CommandLine14.run(c + ["--force"])
            #expect(forced.status == 0, "\(c[0]) --force: \(forced.stderr)")
        }
        // The right scenario passes without --force.
        #expect(try CommandLine14.run(["report", "Scenarios/demo.json", plan, "-o", out + ".html"]).status == 0)
    }

    @Test func exportWritesNoticesWorkbookAndFollowingCalendars() throws {
        let dir = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let plan = dir.appendingPathComponent("plan.json").path
        #expect(try CommandLine14.run(["solve", "Scenarios/demo.json", "-o", plan]).status == 0)
        let ics = dir.appendingPathComponent("ics").path
        let notices = dir.appendingPathComponent("notices").path
        let xlsx = dir.appendingPathComponent("plan.xlsx").path
        let r = try CommandLine14.run(["export", "Scenarios/demo.json", plan, "--ics", ics, "--by", "enterprise",
                                       "--notices", notices, "--xlsx", xlsx, "--lang", "zh"])
        #expect(r.status == 0, "\(r.stderr)")
        let visits = (try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: plan))) as! [String: Any])["visits"] as! [Any]
        #expect(try FileManager.default.contentsOfDirectory(atPath: notices).filter { $0.hasSuffix(".html") }.count == visits.count)
        #expect(FileManager.default.fileExists(atPath: xlsx))
        // Re-export against itself as previous: nothing changed, nothing cancelled.
        let again = try CommandLine14.run(["export", "Scenarios/demo.json", plan, "--ics", ics, "--by", "enterprise", "--previous", plan, "--lang", "en"])
        #expect(again.status == 0 && again.stderr.contains("with 0 cancelled events (STATUS:CANCELLED) in 0 calendars (0 visits no longer in the plan") && again.stderr.contains("0 changed visits"), "\(again.stderr)")
        let usage = try CommandLine14.run(["export", "Scenarios/demo.json", plan, "--previous", plan, "--csv", xlsx + ".csv"])
        #expect(usage.status == 64)
    }
}
