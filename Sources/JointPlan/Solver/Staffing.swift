import Foundation

/// Staffing one visit on one day: a team (the required departments, padded to
/// `minInspectorsPerVisit`), performers, and the earliest start every member can make —
/// inserted into any gap of their days, travel on both sides (rules 1–4 through
/// `InspectorDay` and `DayWindow`). Used by construction and improvement alike.
struct Staffing {
    /// Members that must be on the team (a pin's named inspectors, a visit's current team).
    var fixed: [Int] = []
    /// Start exactly here (a pin's start), else the earliest that fits.
    var fixedStart: Int?
    /// Inspectors not to take as extra members (other pins' named inspectors), if avoidable.
    var avoid: Set<Int> = []
    /// Padding from the visit's own departments first (so a small department's slots go to
    /// its own checks, not to other departments' visits).
    var padOwnDepartmentsFirst = true
    /// Look at every start and keep the team adding the fewest inspector minutes (travel
    /// included), instead of the earliest start that fits.
    var cheapest = false
    /// Tests' reference: padding draws every department's next member even when one of the
    /// visit's own already gave one (the fast path stops there; the same team either way).
    var padEveryDepartment = false

    /// Why a visit found no team on a day, for shedding and reasons.
    enum Failure: Error, Equatable {
        case department(Int)
        case padding
        case time
        case tooLong
        case noPerformer
    }

    /// A pinned visit (rule 11 leaves its team to the planner: `fixed` are its named members).
    var pin = false

    func staff(_ sched: Schedule, enterprise e: Int, day d: Int, items: [Int]) -> Result<PlannedVisit, Failure> {
        if sched.context.draw.isRandom && !pin { return staffDrawn(sched, enterprise: e, day: d, items: items) }
        let ctx = sched.context
        let el = ctx.eligibility
        let town = ctx.enterpriseTown[e]
        for p in fixed where !el.mayVisit(p, day: d, enterprise: e) { return .failure(.time) }
        let fixedDepts = Set(fixed.map { el.departmentOf[$0] })
        var slots = sched.neededDepartments(items).filter { !fixedDepts.contains($0) }
        let pad = max(0, ctx.minTeam - fixed.count - slots.count)
        // Free members per needed department.
        func free(_ p: Int) -> Bool {
            el.mayVisit(p, day: d, enterprise: e) && !fixed.contains(p) && sched.day(p, d).slots.count < ctx.maxVisits[p]
        }
        var candidates: [Int: [Int]] = [:]
        for dep in slots {
            let c = el.certifiedByDepartment[dep].filter(free)
            if c.isEmpty { return .failure(.department(dep)) }
            candidates[dep] = c
        }
        // Placeholder team to size the visit: one member per department slot.
        func placeholderLength(_ slots: [Int]) -> Int? {
            let team = fixed + slots.map { el.certifiedByDepartment[$0][0] } + Array(repeating: -1, count: pad)
            return lengthFor(ctx, items, team)
        }
        guard var length = placeholderLength(slots) else { return .failure(.noPerformer) }
        // A visit longer than a stretch of the day: another member of its busiest department.
        var guardCount = 0
        while length > ctx.window.longestStretch && guardCount < 6 {
            guard let busiest = busiestDepartment(ctx, items, fixed: fixed, slots: slots) else { break }
            slots.append(busiest)
            if (candidates[busiest]?.count ?? 0) < slots.filter({ $0 == busiest }).count { return .failure(.department(busiest)) }
            guard let l = placeholderLength(slots) else { break }
            length = l
            guardCount += 1
        }
        if length > ctx.window.longestStretch { return .failure(.tooLong) }
        var padCandidates: [Int] = []
        if pad > 0 {
            let own = Set(slots).union(fixedDepts)
            padCandidates = sched.context.scenario.inspectors.indices.filter { p in
                sched.context.scenario.inspectors[p].certified && free(p)
            }
            if padCandidates.count < pad { return .failure(.padding) }
            padCandidates.sort { a, b in
                let ka = (padOwnDepartmentsFirst && !own.contains(el.departmentOf[a]) ? 1 : 0, avoid.contains(a) ? 1 : 0, sched.day(a, d).slots.count, a)
                let kb = (padOwnDepartmentsFirst && !own.contains(el.departmentOf[b]) ? 1 : 0, avoid.contains(b) ? 1 : 0, sched.day(b, d).slots.count, b)
                return ka < kb
            }
        }
        let starts: [Int]
        if let s = fixedStart {
            starts = [s]
        } else {
            var pool = fixed
            for dep in Set(slots) { pool += candidates[dep] ?? [] }
            if pool.isEmpty { pool = Array(padCandidates.prefix(8)) }
            starts = sched.candidateStarts(pool, d, town: town)
        }
        return place(sched, enterprise: e, day: d, items: items, length: length, starts: starts) { s in
            if fixed.contains(where: { sched.cost($0, d, start: s, length: length, town: town) == nil }) { return nil }
            var team = fixed
            var ok = true
            for dep in slots {
                var best: (Int, Int, Int, Int)?
                for p in candidates[dep]! where !team.contains(p) {
                    guard let add = sched.cost(p, d, start: s, length: length, town: town) else { continue }
                    let key = (avoid.contains(p) ? 1 : 0, add, sched.day(p, d).slots.count, p)
                    if best == nil || key < best! { best = key }
                }
                guard let b = best else { ok = false; break }
                team.append(b.3)
            }
            if !ok { return nil }
            for _ in 0..<pad {
                guard let p = padCandidates.first(where: { !team.contains($0) && sched.cost($0, d, start: s, length: length, town: town) != nil })
                else { ok = false; break }
                team.append(p)
            }
            return ok ? team : nil
        }
    }

    /// Rule 11 (随机选派): the visit chooses how many members of each department go — one
    /// per department its checks need, or as many as `fixed` has (a window's answer), padded
    /// to `minInspectorsPerVisit` from its own departments first — and the draw who: at each
    /// start, the first of each department in the enterprise's order who are eligible and
    /// free in the days as the replay will hold them at the visit's turn (`Schedule.heldDay`),
    /// and who fit their whole day (so later visits' draws stay as they were).
    private func staffDrawn(_ sched: Schedule, enterprise e: Int, day d: Int, items: [Int]) -> Result<PlannedVisit, Failure> {
        let ctx = sched.context
        let el = ctx.eligibility
        let draw = ctx.draw
        let town = ctx.enterpriseTown[e]
        var want: [Int: Int] = [:]
        for p in fixed where el.departmentOf[p] >= 0 { want[el.departmentOf[p], default: 0] += 1 }
        for dep in sched.neededDepartments(items) { want[dep] = max(1, want[dep] ?? 0) }
        // Eligible inspectors of each department that day, in the enterprise's order.
        var eligible: [Int: [Int]] = [:]
        func pool(_ dep: Int) -> [Int] {
            if let c = eligible[dep] { return c }
            let c = draw.order(enterprise: e, department: dep).filter { draw.isEligible($0, enterprise: e, day: d) }
            eligible[dep] = c
            return c
        }
        for dep in want.keys.sorted() where pool(dep).count < want[dep]! { return .failure(.department(dep)) }
        // A department whose eligible members have no visit slot left that day fails here, by
        // name, so that construction sheds the department that failed most (not "time").
        for dep in want.keys.sorted() {
            // Counted until enough are found (the day-major counts: issue 22).
            var free = 0
            for p in pool(dep) where sched.visitsHeld(p, d) < ctx.maxVisits[p] {
                free += 1
                if free >= want[dep]! { break }
            }
            if free < want[dep]! { return .failure(.department(dep)) }
        }
        func placeholderLength() -> Int? {
            var team: [Int] = []
            for (dep, k) in want.sorted(by: { $0.key < $1.key }) { team += Array(repeating: pool(dep)[0], count: k) }
            team += Array(repeating: -1, count: max(0, ctx.minTeam - team.count))
            return lengthFor(ctx, items, team)
        }
        guard var length = placeholderLength() else { return .failure(.noPerformer) }
        var guardCount = 0
        while length > ctx.window.longestStretch && guardCount < 6 {
            let slots = want.sorted { $0.key < $1.key }.flatMap { Array(repeating: $0.key, count: $0.value) }
            guard let busiest = busiestDepartment(ctx, items, fixed: [], slots: slots) else { break }
            want[busiest, default: 0] += 1
            if pool(busiest).count < want[busiest]! { return .failure(.department(busiest)) }
            guard let l = placeholderLength() else { break }
            length = l
            guardCount += 1
        }
        if length > ctx.window.longestStretch { return .failure(.tooLong) }
        let pad = max(0, ctx.minTeam - want.values.reduce(0, +))
        // Visit slots a department still has that day (its eligible members' maxVisitsPerDay
        // less what they hold): padding leans on the departments with room.
        var slotsLeft: [Int: Int] = [:]
        func freeSlots(_ dep: Int) -> Int {
            if let n = slotsLeft[dep] { return n }
            let n = pool(dep).reduce(0) { $0 + max(0, ctx.maxVisits[$1] - sched.visitsHeld($1, d)) }
            slotsLeft[dep] = n
            return n
        }
        // Padding from the visit's own departments first, then from the others.
        let own = want.keys.sorted()
        let others = padOwnDepartmentsFirst ? (0..<ctx.scenario.departments.count).filter { want[$0] == nil } : []
        let padOrder = padOwnDepartmentsFirst ? own + others : Array(0..<ctx.scenario.departments.count)
        if pad > 0 && padOrder.reduce(0, { $0 + pool($1).count }) < want.values.reduce(0, +) + pad { return .failure(.padding) }
        let starts: [Int]
        if let s = fixedStart {
            starts = [s]
        } else {
            var candidates: [Int] = []
            for (dep, k) in want { candidates += pool(dep).prefix(k + 3) }
            starts = sched.candidateStarts(candidates, d, town: town)
        }
        // Per department, the starts at which its draw gave too few members who fit their day.
        var short: [Int: Int] = [:]
        let placed = place(sched, enterprise: e, day: d, items: items, length: length, starts: starts) { s in
            // Each inspector's held day made once per start (the draw asks for it per
            // department and again for each padding member).
            var heldMemo: [Int: InspectorDay] = [:]
            func held(_ p: Int) -> InspectorDay {
                if let h = heldMemo[p] { return h }
                let h = sched.heldDay(p, d, before: s, enterprise: e)
                heldMemo[p] = h
                return h
            }
            func fits(_ p: Int) -> Bool { sched.cost(p, d, start: s, length: length, town: town) != nil }
            var team: [Int] = []
            var counts = want
            var ok = true
            for dep in want.keys.sorted() {
                let c = draw.candidates(department: dep, count: want[dep]!, enterprise: e, day: d, start: s, end: s + length, held: held)
                guard c.count == want[dep]!, c.allSatisfy(fits) else { short[dep, default: 0] += 1; ok = false; break }
                team += c
            }
            if !ok { return nil }
            for _ in 0..<pad {
                // Of the departments whose next drawn member is free and fits, the visit's own
                // first (when asked), then the one whose drawn member has the fewest visits that
                // day, then the department with the most free slots that day: padding spread
                // where the draw would otherwise send one small department's member everywhere.
                var chosen: (key: (Int, Int, Int, Int), dep: Int, p: Int)?
                for (n, dep) in padOrder.enumerated() {
                    // With own departments first, a member of one of them beats every other
                    // department's (the key's first place): those orders are not drawn at all.
                    if padOwnDepartmentsFirst && !padEveryDepartment && n == own.count && chosen != nil { break }
                    let k = (counts[dep] ?? 0) + 1
                    let c = draw.candidates(department: dep, count: k, enterprise: e, day: d, start: s, end: s + length, held: held)
                    guard c.count == k, let p = c.last, !team.contains(p), fits(p) else { continue }
                    let key = (padOwnDepartmentsFirst && want[dep] == nil ? 1 : 0, sched.visitsHeld(p, d), -freeSlots(dep), dep)
                    if chosen == nil || key < chosen!.key { chosen = (key, dep, p) }
                }
                guard let pick = chosen else { ok = false; break }
                team.append(pick.p)
                counts[pick.dep] = (counts[pick.dep] ?? 0) + 1
            }
            return ok ? team : nil
        }
        // No start: name the department whose draw fell short most often, if one did.
        if case .failure(.time) = placed, let worst = short.max(by: { ($0.value, -$0.key) < ($1.value, -$1.key) }) {
            return .failure(.department(worst.key))
        }
        return placed
    }

    /// The loop both ways of choosing members share: the visit at the first start that
    /// `team(start)` staffs (or, with `cheapest`, the one adding the fewest inspector minutes),
    /// its performers assigned and its length kept (rule 1).
    private func place(_ sched: Schedule, enterprise e: Int, day d: Int, items: [Int], length: Int, starts: [Int],
                       team: (Int) -> [Int]?) -> Result<PlannedVisit, Failure> {
        let ctx = sched.context
        let town = ctx.enterpriseTown[e]
        var tried = Set<Int>()
        var best: (Int, PlannedVisit)?
        for s0 in starts {
            guard let s = fixedStart != nil ? (ctx.window.allows(start: s0, length: length) ? s0 : nil)
                    : ctx.window.earliestStart(atOrAfter: s0, length: length) else { continue }
            if !tried.insert(s).inserted { continue }
            guard let team = team(s), let (performers, real) = sched.assignPerformers(items, team: team), real <= length else { continue }
            let visit = PlannedVisit(enterprise: e, day: d, start: s, end: s + real, team: team,
                                     checks: zip(items, performers).map { ($0, $1) })
            guard cheapest else { return .success(visit) }
            let added = team.reduce(0) { $0 + (sched.cost($1, d, start: s, length: real, town: town) ?? 0) }
            if best == nil || added < best!.0 { best = (added, visit) }
        }
        if let b = best { return .success(b.1) }
        if let s = fixedStart, !ctx.window.allows(start: s, length: length) { return .failure(.tooLong) }
        return .failure(.time)
    }

    /// The length of a visit with this team (members of -1: anyone, for padding).
    private func lengthFor(_ ctx: PlanningContext, _ items: [Int], _ team: [Int]) -> Int? {
        let el = ctx.eligibility
        var load = Array(repeating: 0, count: team.count)
        for i in items.sorted(by: { ctx.item($0).minutes > ctx.item($1).minutes }) {
            var best: Int?
            for (m, p) in team.enumerated() {
                let may = p < 0 ? el.itemDelegable[i] : el.mayPerform(p, item: i)
                if may && (best == nil || load[m] < load[best!]) { best = m }
            }
            guard let b = best else { return nil }
            load[b] += ctx.item(i).minutes
        }
        return ctx.baseMinutes + (load.max() ?? 0)
    }

    private func busiestDepartment(_ ctx: PlanningContext, _ items: [Int], fixed: [Int], slots: [Int]) -> Int? {
        var load: [Int: Int] = [:]
        for i in items where !ctx.eligibility.itemDelegable[i] { load[ctx.eligibility.itemDepartment[i], default: 0] += ctx.item(i).minutes }
        var members: [Int: Int] = [:]
        for p in fixed { members[ctx.eligibility.departmentOf[p], default: 0] += 1 }
        for s in slots { members[s, default: 0] += 1 }
        return load.keys.sorted().max { a, b in
            Double(load[a]!) / Double(max(1, members[a] ?? 0)) < Double(load[b]!) / Double(max(1, members[b] ?? 0))
        }
    }
}

extension Schedule {
    /// Adds `items` to visit `id` (performed by its team, or with one more member of a needed
    /// department), lengthening it where every member's day allows — rule 1 and 4 kept.
    /// Returns false and leaves the schedule as it was when it cannot.
    mutating func join(_ items: [Int], into id: Int) -> Bool {
        guard let v = visits[id], !items.isEmpty else { return false }
        let present = Set(v.checks.map(\.item))
        guard !items.contains(where: present.contains), Set(items).count == items.count else { return false }
        for i in items where !dateAllows(v.enterprise, i, day: v.day, onSite: true) { return false }
        let allItems = v.checks.map(\.item) + items
        let town = context.enterpriseTown[v.enterprise]
        let el = context.eligibility
        let needed = neededDepartments(allItems)
        let missing = needed.filter { dep in !v.team.contains { el.departmentOf[$0] == dep } }
        // Members who could join for each department the visit lacks.
        var joiners: [[Int]] = []
        for dep in missing {
            let c = el.certifiedByDepartment[dep].filter { p in
                el.mayVisit(p, day: v.day, enterprise: v.enterprise) && !v.team.contains(p) && visitsHeld(p, v.day) < context.maxVisits[p]
            }
            if c.isEmpty { return false }
            joiners.append(c)
        }
        remove(visit: id)
        let drawn = context.draw.isRandom && !v.pinned
        // The length with one member per missing department (the first who fits decides).
        let probe = v.team + joiners.map { $0[0] }
        if let (_, probeLength) = assignPerformers(allItems, team: probe) {
            // A pinned visit keeps its start (rule 9); another may also end where it ended
            // (not under the draw: an earlier start would move its turn in the replay).
            var starts = [v.start]
            if probeLength > v.end - v.start && !v.pinned && !drawn { starts.append(v.end - probeLength) }
            for s in starts where context.window.allows(start: s, length: probeLength) {
                guard v.team.allSatisfy({ cost($0, v.day, start: s, length: probeLength, town: town) != nil }) else { continue }
                var team = v.team
                for (k, c) in joiners.enumerated() {
                    if drawn {
                        // Rule 11: the first of the department free at the visit's turn, if they fit their day.
                        let first = context.draw.candidates(department: missing[k], count: 1, enterprise: v.enterprise, day: v.day, start: s,
                                                            end: s + probeLength) { heldDay($0, v.day, before: s, enterprise: v.enterprise) }
                        guard let p = first.first, !team.contains(p), cost(p, v.day, start: s, length: probeLength, town: town) != nil else { team = []; break }
                        team.append(p)
                        continue
                    }
                    let fit = c.compactMap { p in cost(p, v.day, start: s, length: probeLength, town: town).map { ($0, p) } }.min { $0 < $1 }
                    guard let f = fit else { team = []; break }
                    team.append(f.1)
                }
                guard !team.isEmpty, let (performers, length) = assignPerformers(allItems, team: team), length <= probeLength else { continue }
                var nv = v
                nv.start = s
                nv.end = s + length
                nv.team = team
                nv.checks = zip(allItems, performers).map { ($0, $1) }
                add(nv, as: id)
                return true
            }
        }
        add(v, as: id)
        return false
    }
}
