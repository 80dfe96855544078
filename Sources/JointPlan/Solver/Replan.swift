import Foundation
import GLPK

/// What a re-plan changed against its base plan (spec 4, Re-plan).
public struct ReplanReport: Sendable {
    /// Visits before the re-plan date, kept exactly as they were (already done).
    public var frozen = 0
    /// Later visits of the base plan kept on the same day, time, team and checks.
    public var kept = 0
    /// Later visits that moved to another day or time.
    public var moved = 0
    /// Later visits on the same day and time whose team or checks changed.
    public var changed = 0
    /// Later visits of the base plan that no longer happen.
    public var dropped = 0
    /// Visits that the base plan did not have.
    public var added = 0
    public var seconds = 0.0
    /// Later visits of the base plan (kept + moved + changed + dropped).
    public var laterBase = 0
    /// How the rest was planned: "repair" (the base plan's visits kept, what the change
    /// touches re-planned) or "pipeline" (planned again, anchored on the base plan).
    public var method = "repair"
    /// Every moved, changed and dropped base visit with why (`ReplanReason`).
    public var visits: [(visit: String, category: PlanDiff.Category, reason: ReplanReason)] = []
    /// The new plan's ids of the kept visits (the start-time grid leaves them where they are).
    public var keptVisitIds = Set<String>()
    public init() {}

    /// Share of the base plan's later visits kept exactly (1 when it had none).
    public var keptShare: Double { laterBase == 0 ? 1 : Double(kept) / Double(laterBase) }

    public var reasonCounts: [ReplanReason: Int] { ReplanReasons.counts(visits) }

    public var json: JSON {
        var reasons = JSONObject()
        for (r, n) in reasonCounts.sorted(by: { $0.key < $1.key }) { reasons[r.rawValue] = .int(n) }
        return .object(JSONObject([("frozen", .int(frozen)), ("kept", .int(kept)), ("moved", .int(moved)),
                                   ("changed", .int(changed)), ("dropped", .int(dropped)), ("added", .int(added)),
                                   ("laterBase", .int(laterBase)), ("keptShare", .double(KPIs.round(keptShare, 4))),
                                   ("method", .string(method)), ("reasons", .object(reasons)),
                                   ("visits", .array(visits.map { v in
                                       .object(JSONObject([("visit", .string(v.visit)), ("category", .string(v.category.rawValue)),
                                                           ("reason", .string(v.reason.rawValue))]))
                                   })),
                                   ("seconds", .double(KPIs.round(seconds, 3)))]))
    }

    public var text: String {
        "frozen \(frozen), kept \(kept), moved \(moved), changed \(changed), dropped \(dropped), added \(added) (\(String(format: "%.2f", seconds)) s)"
    }

    /// The summary for a person: counts, then each moved, changed or dropped visit with why.
    public func summary(from: Day, language: Language, limit: Int = 40) -> String {
        let t = Catalogue(language)
        var out = t("replan.summary", from, frozen, kept, moved, changed, dropped, added, String(format: "%.2f", seconds))
        out += "\n" + t("replan.keptShare", kept, laterBase, String(format: "%.1f", keptShare * 100))
        let counts = reasonCounts
        if !counts.isEmpty {
            out += "\n" + t("replan.reasons", counts.sorted { $0.key < $1.key }.map { "\(t("replan.reason.\($0.key.rawValue)")) \($0.value)" }.joined(separator: ", "))
            for v in visits.prefix(limit) {
                out += "\n  \(v.visit)  \(t("replan.category.\(v.category.rawValue)"))  \(t("replan.reason.\(v.reason.rawValue)"))"
            }
            if visits.count > limit { out += "\n  " + t("cli.moreProblems", visits.count - limit) }
        }
        return out
    }
}

extension Solver {
    /// Re-plans from `from` on: every visit and remote check of `base` dated before it stays
    /// exactly as it is (done), the rest of the quarter is planned again under `scenario`
    /// (which may carry changes: leave, new enterprises, new pins), and each later visit of
    /// the base plan is kept on its day with its team and time whenever it still fits — the
    /// scheduler tries that first, so only what the changes touch moves.
    ///
    /// The draw is the base plan's (its seed), so the required checks do not change.
    public static func replan(_ scenario: Scenario, scenarioData: Data? = nil, base: Plan, from: Day,
                              options: SolveOptions = SolveOptions(), progress: (@Sendable (SolveProgress) -> Void)? = nil,
                              cancel: Cancellation? = nil) -> (plan: Plan, report: ReplanReport) {
        let started = Date()
        var options = options
        if options.seed == nil { options.seed = base.seed }
        let duties = Duties(scenario: scenario, seed: options.seed)
        let ni = max(1, scenario.items.count)

        // What is done before the date.
        let frozenVisits = base.visits.filter { $0.date < from }
        let frozenRemote = base.remoteChecks.filter { $0.date < from }
        var done = Set<DoneCheck>()
        var lastDone: [Int: Day] = [:]
        var capUsed: [Int: Int] = [:]
        func note(_ ent: String, _ item: String, _ occ: Int, _ date: Day) {
            guard let e = scenario.enterpriseIndex[ent], let i = scenario.itemIndex[item] else { return }
            done.insert(DoneCheck(enterprise: e, item: i, occurrence: occ))
            lastDone[e * ni + i] = max(lastDone[e * ni + i] ?? date, date)
        }
        for v in frozenVisits {
            if let e = scenario.enterpriseIndex[v.enterprise] { capUsed[e, default: 0] += 1 }
            for c in v.checks { note(v.enterprise, c.item, c.occurrence, v.date) }
        }
        for r in frozenRemote { note(r.enterprise, r.item, r.occurrence, r.date) }
        let (toPlan, remaining) = duties.excluding(done: done, itemCount: scenario.items.count)

        // The rest of the quarter: horizon from the date, last checks moved forward.
        var planning = scenario
        planning.horizon.start = max(scenario.horizon.start, from)
        for (key, d) in lastDone {
            let (e, i) = (key / ni, key % ni)
            let id = scenario.items[i].id
            planning.enterprises[e].lastChecked[id] = max(planning.enterprises[e].lastChecked[id] ?? d, d)
        }
        planning.pinned = scenario.pinned.filter { $0.date >= from }
        planning.index()

        var anchors: [Int: [Visit]] = [:]
        for v in base.visits where v.date >= from {
            if let e = scenario.enterpriseIndex[v.enterprise] { anchors[e, default: []].append(v) }
        }
        for e in anchors.keys { anchors[e]!.sort { ($0.date, $0.start, $0.id) < ($1.date, $1.start, $1.id) } }

        var input = PlanningInput(scenario: scenario, planning: planning, duties: duties, toPlan: toPlan)
        input.remaining = remaining
        input.capUsed = capUsed
        input.frozenVisits = frozenVisits
        input.frozenRemote = frozenRemote
        input.anchors = anchors
        var plan: Plan
        var how = "repair"
        if let repaired = repair(input, base: base, from: from, scenarioData: scenarioData, options: options, cancel: cancel) {
            plan = repaired
        } else {
            // The repair could not hold every rule (a new pin it cannot place, say): the
            // pipeline plans the rest, anchored on the base plan's visits.
            how = "pipeline"
            let solved = run(input, scenarioData: scenarioData, options: options, method: .jointplan, progress: progress, cancel: cancel)
            // Visit numbers never move across re-plans (issue 23, VisitNumbering.swift).
            plan = VisitNumbering.renumber(solved, previous: base)
            // Rule 11 replays visits in (date, start, id) order: numbers that never move reorder
            // visits sharing a date and start, so the teams are drawn again in the new order (at the
            // same times); where the draw cannot staff a visit so, the solver's own numbers stay.
            if scenario.policy.inspectorDispatch == .random {
                if let drawn = DrawReplay.redrawn(plan, draw: TeamDraw(scenario, WorkCalendar(scenario.horizon), seed: plan.seed)) {
                    plan = drawn
                    Evaluation(scenario: scenario, calendar: WorkCalendar(scenario.horizon)).finish(&plan, requiredChecks: duties.totalChecks)
                } else {
                    plan = solved
                }
            }
        }

        // Count what changed, visit by visit (PlanDiff matches by enterprise and checks).
        let diff = PlanDiff.compare(scenario: scenario, a: base, b: plan)
        var r = ReplanReport()
        r.frozen = frozenVisits.count
        r.kept = diff.unchanged.filter { $0.a.date >= from }.count
        r.moved = diff.moved.count
        r.changed = diff.changed.count
        r.dropped = diff.removed.count
        r.added = diff.added.count
        r.method = how
        let reasons = ReplanReasons(scenario: scenario, seed: plan.seed)
        r.visits = reasons.reasons(diff)
        r.keptVisitIds = Set(diff.unchanged.filter { $0.a.date >= from }.map(\.b.id))
        r.laterBase = base.visits.filter { $0.date >= from }.count
        r.seconds = Date().timeIntervalSince(started)
        return (plan, r)
    }
}

extension Solver {
    /// The re-plan by repair (`ReplanRepair`): the base plan's later visits kept where the
    /// changed scenario allows them, what the change touches re-planned. nil when the result
    /// breaks a rule (then the caller plans the rest with the pipeline) or is worse than the
    /// first start a solve of the same rest would make (spec 3.2): a re-plan is never worse
    /// than starting afresh.
    static func repair(_ input: PlanningInput, base: Plan, from: Day, scenarioData: Data?, options: SolveOptions,
                       cancel: Cancellation?) -> Plan? {
        let started = options.startedAt ?? Date()
        let deadline = SolveDeadline.of(options, reserveCPU: SolveDeadline.writingCPU(checks: input.toPlan.totalChecks))
        var input = input
        input.planning = input.planning.inspectorsInIdOrder()
        let cal = WorkCalendar(input.planning.horizon)
        let ctx = PlanningContext(input.planning, cal, duties: input.toPlan, capUsed: input.capUsed, remaining: input.remaining)
        let t0 = Date()
        let result = ReplanRepair(passes: options.iterations ?? 2).run(ctx, base: base, from: from, deadline: deadline)
        var template = Plan()
        template.scenarioName = input.scenario.name
        template.seed = input.duties.seed
        template.scenarioSHA256 = scenarioData.map { sha256Hex($0) } ?? ""
        var plan = finish(result.schedule, template, input, cal)
        // Kept visits keep their numbers; the others are numbered as any re-plan's
        // (VisitNumbering: the same enterprise's number where it had one, else a new one).
        plan = keepNumbers(plan, base: base, from: from)
        if ctx.draw.isRandom, let drawn = DrawReplay.redrawn(plan, draw: TeamDraw(input.scenario, WorkCalendar(input.scenario.horizon), seed: plan.seed)) {
            plan = drawn
        }
        Evaluation(scenario: input.scenario, calendar: WorkCalendar(input.scenario.horizon)).finish(&plan, requiredChecks: input.duties.totalChecks)
        var checker = PlanChecker(scenario: input.scenario)
        checker.sharedDuties = input.duties   // the ticket orders not: ctx draws on the re-plan's own scenario
        let checked = checker.check(plan)
        guard checked.violations.isEmpty || checked.violations.allSatisfy({ $0.rule == 10 }) else { return nil }
        var stages: [(String, Double, String)] = [("repair", Date().timeIntervalSince(t0),
            "\(result.kept) base visits kept, \(result.invalid) made invalid by the change; \(format(plan.objective))")]
        // Never worse than a fresh start of the same rest (the first-fit construction).
        let t1 = Date()
        if Date() < deadline, let fresh = firstStart(input, calendar: cal, context: ctx, scenarioData: scenarioData, deadline: deadline, cancel: cancel),
           !fresh.plan.unmet.contains(where: { $0.reason == .timeLimit }) {
            stages.append(("fresh start", Date().timeIntervalSince(t1), format(fresh.plan.objective)))
            if fresh.pinsMissed == 0 && fresh.plan.objective < plan.objective { return nil }
        }
        var info = SolverInfo()
        info.engine = "GLPK \(GLPKSolver.version)"
        info.visitBound = visitBound(input.scenario, plan, calendar: WorkCalendar(input.scenario.horizon))
        let u = plan.objective.unmetWeighted
        info.gap = u > 1e-9 ? 1 : 0
        info.seconds = Date().timeIntervalSince(started)
        info.stages = stages
        plan.solver = info
        plan.status = plan.unmet.contains(where: { $0.reason == .timeLimit }) || cancel?.isCancelled == true ? .timeLimit : .feasible
        return plan
    }

    /// The new plan's visits equal to a later base visit (enterprise, date, start, end, team,
    /// checks' items and performers) take that visit's id and its occurrence numbers — an
    /// occurrence number only labels one of a pair's checks, so where the schedule numbered a
    /// kept visit's check otherwise, it swaps labels with the check that holds the base's
    /// number (a visit, a remote or an unmet check of the same pair). The rest are renumbered
    /// against the base plan (VisitNumbering).
    static func keepNumbers(_ plan: Plan, base: Plan, from: Day) -> Plan {
        func key(_ v: Visit) -> String {
            "\(v.enterprise)|\(v.date)|\(v.start)|\(v.end)|\(v.inspectors.sorted())|\(v.checks.map { "\($0.item)@\($0.inspector)" }.sorted())"
        }
        var pool: [String: [Visit]] = [:]
        for v in base.visits where v.date >= from { pool[key(v), default: []].append(v) }
        var out = plan
        // Where each (enterprise, item, occurrence) is held in the new plan.
        enum Holder: Hashable { case visit(Int, Int), remote(Int), unmet(Int) }
        var holder: [String: Holder] = [:]
        func label(_ e: String, _ i: String, _ o: Int) -> String { "\(e)|\(i)|\(o)" }
        for (k, v) in out.visits.enumerated() { for (c, ch) in v.checks.enumerated() { holder[label(v.enterprise, ch.item, ch.occurrence)] = .visit(k, c) } }
        for (k, r) in out.remoteChecks.enumerated() { holder[label(r.enterprise, r.item, r.occurrence)] = .remote(k) }
        for (k, u) in out.unmet.enumerated() { holder[label(u.enterprise, u.item, u.occurrence)] = .unmet(k) }
        func setOccurrence(_ h: Holder, _ o: Int) {
            switch h {
            case .visit(let k, let c): out.visits[k].checks[c].occurrence = o
            case .remote(let k): out.remoteChecks[k].occurrence = o
            case .unmet(let k): out.unmet[k].occurrence = o
            }
        }
        for k in out.visits.indices where out.visits[k].date >= from {
            let v = out.visits[k]
            guard let list = pool[key(v)], let b = list.first else {
                // Not a number of the lineage, so VisitNumbering does not take it for one.
                out.visits[k].id = "new-\(k)"
                continue
            }
            pool[key(v)]!.removeFirst()
            out.visits[k].id = b.id
            out.visits[k].inspectors = b.inspectors
            var wanted: [String: [Int]] = [:]
            for ch in b.checks { wanted[ch.item + "@" + ch.inspector, default: []].append(ch.occurrence) }
            for c in out.visits[k].checks.indices {
                let ch = out.visits[k].checks[c]
                guard var w = wanted[ch.item + "@" + ch.inspector], !w.isEmpty else { continue }
                let o = w.removeFirst()
                wanted[ch.item + "@" + ch.inspector] = w
                guard o != ch.occurrence else { continue }
                let mine = Holder.visit(k, c)
                if let other = holder[label(v.enterprise, ch.item, o)] {
                    setOccurrence(other, ch.occurrence)
                    holder[label(v.enterprise, ch.item, ch.occurrence)] = other
                } else {
                    holder[label(v.enterprise, ch.item, ch.occurrence)] = nil
                }
                setOccurrence(mine, o)
                holder[label(v.enterprise, ch.item, o)] = mine
            }
        }
        for k in out.visits.indices { out.visits[k].checks.sort { ($0.item, $0.occurrence) < ($1.item, $1.occurrence) } }
        return VisitNumbering.renumber(out, previous: base)
    }
}
