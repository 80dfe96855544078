import Foundation
import JointPlan
import Testing

/// Issue 24, items 3 and 4 through the command line: notices are the enterprise's, so Chinese
/// whatever the server's locale; `--pdf` prints with one browser, `--combine town|day` one PDF
/// per town or day; an export killed mid-print leaves no browser and no profile folder.
@Suite(.enabled(if: CommandLine14.available, "the jointplan binary is not built"), .serialized)
struct NoticePrintTests {
    static func demoPlan(_ dir: URL) throws -> String {
        let plan = dir.appendingPathComponent("demo.plan.json").path
        let r = try CommandLine14.run(["solve", "Scenarios/demo.json", "-o", plan, "--time-limit", "20"])
        #expect(r.status == 0, "\(r.stderr)")
        return plan
    }

    @Test func noticesAreChineseOnAServerWhateverItsLocaleAndLangOverrides() throws {
        let dir = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let plan = try Self.demoPlan(dir)
        for (env, args, chinese) in [(["LANG": "C.UTF-8"], [String](), true), (["LANG": "en_US.UTF-8"], [], true),
                                     (["LANG": "C.UTF-8"], ["--lang", "en"], false)] {
            let out = dir.appendingPathComponent("n-\(UUID().uuidString)").path
            let r = try CommandLine14.run(["export", "Scenarios/demo.json", plan, "--notices", out] + args, environment: env)
            #expect(r.status == 0, "\(r.stderr)")
            let first = try #require(try FileManager.default.contentsOfDirectory(atPath: out).sorted().first)
            let html = try String(contentsOfFile: out + "/" + first, encoding: .utf8)
            #expect(html.contains("检查通知书") == chinese && html.contains("Notice of inspection") == !chinese, "\(env) \(args)")
            // The operator's messages still follow the locale.
            if args.isEmpty { #expect(r.stderr.contains("wrote")) }
        }
    }

    /// The chromium processes whose command line names `profile`.
    static func browsers(using profile: String) -> [String] {
        let procs = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return procs.filter { Int($0) != nil }.compactMap { pid in
            guard let d = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
            let cmd = String(decoding: d.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
            return cmd.contains(profile) ? pid : nil
        }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium"), "no /usr/bin/chromium"))
    func combinedPDFsOnePerDayAndPerTownEveryNoticeOnItsOwnPage() throws {
        let dir = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let plan = try Self.demoPlan(dir)
        let visits = try PlanReader.read(Data(contentsOf: URL(fileURLWithPath: plan))).visits
        for (grouping, keys) in [("day", Set(visits.map(\.date.description))),
                                 ("town", Set(try ScenarioReader.read(Data(contentsOf: PythonOracle.repository.appendingPathComponent("Scenarios/demo.json"))).enterprises
                                    .filter { e in visits.contains { $0.enterprise == e.id } }.map(\.town)))] {
            let out = dir.appendingPathComponent("n-\(grouping)").path
            let r = try CommandLine14.run(["export", "Scenarios/demo.json", plan, "--notices", out, "--pdf", "--combine", grouping, "--progress"])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stderr.contains("PDF \(keys.count)/\(keys.count)"), "progress: \(r.stderr)")
            let pdfs = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasSuffix(".pdf") }.sorted()
            #expect(pdfs == keys.sorted().map { "notices-\(grouping)-\($0).pdf" })
            // Every notice starts a page: at least as many pages as notices, in all.
            var pages = 0
            for f in pdfs {
                let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: out + "/" + f)), as: UTF8.self)
                pages += text.components(separatedBy: "/Type /Page").count - 1 - (text.components(separatedBy: "/Type /Pages").count - 1)
            }
            #expect(pages >= visits.count)
        }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium"), "no /usr/bin/chromium"))
    func aKilledExportLeavesNoBrowserAndNoProfile() throws {
        let dir = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let plan = try Self.demoPlan(dir)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CommandLine14.binary)
        p.arguments = ["export", "Scenarios/demo.json", plan, "--notices", dir.appendingPathComponent("n").path, "--pdf", "--progress"]
        p.currentDirectoryURL = PythonOracle.repository
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("jointplan-chromium-\(p.processIdentifier)").path
        // Wait (bounded by events, not speed) until the first PDF is out, then interrupt.
        var seen = Data()
        while !String(decoding: seen, as: UTF8.self).contains("PDF 1/") {
            let chunk = err.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen.append(chunk)
        }
        #expect(FileManager.default.fileExists(atPath: profile))
        #expect(!Self.browsers(using: profile).isEmpty)
        kill(p.processIdentifier, SIGTERM)
        p.waitUntilExit()
        #expect(p.terminationReason == .uncaughtSignal || p.terminationStatus != 0)
        #expect(!FileManager.default.fileExists(atPath: profile))
        #expect(Self.browsers(using: profile).isEmpty, "\(Self.browsers(using: profile))")
    }
}
