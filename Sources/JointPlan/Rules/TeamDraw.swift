import Foundation

/// Spec 3.1 rule 11 (双随机, second half: 随机选派执法检查人员) — the one home for choosing
/// who goes on a visit. Every enterprise has a public random order of each department's
/// inspectors (the ticket, `Draw.ticket`); a visit's members of a department are the first
/// *k* of that order who are *eligible* (rule 2: certified, available that day, not recused)
/// and *free* (rule 4: the visit added to what their day holds so far in the replay).
///
/// Construction, every improvement stage, the window search's rebuild, re-plan, the checker
/// (`PlanChecker`, rule 11) and `explain` all call it; none picks a member another way.
/// Under `policy.inspectorDispatch = "optimised"` (key supervision, 重点监管) the planner
/// picks members and `isRandom` is false.
public final class TeamDraw: Sendable {
    public let scenario: Scenario
    public let seed: UInt64
    public let isRandom: Bool
    let eligibility: Eligibility
    let calendar: WorkCalendar
    /// travel[a][b] in minutes between town indexes.
    let travel: [[Int]]
    let enterpriseTown: [Int]
    let maxVisits: [Int]
    let workingMinutes: Int
    /// Every inspector of each department (certified or not: the order is public), file order.
    let members: [[Int]]
    /// Each enterprise's place in byte order of ids: visits are replayed in (date, start, id)
    /// order, and visit ids follow (date, start, enterprise id) — `Schedule.write`.
    public let enterpriseRank: [Int]
    private let orders: Locked<[Int: [Int]]>
    /// Issue 22 (the city's first start): what `order` and `ineligible` read, laid out for
    /// the inner loops — each department's member ids as bytes (the ticket keys) and their
    /// place in byte order of ids (the ticket ties); who is certified, who has recusals at
    /// all; and `available` day-major (`[d * inspectors + p]`), so that a scan of one day's
    /// department reads one short row instead of a row per inspector.
    private let memberIDBytes: [[[UInt8]]]
    /// The same ids laid end to end per department, and where each ends (`Draw.tickets`).
    private let memberIDs: [(ids: [UInt8], ends: [Int])]
    private let idRank: [Int]
    private let certified: [Bool]
    private let hasRecusals: [Bool]
    private let availableByDay: [Bool]
    private let inspectorCount: Int

    /// `sharing`: a draw of the same scenario and seed whose ticket orders this one reuses
    /// (the first start's check replays the draw its construction made: issue 22). Ignored
    /// unless its seed, enterprise ids and department members are this draw's.
    public init(_ s: Scenario, _ cal: WorkCalendar, seed: UInt64? = nil, eligibility: Eligibility? = nil, sharing other: TeamDraw? = nil) {
        scenario = s
        calendar = cal
        self.seed = seed ?? s.policy.seed
        isRandom = s.policy.inspectorDispatch == .random
        let el = eligibility ?? Eligibility(s, cal)
        self.eligibility = el
        travel = s.towns.map { a in s.towns.map { b in s.travel(a.id, b.id) } }
        enterpriseTown = s.enterprises.map { s.townIndex[$0.town] ?? 0 }
        maxVisits = s.inspectors.map { s.maxVisitsPerDay(of: $0) }
        workingMinutes = cal.workingMinutes
        var byDept = Array(repeating: [Int](), count: s.departments.count)
        for (p, ins) in s.inspectors.enumerated() {
            if let d = s.departmentIndex[ins.department] { byDept[d].append(p) }
        }
        members = byDept
        var rank = Array(repeating: 0, count: s.enterprises.count)
        for (r, e) in s.enterprises.indices.sorted(by: { Array(s.enterprises[$0].id.utf8).lexicographicallyPrecedes(Array(s.enterprises[$1].id.utf8)) }).enumerated() {
            rank[e] = r
        }
        enterpriseRank = rank
        memberIDBytes = byDept.map { ps in ps.map { Array(s.inspectors[$0].id.utf8) } }
        memberIDs = memberIDBytes.map { ids in
            var ends: [Int] = []
            for id in ids { ends.append((ends.last ?? 0) + id.count) }
            return (Array(ids.joined()), ends)
        }
        var idr = Array(repeating: 0, count: s.inspectors.count)
        for (r, p) in s.inspectors.indices.sorted(by: { Array(s.inspectors[$0].id.utf8).lexicographicallyPrecedes(Array(s.inspectors[$1].id.utf8)) }).enumerated() {
            idr[p] = r
        }
        idRank = idr
        certified = s.inspectors.map(\.certified)
        hasRecusals = el.recused.map { !$0.isEmpty }
        let n = s.inspectors.count
        inspectorCount = n
        var byDay = Array(repeating: false, count: n * cal.days.count)
        for p in 0..<min(n, el.available.count) {
            for (d, ok) in el.available[p].enumerated() where ok && d < cal.days.count { byDay[d * n + p] = true }
        }
        availableByDay = byDay
        if let o = other, o.seed == self.seed, o.members == members, o.memberIDBytes == memberIDBytes,
           o.scenario.enterprises.count == s.enterprises.count,
           zip(o.scenario.enterprises, s.enterprises).allSatisfy({ $0.id == $1.id }) {
            orders = o.orders
        } else {
            orders = Locked([:])
        }
    }

    // MARK: the public order

    /// Department `d`'s inspectors in ticket order for enterprise `e` (smaller ticket first,
    /// ties by id in byte order): the order anyone can re-derive from the seed.
    public func order(enterprise e: Int, department d: Int) -> [Int] {
        guard d >= 0, d < members.count else { return [] }
        let key = e * max(1, members.count) + d
        if let o = orders.withLock({ $0[key] }) { return o }
        let o = computeOrder(enterprise: e, department: d)
        orders.withLock { $0[key] = o }
        return o
    }

    /// `order` without the cache: the tickets hashed from the member ids' bytes, sorted by
    /// (ticket, place of the id in byte order) — the same order as `referenceOrder`.
    private func computeOrder(enterprise e: Int, department d: Int) -> [Int] {
        let tickets = Draw.tickets(seed: seed, enterprise: scenario.enterprises[e].id, ids: memberIDs[d].ids, ends: memberIDs[d].ends)
        let idRank = self.idRank
        var keyed = Array(zip(tickets, members[d]))
        keyed.sort { a, b in a.0 != b.0 ? a.0 < b.0 : idRank[a.1] < idRank[b.1] }
        return keyed.map(\.1)
    }

    /// The order as rule 11 states it, computed the plain way (tests hold `order` to it).
    func referenceOrder(enterprise e: Int, department d: Int) -> [Int] {
        guard d >= 0, d < members.count else { return [] }
        let eid = scenario.enterprises[e].id
        let keyed = members[d].map { p in (Draw.ticket(seed: seed, enterprise: eid, inspector: scenario.inspectors[p].id), p) }
        return keyed.sorted { a, b in
            a.0 != b.0 ? a.0 < b.0 : Array(scenario.inspectors[a.1].id.utf8).lexicographicallyPrecedes(Array(scenario.inspectors[b.1].id.utf8))
        }.map(\.1)
    }

    /// Inspector `p`'s ticket for enterprise `e` as a number in [0, 1).
    public func ticket(enterprise e: Int, inspector p: Int) -> Double {
        Draw.unit(Draw.ticket(seed: seed, enterprise: scenario.enterprises[e].id, inspector: scenario.inspectors[p].id))
    }

    // MARK: pinned visits

    /// Rule 11's reading of a pinned visit: a visit to the pin's enterprise on its date,
    /// starting at its start if given, whose team holds every inspector it names. Such a
    /// visit's team is the planner's choice and takes no part in the draw.
    public func isPinned(enterprise e: Int, day d: Int, start: Int, team: [Int]) -> Bool {
        guard !scenario.pinned.isEmpty else { return false }
        return TeamDraw.isPinned(enterprise: scenario.enterprises[e].id, date: calendar.days[d], start: start,
                                 team: team.map { scenario.inspectors[$0].id }, scenario: scenario)
    }

    /// The same reading on a plan's visit.
    public static func isPinned(_ v: Visit, scenario s: Scenario) -> Bool {
        isPinned(enterprise: v.enterprise, date: v.date, start: v.start, team: v.inspectors, scenario: s)
    }

    static func isPinned(enterprise: String, date: Day, start: Int, team: [String], scenario s: Scenario) -> Bool {
        s.pinned.contains { pin in
            pin.enterprise == enterprise && pin.date == date && (pin.start == nil || pin.start == start)
                && pin.inspectors.allSatisfy(team.contains)
        }
    }

    // MARK: who is a candidate

    /// Why inspector `p` is not eligible for a visit to `e` on working day `d` (rule 2), or nil.
    public enum Ineligible: Sendable, Equatable { case notCertified, unavailable, recused }

    public func ineligible(_ p: Int, enterprise e: Int, day d: Int) -> Ineligible? {
        if !certified[p] { return .notCertified }
        if !availableByDay[d * inspectorCount + p] { return .unavailable }
        if hasRecusals[p] && eligibility.recused[p].contains(e) { return .recused }
        return nil
    }

    /// `ineligible(p, enterprise: e, day: d) == nil`, for the inner loops.
    @inline(__always)
    func isEligible(_ p: Int, enterprise e: Int, day d: Int) -> Bool {
        availableByDay[d * inspectorCount + p] && !(hasRecusals[p] && eligibility.recused[p].contains(e))
    }

    /// The departments of a team and how many members each has, departments in id order
    /// (rule 11 draws them in that order; a member of no department is left to rule 2).
    public func counts(_ team: [Int]) -> [(department: Int, count: Int)] {
        var n: [Int: Int] = [:]
        for p in team where eligibility.departmentOf[p] >= 0 { n[eligibility.departmentOf[p], default: 0] += 1 }
        let s = scenario
        return n.keys.sorted { s.departments[$0].id.utf8.lexicographicallyPrecedes(s.departments[$1].id.utf8) }.map { ($0, n[$0]!) }
    }

    // MARK: the draw of one visit

    /// Rule 4 with the visit `[start, end)` at enterprise `e` added to `held`, what inspector
    /// `p`'s day holds so far in the replay.
    public func isFree(_ p: Int, held: InspectorDay, enterprise e: Int, start: Int, end: Int) -> Bool {
        held.cost(start: start, length: end - start, town: enterpriseTown[e], maxVisits: maxVisits[p],
                  budget: workingMinutes, travel: travel) != nil
    }

    /// The first `k` of department `dep` in enterprise `e`'s order who are eligible on day `d`
    /// and free for the visit given `held` (each inspector's day so far), fewer when there
    /// are not that many.
    public func candidates(department dep: Int, count k: Int, enterprise e: Int, day d: Int, start: Int, end: Int,
                           held: (Int) -> InspectorDay) -> [Int] {
        guard k > 0 else { return [] }
        var out: [Int] = []
        for p in order(enterprise: e, department: dep) {
            guard isEligible(p, enterprise: e, day: d), isFree(p, held: held(p), enterprise: e, start: start, end: end) else { continue }
            out.append(p)
            if out.count == k { break }
        }
        return out
    }

    /// The drawn team of a visit with `counts` members per department (departments in id
    /// order, as `counts(_:)` gives them), or the first department the draw cannot staff.
    public func team(_ counts: [(department: Int, count: Int)], enterprise e: Int, day d: Int, start: Int, end: Int,
                     held: (Int) -> InspectorDay) -> Result<[Int], Shortage> {
        var team: [Int] = []
        for (dep, k) in counts {
            let c = candidates(department: dep, count: k, enterprise: e, day: d, start: start, end: end, held: held)
            if c.count < k { return .failure(Shortage(department: dep, wanted: k, found: c.count)) }
            team += c
        }
        return .success(team)
    }

    /// A department the draw cannot staff with as many members as the visit wants.
    public struct Shortage: Error, Sendable, Equatable {
        public var department: Int
        public var wanted: Int
        public var found: Int
    }

    /// Why `p` is not a candidate for the visit now (rule 2 or rule 4 against `held`), or nil.
    public func whyNot(_ p: Int, held: InspectorDay, enterprise e: Int, day d: Int, start: Int, end: Int) -> PassedOver? {
        if let why = ineligible(p, enterprise: e, day: d) { return .ineligible(why) }
        if let c = held.conflict(start: start, length: end - start, town: enterpriseTown[e], maxVisits: maxVisits[p],
                                 budget: workingMinutes, travel: travel) {
            return .busy(c)
        }
        return nil
    }

    /// Why a candidate ranked before a member was passed over.
    public enum PassedOver: Sendable, Equatable {
        case ineligible(Ineligible)
        case busy(InspectorDay.Conflict)
    }
}

/// The replay of rule 11 on its own days (the checker and `explain`; the solver replays on
/// its `Schedule`): pinned visits and remote checks are held from the start, then the other
/// visits in (date, start, id) order, each drawn and then held by its actual members.
public struct DrawReplay: Sendable {
    public let draw: TeamDraw
    public private(set) var days: [InspectorDay]
    private let dayCount: Int

    public init(_ draw: TeamDraw) {
        self.draw = draw
        dayCount = max(1, draw.calendar.days.count)
        days = Array(repeating: InspectorDay(), count: draw.scenario.inspectors.count * dayCount)
    }

    public func day(_ p: Int, _ d: Int) -> InspectorDay { days[p * dayCount + d] }

    public mutating func holdRemote(inspector p: Int, day d: Int, minutes: Int) {
        days[p * dayCount + d].addRemote(minutes)
    }

    public mutating func hold(team: [Int], enterprise e: Int, day d: Int, start: Int, end: Int, visit: Int) {
        let town = draw.enterpriseTown[e]
        for p in team { days[p * dayCount + d].insert(.init(start: start, end: end, town: town, visit: visit), travel: draw.travel) }
    }

    public func team(_ counts: [(department: Int, count: Int)], enterprise e: Int, day d: Int, start: Int, end: Int) -> Result<[Int], TeamDraw.Shortage> {
        draw.team(counts, enterprise: e, day: d, start: start, end: end) { self.day($0, d) }
    }

    public func whyNot(_ p: Int, enterprise e: Int, day d: Int, start: Int, end: Int) -> TeamDraw.PassedOver? {
        draw.whyNot(p, held: day(p, d), enterprise: e, day: d, start: start, end: end)
    }
}

extension DrawReplay {
    /// One visit's turn in the replay of a plan.
    public struct Turn: Sendable {
        /// The visit's index in `plan.visits`.
        public var index: Int
        public var visit: Visit
        public var enterprise: Int
        public var day: Int
        /// Its members that are inspectors of the scenario, each once.
        public var team: [Int]
    }

    /// The first `k` candidates of a department for a turn, against the days as they stand.
    public func candidates(department dep: Int, count k: Int, turn t: Turn) -> [Int] {
        draw.candidates(department: dep, count: k, enterprise: t.enterprise, day: t.day, start: t.visit.start, end: t.visit.end) { self.day($0, t.day) }
    }

    /// Rule 11's replay of a plan: pinned visits and remote checks held from the start, then
    /// the other visits in (date, start, id) order, `body` called at each visit's turn with
    /// the days as they stand before it; the visit is then held by its actual members.
    /// Visits naming an unknown enterprise or a date off the calendar are left to rules 1–3.
    public static func replay(_ plan: Plan, draw: TeamDraw, _ body: (Turn, DrawReplay) -> Void) {
        var (replay, turns) = start(plan, draw: draw)
        for t in turns {
            body(t, replay)
            replay.hold(team: t.team, enterprise: t.enterprise, day: t.day, start: t.visit.start, end: t.visit.end, visit: t.index)
        }
    }

    /// The replay's start: pinned visits and remote checks held, the other visits' turns in
    /// (date, start, id) order.
    static func start(_ plan: Plan, draw: TeamDraw) -> (DrawReplay, [Turn]) {
        let s = draw.scenario
        let cal = draw.calendar
        var replay = DrawReplay(draw)
        var turns: [Turn] = []
        for (k, v) in plan.visits.enumerated() {
            guard let e = s.enterpriseIndex[v.enterprise], let d = cal.indexOf(v.date) else { continue }
            var team: [Int] = []
            for id in v.inspectors { if let p = s.inspectorIndex[id], !team.contains(p) { team.append(p) } }
            if draw.isPinned(enterprise: e, day: d, start: v.start, team: team) {
                replay.hold(team: team, enterprise: e, day: d, start: v.start, end: v.end, visit: k)
            } else {
                turns.append(Turn(index: k, visit: v, enterprise: e, day: d, team: team))
            }
        }
        for r in plan.remoteChecks {
            guard let p = s.inspectorIndex[r.inspector], let d = cal.indexOf(r.date), let i = s.itemIndex[r.item] else { continue }
            replay.holdRemote(inspector: p, day: d, minutes: s.items[i].remoteMinutes)
        }
        turns.sort { a, b in
            if a.visit.date != b.visit.date { return a.visit.date < b.visit.date }
            if a.visit.start != b.visit.start { return a.visit.start < b.visit.start }
            return a.visit.id.unicodeScalars.lexicographicallyPrecedes(b.visit.id.unicodeScalars)
        }
        return (replay, turns)
    }

    /// A department of a visit whose members are not the draw's.
    public struct Violation: Sendable {
        public var turn: Turn
        public var department: Int
        public var expected: [Int]
        public var found: [Int]
        public var index: Int { turn.index }
    }

    /// Rule 11 on a whole plan: every department of every visit whose members are not the
    /// first eligible and free of the enterprise's order at the visit's turn.
    public static func violations(_ plan: Plan, draw: TeamDraw, _ each: ((Violation, DrawReplay) -> Void)? = nil) -> [Violation] {
        var out: [Violation] = []
        replay(plan, draw: draw) { turn, replay in
            for (dep, k) in draw.counts(turn.team) {
                let members = turn.team.filter { draw.eligibility.departmentOf[$0] == dep }
                let expected = replay.candidates(department: dep, count: k, turn: turn)
                guard Set(expected) != Set(members) else { continue }
                let v = Violation(turn: turn, department: dep, expected: expected, found: members)
                each?(v, replay)
                out.append(v)
            }
        }
        return out
    }
}

extension DrawReplay {
    /// Rule 11 on a plan whose visit ids changed after it was drawn (a re-plan's numbers that
    /// never move reorder visits that share a date and start): every team drawn again in the
    /// plan's own (date, start, id) order, at the same times, each member's checks going to the
    /// drawn member in the same place of the same department. nil when some visit cannot be
    /// staffed that way (the caller keeps the order the solver drew in).
    public static func redrawn(_ plan: Plan, draw: TeamDraw) -> Plan? {
        guard draw.isRandom else { return plan }
        let s = draw.scenario
        var out = plan
        var failed = false
        var (replayed, turns) = start(plan, draw: draw)
        for t in turns where !failed {
            switch replayed.team(draw.counts(t.team), enterprise: t.enterprise, day: t.day, start: t.visit.start, end: t.visit.end) {
            case .failure:
                failed = true
            case .success(let team):
                var next: [Int: Int] = [:]
                var map: [String: String] = [:]
                var slots: [Int: [Int]] = [:]
                for p in team { slots[draw.eligibility.departmentOf[p], default: []].append(p) }
                for p in t.team {
                    let d = draw.eligibility.departmentOf[p]
                    let k = next[d, default: 0]
                    next[d] = k + 1
                    if let list = slots[d], k < list.count { map[s.inspectors[p].id] = s.inspectors[list[k]].id }
                }
                out.visits[t.index].inspectors = team.map { s.inspectors[$0].id }
                out.visits[t.index].checks = t.visit.checks.map { c in
                    var c = c
                    c.inspector = map[c.inspector] ?? c.inspector
                    return c
                }
                replayed.hold(team: team, enterprise: t.enterprise, day: t.day, start: t.visit.start, end: t.visit.end, visit: t.index)
            }
        }
        return failed ? nil : out
    }
}
