import Foundation
import Testing

/// Issue 24, item 5: every command of README's "Everyday use" block runs as written, in order,
/// on a scratch copy of Scenarios/ (J is this build's binary). The two `bench` lines take tens
/// of minutes and run only with JOINTPLAN_README_BENCH=1; `--pdf` is dropped unless
/// JOINTPLAN_README_PDF=1 (it needs Chromium). Between lines the test does only what an office
/// does by hand: fills the actuals sheet (a copy of it, every check taken as done).
@Suite(.serialized) struct ReadmeTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The lines of the block, as written.
    static func everydayUse() throws -> [String] {
        let readme = try String(contentsOf: repository.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "## Everyday use").dropFirst().first)
        let block = try #require(section.components(separatedBy: "```sh\n").dropFirst().first?.components(separatedBy: "```").first)
        return block.split(separator: "\n").map(String.init).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    }

    @Test func everyCommandOfEverydayUseRunsAsWritten() throws {
        let lines = try Self.everydayUse()
        #expect(lines.first?.hasPrefix("J=") == true)
        #expect(lines.count >= 20)
        let env = ProcessInfo.processInfo.environment
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("readme-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        try FileManager.default.copyItem(at: Self.repository.appendingPathComponent("Scenarios"), to: scratch.appendingPathComponent("Scenarios"))
        for var line in lines.dropFirst() {
            if line.contains("$J bench") && env["JOINTPLAN_README_BENCH"] == nil { continue }
            if env["JOINTPLAN_README_PDF"] == nil { line = line.replacingOccurrences(of: " --pdf --combine day", with: "").replacingOccurrences(of: " --pdf", with: "") }
            if line.contains("actuals-filled.xlsx") && !FileManager.default.fileExists(atPath: scratch.appendingPathComponent("actuals-filled.xlsx").path) {
                try FileManager.default.copyItem(at: scratch.appendingPathComponent("actuals.xlsx"), to: scratch.appendingPathComponent("actuals-filled.xlsx"))
            }
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/bash")
            p.arguments = ["-c", line]
            p.currentDirectoryURL = scratch
            var e = env
            e["J"] = Executable.path
            p.environment = e
            p.standardInput = FileHandle.nullDevice
            let err = Pipe()
            p.standardOutput = FileHandle.nullDevice
            p.standardError = err
            try p.run()
            // Bounded: a line that does not end in 15 minutes fails the test instead of hanging it.
            let killer = DispatchWorkItem { if p.isRunning { p.terminate() } }
            DispatchQueue.global().asyncAfter(deadline: .now() + 900, execute: killer)
            let stderr = err.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            killer.cancel()
            #expect(p.terminationStatus == 0, "\(line)\n\(String(decoding: stderr.suffix(3000), as: UTF8.self))")
        }
        for made in ["plan.json", "plan2.json", "district2.json", "leave.json", "report.html", "plan.csv", "plan.xlsx", "tight.plan.json",
                     "runs.sqlite", "my-district.json", "registers.xlsx", "office.json", "actuals.xlsx", "q2.json"] {
            #expect(FileManager.default.fileExists(atPath: scratch.appendingPathComponent(made).path), "\(made) was not written")
        }
    }
}
