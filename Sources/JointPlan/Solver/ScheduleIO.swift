import Foundation

extension Schedule {
    /// A schedule holding a plan's visits, remote checks and unmet checks (the plan of
    /// another stage, so that every improvement works on any start). Visits before the
    /// planning horizon (a re-plan's frozen ones) are not part of it.
    init(_ context: PlanningContext, plan: Plan, frozen: Set<String> = []) {
        self.init(context)
        let s = context.scenario
        for v in plan.visits where !frozen.contains(v.id) {
            guard let e = s.enterpriseIndex[v.enterprise], let d = context.calendar.indexOf(v.date) else { continue }
            let team = v.inspectors.compactMap { s.inspectorIndex[$0] }
            let checks = v.checks.compactMap { c -> (item: Int, performer: Int)? in
                guard let i = s.itemIndex[c.item], let p = s.inspectorIndex[c.inspector] else { return nil }
                return (i, p)
            }
            let pinned = context.draw.isPinned(enterprise: e, day: d, start: v.start, team: team)
            add(PlannedVisit(enterprise: e, day: d, start: v.start, end: v.end, team: team, checks: checks, pinned: pinned))
        }
        for r in plan.remoteChecks {
            guard let e = s.enterpriseIndex[r.enterprise], let i = s.itemIndex[r.item], let p = s.inspectorIndex[r.inspector],
                  let d = context.calendar.indexOf(r.date) else { continue }
            addRemote(PlannedRemote(enterprise: e, item: i, day: d, inspector: p))
        }
        unmet = plan.unmet.compactMap { u in
            guard let e = s.enterpriseIndex[u.enterprise], let i = s.itemIndex[u.item] else { return nil }
            return OpenCheck(enterprise: e, item: i, reason: u.reason)
        }
    }

    /// The plan's visits, remote and unmet checks (ids and occurrences numbered here: visits
    /// in date and time order after `frozenVisits`, each pair's occurrences in date order
    /// from the numbers still to plan, unmet checks taking the rest).
    func write(into plan: inout Plan, frozenVisits: [Visit], frozenRemote: [RemoteCheck]) {
        let ctx = context
        let s = ctx.scenario
        // Ids in (date, start, enterprise id) order: the order rule 11 replays visits in
        // (`Redraw` draws them in this order).
        let rank = ctx.draw.enterpriseRank
        let live = liveVisits.sorted { a, b in
            (a.visit.day, a.visit.start, a.visit.replayKey, rank[a.visit.enterprise], a.id) < (b.visit.day, b.visit.start, b.visit.replayKey, rank[b.visit.enterprise], b.id)
        }.map(\.visit)
        // Occurrence numbers per pair in date order (visits and remote checks together).
        struct Use { var day: Int; var start: Int; var kind: Int; var index: Int; var check: Int }
        var uses: [Int: [Use]] = [:]
        for (vi, v) in live.enumerated() {
            for (ci, c) in v.checks.enumerated() { uses[ctx.key(v.enterprise, c.item), default: []].append(Use(day: v.day, start: v.start, kind: 0, index: vi, check: ci)) }
        }
        let remoteSorted = remote.sorted { a, b in
            (a.day, s.enterprises[a.enterprise].id, a.item, a.inspector) < (b.day, s.enterprises[b.enterprise].id, b.item, b.inspector)
        }
        for (ri, r) in remoteSorted.enumerated() {
            uses[ctx.key(r.enterprise, r.item), default: []].append(Use(day: r.day, start: -1, kind: 1, index: ri, check: 0))
        }
        var visitOcc = live.map { Array(repeating: 0, count: $0.checks.count) }
        var remoteOcc = Array(repeating: 0, count: remoteSorted.count)
        var nextFree: [Int: Int] = [:]
        var numberCache: [Int: [Int]] = [:]
        var counts: [Int: Int] = [:]
        for duty in ctx.duties.duties { counts[ctx.key(duty.enterprise, duty.item)] = duty.count }
        func occurrenceNumbers(_ key: Int) -> [Int] {
            if let c = numberCache[key] { return c }
            let n = ctx.remaining[key] ?? Array(1...max(1, counts[key] ?? 1))
            numberCache[key] = n
            return n
        }
        for (key, list) in uses {
            let nums = occurrenceNumbers(key)
            for (k, u) in list.sorted(by: { ($0.day, $0.start, $0.kind, $0.index, $0.check) < ($1.day, $1.start, $1.kind, $1.index, $1.check) }).enumerated() {
                let n = k < nums.count ? nums[k] : nums.last! + (k - nums.count + 1)
                if u.kind == 0 { visitOcc[u.index][u.check] = n } else { remoteOcc[u.index] = n }
            }
            nextFree[key] = list.count
        }
        plan.visits = frozenVisits
        var used = Set(frozenVisits.map(\.id))
        var serial = 0
        func nextId() -> String {
            repeat { serial += 1 } while used.contains(String(format: "V%05d", serial))
            let id = String(format: "V%05d", serial)
            used.insert(id)
            return id
        }
        for (vi, v) in live.enumerated() {
            let checks = v.checks.enumerated().map { ci, c in
                Check(item: s.items[c.item].id, occurrence: visitOcc[vi][ci], inspector: s.inspectors[c.performer].id)
            }.sorted { ($0.item, $0.occurrence) < ($1.item, $1.occurrence) }
            plan.visits.append(Visit(id: nextId(), enterprise: s.enterprises[v.enterprise].id, date: ctx.calendar.days[v.day],
                                     start: v.start, end: v.end, inspectors: v.team.map { s.inspectors[$0].id }, checks: checks))
        }
        plan.remoteChecks = frozenRemote + remoteSorted.enumerated().map { ri, r in
            RemoteCheck(enterprise: s.enterprises[r.enterprise].id, item: s.items[r.item].id, occurrence: remoteOcc[ri],
                        date: ctx.calendar.days[r.day], inspector: s.inspectors[r.inspector].id)
        }
        var unmetOut: [UnmetCheck] = []
        for u in unmet.sorted(by: { ($0.enterprise, $0.item) < ($1.enterprise, $1.item) }) {
            let key = ctx.key(u.enterprise, u.item)
            let nums = occurrenceNumbers(key)
            let k = nextFree[key, default: 0]
            nextFree[key] = k + 1
            let n = k < nums.count ? nums[k] : (nums.last ?? 0) + (k - nums.count + 1)
            unmetOut.append(UnmetCheck(enterprise: s.enterprises[u.enterprise].id, item: s.items[u.item].id, occurrence: n, reason: u.reason))
        }
        plan.unmet = unmetOut.sorted { ($0.enterprise, $0.item, $0.occurrence) < ($1.enterprise, $1.item, $1.occurrence) }
    }
}
