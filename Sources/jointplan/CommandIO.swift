import ArgumentParser
import Foundation
import JointPlan

/// File I/O shared by the commands: reading inputs with clear messages (exit 1), writing
/// results to stdout or a file.
enum CommandIO {
    /// The bytes of an input file; a problem ("no such file: nope.json", "is a folder:
    /// Scenarios/ (give a scenario file)", "permission denied: …") is printed and exits 1.
    static func readFile(_ path: String, hint: String = "give a scenario file") throws -> Data {
        do { return try InputFile.read(path, hint: hint) } catch {
            stderr("error: \(error)")
            throw ExitCode(1)
        }
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
        let data = try readFile(path, hint: "give a plan file")
        do { return try PlanReader.read(data) } catch let e as InputProblems {
            printProblems(e.problems, file: path)
            throw ExitCode(1)
        }
    }

    static func printProblems(_ problems: [InputProblem], file: String, language: Language = Language.fromEnvironment()) {
        let t = Catalogue(language)
        var s = t("cli.problems", file, problems.count) + "\n"
        for p in problems.prefix(500) { s += "  " + ProblemText.line(p, t.language) + "\n" }
        if problems.count > 500 { s += "  " + t("cli.moreProblems", problems.count - 500) + "\n" }
        FileHandle.standardError.write(Data(s.utf8))
    }

    static func stderr(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }

    /// Writes to `path`, or to stdout when nil or "-" (`OutputFile`: a regular file or a new
    /// name atomically, a symlink followed, a device or FIFO written through; missing
    /// folders are made). A problem is printed in plain words and exits 1.
    static func write(_ data: Data, to path: String?) throws {
        if let path, path != "-" {
            do { try OutputFile.write(data, to: path, createFolders: true) } catch {
                stderr("error: cannot write: \(error)")
                throw ExitCode(1)
            }
        } else {
            FileHandle.standardOutput.write(data)
        }
    }

    static var stderrIsTerminal: Bool { isatty(2) != 0 }
}
