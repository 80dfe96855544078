import Foundation
import GLPK

/// The exact bounds of a small district (issue 22, item 4): the day-grouped program
/// (`DayGroupBound`, `Models/daygroup.mod`) with its counts integer, solved by GLPK's
/// branch and bound, first for the weighted unmet work, then — with the unmet work held at
/// that optimum — for the on-site visits.
///
/// Why it is a valid bound: `DayGroupBound` shows, rule by rule, that every valid plan gives
/// a solution of the program by counting its visits, checks and members per day group.
/// Those counts are integers, so every plan is also a solution of the integer program, and
/// its optimum (or the best bound of a search stopped early) is at most any plan's weighted
/// unmet work. The second stage minimises Σ V, the visits, over the solutions whose unmet
/// work is at most the first stage's proven optimum U*: every plan with weighted unmet work
/// U* is among them, so its visits are at least that minimum. A plan reaching both is
/// proven on the first two objectives of spec 3.2.
///
/// Only for small districts (`maxEnterprises`) and small programs (`maxColumns`): GLPK's
/// search is far behind the commercial solvers (`notes/glpk.md`); past that size the LP's
/// bound is all there is. Measured (docs/bench-exact.md): per-day programs of 2,000–3,000
/// columns end in under 100 nodes; at 14,500 columns (300 enterprises, 58 days) GLPK's root
/// simplex alone took 40 s and overran its time limit, so the cap is low. The search is bounded by nodes (`nodeLimit`, a work limit: the same
/// scenario gives the same bound when it ends before the deadline) and by the deadline.
struct ExactBound: Sendable {
    static let maxEnterprises = 300
    static let maxColumns = 6_000
    static let nodeLimit = 5_000

    struct Result: Sendable, Equatable {
        /// A lower bound on the weighted unmet work of every plan.
        var unmet: Double
        /// Whether `unmet` is the integer program's optimum (its search finished).
        var unmetOptimal: Bool
        /// A lower bound on the on-site visits of every plan whose weighted unmet work is
        /// `unmet` (only when `unmetOptimal`).
        var visits: Int?
        var note: String
    }

    let day: DayGroupBound

    /// Every working day a group of its own when the program stays small enough that way,
    /// else days grouped as the LP groups them.
    init(scenario: Scenario, duties: Duties, calendar: WorkCalendar, capUsed: [Int: Int] = [:]) {
        let perDay = DayGroupBound(scenario: scenario, duties: duties, calendar: calendar, capUsed: capUsed, maxGroups: Int.max, perDay: true)
        if perDay.build(integer: true).model.columns.count <= Self.maxColumns {
            day = perDay
        } else {
            day = DayGroupBound(scenario: scenario, duties: duties, calendar: calendar, capUsed: capUsed)
        }
    }

    /// Whether a district is small enough for the exact bounds.
    static func applies(_ s: Scenario) -> Bool { s.enterprises.count <= maxEnterprises }

    /// Both stages, on the calling thread, until `deadline` or `stop`.
    func solve(deadline: Date, stop: @escaping @Sendable () -> Bool) -> Result {
        let built = day.build(integer: true)
        let m = built.model
        guard m.columns.count <= Self.maxColumns else {
            return Result(unmet: 0, unmetOptimal: false, visits: nil,
                          note: "exact bound: \(m.columns.count) columns, over \(Self.maxColumns); not run")
        }
        var p = SearchParameters()
        p.timeLimit = max(0.05, deadline.timeIntervalSinceNow)
        p.relativeGap = 0
        p.absoluteGap = day.integral ? 0.999 : 1e-9
        // Presolve off: the root LP's bound is known even when the search is stopped at once.
        p.presolve = false
        p.nodeLimit = Self.nodeLimit
        // No cuts and no feasibility pump: GLPK checks its time limit and the callback between
        // nodes, and both ran tens of seconds past the deadline on 3,000 rows (measured: a
        // solve at --time-limit 20 took 28 s). The bound needs nodes, not incumbents.
        p.cuts = false
        p.feasibilityPump = false
        // Driebeck–Tomlin branching, as glpsol: GLPK's pseudo-cost branching solves
        // LPs for every fractional column before it branches: 3 nodes in 20 s where glpsol's
        // default branching proves the same program in 1.5 s (u100-81, 3,059 columns).
        p.pseudoCostBranching = false
        p.shouldStop = { stop() || deadline.timeIntervalSinceNow < 0.05 }
        guard deadline.timeIntervalSinceNow > 0.05, !stop(), let r = try? GLPKSolver.solve(m, p) else {
            return Result(unmet: 0, unmetOptimal: false, visits: nil, note: "exact bound: not run or rejected")
        }
        var b = max(0, r.bound ?? 0)
        if day.integral { b = (b - 1e-6 * max(1, abs(day.constant))).rounded(.up) }
        b = max(0, b)
        let size = "\(day.groups.count) day groups, \(m.rows.count) rows × \(m.columns.count) integer columns"
        // Proven: the search finished, or (integral weights) its incumbent, an integer, is
        // within 1 of the bound rounded up, so equal to it.
        let proven = r.objective != nil && (r.status == .optimal || (day.integral && r.objective! <= b + 0.5))
        guard proven, let optimum = r.objective else {
            return Result(unmet: b, unmetOptimal: false, visits: nil,
                          note: "exact bound (\(size)): \(r.status.rawValue), \(r.nodes) nodes, unmet ≥ \(JSON.format(b))")
        }
        // The optimum U*: with integral weights the search's incumbent rounded; else as found.
        let uStar = day.integral ? max(b, optimum.rounded()) : optimum
        // Stage 2: the fewest visits with the unmet work at most U*.
        var v = m
        var done: [(column: Int, value: Double)] = []
        for (j, c) in m.columns.enumerated() {
            if c.cost != 0 { done.append((j, -c.cost)) }
            v.setCost(j, 0)
        }
        v.objectiveConstant = 0
        for j in built.visitColumns { v.setCost(j, 1) }
        // constant − Σ w·done ≤ U*  ⇔  Σ w·done ≥ constant − U* (a hair of slack for rounding).
        if !done.isEmpty { v.addRow("unmet", done, lower: day.constant - uStar - 1e-6) }
        var q = p
        q.absoluteGap = 0.999
        q.timeLimit = max(0.05, deadline.timeIntervalSinceNow)
        // Stage 1's solution has the unmet work U*: a first solution of stage 2.
        q.incumbent = r.values.count == v.columns.count ? r.values : nil
        guard deadline.timeIntervalSinceNow > 0.05, !stop(), let s = try? GLPKSolver.solve(v, q), let vb = s.bound else {
            return Result(unmet: uStar, unmetOptimal: true, visits: nil,
                          note: "exact bound (\(size)): unmet optimum \(JSON.format(uStar)) in \(r.nodes) nodes; visits not bounded")
        }
        let visits = max(0, Int((vb - 1e-6).rounded(.up)))
        return Result(unmet: uStar, unmetOptimal: true, visits: visits,
                      note: "exact bound (\(size)): unmet optimum \(JSON.format(uStar)) in \(r.nodes) nodes; "
                          + "visits ≥ \(visits) (\(s.status.rawValue), \(s.nodes) nodes)")
    }
}
