import Foundation

/// A constructive start of jointplan's own design: pins first (every pinned inspector's time
/// reserved before any pin gets its team), then enterprises by what is at stake (weight, then
/// visits and checks needed), each occurrence's on-site checks as one joint visit on the first
/// common duty day that staffs it — joined into a visit the enterprise already has when that
/// one can take them. A visit that finds no team sheds the department that failed most; the
/// shed checks get visits of their own while the cap allows. Remote-capable checks go
/// remote; those that find no remote slot ride on a visit of their enterprise.
///
/// One entry point, `run`; a value in, a schedule out.
struct Construction: Sendable {
    /// Which enterprises go first: most at stake (unmet weight, then visits and checks
    /// needed), or most checks first (the big joint visits before the small ones).
    enum Order: Sendable { case stakesFirst, mostChecksFirst }
    var order: Order = .stakesFirst
    var padOwnDepartmentsFirst = true
    /// Pinned visits take their enterprise's other on-site checks first (issue 21). One of
    /// the starts keeps the old way: on seed 1018 joining them late left one visit fewer.
    var pinsTakeChecks = true
    /// Tests' reference for the staffing's fast padding (`Staffing.padEveryDepartment`).
    var padEveryDepartment = false

    struct Result: Sendable {
        var schedule: Schedule
        /// Pins that could not hold, by message.
        var pinMessages: [String]
    }

    func run(_ ctx: PlanningContext, pins: PinPlacement, deadline: Date, cancel: Cancellation? = nil) -> Result {
        var sched = Schedule(ctx)
        // Cut short (time limit or cancellation): what is left is unmet for `timeLimit`.
        func cut() -> Bool { Date() > deadline || cancel?.isCancelled == true }
        // Pending checks per enterprise: item → how many checks still to place.
        var pending: [Int: [Int: Int]] = [:]
        for duty in ctx.duties.duties { pending[duty.enterprise, default: [:]][duty.item, default: 0] += duty.count }
        var pinIds: [Int] = []
        for pv in pins.visits {
            pinIds.append(sched.add(pv))
            for c in pv.checks { pending[pv.enterprise]?[c.item]? -= 1 }
        }
        let s = ctx.scenario
        // Pins must not cost visits (issue 21): a pinned visit takes its enterprise's other
        // on-site checks (one occurrence each) while nothing but the pins holds anyone's
        // time — all of them if it can, else each one that fits. Joined later, when the
        // enterprise's turn comes, the members the longer visit needs were often gone and
        // the checks took a visit of their own (seed 1002: 35 visits against first-fit's 33).
        // A pin whose team cannot take them as it stands is staffed again around its named
        // inspectors and start with them all, as its own visit would be (seed 1036: joining
        // one by one left a second visit, 11 against first-fit's 10).
        var pinGroups: [PinPlacement.Group] = []
        if pinsTakeChecks && !pinIds.isEmpty {
            var ignored: [String] = []
            pinGroups = PinPlacement.makeGroups(ctx, &ignored)
        }
        for id in pinIds where pinsTakeChecks {
            guard !cut(), let v = sched.visits[id] else { continue }
            let e = v.enterprise
            let have = Set(v.checks.map(\.item))
            let extra = (pending[e] ?? [:]).filter { $0.value > 0 && !have.contains($0.key) && !s.items[$0.key].remoteAllowed }.keys.sorted()
            guard !extra.isEmpty else { continue }
            if sched.join(extra, into: id)
                || restaffPin(&sched, id, extra, group: pinGroups.first { $0.enterprise == e && $0.day == v.day }, groups: pinGroups) {
                for i in extra { pending[e]?[i]? -= 1 }
                continue
            }
            for i in extra where sched.join([i], into: id) { pending[e]?[i]? -= 1 }
        }
        var remoteQueue: [(e: Int, i: Int)] = []
        for e in enterpriseOrder(ctx, pending) {
            guard let items = pending[e] else { continue }
            var groups: [[Int]] = []
            for (i, n) in items.sorted(by: { $0.key < $1.key }) where n > 0 {
                if s.items[i].remoteAllowed {
                    for _ in 0..<n { remoteQueue.append((e, i)) }
                    continue
                }
                for k in 0..<n {
                    while groups.count <= k { groups.append([]) }
                    groups[k].append(i)
                }
            }
            let open = groups.filter { !$0.isEmpty }
            for (k, g) in open.enumerated() {
                if cut() {
                    sched.unmet += g.map { OpenCheck(enterprise: e, item: $0, reason: .timeLimit) }
                    continue
                }
                placeGroup(&sched, e, g, depth: 0, later: Array(open[(k + 1)...]))
            }
        }
        for (e, i) in remoteQueue {
            if cut() { sched.unmet.append(OpenCheck(enterprise: e, item: i, reason: .timeLimit)); continue }
            if !Placement.remote(&sched, e, i), !Placement.joinAnyVisit(&sched, e, i) {
                sched.unmet.append(OpenCheck(enterprise: e, item: i, reason: Placement.reason(sched, e, i, onSite: false)))
            }
        }
        return Result(schedule: sched, pinMessages: pins.messages)
    }

    /// The pinned visit `id` staffed anew with `extra` checks besides its own: its named
    /// inspectors and pinned start kept, other pins' named inspectors avoided (as
    /// `PinPlacement` does), under its id. Leaves the schedule as it was when no team fits.
    private func restaffPin(_ sched: inout Schedule, _ id: Int, _ extra: [Int], group: PinPlacement.Group?, groups: [PinPlacement.Group]) -> Bool {
        guard let g = group, let v = sched.visits[id] else { return false }
        var staffing = Staffing(fixed: g.named, fixedStart: g.start, pin: true)
        staffing.avoid = Set(groups.filter { $0.day == g.day && $0.enterprise != g.enterprise }.flatMap(\.named)).subtracting(g.named)
        sched.remove(visit: id)
        guard case .success(var nv) = staffing.staff(sched, enterprise: v.enterprise, day: v.day, items: v.checks.map(\.item) + extra) else {
            sched.add(v, as: id)
            return false
        }
        nv.pinned = true
        sched.add(nv, as: id)
        return true
    }

    private func enterpriseOrder(_ ctx: PlanningContext, _ pending: [Int: [Int: Int]]) -> [Int] {
        let s = ctx.scenario
        struct Key { var weight: Double; var most: Int; var n: Int; var id: String; var e: Int }
        let keys = pending.map { e, items in
            Key(weight: ctx.weight[e], most: items.values.max() ?? 0, n: items.values.reduce(0, +), id: s.enterprises[e].id, e: e)
        }
        return keys.sorted { a, b in
            if order == .mostChecksFirst && a.n != b.n { return a.n > b.n }
            if a.weight != b.weight { return a.weight > b.weight }
            if a.most != b.most { return a.most > b.most }
            if a.n != b.n { return a.n > b.n }
            return Array(a.id.utf8).lexicographicallyPrecedes(Array(b.id.utf8))
        }.map(\.e)
    }

    /// One joint visit holding one occurrence of each of `items`, degrading gracefully.
    private func placeGroup(_ sched: inout Schedule, _ e: Int, _ items: [Int], depth: Int, later: [[Int]] = []) {
        var todo: [Int] = []
        for i in items {
            if let r = Placement.structuralReason(sched, e, i, onSite: true) {
                sched.unmet.append(OpenCheck(enterprise: e, item: i, reason: r))
            } else {
                todo.append(i)
            }
        }
        // First: the visits the enterprise already has (a pin, an earlier occurrence's visit
        // with room for an item it lacks) take what they can, no visit more.
        if !todo.isEmpty, let ids = sched.visitsOf[e], !ids.isEmpty {
            for id in ids where sched.join(todo, into: id) { return }
        }
        var leftover: [Int] = []
        var staffing = Staffing(padOwnDepartmentsFirst: padOwnDepartmentsFirst)
        staffing.padEveryDepartment = padEveryDepartment
        while !todo.isEmpty {
            if sched.visitCount(e) >= sched.context.cap[e] {
                // Past the cap: each check may still ride on a visit the enterprise has.
                for i in todo where !Placement.joinAnyVisit(&sched, e, i) {
                    sched.unmet.append(OpenCheck(enterprise: e, item: i, reason: OnsiteCapRule.reason(sched.context.scenario, enterprise: e)))
                }
                todo = []
                break
            }
            var fails: [Int: Int] = [:]
            var placed = false
            // Days that leave the enterprise's later occurrences a common duty day at the items'
            // spacing come first; the others only when none of those staffs the visit.
            let allowed = (0..<sched.context.dayCount).filter { d in todo.allSatisfy { sched.dateAllows(e, $0, day: d, onSite: true) } }
            let roomy = allowed.filter { keepsRoom(sched, e, day: $0, items: todo, later: later) }
            let rest = roomy.count == allowed.count ? [] : allowed.filter { d in !roomy.contains(d) }
            for d in roomy + rest {
                switch staffing.staff(sched, enterprise: e, day: d, items: todo) {
                case .success(let v):
                    sched.add(v)
                    placed = true
                case .failure(.department(let dep)):
                    fails[dep, default: 0] += 1
                case .failure:
                    break
                }
                if placed { break }
            }
            if placed { break }
            let el = sched.context.eligibility
            let depts = Set(todo.map { el.itemDepartment[$0] })
            let drop: Int?
            if let bad = fails.filter({ depts.contains($0.key) }).max(by: { ($0.value, -$0.key) < ($1.value, -$1.key) }) {
                drop = bad.key
            } else if depts.count > 1 {
                // No common day: shed the department with the fewest duty slots.
                drop = depts.min { slotsOf(sched.context, $0) < slotsOf(sched.context, $1) || (slotsOf(sched.context, $0) == slotsOf(sched.context, $1) && $0 < $1) }
            } else {
                drop = nil
            }
            guard let shed = drop else {
                for i in todo where !Placement.joinAnyVisit(&sched, e, i) {
                    sched.unmet.append(OpenCheck(enterprise: e, item: i, reason: Placement.reason(sched, e, i, onSite: true)))
                }
                todo = []
                break
            }
            leftover += todo.filter { el.itemDepartment[$0] == shed }
            todo = todo.filter { el.itemDepartment[$0] != shed }
        }
        guard !leftover.isEmpty else { return }
        if depth < 3 && sched.visitCount(e) < sched.context.cap[e] {
            placeGroup(&sched, e, leftover, depth: depth + 1)
        } else {
            for i in leftover where !Placement.joinAnyVisit(&sched, e, i) {
                let r: UnmetReason = sched.visitCount(e) >= sched.context.cap[e]
                    ? OnsiteCapRule.reason(sched.context.scenario, enterprise: e) : Placement.reason(sched, e, i, onSite: true)
                sched.unmet.append(OpenCheck(enterprise: e, item: i, reason: r))
            }
        }
    }

    /// Whether a visit of `items` on day `d` leaves each later occurrence group of the
    /// enterprise some day on which its departments are on duty together, its dates are
    /// allowed, and the items it shares with this visit keep their spacing from `d`.
    private func keepsRoom(_ sched: Schedule, _ e: Int, day d: Int, items: [Int], later: [[Int]]) -> Bool {
        let ctx = sched.context
        let days = ctx.calendar.days
        for g in later {
            let depts = sched.neededDepartments(g)
            let shared = Set(g).intersection(items)
            let ok = (0..<ctx.dayCount).contains { d2 in
                d2 != d
                    && depts.allSatisfy { ctx.eligibility.onDuty($0, day: d2, enterprise: e) }
                    && g.allSatisfy { i in
                        sched.dateAllows(e, i, day: d2, onSite: true)
                            && (!shared.contains(i) || SpacingRule.allows(days[d2], spacing: ctx.item(i).minSpacingDays, lastChecked: nil, others: [days[d]]))
                    }
            }
            if !ok { return false }
        }
        return true
    }

    private func slotsOf(_ ctx: PlanningContext, _ dep: Int) -> Int {
        ctx.eligibility.certifiedByDepartment[dep].reduce(0) { t, p in
            t + ctx.eligibility.available[p].filter { $0 }.count * ctx.maxVisits[p]
        }
    }
}

/// Placing one check: remotely, on a visit the enterprise has, or why it cannot be placed.
/// Shared by construction and improvement.
enum Placement {
    /// A remote check on the first allowed day, by the least busy eligible inspector.
    static func remote(_ sched: inout Schedule, _ e: Int, _ i: Int) -> Bool {
        let ctx = sched.context
        let item = ctx.item(i)
        guard item.remoteAllowed else { return false }
        let dep = ctx.eligibility.itemDepartment[i]
        guard dep >= 0 else { return false }
        for d in 0..<ctx.dayCount where sched.dateAllows(e, i, day: d, onSite: false) {
            var best: (Int, Int)?
            for p in ctx.eligibility.certifiedByDepartment[dep] where ctx.eligibility.mayDoRemotely(p, item: i, day: d, enterprise: e) {
                let day = sched.day(p, d)
                guard day.canAddRemote(item.remoteMinutes, budget: ctx.window.workingMinutes) else { continue }
                if best == nil || (day.used, p) < best! { best = (day.used, p) }
            }
            if let b = best {
                sched.addRemote(PlannedRemote(enterprise: e, item: i, day: d, inspector: b.1))
                return true
            }
        }
        return false
    }

    /// The check joins any visit of its enterprise that can take it (date order).
    /// `except`: visits that must stay as they are (a re-plan's kept visits, issue 21).
    static func joinAnyVisit(_ sched: inout Schedule, _ e: Int, _ i: Int, except: Set<Int> = []) -> Bool {
        guard let ids = sched.visitsOf[e]?.filter({ !except.contains($0) }) else { return false }
        let ordered = ids.sorted { (sched.visits[$0]?.day ?? 0, $0) < (sched.visits[$1]?.day ?? 0, $1) }
        for id in ordered where sched.join([i], into: id) { return true }
        return false
    }

    /// A reason that holds whatever the schedule does: no eligible inspector at all, the
    /// enterprise's blackout or spacing on every day. nil when the check could be placed.
    static func structuralReason(_ sched: Schedule, _ e: Int, _ i: Int, onSite: Bool) -> UnmetReason? {
        let ctx = sched.context
        let el = ctx.eligibility
        if !el.itemDelegable[i] || !onSite {
            let dep = el.itemDepartment[i]
            let certified = dep >= 0 ? el.certifiedByDepartment[dep] : []
            if certified.isEmpty { return .noInspector }
            let notRecused = certified.filter { !el.recused[$0].contains(e) }
            if notRecused.isEmpty { return .recusal }
            if !notRecused.contains(where: { p in el.available[p].contains(true) }) { return .noInspector }
        }
        var anyDate = false
        for d in 0..<ctx.dayCount where sched.dateAllows(e, i, day: d, onSite: false) {
            anyDate = true
            if !onSite || ctx.visitable[e][d] { return nil }
        }
        return anyDate ? .blackout : .spacing
    }

    /// Why a check that could not be placed is unmet.
    static func reason(_ sched: Schedule, _ e: Int, _ i: Int, onSite: Bool) -> UnmetReason {
        structuralReason(sched, e, i, onSite: onSite) ?? .staffing
    }
}
