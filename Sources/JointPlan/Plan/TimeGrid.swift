import Foundation

/// What the start-time grid did to a plan.
public struct TimeGridResult: Sendable, Equatable {
    /// The grid in minutes (1 or less: off).
    public var minutes: Int
    /// Visits whose start was moved onto the grid.
    public var moved: Int
    /// Visits off the grid that could not move (no grid time fits, or a pinned start).
    public var left: Int
    public init(minutes: Int, moved: Int, left: Int) { self.minutes = minutes; self.moved = moved; self.left = left }

    public var json: JSON {
        .object(JSONObject([("minutes", .int(minutes)), ("moved", .int(moved)), ("left", .int(left))]))
    }
}

/// Announceable start times (issue 14, item 4): a post-pass on a solved plan that moves each
/// visit's start to a multiple of `minutes` (09:15, not 09:19) where every team member's day
/// still fits, and leaves it where it is otherwise — so every plan stays valid.
///
/// A visit keeps its length and, for each member, its place in the member's day: it moves
/// only between the member's previous visit's end plus the travel from there and the next
/// visit's start minus the travel to it (spec 3.1 rule 4), inside the day window and clear of
/// the breaks (rule 1). So visit minutes, travel and the order of every inspector's day are
/// unchanged, and with them the objective, the KPIs and the working-minutes budget of rule 4:
/// the grid costs no inspector minute; what it costs is the visits it cannot move. A pinned
/// visit with a pinned start (rule 9) keeps it; visits before `from` (a re-plan's frozen part)
/// are not touched. Of the two nearest grid times the closer is tried first (earlier on a tie),
/// in chronological order, twice (a neighbour moved in the first pass may make room).
public enum TimeGrid {
    /// 15 minutes: the quarter hours an office announces (docs/decisions.md).
    public static let defaultMinutes = 15

    /// `keep`: ids of visits that stay exactly where they are (a re-plan's kept visits, issue 21).
    /// `deadline`: the grid is optional work; past it (`now`, a clock tests can set) the plan
    /// is returned as it is — before the grid starts, or with every move undone when it
    /// passes while the grid works (before rule 11's replay, the costly part) — so that a
    /// time limit holds (issue 21, item 4). The plan stays valid either way.
    public static func apply(_ plan: Plan, scenario s: Scenario, minutes grid: Int, from: Day? = nil, keep: Set<String> = [],
                             deadline: Date? = nil, now: () -> Date = Date.init) -> (Plan, TimeGridResult) {
        guard grid > 1, grid <= 240 else { return (plan, TimeGridResult(minutes: grid, moved: 0, left: 0)) }
        func untouched() -> (Plan, TimeGridResult) {
            let left = plan.visits.filter { v in
                v.start % grid != 0 && !(from.map { v.date < $0 } ?? false) && !keep.contains(v.id)
            }.count
            return (plan, TimeGridResult(minutes: grid, moved: 0, left: left))
        }
        func late() -> Bool { deadline.map { now() >= $0 } ?? false }
        if late() { return untouched() }
        let calendar = WorkCalendar(s.horizon)
        var visits = plan.visits
        var days: [String: [Day: [Int]]] = [:]
        for (i, v) in visits.enumerated() { for p in Set(v.inspectors) { days[p, default: [:]][v.date, default: []].append(i) } }
        var pinnedStarts = Set<String>()
        for pin in s.pinned { if let t = pin.start { pinnedStarts.insert("\(pin.enterprise)|\(pin.date)|\(t)") } }
        func town(_ i: Int) -> String { s.enterprise(visits[i].enterprise)?.town ?? "" }

        /// The window [earliest, latest] of starts visit i may take without changing any member's order.
        func fits(_ i: Int, _ start: Int) -> Bool {
            let v = visits[i]
            let end = start + (v.end - v.start)
            guard start >= s.horizon.dayStart, end <= s.horizon.dayEnd,
                  !calendar.overlapsBreak(start: start, end: end) else { return false }
            for p in Set(v.inspectors) {
                let mine = (days[p]?[v.date] ?? []).sorted { (visits[$0].start, visits[$0].end, visits[$0].id) < (visits[$1].start, visits[$1].end, visits[$1].id) }
                guard let k = mine.firstIndex(of: i) else { continue }
                if k > 0 {
                    let prev = mine[k - 1]
                    if start < visits[prev].end + s.travel(town(prev), town(i)) { return false }
                }
                if k + 1 < mine.count {
                    let next = mine[k + 1]
                    if visits[next].start < end + s.travel(town(i), town(next)) { return false }
                    // A tie on start would reorder the day by end or id: keep the order strict.
                    if visits[next].start <= start { return false }
                }
            }
            return true
        }

        let order = visits.indices.sorted { (visits[$0].date, visits[$0].start, visits[$0].id) < (visits[$1].date, visits[$1].start, visits[$1].id) }
        var moved = Set<Int>()
        for _ in 0..<2 {
            for (n, i) in order.enumerated() {
                if n % 256 == 255, late() { return untouched() }
                let v = visits[i]
                guard v.start % grid != 0 else { continue }
                if let from, v.date < from { continue }
                if keep.contains(v.id) { continue }
                if pinnedStarts.contains("\(v.enterprise)|\(v.date)|\(v.start)") { continue }
                let down = v.start - v.start % grid, up = down + grid
                let candidates = (v.start - down) <= (up - v.start) ? [down, up] : [up, down]
                for c in candidates where fits(i, c) {
                    let length = v.end - v.start
                    visits[i].start = c
                    visits[i].end = c + length
                    moved.insert(i)
                    break
                }
            }
        }
        // Rule 11: a start moved on the grid changes the replay (who is free at whose turn).
        // The replay is independent from one date to another, so on each date where the
        // grid broke a draw, every visit goes back where the solver put it.
        if late() { return untouched() }
        if s.policy.inspectorDispatch == .random && !moved.isEmpty {
            var trial = plan
            trial.visits = visits
            let draw = TeamDraw(s, calendar, seed: plan.seed)
            let broken = Set(DrawReplay.violations(trial, draw: draw).map { trial.visits[$0.index].date })
            if !broken.isEmpty {
                for i in visits.indices where broken.contains(visits[i].date) {
                    visits[i] = plan.visits[i]
                    moved.remove(i)
                }
            }
        }
        let left = visits.indices.filter { i in
            visits[i].start % grid != 0 && !(from.map { visits[i].date < $0 } ?? false) && !keep.contains(visits[i].id)
        }.count
        var out = plan
        out.visits = visits
        return (out, TimeGridResult(minutes: grid, moved: moved.filter { visits[$0].start % grid == 0 }.count, left: left))
    }
}
