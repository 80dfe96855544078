import Foundation

/// One required check to perform: an item's occurrence at the job's enterprise.
struct Occurrence: Hashable {
    var item: Int
    var occurrence: Int
}

/// A planned on-site visit before it has a date and a team: the checks it merges, the
/// window it may fall in, and — for pins — the date, start and inspectors it must have.
final class Job {
    let id: Int
    let enterprise: Int
    /// Position in the enterprise's chain of visits (0-based).
    let position: Int
    var checks: [Occurrence]
    /// Earliest and latest dates allowed by the chain's spacing (spec rule 7) and the horizon.
    var earliest: Day
    var latest: Day
    /// Σ unmetWeight of the checks: what is lost if the visit never happens.
    var value: Double
    var pin: Pin?
    /// Departments whose inspector must be on the team (non-delegable items, spec rule 3).
    var departments: [Int] = []

    // Scheduling state.
    var date: Day?
    var start = 0
    var end = 0
    var team: [Int] = []
    var performers: [Int] = []
    var dead = false
    /// Checks taken out of the visit (capacity), reported unmet with reason `staffing`.
    var dropped: [Occurrence] = []

    init(id: Int, enterprise: Int, position: Int, checks: [Occurrence], earliest: Day, latest: Day, value: Double) {
        self.id = id; self.enterprise = enterprise; self.position = position; self.checks = checks
        self.earliest = earliest; self.latest = latest; self.value = value
    }

    /// Sets `departments` from the checks: those of the non-delegable items, sorted.
    func setDepartments(_ s: Scenario) {
        let depts = Set(checks.filter { !s.items[$0.item].delegable }.map { s.items[$0.item].department })
        departments = depts.compactMap { s.departmentIndex[$0] }.sorted()
    }
}

/// A check the plan does remotely (非现场监管), placed after the on-site schedule.
struct RemoteTask {
    var enterprise: Int
    var item: Int
    var occurrence: Int
    var weight: Double
}

/// A check that cannot be done, and why.
struct LostCheck {
    var enterprise: Int
    var item: Int
    var occurrence: Int
    var reason: UnmetReason
}

/// Stage 1, the merge (进一次门，查多项事): per enterprise, group the required checks into as
/// few on-site visits as the tier cap, the white list, blackouts and spacing allow.
///
/// An enterprise whose most frequent on-site item needs k checks gets min(k, cap) visits
/// — the visit lower bound of spec 3.2 — and visit j carries occurrence j of every item
/// that needs at least j checks. Remote-allowed items ride along when their department is
/// on the team anyway, else they are done remotely (no visit at all). What cannot fit is
/// lost with the reason that binds (`visitCap`, `whitelist`, `blackout`, `spacing`,
/// `noInspector`, `recusal`): those losses are unavoidable in any plan, so they also
/// enter the lower bound.
struct Merge {
    /// Takes `count` checks of `item` at `enterprise` out of the plan, highest occurrence
    /// first, from unpinned visits (emptied visits disappear) and then from remote tasks.
    mutating func drop(_ s: Scenario, enterprise e: Int, item: Int, count: Int) {
        var left = count
        while left > 0 {
            let onsite = chains[e].compactMap { id -> (Int, Int)? in
                let job = jobs[id]
                guard job.pin == nil, let k = job.checks.firstIndex(where: { $0.item == item }) else { return nil }
                return (id, k)
            }.max { jobs[$0.0].checks[$0.1].occurrence < jobs[$1.0].checks[$1.1].occurrence }
            if let (id, k) = onsite {
                let job = jobs[id]
                job.dropped.append(job.checks.remove(at: k))
                job.value = s.policy.unmetWeight[s.enterprises[e].tier] * Double(job.checks.count)
                job.setDepartments(s)
                if job.checks.isEmpty { job.dead = true }
            } else if let r = remote.lastIndex(where: { $0.enterprise == e && $0.item == item }) {
                let t = remote.remove(at: r)
                lost.append(LostCheck(enterprise: e, item: item, occurrence: t.occurrence, reason: .staffing))
            } else { return }
            left -= 1
        }
    }

    var jobs: [Job] = []
    var chains: [[Int]] = []
    var remote: [RemoteTask] = []
    var lost: [LostCheck] = []
    /// Pins that cannot hold, with the reason, named for the planner.
    var pinConflicts: [String] = []

    /// Renumbers occurrences 1…k' to the occurrence numbers still to do (re-planning keeps
    /// the numbers the base plan already used for the checks done before the re-plan date).
    mutating func renumber(_ remaining: [Int: [Int]], itemCount: Int) {
        let ni = max(1, itemCount)
        func map(_ e: Int, _ i: Int, _ o: Int) -> Int { remaining[e * ni + i].map { $0[o - 1] } ?? o }
        for job in jobs { job.checks = job.checks.map { Occurrence(item: $0.item, occurrence: map(job.enterprise, $0.item, $0.occurrence)) } }
        remote = remote.map { var r = $0; r.occurrence = map(r.enterprise, r.item, r.occurrence); return r }
        lost = lost.map { var l = $0; l.occurrence = map(l.enterprise, l.item, l.occurrence); return l }
    }

    /// Pins of one inspector that cannot all hold — on one day more than the inspector's
    /// maxVisitsPerDay, or at start times closer than the shortest visit plus travel — are
    /// named before planning; the earlier pin (in file order) is kept, the other left out.
    static func pinsThatCanShareInspectors(_ s: Scenario, _ conflicts: inout [String]) -> [Pin] {
        var dropped = Set<Int>()
        var byInspectorDay: [String: [Pin]] = [:]
        for p in s.pinned { for id in Set(p.inspectors) { byInspectorDay["\(id)|\(p.date)", default: []].append(p) } }
        func shortest(_ p: Pin) -> Int {
            s.policy.visitBaseMinutes + (p.items.compactMap { s.item($0)?.minutes }.max() ?? 1)
        }
        for key in byInspectorDay.keys.sorted() {
            let pins = byInspectorDay[key]!.sorted { $0.index < $1.index }
            let id = String(key.split(separator: "|")[0])
            guard let ins = s.inspector(id) else { continue }
            // Visits to one enterprise on one date are one visit.
            var perEnterprise: [String: Pin] = [:]
            for p in pins where perEnterprise[p.enterprise] == nil { perEnterprise[p.enterprise] = p }
            let distinct = perEnterprise.values.sorted { $0.index < $1.index }
            if distinct.count > s.maxVisitsPerDay(of: ins) {
                let extra = distinct.dropFirst(s.maxVisitsPerDay(of: ins))
                conflicts.append(distinct.map { "pinned[\($0.index)]" }.joined(separator: ", ")
                    + ": inspector \(id) has \(distinct.count) pinned visits on \(pins[0].date), maxVisitsPerDay is \(s.maxVisitsPerDay(of: ins)); left out: " + extra.map { "pinned[\($0.index)]" }.joined(separator: ", "))
                for p in extra { dropped.insert(p.index) }
            }
            let timed = distinct.filter { $0.start != nil && !dropped.contains($0.index) }
            for (n, a) in timed.enumerated() {
                for b in timed[(n + 1)...] where !dropped.contains(b.index) && !dropped.contains(a.index) {
                    let (first, second) = a.start! <= b.start! ? (a, b) : (b, a)
                    let travel = s.travel(s.enterprise(first.enterprise)?.town ?? "", s.enterprise(second.enterprise)?.town ?? "")
                    if first.start! + shortest(first) + travel > second.start! {
                        conflicts.append("pinned[\(a.index)], pinned[\(b.index)]: inspector \(id) is pinned at \(first.enterprise) \(first.date) \(ClockTime.format(first.start!)) and at \(second.enterprise) \(ClockTime.format(second.start!)); the first visit takes at least \(shortest(first)) minutes plus \(travel) minutes of travel; left out: pinned[\(b.index)]")
                        dropped.insert(b.index)
                    }
                }
            }
        }
        return s.pinned.filter { !dropped.contains($0.index) }
    }

    init(_ s: Scenario, _ duties: Duties, _ cal: WorkCalendar, forceDepartmentAlone: Bool = false, capUsed: [Int: Int] = [:]) {
        let certifiedByDept = Dictionary(grouping: s.inspectors.indices.filter { s.inspectors[$0].certified },
                                         by: { s.inspectors[$0].department })
        let anyCertified = s.inspectors.contains { $0.certified }
        let pinsByEnterprise = Dictionary(grouping: Merge.pinsThatCanShareInspectors(s, &pinConflicts), by: { $0.enterprise })
        chains = Array(repeating: [], count: s.enterprises.count)

        for (e, ent) in s.enterprises.enumerated() {
            let dutyIdx = duties.byEnterprise[e]
            if dutyIdx.isEmpty && pinsByEnterprise[ent.id] == nil { continue }
            let allowed = cal.days.filter { BlackoutRule.allowsVisit(ent, on: $0) }
            let cap = max(0, s.onsiteCap(of: ent) - (capUsed[e] ?? 0))
            let weight = s.policy.unmetWeight[ent.tier]

            var onsite: [(item: Int, k: Int)] = []      // must be on site
            var rideAlong: [(item: Int, k: Int)] = []   // remote allowed, on site if the dept is there
            for di in dutyIdx {
                let d = duties.duties[di]
                let it = s.items[d.item]
                let deptInspectors = certifiedByDept[it.department] ?? []
                let notRecused = deptInspectors.filter { !InspectorRule.isRecused(s.inspectors[$0], from: ent.id) }
                let canOnsite = !allowed.isEmpty && (it.delegable ? anyCertified : !notRecused.isEmpty)
                let canRemote = it.remoteAllowed && !notRecused.isEmpty
                if !canOnsite && !canRemote {
                    let reason: UnmetReason
                    if deptInspectors.isEmpty && !(it.delegable && anyCertified) { reason = .noInspector }
                    else if notRecused.isEmpty && !(it.delegable && anyCertified) { reason = .recusal }
                    else { reason = .blackout }
                    for o in 1...d.count { lost.append(LostCheck(enterprise: e, item: d.item, occurrence: o, reason: reason)) }
                    continue
                }
                if !canOnsite { for o in 1...d.count { remote.append(RemoteTask(enterprise: e, item: d.item, occurrence: o, weight: weight)) }; continue }
                if canRemote { rideAlong.append((d.item, d.count)) } else { onsite.append((d.item, d.count)) }
            }

            // Remote-allowed items ride along only where their department is on the team anyway.
            let onsiteDepts = Set(onsite.map { s.items[$0.item].department })
            let mustK = onsite.map(\.k).max() ?? 0
            var m = min(cap, mustK)
            var positions: [(item: Int, k: Int, offset: Int)] = onsite.map { ($0.item, min($0.k, m), 0) }
            for (item, k) in onsite where k > m {
                let reason: UnmetReason = (ent.whitelisted && cap < s.policy.maxOnsiteVisits[ent.tier]) ? .whitelist : .visitCap
                for o in (m + 1)...k { lost.append(LostCheck(enterprise: e, item: item, occurrence: o, reason: reason)) }
            }
            var remoteRest: [(item: Int, from: Int, to: Int)] = []
            for (item, k) in rideAlong {
                let it = s.items[item]
                if m > 0 && !forceDepartmentAlone && (onsiteDepts.contains(it.department) || it.delegable) {
                    positions.append((item, min(k, m), 0))
                    if k > m { remoteRest.append((item, m + 1, k)) }
                } else {
                    remoteRest.append((item, 1, k))
                }
            }

            // Pins need a visit on their date holding their items (spec rule 9).
            var pins = (pinsByEnterprise[ent.id] ?? []).sorted { ($0.date, $0.index) < ($1.date, $1.index) }
            // A pin that cannot hold for a reason of its own is named and left out.
            pins = pins.filter { p in
                let name = "pinned[\(p.index)] (\(ent.id), \(p.date))"
                if !cal.isWorking(p.date) {
                    pinConflicts.append("\(name): \(p.date) is not a working day (\(cal.whyNotWorking(p.date)))"); return false
                }
                if !BlackoutRule.allowsVisit(ent, on: p.date) {
                    pinConflicts.append("\(name): \(p.date) is in the enterprise's blackout"); return false
                }
                for id in p.inspectors {
                    guard let ins = s.inspector(id) else { continue }
                    let why: String?
                    switch InspectorRule.whyNot(ins, enterprise: ent.id, on: p.date) {
                    case .notCertified: why = "is not certified"
                    case .onLeave: why = "is unavailable that day"
                    case .recused: why = "is recused from \(ent.id)"
                    case nil: why = nil
                    }
                    if let why { pinConflicts.append("\(name): inspector \(id) \(why)"); return false }
                }
                return true
            }
            let pinDates = Set(pins.map(\.date))
            if pinDates.count > cap {
                pinConflicts.append(pins.map { "pinned[\($0.index)]" }.joined(separator: ", ")
                    + " (\(ent.id) on \(pinDates.sorted().map(\.description).joined(separator: ", "))): \(pinDates.count) visits exceed the enterprise's on-site cap of \(cap) (tier \(ent.tier.rawValue)\(ent.whitelisted ? ", white list" : ""))")
                pins = []
            }
            if !pins.isEmpty && positions.isEmpty && !pins.contains(where: { p in p.items.contains { iid in remoteRest.contains { s.items[$0.item].id == iid } } }) {
                pinConflicts.append(pins.map { "pinned[\($0.index)]" }.joined(separator: ", ") + " (\(ent.id)): the enterprise has no required check that can be done on site, so a pinned visit would carry no check")
                pins = []
            }
            if !pins.isEmpty {
                // A pin forces its items on site; remote-only tasks for pinned items move on site.
                for p in pins {
                    for iid in p.items {
                        guard let i = s.itemIndex[iid] else { continue }
                        if positions.contains(where: { $0.item == i }) { continue }
                        if let r = remoteRest.firstIndex(where: { $0.item == i }) {
                            let rr = remoteRest[r]
                            remoteRest.remove(at: r)
                            positions.append((i, 1, 0))
                            if rr.to > rr.from { remoteRest.append((i, rr.from + 1, rr.to)) }
                        }
                    }
                }
                m = max(m, pinDates.count)
            }

            // Windows by forward/backward passes over the allowed days; shrink until feasible.
            func windows(_ pos: [(item: Int, k: Int, offset: Int)], _ m: Int, fixed: [Int: Day]) -> [(Day, Day)]? {
                guard m > 0 else { return [] }
                var earliestFrom = Array(repeating: cal.horizon.start, count: m)
                var gap = Array(repeating: 0, count: m)   // gap[j]: days between visit j and j+1
                var present = Array(repeating: false, count: m)
                for p in pos where p.k > 0 {
                    let it = s.items[p.item]
                    if let lc = ent.lastChecked[it.id] {
                        earliestFrom[p.offset] = max(earliestFrom[p.offset], SpacingRule.earliest(after: lc, spacing: it.minSpacingDays))
                    }
                    for j in p.offset..<(p.offset + p.k) {
                        present[j] = true
                        if j + 1 < p.offset + p.k { gap[j] = max(gap[j], it.minSpacingDays) }
                    }
                }
                if present.contains(false) { return nil }
                var E: [Day] = []
                var prev: Day?
                for j in 0..<m {
                    var lo = earliestFrom[j]
                    if let p = prev { lo = max(lo, p + gap[j - 1]) }
                    if let f = fixed[j] { guard f >= lo else { return nil }; lo = f }
                    guard let d = allowed.first(where: { $0 >= lo }) else { return nil }
                    if let f = fixed[j], d != f { return nil }
                    E.append(d); prev = d
                }
                var L = Array(repeating: cal.horizon.end, count: m)
                var next: Day?
                for j in stride(from: m - 1, through: 0, by: -1) {
                    var hi = cal.horizon.end
                    if let n = next { hi = n - gap[j] }
                    if let f = fixed[j] { hi = min(hi, f) }
                    guard let d = allowed.last(where: { $0 <= hi }), d >= E[j] else { return nil }
                    L[j] = d; next = d
                }
                return zip(E, L).map { ($0, $1) }
            }

            var fixed: [Int: Day] = [:]
            var win: [(Day, Day)]?
            if pins.isEmpty {
                win = windows(positions, m, fixed: [:])
                if win == nil {
                    // Items last checked recently may move to later visits of the chain.
                    for (n, p) in positions.enumerated() where ent.lastChecked[s.items[p.item].id] != nil && p.k < m {
                        for off in 1...(m - p.k) {
                            var trial = positions
                            trial[n].offset = off
                            if windows(trial, m, fixed: [:]) != nil { positions = trial; break }
                        }
                    }
                    win = windows(positions, m, fixed: [:])
                }
                while win == nil && m > 0 {
                    // Drop the last visit of the chain: its occurrences are lost to spacing.
                    m -= 1
                    for n in positions.indices {
                        let keep = max(0, min(positions[n].k, m - positions[n].offset))
                        if keep < positions[n].k {
                            let it = positions[n].item
                            if s.items[it].remoteAllowed {
                                remoteRest.append((it, keep + 1, positions[n].k))
                            } else {
                                for o in (keep + 1)...positions[n].k { lost.append(LostCheck(enterprise: e, item: it, occurrence: o, reason: .spacing)) }
                            }
                            positions[n].k = keep
                        }
                    }
                    positions.removeAll { $0.k == 0 }
                    win = positions.isEmpty ? [] : windows(positions, m, fixed: [:])
                }
            } else {
                // Place pins on chain positions in date order, moving pin items so they are present.
                let dates = Array(Set(pins.map(\.date))).sorted()
                var ok = false
                // Try to put the pins on the first visits, else spread them along the chain.
                var assignments: [[Int]] = [Array(0..<dates.count)]
                if m > dates.count { assignments.append(Array((m - dates.count)..<m)) }
                for assign in assignments {
                    var trial = positions
                    var fx: [Int: Day] = [:]
                    for (n, d) in dates.enumerated() {
                        fx[assign[n]] = d
                        for p in pins where p.date == d {
                            for iid in p.items {
                                guard let i = s.itemIndex[iid], let t = trial.firstIndex(where: { $0.item == i }) else { continue }
                                let j = assign[n]
                                if !(trial[t].offset..<(trial[t].offset + trial[t].k)).contains(j) {
                                    trial[t].offset = max(0, min(j - trial[t].k + 1, m - trial[t].k))
                                }
                            }
                        }
                    }
                    // Make every position hold at least one check.
                    for j in 0..<m where !trial.contains(where: { ($0.offset..<($0.offset + $0.k)).contains(j) }) {
                        if let t = trial.indices.first(where: { trial[$0].k == 1 }) { trial[t].offset = j }
                    }
                    if let w = windows(trial, m, fixed: fx) { positions = trial; fixed = fx; win = w; ok = true; break }
                }
                if !ok {
                    let names = pins.map { "pinned[\($0.index)] (\(ent.id), \($0.date))" }.joined(separator: ", ")
                    pinConflicts.append("\(names): no chain of visits to \(ent.id) can hold these dates with the spacing and last checks of its items (minSpacingDays, lastChecked) and its blackout")
                    // Plan the enterprise without its pins.
                    win = windows(positions, m, fixed: [:])
                    if win == nil { m = 0; win = [] }
                }
            }

            // Remote occurrences.
            for r in remoteRest {
                for o in r.from...r.to { remote.append(RemoteTask(enterprise: e, item: r.item, occurrence: o, weight: weight)) }
            }
            guard let w = win, m > 0, !positions.isEmpty else {
                for p in positions where p.k > 0 {
                    for o in 1...p.k { lost.append(LostCheck(enterprise: e, item: p.item, occurrence: o, reason: .spacing)) }
                }
                continue
            }
            for j in 0..<m {
                var checks: [Occurrence] = []
                for p in positions where (p.offset..<(p.offset + p.k)).contains(j) {
                    checks.append(Occurrence(item: p.item, occurrence: j - p.offset + 1))
                }
                let job = Job(id: jobs.count, enterprise: e, position: j, checks: checks,
                              earliest: w[j].0, latest: w[j].1, value: weight * Double(checks.count))
                if let d = fixed[j] {
                    job.pin = pins.first { $0.date == d }
                    // Several pins on one date: merge their inspectors into one pinned visit.
                    let same = pins.filter { $0.date == d }
                    if same.count > 1 {
                        job.pin!.inspectors = Array(Set(same.flatMap(\.inspectors))).sorted()
                        job.pin!.start = same.compactMap(\.start).first
                        if Set(same.compactMap(\.start)).count > 1 {
                            pinConflicts.append(same.map { "pinned[\($0.index)]" }.joined(separator: ", ") + " (\(ent.id), \(d)): different start times for one visit")
                        }
                    }
                }
                job.setDepartments(s)
                chains[e].append(job.id)
                jobs.append(job)
            }
        }
    }
}
