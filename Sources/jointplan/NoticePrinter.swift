import ArgumentParser
import Foundation
import JointPlan

/// Prints notices to PDF with headless Chromium (`--print-to-pdf`), one process per page.
enum NoticePrinter {
    /// The browser: `CHROMIUM`, else the first of chromium, chromium-browser, google-chrome on PATH.
    static func browser() -> String? {
        let env = ProcessInfo.processInfo.environment
        if let c = env["CHROMIUM"], !c.isEmpty { return c }
        for dir in (env["PATH"] ?? "/usr/bin").split(separator: ":") {
            for name in ["chromium", "chromium-browser", "google-chrome"] {
                let path = "\(dir)/\(name)"
                if FileManager.default.isExecutableFile(atPath: path) { return path }
            }
        }
        return nil
    }

    /// Prints every HTML file to the same path with `.pdf`; returns how many were printed.
    static func printAll(_ htmlPaths: [String], _ t: Catalogue) throws -> Int {
        guard let exe = browser() else {
            CommandIO.stderr(t("cli.noChromium"))
            throw ExitCode(1)
        }
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("jointplan-chromium-\(getpid())")
        defer { try? FileManager.default.removeItem(at: profile) }
        var n = 0
        for html in htmlPaths {
            let absolute = URL(fileURLWithPath: html).standardizedFileURL
            let pdf = absolute.deletingPathExtension().appendingPathExtension("pdf").path
            let p = Process()
            p.executableURL = URL(fileURLWithPath: exe)
            p.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                           "--user-data-dir=\(profile.path)", "--print-to-pdf=\(pdf)", absolute.absoluteString]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            guard p.terminationStatus == 0, FileManager.default.fileExists(atPath: pdf) else {
                CommandIO.stderr(t("cli.pdfFailed", html))
                throw ExitCode(1)
            }
            n += 1
        }
        return n
    }
}
