import Foundation

/// What every construction and improvement stage reads about the scenario being planned,
/// computed once: indexes, travel, availability, the rules' inputs. Immutable.
final class PlanningContext: Sendable {
    let scenario: Scenario
    let calendar: WorkCalendar
    let window: DayWindow
    let eligibility: Eligibility
    /// Rule 11: who goes (the one home for choosing members).
    let draw: TeamDraw
    let duties: Duties
    /// travel[a][b] in minutes between town indexes.
    let travel: [[Int]]
    let enterpriseTown: [Int]
    let maxVisits: [Int]
    let weight: [Double]
    /// Visits each enterprise may still have (cap less a re-plan's frozen visits).
    let cap: [Int]
    /// Occurrence numbers still to plan per pair key (a re-plan); else 1…count.
    let remaining: [Int: [Int]]
    let itemCount: Int
    /// lastChecked per pair key.
    let lastChecked: [Int: Day]
    /// For each enterprise, on each working day: not in its blackout.
    let visitable: [[Bool]]

    init(_ s: Scenario, _ cal: WorkCalendar, duties: Duties, capUsed: [Int: Int] = [:], remaining: [Int: [Int]] = [:]) {
        scenario = s
        calendar = cal
        window = DayWindow(cal)
        eligibility = Eligibility(s, cal)
        draw = TeamDraw(s, cal, seed: duties.seed, eligibility: eligibility)
        self.duties = duties
        travel = s.towns.map { a in s.towns.map { b in s.travel(a.id, b.id) } }
        enterpriseTown = s.enterprises.map { s.townIndex[$0.town] ?? 0 }
        maxVisits = s.inspectors.map { s.maxVisitsPerDay(of: $0) }
        weight = s.enterprises.map { s.policy.unmetWeight[$0.tier] }
        cap = s.enterprises.indices.map { OnsiteCapRule.remaining(s, enterprise: $0, used: capUsed[$0] ?? 0) }
        self.remaining = remaining
        itemCount = max(1, s.items.count)
        var last: [Int: Day] = [:]
        for (e, ent) in s.enterprises.enumerated() {
            for (id, d) in ent.lastChecked { if let i = s.itemIndex[id] { last[e * max(1, s.items.count) + i] = d } }
        }
        lastChecked = last
        visitable = s.enterprises.map { ent in cal.days.map { BlackoutRule.allowsVisit(ent, on: $0) } }
    }

    var dayCount: Int { calendar.days.count }
    func key(_ e: Int, _ i: Int) -> Int { e * itemCount + i }
    func item(_ i: Int) -> Item { scenario.items[i] }
    var minTeam: Int { max(1, scenario.policy.minInspectorsPerVisit) }
    var baseMinutes: Int { scenario.policy.visitBaseMinutes }
}

/// One on-site visit of a schedule: enterprise, working day, time, team and checks (item and
/// performer; occurrences are numbered when the plan is written, in date order).
struct PlannedVisit: Sendable, Equatable {
    var enterprise: Int
    var day: Int
    var start: Int
    var end: Int
    var team: [Int]
    var checks: [(item: Int, performer: Int)]
    var pinned = false
    /// Where the visit comes among visits of the same day and start in rule 11's replay and in
    /// the plan's visit ids, before the enterprise's id: 0 for every visit of a solve (ids
    /// then follow enterprise ids); a re-plan gives the base plan's kept visits their base
    /// order (negative), so the draw replays them as the base plan's ids do (issue 21).
    var replayKey = 0

    static func == (a: PlannedVisit, b: PlannedVisit) -> Bool {
        a.enterprise == b.enterprise && a.day == b.day && a.start == b.start && a.end == b.end && a.team == b.team
            && a.checks.map(\.item) == b.checks.map(\.item) && a.checks.map(\.performer) == b.checks.map(\.performer)
    }
}

struct PlannedRemote: Sendable, Equatable {
    var enterprise: Int
    var item: Int
    var day: Int
    var inspector: Int
}

struct OpenCheck: Sendable, Equatable {
    var enterprise: Int
    var item: Int
    var reason: UnmetReason
}

/// A plan under construction, as a value: every inspector-day's timeline, the visits, remote
/// checks and the checks still unmet. Stages take a schedule and return a better one; all
/// changes go through `add`/`remove`, which keep the timelines, the dates of each pair's
/// checks and each enterprise's visits consistent.
struct Schedule: Sendable {
    let context: PlanningContext
    /// days[p * dayCount + d]
    private(set) var days: [InspectorDay]
    /// nil where a visit was removed.
    private(set) var visits: [PlannedVisit?] = []
    private(set) var remote: [PlannedRemote] = []
    var unmet: [OpenCheck] = []
    /// Dates (working-day indexes) of every performed check per pair key.
    private(set) var checkDays: [Int: [Int]] = [:]
    private(set) var visitsOf: [Int: [Int]] = [:]
    /// Visits each inspector's day holds, day-major (`[d * inspectors + p]`): the draw's
    /// staffing counts a department's free members on one day, and `days` (inspector-major)
    /// made that a cache miss per member (issue 22, the city's first start).
    private(set) var heldCounts: [UInt16]
    private let inspectorCount: Int

    init(_ context: PlanningContext) {
        self.context = context
        days = Array(repeating: InspectorDay(), count: context.scenario.inspectors.count * max(1, context.dayCount))
        inspectorCount = context.scenario.inspectors.count
        heldCounts = Array(repeating: UInt16(0), count: context.scenario.inspectors.count * max(1, context.dayCount))
    }

    func day(_ p: Int, _ d: Int) -> InspectorDay { days[p * context.dayCount + d] }

    /// `day(p, d).slots.count`, read from the day-major counts.
    @inline(__always)
    func visitsHeld(_ p: Int, _ d: Int) -> Int { Int(heldCounts[d * inspectorCount + p]) }

    func visitCount(_ e: Int) -> Int { visitsOf[e]?.count ?? 0 }

    /// Rule 7 (spacing) and the blackout for a check of item `i` at enterprise `e` on day `d`.
    func dateAllows(_ e: Int, _ i: Int, day d: Int, onSite: Bool, ignoring: Int? = nil) -> Bool {
        if onSite && !context.visitable[e][d] { return false }
        let spacing = context.item(i).minSpacingDays
        let cal = context.calendar.days
        // Without spacing only lastChecked binds (a check may not precede it).
        guard spacing > 0 else { return SpacingRule.allows(cal[d], spacing: 0, lastChecked: context.lastChecked[context.key(e, i)], others: []) }
        var others = (checkDays[context.key(e, i)] ?? []).map { cal[$0] }
        if let skip = ignoring, let k = others.firstIndex(of: cal[skip]) { others.remove(at: k) }
        return SpacingRule.allows(cal[d], spacing: spacing, lastChecked: context.lastChecked[context.key(e, i)], others: others)
    }

    /// Minutes inspector `p` would add on day `d` for `[start, start+length)` at `town`, or nil.
    func cost(_ p: Int, _ d: Int, start: Int, length: Int, town: Int) -> Int? {
        day(p, d).cost(start: start, length: length, town: town, maxVisits: context.maxVisits[p],
                       budget: context.window.workingMinutes, travel: context.travel)
    }

    /// Adds a visit; `id` puts it back under the index of a removed one (ids stay stable).
    @discardableResult
    mutating func add(_ v: PlannedVisit, as reused: Int? = nil) -> Int {
        let id: Int
        if let r = reused, r < visits.count, visits[r] == nil {
            id = r
            visits[r] = v
        } else {
            id = visits.count
            visits.append(v)
        }
        let town = context.enterpriseTown[v.enterprise]
        for p in v.team {
            days[p * context.dayCount + v.day].insert(.init(start: v.start, end: v.end, town: town, visit: id), travel: context.travel)
            heldCounts[v.day * inspectorCount + p] = UInt16(clamping: days[p * context.dayCount + v.day].slots.count)
        }
        for c in v.checks { checkDays[context.key(v.enterprise, c.item), default: []].append(v.day) }
        visitsOf[v.enterprise, default: []].append(id)
        return id
    }

    /// Adds a visit under id `id`, which must be free (the ids below it that are not used stay
    /// free): for a stage rebuilding a schedule that keeps some visits' ids.
    mutating func place(_ v: PlannedVisit, at id: Int) {
        if id >= visits.count { visits += Array(repeating: nil, count: id + 1 - visits.count) }
        precondition(visits[id] == nil, "visit id \(id) is taken")
        add(v, as: id)
    }

    mutating func remove(visit id: Int) {
        guard let v = visits[id] else { return }
        for p in v.team {
            days[p * context.dayCount + v.day].remove(visit: id, travel: context.travel)
            heldCounts[v.day * inspectorCount + p] = UInt16(clamping: days[p * context.dayCount + v.day].slots.count)
        }
        for c in v.checks { removeDate(context.key(v.enterprise, c.item), v.day) }
        visitsOf[v.enterprise]?.removeAll { $0 == id }
        visits[id] = nil
    }

    mutating func addRemote(_ r: PlannedRemote) {
        remote.append(r)
        days[r.inspector * context.dayCount + r.day].addRemote(context.item(r.item).remoteMinutes)
        checkDays[context.key(r.enterprise, r.item), default: []].append(r.day)
    }

    private mutating func removeDate(_ key: Int, _ d: Int) {
        if let k = checkDays[key]?.firstIndex(of: d) { checkDays[key]!.remove(at: k) }
    }

    var liveVisits: [(id: Int, visit: PlannedVisit)] {
        visits.enumerated().compactMap { id, v in v.map { (id, $0) } }
    }

    /// The lexicographic objective of spec 3.2, computed on the schedule (the plan's
    /// `Evaluation` recomputes it; a test holds the two equal).
    var objective: Objective {
        let u = unmet.reduce(0.0) { $0 + context.weight[$1.enterprise] }
        var minutes = 0
        for d in days { minutes += d.used }
        return Objective(unmetWeighted: u, onsiteVisits: visits.reduce(0) { $0 + ($1 == nil ? 0 : 1) }, inspectorMinutes: minutes)
    }
}

// MARK: - Staffing one visit

extension Schedule {
    /// Who performs which check in a team: longest checks first, each to the eligible member
    /// with the least load (ties: a member of the item's own department). Returns the
    /// performers and the visit's length (base + the busiest member's minutes, spec rule 1),
    /// or nil when some check has no eligible member.
    func assignPerformers(_ items: [Int], team: [Int]) -> (performers: [Int], length: Int)? {
        let el = context.eligibility
        var load = Array(repeating: 0, count: team.count)
        var performer = Array(repeating: -1, count: items.count)
        let order = items.indices.sorted {
            let a = context.item(items[$0]).minutes, b = context.item(items[$1]).minutes
            return a != b ? a > b : $0 < $1
        }
        for k in order {
            let i = items[k]
            var best: (Int, Int, Int)? // (load, foreign, member)
            for (m, p) in team.enumerated() where el.mayPerform(p, item: i) {
                let key = (load[m], el.departmentOf[p] == el.itemDepartment[i] ? 0 : 1, m)
                if best == nil || key < best! { best = key }
            }
            guard let b = best else { return nil }
            performer[k] = team[b.2]
            load[b.2] += context.item(i).minutes
        }
        return (performer, context.baseMinutes + (load.max() ?? 0))
    }

    /// Departments whose inspector a visit with these checks needs (non-delegable items).
    func neededDepartments(_ items: [Int]) -> [Int] {
        Array(Set(items.filter { !context.eligibility.itemDelegable[$0] }.map { context.eligibility.itemDepartment[$0] })).sorted()
    }

    /// What inspector `p`'s day `d` holds when the rule 11 replay reaches a new visit of
    /// enterprise `e` starting at `start`: remote checks, pinned visits, and the visits that
    /// come before it in (date, start, enterprise id) order.
    func heldDay(_ p: Int, _ d: Int, before start: Int, enterprise e: Int) -> InspectorDay {
        let full = day(p, d)
        // No visit that day: what the replay holds is the day itself (its remote minutes).
        if full.slots.isEmpty { return full }
        let rank = context.draw.enterpriseRank
        var held = InspectorDay()
        if full.remoteMinutes > 0 { held.addRemote(full.remoteMinutes) }
        for slot in full.slots {
            guard let v = visits[slot.visit] else { continue }
            if v.pinned || (slot.start, rank[v.enterprise]) <= (start, rank[e]) { held.insert(slot, travel: context.travel) }
        }
        return held
    }

    /// Candidate start times for a visit at `town` on day `d`: every stretch start and the
    /// moment each candidate inspector can arrive after one of their visits.
    func candidateStarts(_ pool: [Int], _ d: Int, town: Int) -> [Int] {
        var c = Set(context.window.stretchStarts)
        for p in pool {
            for s in day(p, d).slots { c.insert(s.end + context.travel[s.town][town]) }
        }
        return c.sorted()
    }
}
