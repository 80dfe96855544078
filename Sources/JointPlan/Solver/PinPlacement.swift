import Foundation
import GLPK

/// The pinned visits (spec 2, pinned; rule 9), placed before anything else.
///
/// Pins of one enterprise on one date are one visit. Each gets its named inspectors, at its
/// start, with the rest of its team chosen while every other pin's named inspectors are kept
/// free (reserved). When that greedy pass cannot hold every pin, a small GLPK model of the
/// pins alone decides exactly whether their teams can be chosen together (who is on which
/// pin, no inspector at two overlapping pins, maxVisitsPerDay, working minutes); only when
/// it cannot are the pins infeasible, and a deletion filter names a smallest set of pins that
/// cannot all hold.
struct PinPlacement: Sendable {
    var visits: [PlannedVisit] = []
    /// One message per pin problem, naming `pinned[k]` and the reason; empty when all hold.
    var messages: [String] = []

    /// One pinned visit to make: enterprise, day, start, named inspectors, items.
    struct Group: Sendable {
        var pins: [Pin]
        var enterprise: Int
        var day: Int
        var start: Int?
        var named: [Int]
        var items: [Int]
        var label: String { pins.map { "pinned[\($0.index)]" }.joined(separator: ", ") }
    }

    /// `deadline`: the solve's (issue 21, item 4); the exact model gets the time left before
    /// it (at least a second) and no clock limit of its own, so its node limit decides
    /// whenever the time limit does not bind and the answer does not depend on how busy the
    /// machine is.
    static func place(_ ctx: PlanningContext, deadline: Date = .distantFuture) -> PinPlacement {
        var out = PinPlacement()
        let groups = makeGroups(ctx, &out.messages)
        guard !groups.isEmpty else { return out }
        // Greedy first; when it cannot hold every pin, the exact model decides. While the pins
        // cannot all hold, a smallest conflicting set is named and its last pin let go.
        func hold(_ subset: [Group]) -> [PlannedVisit]? {
            greedy(ctx, subset) ?? exactTeams(ctx, subset, deadline: deadline).flatMap { build(ctx, subset, $0) }
        }
        var active = groups
        while !active.isEmpty {
            if let visits = hold(active) {
                out.visits = visits
                break
            }
            var core = Array(active.indices)
            for g in active.indices where core.count > 1 {
                let without = core.filter { $0 != g }
                if hold(without.map { active[$0] }) == nil { core = without }
            }
            let names = core.map { active[$0].label }.joined(separator: ", ")
            out.messages.append("\(names): these pinned visits cannot all hold — no choice of teams gives each its named inspectors, certified members of the departments its items need and \(ctx.minTeam) inspectors, without an inspector at two overlapping visits (travel included) or past maxVisitsPerDay or the day's working minutes; left out: \(active[core.last!].label)")
            active.remove(at: core.last!)
        }
        return out
    }

    /// Pins grouped by enterprise and date, each checked on its own (working day, blackout,
    /// named inspectors, a required check to carry).
    static func makeGroups(_ ctx: PlanningContext, _ messages: inout [String]) -> [Group] {
        let s = ctx.scenario
        var required: [Int: Set<Int>] = [:]
        for duty in ctx.duties.duties where duty.count > 0 { required[duty.enterprise, default: []].insert(duty.item) }
        var byKey: [String: [Pin]] = [:]
        var order: [String] = []
        for p in s.pinned {
            let key = "\(p.enterprise)|\(p.date)"
            if byKey[key] == nil { order.append(key) }
            byKey[key, default: []].append(p)
        }
        var groups: [Group] = []
        var perEnterprise: [Int: Int] = [:]
        for key in order {
            let pins = byKey[key]!
            let first = pins[0]
            let label = pins.map { "pinned[\($0.index)]" }.joined(separator: ", ")
            guard let e = s.enterpriseIndex[first.enterprise] else { messages.append("\(label): unknown enterprise \(first.enterprise)"); continue }
            // What makes a pin fail on its own is the one rule `validate` reports (PinRules).
            let alone = pins.flatMap { PinRules.problems(of: $0, in: s, calendar: ctx.calendar) }
            if !alone.isEmpty {
                messages.append(alone.map { "\($0.path): \($0.message)" }.joined(separator: "; "))
                continue
            }
            guard let d = ctx.calendar.indexOf(first.date) else {
                messages.append("\(label) (\(first.enterprise), \(first.date)): not a working day of the horizon (\(ctx.calendar.whyNotWorking(first.date)))"); continue
            }
            if !ctx.visitable[e][d] { messages.append("\(label) (\(first.enterprise), \(first.date)): in the enterprise's blackout"); continue }
            let starts = Set(pins.compactMap(\.start))
            if starts.count > 1 { messages.append("\(label) (\(first.enterprise), \(first.date)): pinned at different starts on one day"); continue }
            var named: [Int] = []
            var bad: String?
            for id in pins.flatMap(\.inspectors) {
                guard let p = s.inspectorIndex[id] else { bad = "unknown inspector \(id)"; break }
                if !s.inspectors[p].certified { bad = "inspector \(id) is not certified"; break }
                if !ctx.eligibility.available[p][d] { bad = "inspector \(id) is unavailable that day"; break }
                if ctx.eligibility.recused[p].contains(e) { bad = "inspector \(id) is recused from \(first.enterprise)"; break }
                if !named.contains(p) { named.append(p) }
            }
            if let bad { messages.append("\(label) (\(first.enterprise), \(first.date)): \(bad)"); continue }
            var items: [Int] = []
            for id in pins.flatMap(\.items) {
                guard let i = s.itemIndex[id], required[e]?.contains(i) == true, !items.contains(i) else { continue }
                items.append(i)
            }
            if items.isEmpty {
                // A visit carries at least one check (rule 3): the enterprise's first on-site one.
                let candidates = (required[e] ?? []).sorted().filter { !s.items[$0].remoteAllowed } + (required[e] ?? []).sorted()
                if let i = candidates.first { items = [i] }
            }
            if items.isEmpty { messages.append("\(label) (\(first.enterprise)): the enterprise has no required check, so the visit would carry none"); continue }
            let spacingOK = items.allSatisfy { i in
                SpacingRule.allows(first.date, spacing: s.items[i].minSpacingDays, lastChecked: ctx.lastChecked[ctx.key(e, i)], others: [])
            }
            if !spacingOK { messages.append("\(label) (\(first.enterprise), \(first.date)): too soon after the last check (minSpacingDays)"); continue }
            perEnterprise[e, default: 0] += 1
            if perEnterprise[e]! > ctx.cap[e] {
                let all = groups.filter { $0.enterprise == e }.flatMap(\.pins) + pins
                messages.append("\(all.map { "pinned[\($0.index)]" }.joined(separator: ", ")) (\(first.enterprise)): \(perEnterprise[e]!) pinned visits exceed the enterprise's on-site cap of \(ctx.cap[e]); left out: \(label)"); continue
            }
            groups.append(Group(pins: pins, enterprise: e, day: d, start: starts.first, named: named, items: items))
        }
        return groups
    }

    /// Every pin staffed in turn (fixed starts first), keeping the other pins' named
    /// inspectors off its team where anyone else can serve; nil if some pin finds no team.
    static func greedy(_ ctx: PlanningContext, _ groups: [Group]) -> [PlannedVisit]? {
        var sched = Schedule(ctx)
        let namedOn = Dictionary(grouping: groups.flatMap { g in g.named.map { (g.day, $0) } }, by: { $0.0 }).mapValues { Set($0.map(\.1)) }
        // Reserve: every named inspector's pinned time is booked before any team is chosen.
        var reservations: [Int: Int] = [:]
        for (k, g) in groups.enumerated() where g.start != nil && !g.named.isEmpty {
            guard let len = minimalLength(sched, g) else { return nil }
            let town = ctx.enterpriseTown[g.enterprise]
            guard ctx.window.allows(start: g.start!, length: len),
                  g.named.allSatisfy({ sched.cost($0, g.day, start: g.start!, length: len, town: town) != nil }) else { return nil }
            reservations[k] = sched.add(PlannedVisit(enterprise: g.enterprise, day: g.day, start: g.start!, end: g.start! + len, team: g.named, checks: []))
        }
        var visits: [PlannedVisit] = []
        let order = groups.indices.sorted { a, b in
            (groups[a].start == nil ? 1 : 0, groups[a].day, groups[a].start ?? 0, a) < (groups[b].start == nil ? 1 : 0, groups[b].day, groups[b].start ?? 0, b)
        }
        for k in order {
            let g = groups[k]
            if let r = reservations[k] { sched.remove(visit: r) }
            var staffing = Staffing(fixed: g.named, fixedStart: g.start, pin: true)
            staffing.avoid = (namedOn[g.day] ?? []).subtracting(g.named)
            guard case .success(var v) = staffing.staff(sched, enterprise: g.enterprise, day: g.day, items: g.items) else { return nil }
            v.pinned = true
            sched.add(v)
            visits.append(v)
        }
        return visits
    }

    /// The shortest visit a group can be: its named inspectors and one member of each other
    /// department its items need.
    static func minimalLength(_ sched: Schedule, _ g: Group) -> Int? {
        let el = sched.context.eligibility
        var team = g.named
        for dep in sched.neededDepartments(g.items) where !team.contains(where: { el.departmentOf[$0] == dep }) {
            guard let p = el.certifiedByDepartment[dep].first(where: { el.mayVisit($0, day: g.day, enterprise: g.enterprise) }) else { return nil }
            team.append(p)
        }
        return sched.assignPerformers(g.items, team: team)?.length
    }

    /// The teams of a choice that holds every pin, from a GLPK model of the pins alone, or nil.
    static func exactTeams(_ ctx: PlanningContext, _ groups: [Group], deadline: Date = .distantFuture) -> [[Int]]? {
        let sched = Schedule(ctx)
        let el = ctx.eligibility
        var model = LinearModel(name: "pins", sense: .minimize)
        var x: [[(p: Int, col: Int)]] = []
        var lengths: [Int] = []
        for (g, grp) in groups.enumerated() {
            guard let len = minimalLength(sched, grp) else { return nil }
            lengths.append(len)
            if let s = grp.start, !ctx.window.allows(start: s, length: len) { return nil }
            var cols: [(Int, Int)] = []
            for p in ctx.scenario.inspectors.indices where el.mayVisit(p, day: grp.day, enterprise: grp.enterprise) {
                let col = model.addColumn("x_\(g)_\(p)", lower: 0, upper: 1, cost: 1, kind: .binary)
                cols.append((p, col))
                // A binary column is 0–1 whatever its bounds say: the named members are rows.
                if grp.named.contains(p) { _ = model.addRow("named_\(g)_\(p)", [(col, 1.0)], lower: 1) }
            }
            x.append(cols)
            _ = model.addRow("team_\(g)", cols.map { ($0.1, 1.0) }, lower: Double(ctx.minTeam))
            for dep in sched.neededDepartments(grp.items) {
                let terms = cols.filter { el.departmentOf[$0.0] == dep }.map { ($0.1, 1.0) }
                if terms.isEmpty { return nil }
                _ = model.addRow("dept_\(g)_\(dep)", terms, lower: 1)
            }
        }
        // Per inspector and day: no two overlapping pins, maxVisitsPerDay, working minutes.
        var byInspectorDay: [Int: [(g: Int, col: Int)]] = [:]
        for (g, cols) in x.enumerated() {
            for (p, col) in cols { byInspectorDay[p * max(1, ctx.dayCount) + groups[g].day, default: []].append((g, col)) }
        }
        for key in byInspectorDay.keys.sorted() {
            let list = byInspectorDay[key]!
            guard list.count > 1 else { continue }
            let p = key / max(1, ctx.dayCount)
            _ = model.addRow("visits_\(key)", list.map { ($0.col, 1.0) }, upper: Double(ctx.maxVisits[p]))
            _ = model.addRow("minutes_\(key)", list.map { ($0.col, Double(lengths[$0.g])) }, upper: Double(ctx.window.workingMinutes))
            for a in 0..<list.count {
                for b in (a + 1)..<list.count {
                    let ga = groups[list[a].g], gb = groups[list[b].g]
                    guard let sa = ga.start, let sb = gb.start else { continue }
                    let ta = ctx.enterpriseTown[ga.enterprise], tb = ctx.enterpriseTown[gb.enterprise]
                    let apart = sa + lengths[list[a].g] + ctx.travel[ta][tb] <= sb || sb + lengths[list[b].g] + ctx.travel[tb][ta] <= sa
                    if !apart { _ = model.addRow("apart_\(key)_\(a)_\(b)", [(list[a].col, 1.0), (list[b].col, 1.0)], upper: 1) }
                }
            }
        }
        var params = SearchParameters()
        // No clock limit but the solve's deadline (0: none); 20,000 nodes decide otherwise.
        // At least a second even past the deadline: a model cut at nothing would call pins
        // that can hold infeasible (the greedy pass holds them without the model as a rule).
        params.timeLimit = deadline == .distantFuture ? 0 : max(1, deadline.timeIntervalSinceNow)
        params.nodeLimit = 20_000
        guard let result = try? GLPKSolver.solve(model, params), result.status == .optimal || result.status == .feasible else { return nil }
        return x.map { cols in cols.filter { result.values[$0.col] > 0.5 }.map(\.p) }
    }

    /// Visits with the model's teams, at their starts (free-start pins: the earliest that fits).
    static func build(_ ctx: PlanningContext, _ groups: [Group], _ teams: [[Int]]) -> [PlannedVisit]? {
        var sched = Schedule(ctx)
        var visits: [PlannedVisit] = []
        let order = groups.indices.sorted { (groups[$0].start == nil ? 1 : 0, $0) < (groups[$1].start == nil ? 1 : 0, $1) }
        for k in order {
            let g = groups[k]
            let staffing = Staffing(fixed: teams[k], fixedStart: g.start, pin: true)
            guard case .success(var v) = staffing.staff(sched, enterprise: g.enterprise, day: g.day, items: g.items) else { return nil }
            v.pinned = true
            sched.add(v)
            visits.append(v)
        }
        return visits
    }
}
