import ArgumentParser
import Foundation
import JointPlan

/// `jointplan check SCENARIO PLAN [--json]`: checks a plan against spec 3.1 rules 1–10 and
/// recomputes its objective and KPIs (spec 3.2), as `check_plan.py` does.
/// Exit 0 valid; 1 a rule is broken or an input is malformed.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a plan against its scenario (spec 3.1 rules 1-10) and recompute its objective and KPIs.",
        discussion: "Exit status: 0 the plan is valid, 1 it breaks a rule or an input is malformed.")

    @OptionGroup var language: LanguageOption
    @Argument(help: "The scenario file (jointplan.scenario/1).")
    var scenario: String

    @Argument(help: "The plan file (jointplan.plan/1).")
    var plan: String

    @Flag(name: .long, help: "Print one JSON object (the shape check_plan.py --json prints) instead of a summary.")
    var json = false

    func run() throws {
        let scenarioData = try CommandIO.readFile(scenario)
        let planData = try CommandIO.readFile(plan, hint: "give a plan file")
        // Both files are read before reporting, so that every problem of both is listed.
        var problems: [(file: String, problem: InputProblem)] = []
        var model: Scenario?
        do { model = try ScenarioReader.read(scenarioData) } catch let e as InputProblems {
            problems += e.problems.map { ("scenario", $0) }
        }
        var planDocument: JSON?
        var decoded: Plan?
        do {
            let doc = try JSONParser.parse(planData)
            planDocument = doc
            decoded = try PlanReader.read(doc)
        } catch let e as JSONParseError {
            problems.append(("plan", InputProblem(path: "", message: "\(plan) is not valid JSON: \(e)")))
        } catch let e as InputProblems {
            problems += e.problems.map { ("plan", $0) }
        }
        guard let model, let decoded, problems.isEmpty else {
            report(problems)
            throw ExitCode(1)
        }
        let result = PlanChecker.check(scenario: model, plan: decoded, scenarioData: scenarioData, planDocument: planDocument)
        if json {
            print(JSONWriter.compact(result.json))
        } else {
            print(result.summary(scenario: model, scenarioPath: scenario, planPath: plan, language: language.language), terminator: "")
        }
        if !result.valid { throw ExitCode(1) }
    }

    /// Malformed input: with `--json` the object check_plan.py prints, else the problems on stderr.
    private func report(_ problems: [(file: String, problem: InputProblem)]) {
        if json {
            let errors: [JSON] = problems.map { f, p in
                .object(JSONObject([("file", .string(f)), ("path", .string(p.path.isEmpty ? "(top level)" : p.path)),
                                    ("message", .string(p.message))]))
            }
            print(JSONWriter.compact(.object(JSONObject([
                ("valid", .bool(false)), ("violations", .array([])), ("objective", .null), ("kpis", .null),
                ("required", .null), ("errors", .array(errors)),
            ]))))
        } else {
            let scenarioProblems = problems.filter { $0.file == "scenario" }.map(\.problem)
            let planProblems = problems.filter { $0.file == "plan" }.map(\.problem)
            if !scenarioProblems.isEmpty { CommandIO.printProblems(scenarioProblems, file: scenario) }
            if !planProblems.isEmpty { CommandIO.printProblems(planProblems, file: plan) }
        }
    }
}
