import ArgumentParser
import Foundation
import JointPlan
import JointPlanRegisters
import JointPlanStore

/// `jointplan rollover SCENARIO PLAN [--actuals FILE] --quarter 2026Q2 -o NEXT.json`: the next
/// quarter's scenario (issue 13, item 7).
struct RolloverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollover",
        abstract: "Write the next quarter's scenario from this quarter's scenario, plan and actuals.",
        discussion: """
            The new horizon gets China's working-day calendar for the quarter (bundled: the State \
            Council notices for 2025 and 2026; --holidays FILE for other years); lastChecked moves \
            to what was done (the actuals sheet if given, else the plan), onsiteVisitsThisYear adds \
            the visits done (0 in a new year), pins, leave and blackouts before the quarter are \
            dropped, the seed is --seed or the quarter's first day as YYYYMMDD. Required checks \
            not done keep their lastChecked and are carried over as 补查: required again through \
            a derived item <item>.bucha that only those enterprises have (outside the draw), \
            unless the new quarter requires that item of the enterprise anyway; listed under the \
            enterprise's extensions.rollover and extensions.carriedOver (explain shows them). \
            With --db, the plan's run there is named as where they come from, and without \
            --actuals what was recorded for it (jointplan actuals) is used. What changed goes to stderr.
            """)

    @OptionGroup var language: LanguageOption
    @Argument(help: "This quarter's scenario.") var scenario: String
    @Argument(help: "Its plan.") var plan: String
    @Option(help: "The filled actuals sheet (export --actuals).") var actuals: String?
    @Option(help: "The run database: the plan's run is named as the 补查 checks' origin, and its recorded actuals are used when --actuals is not given.") var db: String?
    @Option(help: "The next quarter, e.g. 2026Q2.") var quarter: String
    @Option(help: "A holidays file (jointplan.holidays/1) for years not bundled.") var holidays: String?
    @Option(help: "The new quarter's seed (default: its first day as YYYYMMDD).") var seed: UInt64?
    @Option(name: .shortAndLong, help: "Scenario file to write (stdout when omitted).") var output: String?

    func validate() throws {
        guard Quarter(quarter) != nil else { throw ValidationError("--quarter must look like 2026Q2, got \(quarter)") }
    }

    func run() throws {
        let (sc, data) = try CommandIO.loadScenario(scenario)
        let p = try CommandIO.loadPlan(plan)
        if !PlanProvenance.matches(p, scenarioData: data) { CommandIO.stderr(PlanProvenance.warning(plan: plan, scenario: scenario)) }
        var record = try actuals.map { try ActualsCommand.load($0, plan: p, horizon: sc.horizon.span) }
        var run: Int64?
        if let db {
            do {
                let store = try RunStore(readOnlyAt: db)
                guard let id = try store.run(matching: p) else {
                    CommandIO.stderr("error: \(plan) is not a run recorded in \(db)")
                    throw ExitCode(1)
                }
                run = id
                if record == nil {
                    let recorded = try store.actualRecord(runId: id)
                    if !recorded.isEmpty { record = Actuals(plan: p, recorded: recorded) }
                }
            } catch let e as StoreError {
                CommandIO.stderr("error: \(e)")
                throw ExitCode(1)
            }
        }
        do {
            let calendar = try HolidayCalendar.load(file: holidays)
            let (doc, report) = try Rollover.next(document: try JSONParser.parse(data), scenario: sc, plan: p, actuals: record,
                                                  quarter: Quarter(quarter)!, calendar: calendar, seed: seed, run: run)
            // The output is validated as `jointplan validate` would (reader and review), so an
            // invalid scenario is never written (issue 23).
            var problems = ScenarioReader.problems(json: doc)
            if problems.isEmpty, let next = try? ScenarioReader.read(json: doc) { problems = ScenarioReview(next).errors }
            if !problems.isEmpty {
                CommandIO.printProblems(problems, file: "the rolled-over scenario (not written)")
                throw ExitCode(1)
            }
            try CommandIO.write(Data(JSONWriter.pretty(doc).utf8), to: output)
            FileHandle.standardError.write(Data(report.text(language.language).utf8))
        } catch let e as RegisterError {
            CommandIO.stderr("error: \(e)")
            throw ExitCode(1)
        }
    }
}
