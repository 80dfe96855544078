import ArgumentParser
import Foundation
import JointPlan
import JointPlanRegisters
import JointPlanStore

/// `jointplan actuals SCENARIO PLAN FILE --db DB`: records what was really done of a plan (the
/// filled sheet of `export --actuals`) in the run store, linked to the plan's run (issue 13, item 6).
struct ActualsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "actuals",
        abstract: "Record the filled actuals sheet (what was really done) in the run store, linked to the plan's run.",
        discussion: """
            The run is found by the plan (same scenario, seed, visits and checks) or given with \
            --run. Every problem of the sheet is listed by row and column (exit 1, nothing \
            recorded). Rows left blank count as done as planned; the counts are printed.
            """)

    @Argument(help: "The scenario of the plan.") var scenario: String
    @Argument(help: "The plan the sheet was made for.") var plan: String
    @Argument(help: "The filled actuals sheet (.xlsx).") var file: String
    @Option(help: "Run database (SQLite).") var db: String = RunStore.defaultPath
    @Option(name: .customLong("run"), help: "The run to link to (default: the recorded run with this plan).") var runId: Int64?
    @Option(help: "Language of the messages: zh or en.") var lang: String?

    func run() throws {
        let (_, data) = try CommandIO.loadScenario(scenario)
        let p = try CommandIO.loadPlan(plan)
        if !PlanProvenance.matches(p, scenarioData: data) { CommandIO.stderr(PlanProvenance.warning(plan: plan, scenario: scenario)) }
        let actuals = try Self.load(file, plan: p, language: lang.flatMap(Language.init(rawValue:)) ?? Language.fromEnvironment())
        guard FileManager.default.fileExists(atPath: db) else {
            CommandIO.stderr("error: no run database at \(db) (record the plan's run with `jointplan solve --db \(db)`)")
            throw ExitCode(1)
        }
        do {
            let store = try RunStore(path: db)
            guard let runId = try runId ?? store.run(matching: p) else {
                CommandIO.stderr("error: \(plan) is not a run recorded in \(db); solve with --db \(db), or give --run ID")
                throw ExitCode(1)
            }
            let id = try store.recordActuals(runId: runId, source: URL(fileURLWithPath: file).lastPathComponent,
                                             entries: actuals.json, counts: actuals.counts)
            let t = Catalogue(lang.flatMap(Language.init(rawValue:)) ?? Language.fromEnvironment())
            print(t("actuals.recorded", id, runId, actuals.summary(t)))
        } catch let e as StoreError {
            CommandIO.stderr("error: \(e)")
            throw ExitCode(1)
        }
    }

    /// Reads a filled actuals sheet against its plan; its problems by row and column, exit 1.
    static func load(_ file: String, plan: Plan, language: Language = Language.fromEnvironment()) throws -> Actuals {
        do {
            let (actuals, problems) = try ActualsSheet.read(path: file, plan: plan, language: language)
            if !problems.isEmpty {
                let t = Catalogue(language)
                var s = "\(file): \(problems.count) problem\(problems.count == 1 ? "" : "s")\n"
                for pr in problems.prefix(500) { s += "  " + pr.text(t) + "\n" }
                FileHandle.standardError.write(Data(s.utf8))
                throw ExitCode(1)
            }
            return actuals
        } catch let e as ExitCode {
            throw e
        } catch {
            CommandIO.stderr("error: \(error)")
            throw ExitCode(1)
        }
    }
}
