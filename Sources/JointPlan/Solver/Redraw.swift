import Foundation

/// Rule 11 as a stage: the schedule replayed the way the checker replays a plan — pinned
/// visits and remote checks held from the start, then every other visit in (date, start,
/// id) order — and each visit's members drawn from the seed (`TeamDraw`), keeping its day,
/// start, checks and how many members of each department it has. The stages before it
/// choose members through the same draw, so most teams come out as they went in; removing
/// or moving visits can free a candidate ranked earlier, and this stage is where that is
/// settled. A visit the draw cannot staff at its start moves to the first later start of
/// its day where it can (then drawn again in its new turn); one that finds none is taken
/// out and its checks are unmet for `staffing`, for `Reinsertion` to place again.
///
/// Under `inspectorDispatch: "optimised"` it returns the schedule as it is.
/// One entry point, `run`; a schedule in, a schedule out.
struct Redraw: Sendable {
    struct Result: Sendable {
        var schedule: Schedule
        /// Visits whose members changed, moved to a later start, or were taken out.
        var redrawn = 0
        var moved = 0
        var dropped = 0
    }

    func run(_ input: Schedule) -> Result { run(input, onlyDays: nil) }

    /// The replay of `days` only (a stage that changed those days): the other days' visits
    /// are kept as they are, ids included. Exact, since the draw of one day never depends on
    /// another's.
    func run(_ input: Schedule, days: Set<Int>) -> Result { run(input, onlyDays: days) }

    /// The replay of the days on which `input` differs from `previous` (nothing to compare
    /// under "optimised").
    func run(_ input: Schedule, changedFrom previous: Schedule) -> Result {
        guard input.context.draw.isRandom else { return Result(schedule: input) }
        return run(input, onlyDays: input.daysDiffering(from: previous))
    }

    private func run(_ input: Schedule, onlyDays: Set<Int>?) -> Result {
        let ctx = input.context
        let draw = ctx.draw
        guard draw.isRandom else { return Result(schedule: input) }
        if let days = onlyDays, days.isEmpty { return Result(schedule: input) }
        var out = Schedule(ctx)
        out.unmet = input.unmet
        for r in input.remote { out.addRemote(r) }
        var rest: [PlannedVisit] = []
        let live = input.liveVisits
        // Days not replayed: their visits as they are, under their own ids (first, so the
        // replayed ones are numbered after them).
        if let days = onlyDays {
            for (id, v) in live where !days.contains(v.day) { out.place(v, at: id) }
        }
        for (_, v) in live {
            if let days = onlyDays, !days.contains(v.day) {
                continue
            } else if draw.isPinned(enterprise: v.enterprise, day: v.day, start: v.start, team: v.team) {
                var pv = v
                pv.pinned = true
                out.add(pv)
            } else {
                var nv = v
                nv.pinned = false
                rest.append(nv)
            }
        }
        let rank = draw.enterpriseRank
        func key(_ v: PlannedVisit) -> (Int, Int, Int, Int) { (v.day, v.start, v.replayKey, rank[v.enterprise]) }
        // Pending visits, the next in replay order last; a moved visit goes back in its new place.
        var pending = rest.enumerated().sorted { a, b in
            let ka = key(a.element), kb = key(b.element)
            return (ka.0, ka.1, ka.2, ka.3, a.offset) > (kb.0, kb.1, kb.2, kb.3, b.offset)
        }.map(\.element)
        var result = Result(schedule: out)
        while let v = pending.popLast() {
            let counts = draw.counts(v.team)
            switch draw.team(counts, enterprise: v.enterprise, day: v.day, start: v.start, end: v.end, held: { out.day($0, v.day) }) {
            case .success(let team):
                let nv = Redraw.withTeam(v, team, ctx)
                if nv.team != v.team { result.redrawn += 1 }
                out.add(nv)
            case .failure:
                if let s2 = laterStart(out, v, counts) {
                    var moved = v
                    moved.end = s2 + (v.end - v.start)
                    moved.start = s2
                    let k = pending.firstIndex { key($0) <= key(moved) } ?? pending.count
                    pending.insert(moved, at: k)
                    result.moved += 1
                } else {
                    result.dropped += 1
                    out.unmet += v.checks.map { OpenCheck(enterprise: v.enterprise, item: $0.item, reason: .staffing) }
                }
            }
        }
        result.schedule = out
        return result
    }

    /// The visit with `team` (drawn for its department counts) in place of its members: each
    /// member's checks go to the drawn member of the same department in the same place, so
    /// every member's minutes and the visit's length stay as they were (rule 1).
    static func withTeam(_ v: PlannedVisit, _ team: [Int], _ ctx: PlanningContext) -> PlannedVisit {
        guard team != v.team else { return v }
        let dep = ctx.eligibility.departmentOf
        var slots: [Int: [Int]] = [:]
        for p in team { slots[dep[p], default: []].append(p) }
        var next: [Int: Int] = [:]
        var map: [Int: Int] = [:]
        for p in v.team {
            let d = dep[p]
            let k = next[d, default: 0]
            next[d] = k + 1
            if let list = slots[d], k < list.count { map[p] = list[k] }
        }
        var nv = v
        nv.team = team
        nv.checks = v.checks.map { ($0.item, map[$0.performer] ?? $0.performer) }
        return nv
    }

    /// The first start after the visit's own, on its day, at which the draw staffs it against
    /// what the days hold now (the visits replayed so far): where a held visit of one of its
    /// departments' eligible inspectors ends, plus travel, or where a stretch of the day begins.
    private func laterStart(_ sched: Schedule, _ v: PlannedVisit, _ counts: [(department: Int, count: Int)]) -> Int? {
        let ctx = sched.context
        let draw = ctx.draw
        let length = v.end - v.start
        let town = ctx.enterpriseTown[v.enterprise]
        var times = Set(ctx.window.stretchStarts)
        for (dep, _) in counts {
            for p in draw.order(enterprise: v.enterprise, department: dep) where draw.ineligible(p, enterprise: v.enterprise, day: v.day) == nil {
                for s in sched.day(p, v.day).slots { times.insert(s.end + ctx.travel[s.town][town]) }
            }
        }
        var tried = Set<Int>()
        for t in times.sorted() where t > v.start {
            guard let s = ctx.window.earliestStart(atOrAfter: t, length: length), s > v.start, tried.insert(s).inserted else { continue }
            if case .success = draw.team(counts, enterprise: v.enterprise, day: v.day, start: s, end: s + length, held: { sched.day($0, v.day) }) {
                return s
            }
        }
        return nil
    }
}
