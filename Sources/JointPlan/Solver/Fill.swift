import Foundation

/// The fill pass: after the schedule, the exchange and the remote checks, the checks still
/// unmet for staffing get the capacity that is left, heaviest first.
///
/// The trim sets checks of saturated departments aside before scheduling, from a
/// relaxation that plans with fewer minutes than there are and knows nothing of days, and
/// the day loop loses some visits whole; both leave inspector slots and minutes unused at
/// the end. Each check still unmet tries, in this order:
/// 1. to join a placed visit of its enterprise whose team can perform it (rule 3), the
///    visit growing by the minutes it adds (rules 1 and 4 through the roster) — no slot
///    and no visit more;
/// 2. to join such a visit with one more inspector of its department — a slot, no visit —
///    free that day, or taken from a visit worth less than the check (which then looks for
///    another day, and is lost if it finds none);
/// 3. with the enterprise's other unmet checks, as a new visit within the enterprise's
///    on-site cap (rule 8) — a slot and a visit, which objective 1 ranks before objective 2.
/// Every placement keeps `minSpacingDays` from the item's other checks at the enterprise,
/// on site or remote, and from `lastChecked` (rule 7).
extension Scheduler {
    /// A check still to place, and where it is held now: in `dropped` or in the checks of
    /// a visit that was never placed.
    private struct Missing {
        var enterprise: Int
        var check: Occurrence
        var weight: Double
        var origin: Job
        var fromDropped: Bool
    }

    /// `remoteDates`: dates of remote checks per enterprise × items + item.
    /// `capUsed`: on-site visits an enterprise already has outside this schedule.
    mutating func fill(remoteDates: [Int: [Day]], capUsed: [Int: Int], deadline: Date) {
        let ni = max(1, s.items.count)
        var missing: [Missing] = []
        for job in jobs where job.pin == nil || job.date != nil {
            let w = s.policy.unmetWeight[s.enterprises[job.enterprise].tier]
            for c in job.dropped { missing.append(Missing(enterprise: job.enterprise, check: c, weight: w, origin: job, fromDropped: true)) }
            if job.date == nil && job.pin == nil {
                for c in job.checks { missing.append(Missing(enterprise: job.enterprise, check: c, weight: w, origin: job, fromDropped: false)) }
            }
        }
        if missing.isEmpty { return }
        missing.sort { ($0.weight, -$0.enterprise, -$0.check.item, -$0.check.occurrence) > ($1.weight, -$1.enterprise, -$1.check.item, -$1.check.occurrence) }

        var placedByEnterprise: [Int: [Job]] = [:]
        for j in jobs where j.date != nil { placedByEnterprise[j.enterprise, default: []].append(j) }
        /// Dates of the item's checks at the enterprise (on site and remote).
        func dates(_ e: Int, _ item: Int) -> [Day] {
            (placedByEnterprise[e] ?? []).filter { $0.checks.contains { $0.item == item } }.compactMap(\.date)
                + (remoteDates[e * ni + item] ?? [])
        }
        func spacingOK(_ e: Int, _ item: Int, _ day: Day) -> Bool {
            let it = s.items[item]
            return SpacingRule.allows(day, spacing: it.minSpacingDays, lastChecked: s.enterprises[e].lastChecked[it.id], others: dates(e, item))
        }
        func take(_ m: Missing) {
            if m.fromDropped { m.origin.dropped.removeAll { $0 == m.check } } else { m.origin.checks.removeAll { $0 == m.check } }
        }

        var byDay = placedByDay()
        var leftover: [Missing] = []
        for m in missing {
            if Date() >= deadline { leftover.append(m); continue }
            let e = m.enterprise
            // A visit displaced by `joinDisplacing` may have lost its date.
            let visits = (placedByEnterprise[e] ?? []).filter { v in
                v.date != nil && !v.checks.contains { $0.item == m.check.item } && spacingOK(e, m.check.item, v.date!)
            }.sorted { ($0.date!, $0.id) < ($1.date!, $1.id) }
            var joined = false
            for v in visits where !joined { joined = join(m.check, to: v, addMember: false) }
            for v in visits where !joined { joined = join(m.check, to: v, addMember: true) }
            for v in visits where !joined { joined = joinDisplacing(m.check, weight: m.weight, to: v, byDay: &byDay) }
            if joined { take(m) } else { leftover.append(m) }
        }

        // New visits: an enterprise's leftover checks together, one occurrence per item.
        var byEnterprise: [Int: [Missing]] = [:]
        var order: [Int] = []
        for m in leftover {
            if byEnterprise[m.enterprise] == nil { order.append(m.enterprise) }
            byEnterprise[m.enterprise, default: []].append(m)
        }
        for e in order where Date() < deadline {
            var pending = byEnterprise[e]!
            let cap = s.onsiteCap(of: s.enterprises[e]) - (capUsed[e] ?? 0)
            while !pending.isEmpty && (placedByEnterprise[e] ?? []).filter({ $0.date != nil }).count < cap {
                var group: [Missing] = []
                for m in pending where !group.contains(where: { $0.check.item == m.check.item }) { group.append(m) }
                let job = Job(id: jobs.count, enterprise: e, position: chains[e].count, checks: group.map(\.check),
                              earliest: cal.horizon.start, latest: cal.horizon.end,
                              value: group.reduce(0) { $0 + $1.weight })
                job.setDepartments(s)
                let visited = Set((placedByEnterprise[e] ?? []).compactMap(\.date))
                let days = cal.days.indices.filter { t in
                    let day = cal.days[t]
                    return BlackoutRule.allowsVisit(s.enterprises[e], on: day) && !visited.contains(day)
                        && group.allSatisfy { spacingOK(e, $0.check.item, day) }
                }
                var placed = false
                for t in days where route(job, day: t) { placed = true; break }
                if !placed { for t in days where degrade(job, day: t) { placed = true; break } }
                guard placed else { break }
                // Checks the degraded visit left out stay with their origin.
                let done = Set(job.checks)
                job.dropped = []
                for m in group where done.contains(m.check) { take(m) }
                pending.removeAll { done.contains($0.check) }
                jobs.append(job)
                chains[e].append(job.id)
                placedByEnterprise[e, default: []].append(job)
            }
        }
    }

    /// Adds `check` to the placed visit `v` with one more inspector of its department,
    /// taken from a visit that day worth less than the check (`weight`); the displaced
    /// visit then looks for another day, and is lost if it finds none — so the value done
    /// only rises. Undone exactly when the check still does not fit.
    private mutating func joinDisplacing(_ check: Occurrence, weight: Double, to v: Job, byDay: inout [Day: [Job]]) -> Bool {
        guard let date = v.date, let t = cal.indexOf(date) else { return false }
        let it = s.items[check.item]
        guard !it.delegable, let d = s.departmentIndex[it.department],
              !v.team.contains(where: { s.inspectors[$0].department == it.department }) else { return false }
        let members = Set(byDept[d])
        let victims = (byDay[date] ?? []).filter { u in
            u !== v && u.date == date && u.pin == nil && u.enterprise != v.enterprise && u.value < weight
                && u.team.contains { members.contains($0) && !roster.eligibility.recused[$0].contains(v.enterprise) }
        }.sorted { ($0.value, $0.id) < ($1.value, $1.id) }.prefix(3)
        for u in victims {
            let saved = takeOff(u, day: t)
            if join(check, to: v, addMember: true) {
                byDay[date]?.removeAll { $0 === u }
                if let d2 = relocate(u, avoiding: t) { byDay[d2, default: []].append(u) }
                return true
            }
            putBack(u, saved, day: t)
        }
        return false
    }

    /// Adds `check` to the placed visit `v`, with one more inspector of the item's
    /// department when `addMember`; keeps the start if the team can, else (unless pinned)
    /// moves it to the team's earliest common start that day. Undone when it does not fit.
    private mutating func join(_ check: Occurrence, to v: Job, addMember: Bool) -> Bool {
        guard let date = v.date, let t = cal.indexOf(date) else { return false }
        let it = s.items[check.item]
        let ent = s.enterprises[v.enterprise]
        let canPerform = it.delegable || v.team.contains { s.inspectors[$0].department == it.department }
        var team = v.team
        if addMember {
            guard !canPerform, let d = s.departmentIndex[it.department] else { return false }
            // The member with the fewest visits that day who is free.
            let free = byDept[d].filter { p in !team.contains(p) && hasFreeSlot(p, day: t, enterprise: v.enterprise) }.sorted { (roster.day($0, t).slots.count, roster.booked[$0], $0) < (roster.day($1, t).slots.count, roster.booked[$1], $1) }
            guard let p = free.first else { return false }
            team.append(p)
        } else if !canPerform {
            return false
        }
        let original = (v.checks, v.departments, v.value, v.start, v.end, v.team, v.performers)
        v.checks.append(check)
        guard let a = assignChecks(v, team: team) else { v.checks = original.0; return false }
        let town = townOf[v.enterprise]
        roster.unbook(original.5, t, visit: v.id)
        var start: Int?
        if roster.fits(team, t, start: original.3, length: a.minutes, town: town) { start = original.3 }
        else if v.pin?.start == nil { start = roster.commonStart(team, t, from: v.pin == nil ? cal.horizon.dayStart : original.3, length: a.minutes, town: town) }
        guard let st = start else {
            roster.book(original.5, t, visit: v.id, start: original.3, length: original.4 - original.3, town: town)
            v.checks = original.0
            return false
        }
        v.setDepartments(s)
        v.value += s.policy.unmetWeight[ent.tier]
        place(v, team: team, day: t, start: st, length: a.minutes, performers: a.performers)
        return true
    }
}
