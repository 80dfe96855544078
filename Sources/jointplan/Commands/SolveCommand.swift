import ArgumentParser
import Foundation
import JointPlan
import JointPlanExport
import JointPlanRegisters

/// `jointplan solve SCENARIO [-o PLAN] [--db FILE] [--report FILE.html] …`: the main job (spec 4,
/// CLI).
struct SolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "solve",
        abstract: "Plan the quarter's joint visits for a scenario and write the plan (stdout without -o).")

    @OptionGroup var language: LanguageOption
    @Argument(help: "Scenario file (jointplan.scenario/1).") var scenario: String
    @Option(name: .shortAndLong, help: "Plan file to write (stdout when omitted).") var output: String?
    @Option(name: .customLong("time-limit"), help: "Seconds for the whole solve, counted from the start of the process (at most 86400).") var timeLimit: Double = 60
    @Option(help: "Windows of the large-neighbourhood search at most, a work limit: the plan does not depend on the clock (0: none; default: no cap, the search ends on the time limit, on a proof or after 60 windows without gain).") var windows: Int?
    @Option(help: "Deterministic work limit: passes of the minutes descent, the starts' and the last (default 2 and 4; same scenario, seed and limits give the same plan).") var iterations: Int?
    @Option(help: "Relative MIP gap at which each day's search stops.") var gap: Double = 0.005
    @Option(help: "Seed for the random draw (overrides policy.seed).") var seed: UInt64?
    @Option(name: .customLong("write-models"), help: "Write every subproblem's MathProg data (and the models) here for glpsol.")
    var writeModels: String?
    @Option(help: "Planner: jointplan, greedyJoint or departmentAlone (the baselines).") var method: String = "jointplan"
    @Option(help: "Record the run in this run database (SQLite; `jointplan runs list` shows it).") var db: String?
    @Option(help: "Also write the plan's HTML report here (self-contained; opens with no network).") var report: String?
    @Flag(name: .customLong("warm-start"), inversion: .prefixedNo, help: "Start GLPK in every window of the search from the plan so far.") var warmStart = true
    @Option(help: "Threads: 1 runs the search's windows one after the other and the bounds after it; 2 or more give the bounds threads of their own and solve the search's windows two at a time, on disjoint days, merged in a fixed order (same plan for the same --windows whatever the timing).") var threads: Int = 2
    @Flag(help: "Show progress on stderr even when it is not a terminal.") var progress = false
    @Flag(name: .customLong("no-timings"), help: "Zero the solver's timings in the plan (byte-identical reruns).") var noTimings = false
    @Option(name: .customLong("time-grid"), help: "Move visit starts onto this grid of minutes where the team's days still fit (0 or 1: off).")
    var timeGrid: Int = TimeGrid.defaultMinutes

    func validate() throws {
        guard timeLimit > 0, timeLimit <= SolveOptions.maxTimeLimitSeconds else {
            throw ValidationError("--time-limit must be a number of seconds in (0, \(Int(SolveOptions.maxTimeLimitSeconds))]")
        }
        let its = SolveOptions.iterationsRange, wins = SolveOptions.windowsRange
        if let n = iterations, !its.contains(n) { throw ValidationError("--iterations must be \(its.lowerBound)…\(its.upperBound)") }
        if let n = windows, !wins.contains(n) { throw ValidationError("--windows must be \(wins.lowerBound)…\(wins.upperBound)") }
        guard (1...64).contains(threads) else { throw ValidationError("--threads must be between 1 and 64") }
        guard gap >= 0, gap < 1 else { throw ValidationError("--gap must be in [0, 1)") }
        guard (0...240).contains(timeGrid) else { throw ValidationError("--time-grid must be between 0 and 240 minutes") }
        guard Solver.Method(rawValue: method) != nil else {
            throw ValidationError("--method must be one of \(Solver.Method.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        let (sc, data) = try CommandIO.loadScenario(scenario)
        // One validation (issue 24): solve refuses what `validate` and `import` refuse — a pin
        // that cannot hold is named with its reason before any work, not found infeasible after.
        // The draw once, for the review's pins and the solver (it was made twice: issue 21).
        let duties = Duties(scenario: sc, seed: seed)
        let review = ScenarioReview(sc, seed: seed, duties: duties)
        if !review.errors.isEmpty {
            CommandIO.printProblems(review.errors, file: scenario, language: language.language)
            throw ExitCode(1)
        }
        var options = SolveOptions()
        options.timeLimitSeconds = timeLimit
        options.startedAt = ProcessStart.date
        options.iterations = iterations
        options.windows = windows
        options.warmStart = warmStart
        options.threads = threads
        options.mipGap = gap
        options.seed = seed
        options.writeModelsDirectory = writeModels
        let show = progress || CommandIO.stderrIsTerminal
        let line = ProgressLine(enabled: show)
        let solved = Solver.solve(sc, scenarioData: data, options: options, method: Solver.Method(rawValue: method)!,
                                  progress: { line.update($0) }, duties: duties)
        line.finish()
        // Past the time limit's optional-work point the grid and the summary's tables are
        // skipped: the plan must still be written in time (issue 21, item 4). A solve whose
        // limit did not bind never gets there, so its bytes do not depend on the clock.
        let optionalEnd = SolveDeadline.optionalWork(options, checks: duties.totalChecks)
        let (plan, grid) = TimeGrid.apply(solved, scenario: sc, minutes: timeGrid, deadline: optionalEnd)
        let t = language.text
        try CommandIO.write(plan.encoded(timings: !noTimings), to: output)
        // Recorded and reported also when infeasible: the office keeps every run, and the
        // report shows what could not be planned (spec 4, Store and Exports).
        if let db {
            try RunRecorder.record(scenario: sc, scenarioData: data, plan: plan, options: options, database: db, method: method)
        }
        if let report {
            // With each KPI against its target (issue 23), as `jointplan report` writes it.
            let page = TargetsSection.insert(TargetsSection.html(scenario: sc, plan: plan, actuals: nil, language: language.language),
                                             into: HTMLReport.render(scenario: sc, plan: plan, language: language.language))
            try CommandIO.write(Data(page.utf8), to: report)
            CommandIO.stderr(t("cli.wroteReport", report))
        }
        let brief = plan.status == .timeLimit && optionalEnd.map { Date() >= $0 } == true
        CommandIO.stderr(Summary.table(sc, plan, t, grid: grid, duties: duties, brief: brief))
        if plan.status == .infeasible {
            for m in plan.messages { CommandIO.stderr("infeasible: \(m)") }
            throw ExitCode(1)
        }
    }
}

/// One progress line on stderr, rewritten in place: stage, elapsed, incumbent, bound, gap.
/// Called from the solver's thread and the bound's: `last` is shared, so it is `Locked`.
final class ProgressLine: Sendable {
    let enabled: Bool
    private let last = Locked(Date.distantPast)
    init(enabled: Bool) { self.enabled = enabled }
    func update(_ p: SolveProgress) {
        guard enabled else { return }
        let due = last.withLock { last in
            guard Date().timeIntervalSince(last) > 0.2 || p.fraction >= 1 else { return false }
            last = Date()
            return true
        }
        guard due else { return }
        var s = String(format: "\r[%5.1fs] %-9@ %3.0f%%", p.elapsed, p.stage as NSString, p.fraction * 100)
        if let i = p.incumbent { s += "  unmet " + JSON.format(i) }
        if let b = p.bound { s += "  bound " + JSON.format(b) }
        if let g = p.gap { s += String(format: "  gap %.1f%%", g * 100) }
        if !p.message.isEmpty { s += "  " + p.message }
        FileHandle.standardError.write(Data((s.padding(toLength: max(s.count, 100), withPad: " ", startingAt: 0)).utf8))
    }
    func finish() { if enabled { FileHandle.standardError.write(Data("\n".utf8)) } }
}
