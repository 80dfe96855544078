import ArgumentParser
import Foundation
import JointPlan

/// File I/O shared by the commands: reading inputs with clear messages (exit 1), writing
/// results to stdout or a file.
enum CommandIO {
    static func readFile(_ path: String) throws -> Data {
        guard let d = FileManager.default.contents(atPath: path) else {
            FileHandle.standardError.write(Data("error: cannot read \(path)\n".utf8))
            throw ExitCode(1)
        }
        return d
    }

    /// Reads and validates a scenario; prints every problem with its JSON path and exits 1.
    static func loadScenario(_ path: String) throws -> (scenario: Scenario, data: Data) {
        let data = try readFile(path)
        do {
            return (try ScenarioReader.read(data), data)
        } catch let e as InputProblems {
            printProblems(e.problems, file: path)
            throw ExitCode(1)
        }
    }

    static func loadPlan(_ path: String) throws -> Plan {
        let data = try readFile(path)
        do { return try PlanReader.read(data) } catch let e as InputProblems {
            printProblems(e.problems, file: path)
            throw ExitCode(1)
        }
    }

    static func printProblems(_ problems: [InputProblem], file: String) {
        let t = Catalogue(Language.fromEnvironment())
        var s = t("cli.problems", file, problems.count) + "\n"
        for p in problems.prefix(500) { s += "  " + ProblemText.line(p, t.language) + "\n" }
        if problems.count > 500 { s += "  " + t("cli.moreProblems", problems.count - 500) + "\n" }
        FileHandle.standardError.write(Data(s.utf8))
    }

    static func stderr(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }

    /// Writes to `path`, or to stdout when nil or "-". Files are written atomically.
    static func write(_ data: Data, to path: String?) throws {
        if let path, path != "-" {
            let url = URL(fileURLWithPath: path)
            try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url, options: .atomic)
        } else {
            FileHandle.standardOutput.write(data)
        }
    }

    static var stderrIsTerminal: Bool { isatty(2) != 0 }
}
