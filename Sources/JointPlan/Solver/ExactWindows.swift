import Foundation
import GLPK

/// The last step of a small district's solve (issue 22, item 4, "exact where exact is
/// cheap"): for each enterprise with work still undone, one window of the search's program
/// (`Models/window.mod`, `WindowBuilder`) over **every** day its departments can meet, with
/// the visits that hold a member of those departments there — and the days those visits may
/// move to.
///
/// Why: the search's loss windows take two days at a time. On short roster districts the
/// check left undone often needs a day where all its departments are on duty, every such day
/// is full, and the visit that has to make room can only go to a day outside the pair
/// (u100-81 and s150-61 of docs/bench-exact.md: a restaurant needing SCJG, XF and ZHZF on the
/// two days all three are on duty, each taken by visits that could go elsewhere). One window
/// with all those days and the displaced visits' other days holds the exchange.
///
/// The window is the search's own: GLPK warm-started from the incumbent (so it never answers
/// worse than it in the window's objective), node-limited (a work limit: the same plan
/// whatever the clock when the time limit does not bind), rebuilt through the roster
/// (times of day, travel, breaks, spacing: rules 1, 4, 7), replayed through the draw under
/// rule 11 (`Redraw`, as the search does), and the whole plan is kept only when it is
/// lexicographically better and `PlanChecker` passes it.
struct ExactWindows {
    /// Districts of at most this many enterprises (`ExactBound.maxEnterprises`).
    static let maxEnterprises = ExactBound.maxEnterprises
    /// Integer columns a window may have: GLPK solves such a window's LP in well under a
    /// second here; the node limit keeps the search to a few seconds.
    var maxColumns = 4_000
    var wholeColumns = 3_000
    var nodeLimit = 1_000
    /// The whole window is larger: fewer nodes (each node's LP costs more).
    var wholeNodeLimit = 1_000
    /// GLPK's root simplex does not look at its time limit, and the roster's rebuild of a
    /// whole window and the draw's replay take seconds: a window is started only with this
    /// many seconds left, and twice the longest window so far (measured: a whole window of
    /// s200-92r started 10 s before the deadline ran 12 s past it under load 5.7). Only a
    /// time limit that binds decides by the clock.
    static let reserveSeconds = 15.0
    /// A whole window (every day, up to 3,000 columns) needs more: s200-92r's, started with
    /// about 20 s left, ran 4 s past the deadline under load 5.4 (GLPK's tree stops on time,
    /// the roster's rebuild of its 32 enterprises and the draw's replay do not).
    static let wholeReserveSeconds = 30.0
    /// Passes over the enterprises with work undone (a pass ends at the first improvement,
    /// which starts the next from the heaviest again).
    var passes = 12
    /// The reserves above are for an anytime solve. A work-limited one (`--windows N`) starts
    /// every window while the deadline has not passed (the deadline alone cuts it short), so
    /// that its plan does not depend on how fast this machine was (issue 21, item 3).
    var reserves = true

    struct Stats { var tried = 0; var improved = 0; var windows: [String] = [] }

    /// Whether the step runs on this district.
    static func applies(_ s: Scenario) -> Bool { s.enterprises.count <= maxEnterprises }

    /// The near window for seed `e0`: the days its departments can all meet it (its own
    /// visits' days too), the visits there that hold a member of them, and the days where
    /// those departments have visit slots free for the displaced visits to go to.
    func nearWindow(_ sched: Schedule, seed e0: Int, open: [Int: [Int]]) -> Window? {
        let ctx = sched.context
        let el = ctx.eligibility
        let ownVisits = (sched.visitsOf[e0] ?? []).compactMap { sched.visits[$0] }
        let items = (open[e0] ?? []) + ownVisits.flatMap { $0.checks.map(\.item) }
        let depts = Set(items.filter { !el.itemDelegable[$0] }.map { el.itemDepartment[$0] }.filter { $0 >= 0 })
        let meet = (0..<ctx.dayCount).filter { d in
            ctx.visitable[e0][d] && (open[e0] ?? []).contains { sched.dateAllows(e0, $0, day: d, onSite: true) }
                && depts.allSatisfy { el.onDuty($0, day: d, enterprise: e0) }
        }
        guard !meet.isEmpty else { return nil }
        var days = Set(meet).union(ownVisits.filter { !$0.pinned }.map(\.day))
        let town = ctx.enterpriseTown[e0]
        var others: [(Int, Int)] = []
        var seen: Set<Int> = [e0]
        for (_, v) in sched.liveVisits where !v.pinned && days.contains(v.day) && v.enterprise != e0 {
            if v.team.contains(where: { depts.contains(el.departmentOf[$0]) }), seen.insert(v.enterprise).inserted {
                others.append((ctx.travel[town][ctx.enterpriseTown[v.enterprise]], v.enterprise))
            }
        }
        others.sort { $0 < $1 }
        func columns(_ w: Window) -> Int? {
            guard let built = WindowBuilder(sched, w).build() else { return nil }
            return built.model.linearModel().0.columns.count
        }
        var enterprises = [e0]
        guard let c0 = columns(Window(kind: .loss, days: days.sorted(), enterprises: enterprises)), c0 <= maxColumns else { return nil }
        var total = c0
        for (_, e) in others {
            let c = columns(Window(kind: .loss, days: days.sorted(), enterprises: [e])) ?? 0
            if total + c <= maxColumns / 2 {
                enterprises.append(e)
                total += c
            }
        }
        var all = depts
        for e in enterprises.dropFirst() {
            for v in (sched.visitsOf[e] ?? []).compactMap({ sched.visits[$0] }) {
                for c in v.checks where !el.itemDelegable[c.item] && el.itemDepartment[c.item] >= 0 { all.insert(el.itemDepartment[c.item]) }
            }
        }
        var extra: [(Int, Int)] = []
        for d in 0..<ctx.dayCount where !days.contains(d) {
            var room = 0
            for dep in all {
                for p in el.certifiedByDepartment[dep] where el.available[p][d] {
                    room += max(0, ctx.maxVisits[p] - sched.day(p, d).slots.count)
                }
            }
            if room > 0 { extra.append((-room, d)) }
        }
        extra.sort { $0 < $1 }
        if let c = columns(Window(kind: .loss, days: (days.union(extra.map(\.1))).sorted(), enterprises: enterprises)), c <= maxColumns {
            days.formUnion(extra.map(\.1))
        } else {
            for (_, d) in extra {
                let w = Window(kind: .loss, days: (days.union([d])).sorted(), enterprises: enterprises)
                if let c = columns(w), c <= maxColumns { days.insert(d) }
            }
        }
        return Window(kind: .loss, days: days.sorted(), enterprises: enterprises)
    }

    /// The whole window for seed `e0`: every day, and as many of the district's
    /// enterprises as fit `maxColumns` (those competing for the seed's departments first).
    func wholeWindow(_ sched: Schedule, seed e0: Int, open: [Int: [Int]]) -> Window? {
        let ctx = sched.context
        let el = ctx.eligibility
        let ownVisits = (sched.visitsOf[e0] ?? []).compactMap { sched.visits[$0] }
        let items = (open[e0] ?? []) + ownVisits.flatMap { $0.checks.map(\.item) }
        let depts = Set(items.filter { !el.itemDelegable[$0] }.map { el.itemDepartment[$0] }.filter { $0 >= 0 })
        let meet = Set((0..<ctx.dayCount).filter { d in
            ctx.visitable[e0][d] && (open[e0] ?? []).contains { sched.dateAllows(e0, $0, day: d, onSite: true) }
                && depts.allSatisfy { el.onDuty($0, day: d, enterprise: e0) }
        })
        guard !meet.isEmpty else { return nil }
        // The whole quarter: a visit that makes room may go to any day, or split.
        let days = Array(0..<ctx.dayCount)
        func columns(_ es: [Int]) -> Int? {
            guard let built = WindowBuilder(sched, Window(kind: .loss, days: days, enterprises: es)).build() else { return nil }
            return built.model.linearModel().0.columns.count
        }
        guard let c0 = columns([e0]), c0 <= wholeColumns else { return nil }
        // Then, nearest first within each rank: (0) enterprises whose visits on those days hold
        // a member of a seed's department; (1) other enterprises with work undone; (2) those
        // whose visits on any day hold a member of one; (3) the rest with visits not pinned.
        let town = ctx.enterpriseTown[e0]
        var rank: [Int: Int] = [:]
        func offer(_ e: Int, _ r: Int) { if e != e0 { rank[e] = min(rank[e] ?? r, r) } }
        for (_, v) in sched.liveVisits where !v.pinned {
            let holds = v.team.contains { depts.contains(el.departmentOf[$0]) }
            offer(v.enterprise, holds ? (meet.contains(v.day) ? 0 : 2) : 3)
        }
        for e in open.keys { offer(e, 1) }
        let order = rank.keys.sorted { a, b in
            (rank[a]!, ctx.travel[town][ctx.enterpriseTown[a]], a) < (rank[b]!, ctx.travel[town][ctx.enterpriseTown[b]], b)
        }
        // A window's columns are its enterprises' own (options, teams, checks, remote checks):
        // each counted alone, once, and summed.
        var enterprises = [e0]
        var total = c0
        for e in order {
            let c = columns([e]) ?? 0
            if total + c <= wholeColumns {
                enterprises.append(e)
                total += c
            }
        }
        return Window(kind: .loss, days: days, enterprises: enterprises)
    }

    /// One window: GLPK warm-started from the incumbent, stopped by the node limit or once no
    /// solution can place another check or save a visit (an absolute gap under one visit's
    /// weight: what is left is minutes, which the descent after the search polishes); the
    /// answer rebuilt through the roster and drawn (rule 11) as the search's windows are.
    func improve(_ incumbent: Schedule, _ window: Window, deadline: Date, nodes: Int) -> Schedule? {
        guard let built = WindowBuilder(incumbent, window).build() else { return nil }
        let (model, layout) = built.model.linearModel()
        var params = SearchParameters()
        params.timeLimit = max(0.05, deadline.timeIntervalSinceNow)
        params.nodeLimit = nodes
        params.relativeGap = 0
        params.absoluteGap = WindowModel.visitWeight / 2
        params.presolve = false
        params.cuts = false
        params.scale = true
        params.feasibilityPump = false
        params.incumbent = built.warmStart(layout, columns: model.columns.count)
        guard let result = try? GLPKSolver.solve(model, params), result.status == .optimal || result.status == .feasible else { return nil }
        return Solver.drawTeams(built.rebuild(result.values, layout))
    }

    /// Windows seed by seed, heaviest work undone first; after an improvement the next pass
    /// starts again from the heaviest. Ends on a pass without gain, the passes, or `deadline`.
    func run(_ input: Schedule, deadline: Date, cancelled: () -> Bool = { false }) -> (Schedule, Stats) {
        var best = input
        var stats = Stats()
        var tried: Set<[Int]> = []
        var longest = 0.0
        for _ in 0..<passes {
            let ctx = best.context
            var open: [Int: [Int]] = [:]
            for u in best.unmet where WindowBuilder.movable(u.reason) { open[u.enterprise, default: []].append(u.item) }
            let seeds = open.keys.sorted { (-ctx.weight[$0], $0) < (-ctx.weight[$1], $1) }
            var gained = false
            seeds: for e0 in seeds {
                for whole in [false, true] {
                    let needed = reserves ? max(whole ? Self.wholeReserveSeconds : Self.reserveSeconds, 2 * longest) : 0
                    if deadline.timeIntervalSinceNow <= needed || cancelled() { return (best, stats) }
                    let began = Date()
                    defer { longest = max(longest, Date().timeIntervalSince(began)) }
                    guard let w = whole ? wholeWindow(best, seed: e0, open: open) : nearWindow(best, seed: e0, open: open) else { continue }
                    // The same window on the same plan gives the same answer: not solved twice.
                    let o = best.objective
                    let key = [o.onsiteVisits, Int(o.unmetWeighted * 1000), o.inspectorMinutes, e0] + w.days + [-1] + w.enterprises
                    guard tried.insert(key).inserted else { continue }
                    stats.tried += 1
                    stats.windows.append("\(ctx.scenario.enterprises[e0].id): \(w.days.count) days × \(w.enterprises.count) enterprises")
                    if let rebuilt = improve(best, w, deadline: deadline, nodes: whole ? wholeNodeLimit : nodeLimit),
                       case let candidate = Redraw().run(rebuilt, changedFrom: best).schedule,
                       candidate.objective < o {
                        best = candidate
                        stats.improved += 1
                        // Minutes alone: kept, but the seeds go on (no new pass for them).
                        if candidate.objective.unmetWeighted < o.unmetWeighted - 1e-9 || candidate.objective.onsiteVisits < o.onsiteVisits {
                            gained = true
                            break seeds
                        }
                    }
                }
            }
            if !gained { break }
        }
        return (best, stats)
    }
}

extension Solver {
    /// The exact windows of a small district (`ExactWindows`) on the plan kept, checked like
    /// every candidate; nil when it finds nothing better (or the district is not small).
    static func exactWindows(_ input: PlanningInput, calendar cal: WorkCalendar, context: PlanningContext, start: Candidate,
                             anytime: Bool = true, deadline: Date, cancel: Cancellation?) -> (candidate: Candidate?, note: String) {
        guard ExactWindows.applies(input.planning), start.plan.unmet.contains(where: { WindowBuilder.movable($0.reason) }),
              Date() < deadline, cancel?.isCancelled != true else { return (nil, "not run") }
        let frozen = Set(input.frozenVisits.map(\.id))
        let sched = Schedule(context, plan: start.plan, frozen: frozen)
        var step = ExactWindows()
        step.reserves = anytime
        let (improved, stats) = step.run(sched, deadline: deadline, cancelled: { cancel?.isCancelled == true })
        var note = "\(stats.tried) whole-quarter windows (\(stats.windows.prefix(6).joined(separator: "; "))), \(stats.improved) improved the plan"
        guard improved.objective < sched.objective else { return (nil, note) }
        let plan = finish(improved, start.plan, input, cal)
        let report = checker(input, context).check(plan)
        if let broken = report.violations.first(where: { $0.rule != 9 && $0.rule != 10 }) {
            return (nil, note + "; \(DroppedStart.breaksRule(broken.rule, broken.message))")
        }
        let missed = report.violations(rule: 9).count
        guard (missed, plan.objective) < (start.pinsMissed, start.plan.objective) else {
            return (nil, note + "; \(DroppedStart.notBetterThanStart)")
        }
        note += ": \(format(start.plan.objective)) → \(format(plan.objective))"
        return (Candidate(name: start.name.then(.search), plan: plan, pinsMissed: missed, pinMessages: start.pinMessages), note)
    }
}
