import ArgumentParser
import Foundation
import JointPlan
import JointPlanRegisters
import JointPlanStore

/// `jointplan replan SCENARIO PLAN --from DATE [--changes PATCH.json]`: keeps every visit
/// before DATE as it is (already done) and re-plans the rest under the changed scenario,
/// changing as few planned visits as possible (spec 4, Re-plan; issue 5).
struct ReplanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replan",
        abstract: "Re-plan the rest of the quarter from a date, keeping what is done and as much of the plan as possible.",
        discussion: """
            --changes is an RFC 7386 merge patch of the scenario (new leave, new enterprises, \
            a department short of staff, new pinned visits); the changed scenario is validated \
            and its problems are listed with their JSON paths. The plan keeps the base plan's \
            seed, so the draw does not change. The new plan goes to -o (stdout without it); the \
            counts of kept, moved, changed, dropped and added visits go to stderr. Exit 1 when \
            an input is invalid or the new plan fails the checker.
            """)

    @OptionGroup var language: LanguageOption
    @Argument(help: "The scenario file the plan was made for (jointplan.scenario/1).") var scenario: String
    @Argument(help: "The plan to re-plan (jointplan.plan/1).") var plan: String
    @Option(help: "First date to re-plan (YYYY-MM-DD); visits before it stay exactly as they are.") var from: String
    @Option(help: "A merge patch (RFC 7386) of the scenario: what changed.") var changes: String?
    @Option(help: "The filled actuals sheet (export --actuals): what was really done before --from, instead of assuming every earlier visit happened.")
    var actuals: String?
    @Option(name: .shortAndLong, help: "Plan file to write (stdout when omitted).") var output: String?
    @Option(name: .customLong("scenario-output"), help: "Write the changed scenario here (the new plan's sha256 is of its canonical JSON), for check, explain and export.")
    var scenarioOutput: String?
    @Option(name: .customLong("report"), help: "Write the re-plan report (kept, moved, changed, dropped, added) as JSON here.") var report: String?
    @Option(name: .customLong("time-limit"), help: "Seconds for the re-plan.") var timeLimit: Double = 60
    @Option(help: "Relative MIP gap at which each day's search stops.") var gap: Double = 0.005
    @Flag(help: "Show progress on stderr even when it is not a terminal.") var progress = false
    @Flag(name: .customLong("no-timings"), help: "Zero the solver's timings in the plan (byte-identical reruns).") var noTimings = false
    @Option(help: "Record the new plan in this run database as a new draft version whose parent is the base plan's run (issue 23).")
    var db: String?
    @Option(help: "The base plan's run in --db (default: the recorded run with this plan).") var parent: Int64?
    @Option(name: .customLong("time-grid"), help: "Move re-planned visit starts onto this grid of minutes where the team's days still fit (0 or 1: off).")
    var timeGrid: Int = TimeGrid.defaultMinutes

    func validate() throws {
        guard Day(from) != nil else { throw ValidationError("--from must be a date YYYY-MM-DD, got \(from)") }
        guard timeLimit > 0, timeLimit.isFinite else { throw ValidationError("--time-limit must be a positive number of seconds") }
        guard gap >= 0, gap < 1 else { throw ValidationError("--gap must be in [0, 1)") }
    }

    func run() throws {
        let fromDay = Day(from)!
        let original = try CommandIO.readFile(scenario)
        var document = try WhatIfCommand.readJSON(scenario)
        var scenarioData = original
        if let changes {
            let patch = try WhatIfCommand.readJSON(changes)
            // RFC 7386 or merge by id, as the patch declares (`ScenarioPatch`).
            let patched = ScenarioPatch.apply(patch, to: document)
            if !patched.problems.isEmpty { CommandIO.printProblems(patched.problems, file: changes); throw ExitCode(1) }
            document = patched.document
            // The changed scenario has no file of its own: the plan records the sha256 of its
            // canonical JSON, which check_plan.py accepts (A23).
            scenarioData = Data(JSONWriter.canonical(document).utf8)
        }
        let changed: Scenario
        do {
            changed = try ScenarioReader.read(json: document)
        } catch let e as InputProblems {
            CommandIO.printProblems(e.problems, file: changes.map { "\(scenario) with \($0)" } ?? scenario)
            throw ExitCode(1)
        }
        guard fromDay >= changed.horizon.start, fromDay <= changed.horizon.end else {
            CommandIO.stderr("error: --from \(fromDay) is outside the horizon \(changed.horizon.start)..\(changed.horizon.end)")
            throw ExitCode(1)
        }
        var base = try CommandIO.loadPlan(plan)
        let recordedBase = base
        if let file = actuals {
            // Checks not done before the date go back to be planned; visits done on another
            // date are frozen on that date (Actuals.carriedOut).
            let record = try ActualsCommand.load(file, plan: base, horizon: changed.horizon.span)
            base = record.carriedOut(base, before: fromDay)
            CommandIO.stderr(language.text("cli.actualsLine", record.summary(language.text)))
        }
        if let out = scenarioOutput { try CommandIO.write(Data(JSONWriter.pretty(document).utf8), to: out) }

        var options = SolveOptions()
        options.timeLimitSeconds = timeLimit
        // Counted from the start of the process, reading the plan and the changes included.
        options.startedAt = ProcessStart.date
        options.mipGap = gap
        // The draw must not change under the planner's feet: keep the base plan's seed.
        options.seed = base.seed
        let line = ProgressLine(enabled: progress || CommandIO.stderrIsTerminal)
        let (replanned, replanReport) = Solver.replan(changed, scenarioData: scenarioData, base: base, from: fromDay,
                                                   options: options, progress: { line.update($0) }, cancel: nil)
        line.finish()
        let (newPlan, grid) = TimeGrid.apply(replanned, scenario: changed, minutes: timeGrid, from: fromDay, keep: replanReport.keptVisitIds)
        try CommandIO.write(newPlan.encoded(timings: !noTimings), to: output)
        if let r = report { try CommandIO.write(Data(JSONWriter.pretty(replanReport.json).utf8), to: r) }
        let r = replanReport
        CommandIO.stderr(r.summary(from: fromDay, language: language.language))
        CommandIO.stderr(Summary.table(changed, newPlan, language.text, grid: grid))
        let check = PlanChecker.check(scenario: changed, plan: newPlan, scenarioData: scenarioData)
        if !check.valid {
            CommandIO.stderr(language.text("replan.failsChecker"))
            for v in check.violations.prefix(50) { CommandIO.stderr(language.text("replan.violation", v.rule, v.message)) }
            throw ExitCode(1)
        }
        if let db { try record(newPlan, scenario: changed, scenarioData: scenarioData, base: recordedBase, options: options, db: db) }
    }

    /// The new plan as a new draft version of the base plan's lineage.
    private func record(_ newPlan: Plan, scenario: Scenario, scenarioData: Data, base: Plan, options: SolveOptions, db: String) throws {
        do {
            let store = try RunStore(path: db)
            guard let parentId = try parent ?? store.run(matching: base, oldestFirst: true) else {
                CommandIO.stderr("error: \(plan) is not a run recorded in \(db); give --parent RUN_ID")
                throw ExitCode(1)
            }
            guard let parentVersion = try store.planVersion(runId: parentId) else {
                CommandIO.stderr("error: no run \(parentId) in \(db)")
                throw ExitCode(1)
            }
            let id = try store.record(scenario: scenario, scenarioJSON: scenarioData, plan: newPlan, options: options,
                                      method: "replan", parent: parentId)
            let v = try store.planVersion(runId: id)!
            if parentVersion.state.isLocked {
                CommandIO.stderr(language.text("lifecycle.replanOfLocked", parentId, id))
            }
            let t = language.text
            CommandIO.stderr(t("plan.replanRecorded", id, db, v.version, PlanCommand.state(.draft, t), parentId, PlanCommand.state(parentVersion.state, t)))
        } catch let e as StoreError {
            CommandIO.stderr("error: the re-plan was not recorded in \(db): \(e)")
            throw ExitCode(1)
        }
    }
}
