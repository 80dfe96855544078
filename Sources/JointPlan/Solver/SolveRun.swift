import Foundation
import GLPK

extension Solver {
    /// One run of the solver, phase by phase (`Solver.run` calls them in order). Each phase
    /// reads what the ones before left and leaves its result here; none starts work that
    /// outlives `finish` (the bounds' threads are joined there, or stopped by `stop`).
    struct SolveRun {
        let input: PlanningInput
        let scenarioData: Data?
        let options: SolveOptions
        let method: Method
        let cancel: Cancellation?
        let calendar: WorkCalendar
        let started: Date
        let deadline: Date
        /// Progress reports, from this thread and the bounds': one at a time, fractions never going back.
        let report: @Sendable (_ stage: String, _ fraction: Double, _ incumbent: Double?, _ bound: Double?, _ gap: Double?, _ message: String) -> Void

        private(set) var stages: [(String, Double, String)] = []
        private var stageStart = Date()
        private(set) var bounds: LowerBounds?
        /// jointplan's first start, checked (the plan a solve cut short returns).
        private(set) var early: Candidate?
        private(set) var pipe: PipelineResult?
        /// The plan so far, with what it says about pins.
        private(set) var plan = Plan()
        private(set) var pinMessages: [String] = []
        private(set) var pinTrouble = false
        /// Seconds the first start took (what each optional start is expected to take).
        private(set) var firstStartSeconds: TimeInterval = 0
        /// The start kept by `keepBestStart`.
        private(set) var kept: Candidate?
        /// Cancelled before the starts were compared (the status reports the time limit).
        private(set) var cancelledEarly = false
        /// The planning context, made once and shared by every phase (`context()`).
        private var sharedContext: PlanningContext?

        init(_ given: PlanningInput, scenarioData: Data?, options: SolveOptions, method: Method,
             progress: (@Sendable (SolveProgress) -> Void)?, cancel: Cancellation?) {
            // Planned with the inspectors in id order, so that the order of the register's rows
            // changes nothing (rule 11's draw never depended on it; ties elsewhere did).
            var input = given
            input.planning = input.planning.inspectorsInIdOrder()
            self.input = input
            self.scenarioData = scenarioData
            self.options = options
            self.method = method
            self.cancel = cancel
            calendar = WorkCalendar(input.planning.horizon)
            // The time limit counts from `options.startedAt` (the CLI: the process start); a
            // reserve is kept for writing the plan, at this machine's pace (`SolveDeadline`).
            let started = options.startedAt ?? Date()
            self.started = started
            deadline = SolveDeadline.of(options, reserveCPU: SolveDeadline.writingCPU(checks: input.toPlan.totalChecks))
            let gate = ProgressGate()
            report = { stage, fraction, incumbent, bound, gap, message in
                guard let progress else { return }
                gate.pass(fraction) { f in
                    progress(SolveProgress(stage: stage, elapsed: Date().timeIntervalSince(started), fraction: f,
                                           incumbent: incumbent, bound: bound, gap: gap, message: message))
                }
            }
        }

        var isJointplan: Bool { method == .jointplan }

        /// The solve's one planning context (the first start, the starts, the search and the
        /// baselines' draw all read it; at 20,000 enterprises one costs 0.1 s, more when busy).
        mutating func context() -> PlanningContext {
            if let c = sharedContext { return c }
            let c = PlanningContext(input.planning, calendar, duties: input.toPlan, capUsed: input.capUsed, remaining: input.remaining)
            sharedContext = c
            return c
        }
        var cancelled: Bool { cancel?.isCancelled == true }

        /// Records a stage of the plan's `solver.stages`: its name, seconds since the last, a note.
        mutating func stage(_ name: String, _ note: String) {
            stages.append((name, Date().timeIntervalSince(stageStart), note))
            stageStart = Date()
        }

        /// Phase 2: the lower bounds — the capacity relaxation and the day-grouped LP — each on
        /// a GLPK thread of its own when options.threads allows, else after the search on this
        /// thread. They start once the first start is built, so that it has the cores to itself
        /// (on a busy two-core machine at `--time-limit 5`, district.json's bounds beside the
        /// first start left no time for the pipeline: 620,224 minutes against 514,471), and not
        /// when the deadline has passed: the threads would only take CPU from the starts.
        mutating func startBounds() {
            guard isJointplan, Date() < deadline else { return }
            let report = self.report
            bounds = LowerBounds(scenario: input.planning, duties: input.toPlan, calendar: calendar, capUsed: input.capUsed,
                                 options: options, deadline: deadline, cancel: cancel,
                                 report: { stage, bound, message in report(stage, 0, nil, bound, nil, message) })
        }

        /// Phase 1: jointplan's own first-fit construction, fast at any size, checked — so that a
        /// solve cut short always returns a valid plan.
        mutating func buildFirstStart() {
            report("draw", 0.02, nil, nil, nil, "\(input.toPlan.totalChecks) required checks")
            guard isJointplan else { return }
            let t0 = Date()
            defer { firstStartSeconds = Date().timeIntervalSince(t0) }
            early = Solver.firstStart(input, calendar: calendar, context: context(), scenarioData: scenarioData, deadline: deadline, cancel: cancel)
            stage("construction", early.map { "first valid plan \(format($0.plan.objective))" } ?? "no valid construction")
        }

        /// Phase 3: the decomposition pipeline (Merge → Scheduler → Fill, on the rule homes), when
        /// the time left allows it or there is no first start. It takes about 0.05 ms a required
        /// check (district.json: 0.8 s for 16,393); 0.08 ms leaves room for a busy machine, and it
        /// stops on the deadline itself. At 0.15 ms, district.json at `--time-limit 5` kept its
        /// first start whenever reading took a little longer (620,224 minutes, above first-fit's
        /// 611,792; with the pipeline 514,471).
        mutating func runPipeline() {
            let cost = 8e-5 * Double(input.toPlan.totalChecks)
            if early == nil || Date().addingTimeInterval(cost) < deadline {
                let report = self.report
                var stages = self.stages
                var stageStart = self.stageStart
                let result = Solver.pipeline(input, calendar: calendar, scenarioData: scenarioData, options: options, method: method,
                                             deadline: deadline, cancel: cancel,
                                             report: { report($0, $1, nil, nil, nil, $2) },
                                             stage: { name, note in
                                                 stages.append((name, Date().timeIntervalSince(stageStart), note))
                                                 stageStart = Date()
                                             })
                self.stages = stages
                self.stageStart = stageStart
                pipe = result
            } else {
                let e = early!
                pipe = PipelineResult(plan: e.plan, messages: e.pinMessages, pinTrouble: e.pinsMissed > 0 || !e.pinMessages.isEmpty,
                                      hitTimeLimit: true, dayModels: [])
                stage("pipeline", "skipped: the time limit leaves no room for it")
            }
            plan = pipe!.plan
            pinMessages = pipe!.messages
            pinTrouble = pipe!.pinTrouble
        }

        /// Phase 4 (the baselines): they plan as they always did; rule 11 then draws their teams.
        mutating func drawBaselineTeams() {
            guard !isJointplan, input.planning.policy.inspectorDispatch == .random else { return }
            let ctx = context()
            plan = Solver.finish(Schedule(ctx, plan: plan, frozen: Set(input.frozenVisits.map(\.id))), plan, input, calendar)
        }

        /// Phase 5: every start improved and checked, the best kept (never worse than a careful
        /// first-fit); the pipeline's own plan is a candidate only with its teams drawn (rule 11).
        mutating func keepBestStart() {
            cancelledEarly = cancelled
            Evaluation(scenario: input.scenario, calendar: calendar).finish(&plan, requiredChecks: input.duties.totalChecks)
            guard isJointplan else { return }
            var notes: [String] = []
            // Anytime: the optional starts leave the search at least half of the time left now.
            let optional = options.windows == nil && input.anchors.isEmpty
                ? Solver.OptionalSteps(by: Date().addingTimeInterval(deadline.timeIntervalSinceNow / 2), expected: firstStartSeconds)
                : .all
            let best = Solver.bestOfStarts(input, calendar: calendar, context: context(), pipeline: plan, pipelineMessages: pinMessages, early: early,
                                           deadline: deadline, work: options.iterations, cancel: cancel, notes: &notes, optional: optional)
            kept = best
            adopt(best, pipelineKept: best.name == StartName(origin: .pipeline))
            stage("starts", notes.joined(separator: "; "))
        }

        private mutating func adopt(_ c: Candidate, pipelineKept: Bool = false) {
            plan = c.plan
            guard !pipelineKept else { return }
            pinMessages = c.pinMessages
            pinTrouble = c.pinsMissed > 0 || !c.pinMessages.isEmpty
        }

        /// Phase 6: the large-neighbourhood search through GLPK on the plan kept. `--windows N` is
        /// a work limit: at most N windows, and the plan does not depend on the clock. Without it
        /// the search is anytime: it goes on while windows still improve, ending on the time
        /// limit or on a proof. A re-plan does not search (kept visits stay kept).
        mutating func searchWindows() {
            let windows = options.windows ?? Int.max
            guard isJointplan, let best = kept, windows > 0, input.anchors.isEmpty, !cancelled, Date() < deadline else { return }
            let start = best.name != StartName(origin: .pipeline) ? best
                : Candidate(name: best.name, plan: plan, pinsMissed: best.pinsMissed, pinMessages: pinMessages)
            let report = self.report
            let result = Solver.windowSearch(input, calendar: calendar, context: context(), start: start, windows: windows, anytime: options.windows == nil,
                                             passes: options.iterations, warmStart: options.warmStart,
                                             threads: options.threads, census: options.threadCensus, deadline: deadline,
                                             boundBox: bounds?.box ?? BoundBox(), cancel: cancel) { done, objective, bound in
                let u = objective.unmetWeighted
                let gap = bound.map { u > 1e-9 ? max(0, (u - $0) / u) : 0 }
                report("search", 0.9 + 0.049 * done, u, bound, gap, "\(format(objective))")
            }
            if let better = result.candidate { adopt(better) }
            stage("search", result.note)
            // Small districts: whole-quarter windows for the work still undone (ExactWindows.swift).
            let exact = Solver.exactWindows(input, calendar: calendar, context: context(), start: Candidate(name: result.candidate?.name ?? start.name, plan: plan,
                                            pinsMissed: result.candidate?.pinsMissed ?? start.pinsMissed, pinMessages: pinMessages),
                                            anytime: options.windows == nil, deadline: deadline, cancel: cancel)
            if let better = exact.candidate { adopt(better) }
            if exact.note != "not run" { stage("exact", exact.note) }
        }

        /// Phase 7: the bounds get the time left before the limit, no more (what they proved so
        /// far stands); their threads are joined. Then the bound, the gap and the status.
        mutating func finish() -> Plan {
            let scenario = input.scenario
            var info = SolverInfo()
            info.engine = "GLPK \(GLPKSolver.version)"
            info.visitBound = visitBound(scenario, plan, calendar: WorkCalendar(scenario.horizon))
            var provenWork = plan.unmet.isEmpty
            if let bounds {
                report("bound", 0.95, plan.objective.unmetWeighted, nil, nil, "waiting for the lower bound")
                bounds.finish(deadline: deadline)
                let found = bounds.box.result
                let boundStatus = found.capacity?.status ?? .noSolution
                if plan.objective.unmetWeighted <= found.structural + 1e-6 { provenWork = true }
                var b = found.total
                if b > plan.objective.unmetWeighted + 1e-6 {
                    // Cannot happen for a valid relaxation; never report a bound above the plan.
                    plan.messages.append("internal: lower bound \(b) above the plan's \(plan.objective.unmetWeighted); clamped")
                    b = plan.objective.unmetWeighted
                }
                info.bestBound = b
                info.boundSource = found.source(plan: plan.objective.unmetWeighted)
                let exactNote = found.exact.map { "; \($0.note)" } ?? ""
                stage("bound", "lower bound \(JSON.format(b)) from \(info.boundSource?.rawValue ?? "nothing") (structural \(JSON.format(found.structural)); "
                      + "capacity relaxation \(boundStatus.rawValue): \(found.capacity?.note ?? "not run"); \(found.dayGrouped?.note ?? "day-grouped LP: not run")\(exactNote))")
                if let dir = options.writeModelsDirectory {
                    ModelFiles.write(dir: dir, bound: found.capacity?.data, days: pipe?.dayModels ?? [])
                }
            }
            let u = plan.objective.unmetWeighted
            info.gap = u > 1e-9 ? max(0, (u - info.bestBound) / u) : 0
            info.seconds = Date().timeIntervalSince(started)
            info.stages = stages
            plan.solver = info
            plan.messages.append(contentsOf: pinMessages)
            plan.status = status(info, provenWork: provenWork)
            report("done", 1, u, info.bestBound, info.gap, "")
            return plan
        }

        /// Infeasible when a pin does not hold; time limit when cut short; optimal only with a
        /// proof on all three objectives; else feasible.
        private func status(_ info: SolverInfo, provenWork: Bool) -> PlanStatus {
            if pinTrouble { return .infeasible }
            if cancelledEarly || pipe?.hitTimeLimit == true || plan.unmet.contains(where: { $0.reason == .timeLimit }) { return .timeLimit }
            // Visits and minutes are bounded for plans doing the same checks: proven only when
            // every unmet check is one no plan can do (the structural bound), so that every
            // plan as good on the first objective does these checks too.
            // Visits are proven too by the exact bound's fewest visits at the unmet optimum (small districts).
            let visitsProven = (provenWork && plan.objective.onsiteVisits == info.visitBound)
                || bounds?.box.result.visitBound(unmet: plan.objective.unmetWeighted).map { plan.objective.onsiteVisits <= $0 } == true
            if isJointplan && info.gap <= 1e-9 && visitsProven
                && plan.objective.inspectorMinutes <= MinutesBound.lowerBound(input.scenario, plan) { return .optimal }
            return .feasible
        }

        /// Stops and joins the bounds' threads (what `finish` does with time left; this without).
        func stop() { bounds?.finish(deadline: .distantPast) }
    }
}
