import Foundation

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

    public var json: JSON {
        .object(JSONObject([("frozen", .int(frozen)), ("kept", .int(kept)), ("moved", .int(moved)),
                            ("changed", .int(changed)), ("dropped", .int(dropped)), ("added", .int(added)),
                            ("seconds", .double(KPIs.round(seconds, 3)))]))
    }

    public var text: String {
        "frozen \(frozen), kept \(kept), moved \(moved), changed \(changed), dropped \(dropped), added \(added) (\(String(format: "%.2f", seconds)) s)"
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
        // Visit numbers never move across re-plans (issue 23, VisitNumbering.swift).
        let solved = run(input, scenarioData: scenarioData, options: options, method: .jointplan, progress: progress, cancel: cancel)
        var plan = VisitNumbering.renumber(solved, previous: base)
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

        // Count what changed, visit by visit (PlanDiff matches by enterprise and checks).
        let diff = PlanDiff.compare(scenario: scenario, a: base, b: plan)
        var r = ReplanReport()
        r.frozen = frozenVisits.count
        r.kept = diff.unchanged.filter { $0.a.date >= from }.count
        r.moved = diff.moved.count
        r.changed = diff.changed.count
        r.dropped = diff.removed.count
        r.added = diff.added.count
        r.seconds = Date().timeIntervalSince(started)
        return (plan, r)
    }
}
