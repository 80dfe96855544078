import ArgumentParser
import Foundation
import JointPlan
import JointPlanRegisters

/// `jointplan import FILE.xlsx|CSV-FOLDER -o SCENARIO.json [--force]`: the office's registers
/// as a scenario; every problem listed at once by sheet, row and column (issue 13, items 1–2).
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Build a scenario from the registers workbook (XLSX) or a folder of CSV files.",
        discussion: """
            Headers in Chinese or their English aliases; cells as an office types them (dates as \
            date cells or text, lists with 、 , or ;, 是/否, tier letters, counts or rates such as \
            5%). CSV files are UTF-8 with or without a BOM, or GB18030. Every problem is listed on \
            stderr as `SHEET 第N行 COLUMN: message`, including what the scenario validator finds in \
            the result; nothing is written unless the scenario is valid (or --force). Exit 1 on \
            problems.
            """)

    @Argument(help: "The workbook (.xlsx) or a folder of .csv files, one per sheet.") var input: String
    @Option(name: .shortAndLong, help: "Scenario file to write (stdout when omitted).") var output: String?
    @Flag(help: "Write the scenario even when it has problems.") var force = false
    @Option(help: "Language of the messages: zh or en (default from LC_ALL / LANG).") var lang: String?

    func validate() throws {
        if let l = lang, Language(rawValue: l) == nil { throw ValidationError("--lang must be zh or en") }
    }

    func run() throws {
        let language = lang.flatMap(Language.init(rawValue:)) ?? Language.fromEnvironment()
        let t = Catalogue(language)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory) else {
            CommandIO.stderr("error: cannot read \(input)")
            throw ExitCode(1)
        }
        let result: RegisterImportResult
        do {
            result = isDirectory.boolValue ? try RegisterImport.read(csvFolder: input, language: language)
                                           : try RegisterImport.read(xlsx: input, language: language)
        } catch {
            // A refused workbook already names its file.
            let text = "\(error)"
            CommandIO.stderr(text.hasPrefix(input + ":") ? "error: \(text)" : "error: \(input): \(text)")
            throw ExitCode(1)
        }
        let data = Data(JSONWriter.pretty(result.document).utf8)
        if !result.warnings.isEmpty {
            // Counted and shown, never silent (a sheet not read, issue 25).
            var text = t("limits.warnings", result.warnings.count) + "\n"
            for w in result.warnings { text += "  " + w.text(t) + "\n" }
            FileHandle.standardError.write(Data(text.utf8))
        }
        if !result.isValid {
            var text = (force ? t("registers.import.forced", input, result.problems.count, output ?? "stdout")
                              : t("registers.import.invalid", input, result.problems.count)) + "\n"
            for p in result.problems.prefix(1000) { text += "  " + p.text(t) + "\n" }
            if result.problems.count > 1000 { text += "  … \(result.problems.count - 1000)\n" }
            FileHandle.standardError.write(Data(text.utf8))
            if force { try CommandIO.write(data, to: output) }
            throw ExitCode(1)
        }
        let scenario = try ScenarioReader.read(json: result.document)
        try CommandIO.write(data, to: output)
        CommandIO.stderr(t("registers.import.valid", input, scenario.enterprises.count, scenario.items.count,
                           scenario.inspectors.count, WorkCalendar(scenario.horizon).days.count, Duties(scenario: scenario).totalChecks))
    }
}
