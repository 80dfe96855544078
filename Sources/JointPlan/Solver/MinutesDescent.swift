import Foundation

/// Improvement of the third objective (spec 3.2, inspector minutes): each visit in turn is
/// taken out and put back where its team adds the fewest minutes — the same checks on the
/// same or another allowed day (spacing and blackout kept), with the cheapest team and start
/// — and the move is kept only when the plan's minutes go down. Unmet work and visits do
/// not change, so every kept move is lexicographically better. Pinned visits stay.
///
/// Candidate days are the visit's own and those on which an inspector of its departments
/// already works in its town (where travel is shortest). Deterministic: `passes` bounds the
/// work; the deadline only guards the time limit.
struct MinutesDescent: Sendable {
    var passes = 2
    /// Other days tried per visit: the nearest on which its departments work in its town.
    var nearestDays = 6
    /// Visits that stay where they are (a re-plan's kept visits: non-disruptive re-planning,
    /// issue 21 — a kept visit is not moved to save minutes).
    var fixed: Set<Int> = []

    func run(_ input: Schedule, deadline: Date) -> Schedule {
        var sched = remoteWhereCheaper(input, deadline: deadline)
        let ctx = sched.context
        let el = ctx.eligibility
        for _ in 0..<passes {
            var improved = false
            // Days on which a department already works in a town (refreshed every pass).
            var working: [Int: Set<Int>] = [:]
            for (_, v) in sched.liveVisits {
                let town = ctx.enterpriseTown[v.enterprise]
                for p in v.team { working[el.departmentOf[p] * ctx.scenario.towns.count + town, default: []].insert(v.day) }
            }
            // Small plans can afford every such day; large ones the nearest.
            let reach = sched.liveVisits.count <= 600 ? ctx.dayCount : nearestDays
            for (id, v) in sched.liveVisits where !v.pinned && !fixed.contains(id) {
                if Date() > deadline { return sched }
                guard let current = sched.visits[id] else { continue }
                let town = ctx.enterpriseTown[v.enterprise]
                let items = current.checks.map(\.item)
                let depts = Set(items.map { el.itemDepartment[$0] }).union(current.team.map { el.departmentOf[$0] })
                sched.remove(visit: id)
                let before = addedMinutes(sched, current, town)
                var pool = Set<Int>()
                for dep in depts where dep >= 0 { pool.formUnion(working[dep * ctx.scenario.towns.count + town] ?? []) }
                // The nearest such days, and the visit's own.
                let days = [current.day] + pool.subtracting([current.day]).sorted { (abs($0 - current.day), $0) < (abs($1 - current.day), $1) }.prefix(reach)
                var best: (Int, PlannedVisit)?
                for d in days where items.allSatisfy({ sched.dateAllows(v.enterprise, $0, day: d, onSite: true) }) {
                    guard case .success(let nv) = Staffing(cheapest: true).staff(sched, enterprise: v.enterprise, day: d, items: items) else { continue }
                    let m = addedMinutes(sched, nv, town)
                    if best == nil || m < best!.0 { best = (m, nv) }
                }
                if let b = best, b.0 < before, keepsDraw(&sched, id, from: current, to: b.1) {
                    improved = true
                } else {
                    sched.add(current, as: id)
                }
            }
            if !improved { break }
        }
        return sched
    }

    /// A remote-capable check done on site moves to a remote check when that costs fewer
    /// minutes: the visit gets shorter for its whole team (its longest member's load drops),
    /// the remote check takes its remote minutes of one inspector (rule 5, spacing kept). The
    /// visit keeps at least one check; its start, team and travel stay. Pinned visits stay.
    func remoteWhereCheaper(_ input: Schedule, deadline: Date) -> Schedule {
        var sched = input
        let ctx = sched.context
        // Not a pinned visit: its pin may name the very check (rule 9).
        for (id, v) in sched.liveVisits where v.checks.count > 1 && !v.pinned && !fixed.contains(id) {
            if Date() > deadline { break }
            for item in v.checks.map(\.item) where ctx.item(item).remoteAllowed {
                guard let cur = sched.visits[id], cur.checks.count > 1 else { break }
                let rest = cur.checks.map(\.item).filter { $0 != item }
                guard let (performers, length) = sched.assignPerformers(rest, team: cur.team) else { continue }
                let saved = (cur.end - cur.start - length) * cur.team.count
                guard saved > ctx.item(item).remoteMinutes else { continue }
                var shorter = cur
                shorter.end = cur.start + length
                shorter.checks = zip(rest, performers).map { ($0, $1) }
                // Rule 11 only: the schedule before the change, to compare the draw with (a copy
                // held under "optimised" would cost a whole copy of the schedule per check).
                let kept: Schedule? = ctx.draw.isRandom ? sched : nil
                sched.remove(visit: id)
                sched.add(shorter, as: id)
                if !Placement.remote(&sched, cur.enterprise, item) {
                    sched.remove(visit: id)
                    sched.add(cur, as: id)
                } else if let kept {
                    // A shorter visit frees its members sooner and a remote check makes its
                    // inspector busier; kept only if no visit's draw changes on those days.
                    let days = sched.daysDiffering(from: kept)
                    if sched.drawMismatches(onDays: days) > kept.drawMismatches(onDays: days) { sched = kept }
                }
            }
        }
        return sched
    }

    /// Moves visit `id` (taken out of `sched`) to `to`, unless under rule 11 that changes what
    /// the draw gives another visit on the days it leaves or joins (taking a visit out frees
    /// its members for the visits after it); then `sched` is left without it, as it came.
    private func keepsDraw(_ sched: inout Schedule, _ id: Int, from: PlannedVisit, to: PlannedVisit) -> Bool {
        let days = Set([from.day, to.day])
        guard sched.context.draw.isRandom else { sched.add(to, as: id); return true }
        sched.add(from, as: id)
        let before = sched.drawMismatches(onDays: days)
        sched.remove(visit: id)
        sched.add(to, as: id)
        if sched.drawMismatches(onDays: days) <= before { return true }
        sched.remove(visit: id)
        return false
    }

    /// What a visit adds to its team's days (its minutes and the travel it adds).
    private func addedMinutes(_ sched: Schedule, _ v: PlannedVisit, _ town: Int) -> Int {
        v.team.reduce(0) { $0 + (sched.cost($1, v.day, start: v.start, length: v.end - v.start, town: town) ?? 1_000_000) }
    }
}
