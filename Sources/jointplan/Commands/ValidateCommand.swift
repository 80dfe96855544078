import ArgumentParser
import Foundation
import JointPlan

/// `jointplan validate FILE [--json]`: reads a scenario and reports every problem with its JSON
/// path (exit 1), or a one-line summary of what it holds (exit 0). Spec section 4, CLI.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a scenario file and list every problem with its JSON path.",
        discussion: """
            Exit 0 when the scenario is valid, 1 when it is not (each problem on stderr as \
            `path: message`). Beyond the reader's rules it reports as errors a lastChecked on or \
            after the horizon's start and every pin that cannot hold on its own, and as \
            warnings (counted; exit 0) a category no item names and an item no enterprise can \
            have. With --json, one object {"valid", "errors", "warnings": [{"path", "message"}]} \
            on stdout instead. Files larger than 128 MiB are refused.
            """)

    @OptionGroup var language: LanguageOption
    @Argument(help: "The scenario file (jointplan.scenario/1).")
    var file: String

    @Flag(help: "Print the result as one JSON object on stdout.")
    var json = false

    func run() throws {
        let problems: [InputProblem]
        var scenario: Scenario?
        if let tooLarge = sizeProblem() {
            problems = [tooLarge]
        } else {
            do {
                let data = try InputFile.read(file, hint: "give a scenario file")
                scenario = try ScenarioReader.read(data)
                problems = []
            } catch let e as InputProblems {
                problems = e.problems
            } catch let e as FileProblem {
                problems = [InputProblem(path: "(file)", message: e.description)]
            }
        }

        let review = scenario.map { ScenarioReview($0) }
        let errors = problems + (review?.errors ?? [])
        let warnings = review?.warnings ?? []
        var warningText = ""
        if !warnings.isEmpty {
            warningText = language.text("validate.warnings", warnings.count) + "\n"
            for w in warnings { warningText += language.text("validate.warning", ProblemText.line(w, language.language)) + "\n" }
        }
        guard let scenario, errors.isEmpty else {
            if json {
                let out = JSON.object(JSONObject([("valid", .bool(false)), ("errors", .array(errors.map(\.json))),
                                                  ("warnings", .array(warnings.map(\.json)))]))
                print(JSONWriter.compact(out))
            } else {
                var text = language.text("validate.invalid", file, errors.count) + "\n"
                for p in errors { text += ProblemText.line(p, language.language) + "\n" }
                FileHandle.standardError.write(Data((text + warningText).utf8))
            }
            throw ExitCode(1)
        }

        let summary = Summary(scenario)
        if json {
            let out = JSON.object(JSONObject([
                ("valid", .bool(true)), ("errors", .array([])), ("warnings", .array(warnings.map(\.json))),
                ("enterprises", .int(summary.enterprises)), ("items", .int(summary.items)),
                ("inspectors", .int(summary.inspectors)), ("workingDays", .int(summary.workingDays)),
                ("requiredChecks", .int(summary.requiredChecks)),
            ]))
            print(JSONWriter.compact(out))
        } else {
            let counted = warnings.isEmpty ? "" : language.text("validate.warningCount", warnings.count)
            print(language.text("validate.valid", file, summary.enterprises, summary.items, summary.inspectors, summary.workingDays, summary.requiredChecks) + counted)
            if !warningText.isEmpty { FileHandle.standardError.write(Data(warningText.utf8)) }
        }
    }

    /// Refuses an oversized file before reading it into memory.
    private func sizeProblem() -> InputProblem? {
        guard let size = (try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? NSNumber else { return nil }
        return ScenarioReader.sizeProblem(byteCount: size.intValue)
    }

    /// What a valid scenario holds, for the summary line.
    private struct Summary {
        var enterprises, items, inspectors, workingDays, requiredChecks: Int
        init(_ s: Scenario) {
            enterprises = s.enterprises.count
            items = s.items.count
            inspectors = s.inspectors.count
            workingDays = WorkCalendar(s.horizon).days.count
            requiredChecks = Duties(scenario: s).totalChecks
        }
    }
}
