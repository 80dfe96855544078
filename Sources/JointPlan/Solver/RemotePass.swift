import Foundation

/// Stage 4: places the remote checks (非现场监管, spec rule 5) on inspector-days with spare
/// minutes, after the on-site schedule, keeping `minSpacingDays` from every other check of
/// the same item on the same enterprise (rule 7).
enum RemotePass {
    static func run(_ s: Scenario, _ cal: WorkCalendar, _ roster: inout Roster, tasks: [RemoteTask], visits: [Job],
                    firstFit: Bool) -> (placed: [RemoteCheck], lost: [LostCheck]) {
        let ni = max(1, s.items.count)
        var performed: [Int: [Day]] = [:]
        for job in visits { if let d = job.date { for c in job.checks { performed[job.enterprise * ni + c.item, default: []].append(d) } } }
        var placed: [RemoteCheck] = []
        var lost: [LostCheck] = []
        // Heaviest first; a chain's occurrences in order so each finds the earliest day.
        let order = tasks.indices.sorted {
            let a = tasks[$0], b = tasks[$1]
            return (-a.weight, a.enterprise, a.item, a.occurrence) < (-b.weight, b.enterprise, b.item, b.occurrence)
        }
        for n in order {
            let task = tasks[n]
            let ent = s.enterprises[task.enterprise]
            let it = s.items[task.item]
            let key = task.enterprise * ni + task.item
            let el = roster.eligibility
            let candidates = s.departmentIndex[it.department].map { el.certifiedByDepartment[$0] } ?? []
            var spacingBlocked = true
            var done = false
            for (t, day) in cal.days.enumerated() {
                guard SpacingRule.allows(day, spacing: it.minSpacingDays, lastChecked: ent.lastChecked[it.id], others: performed[key] ?? []) else { continue }
                spacingBlocked = false
                var best: Int?
                for p in candidates where el.mayDoRemotely(p, item: task.item, day: t, enterprise: task.enterprise) && roster.spareMinutes(p, t) >= it.remoteMinutes {
                    if firstFit { best = p; break }
                    if best == nil || roster.spareMinutes(p, t) > roster.spareMinutes(best!, t) { best = p }
                }
                if let p = best {
                    roster.bookRemote(p, t, minutes: it.remoteMinutes)
                    performed[key, default: []].append(day)
                    placed.append(RemoteCheck(enterprise: ent.id, item: it.id, occurrence: task.occurrence, date: day, inspector: s.inspectors[p].id))
                    done = true
                    break
                }
            }
            if !done {
                lost.append(LostCheck(enterprise: task.enterprise, item: task.item, occurrence: task.occurrence,
                                      reason: spacingBlocked ? .spacing : .staffing))
            }
        }
        return (placed, lost)
    }
}
