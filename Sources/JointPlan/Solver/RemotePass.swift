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
        let byDept = Dictionary(grouping: s.inspectors.indices.filter { s.inspectors[$0].certified }, by: { s.inspectors[$0].department })
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
            let candidates = (byDept[it.department] ?? []).filter { !s.inspectors[$0].recusals.contains(ent.id) }
            var spacingBlocked = true
            var done = false
            for (t, day) in cal.days.enumerated() {
                if let lc = ent.lastChecked[it.id], day < lc || day - lc < it.minSpacingDays { continue }
                if (performed[key] ?? []).contains(where: { abs(day - $0) < it.minSpacingDays }) { continue }
                spacingBlocked = false
                var best: Int?
                for p in candidates where roster.spareMinutes(p, t) >= it.remoteMinutes && roster.available[p][t] {
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
