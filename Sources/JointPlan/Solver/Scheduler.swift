import Foundation
import GLPK

/// How the scheduler chooses: jointplan's own (GLPK day selection, load levelling,
/// travel-aware teams) or the baselines' first fit.
enum ScheduleStrategy {
    case optimized
    case firstFit
}

/// Stage 2 and 3: puts the merged visits on working days and staffs them.
///
/// Day by day: pinned visits first; then a GLPK integer program (`Models/day.mod`) selects
/// which eligible visits to do today under each department's inspector slots and minutes,
/// weighing what is lost if a visit never happens against how urgent it is and levelling
/// the load over the quarter; then each selected visit gets a team and a time through the
/// roster, which enforces rule 4. A visit that finds no team stays eligible for later days.
struct Scheduler {
    let s: Scenario
    let cal: WorkCalendar
    let strategy: ScheduleStrategy
    var roster: Roster
    var jobs: [Job]
    var chains: [[Int]]
    let townOf: [Int]
    let byDept: [[Int]]
    var stats = DayStats()
    var messages: [String] = []
    /// Pinned visits no team could hold (each also has a message): pin trouble, counted.
    var pinsUnheld = 0
    var hitTimeLimit = false
    var dayModels: [(day: Day, data: String)] = []
    let recordModels: Bool
    /// Re-planning: the base plan's visit each job should keep (same day, team and time).
    var anchors: [Int: Visit] = [:]

    struct DayStats {
        var mipSolves = 0
        var mipSeconds = 0.0
        var mipVariables = 0
        var mipOptimal = 0
    }

    init(_ s: Scenario, _ cal: WorkCalendar, jobs: [Job], chains: [[Int]], strategy: ScheduleStrategy, recordModels: Bool = false) {
        self.s = s
        self.cal = cal
        self.strategy = strategy
        self.jobs = jobs
        self.chains = chains
        self.recordModels = recordModels
        let roster = Roster(s, cal)
        self.roster = roster
        townOf = s.enterprises.map { s.townIndex[$0.town] ?? 0 }
        byDept = roster.eligibility.certifiedByDepartment
        // How hard each department is pressed: visits needing it ÷ its visit slots.
        var need = Array(repeating: 0, count: s.departments.count)
        for job in jobs { for d in job.departments { need[d] += 1 } }
        let pressure = byDept.enumerated().map { d, members in
            let slots = members.reduce(0) { acc, p in acc + roster.eligibility.available[p].filter { $0 }.count * roster.maxVisits[p] }
            return slots > 0 ? Double(need[d]) / Double(slots) : .infinity
        }
        self.pressure = pressure
        fillerRank = s.inspectors.map { p in
            s.departmentIndex[p.department].map { pressure[$0] >= Scheduler.pressed ? pressure[$0] : 0 } ?? 0
        }
    }

    /// Visits needing the department ÷ its slots over the quarter; fillers come from the
    /// least pressed departments so a saturated department's slots go to its own checks.
    let pressure: [Double]
    /// From this pressure on, a department's slots are kept for its own checks: its
    /// inspectors are the last choice as fillers, the least pressed first. Below it, fillers
    /// are chosen for travel (measured: generated short districts lose a quarter of a
    /// department's checks to fillers when it is 77 % pressed and the threshold is 80 %).
    static let pressed = 0.5
    /// Per inspector: the department's pressure when pressed, else 0 (fillers by this first).
    let fillerRank: [Double]

    /// Can `p` take one more visit at enterprise `e` on day `t` (rule 2: available, not
    /// recused; rule 4: a slot left)?
    func hasFreeSlot(_ p: Int, day t: Int, enterprise e: Int) -> Bool {
        roster.eligibility.mayVisit(p, day: t, enterprise: e) && roster.day(p, t).slots.count < roster.maxVisits[p]
    }

    // MARK: teams and durations

    /// Who performs which check, and the visit's minutes: non-delegable checks by a member
    /// of their department, delegable ones by anyone; longest first onto the least loaded
    /// member (spec rule 1: base + the largest member load).
    func assignChecks(_ job: Job, team: [Int]) -> (performers: [Int], minutes: Int)? {
        var load = Array(repeating: 0, count: team.count)
        var performers = Array(repeating: -1, count: job.checks.count)
        let order = job.checks.indices.sorted { (s.items[job.checks[$0].item].minutes, $1) > (s.items[job.checks[$1].item].minutes, $0) }
        for c in order {
            let it = s.items[job.checks[c].item]
            var best = -1
            for (m, p) in team.enumerated() where it.delegable || s.inspectors[p].department == it.department {
                if best < 0 || load[m] < load[best] { best = m }
            }
            guard best >= 0 else { return nil }
            load[best] += it.minutes
            performers[c] = team[best]
        }
        return (performers, s.policy.visitBaseMinutes + (load.max() ?? 0))
    }

    /// The departments of a team's slots: one per required department, then fillers up to
    /// `minInspectorsPerVisit` from the department with the most minutes (so they can share
    /// its checks), or any certified inspector if that department has nobody free.
    func slotPlan(_ job: Job) -> (required: [Int], fillers: Int, fillerDept: Int?) {
        var minutesByDept: [Int: Int] = [:]
        for c in job.checks {
            let it = s.items[c.item]
            if let d = s.departmentIndex[it.department] { minutesByDept[d, default: 0] += it.minutes }
        }
        let fillerDept = minutesByDept.max { ($0.value, -$0.key) < ($1.value, -$1.key) }?.key
        return (job.departments, max(0, s.policy.minInspectorsPerVisit - job.departments.count), fillerDept)
    }

    func plannedMinutes(_ job: Job) -> Int {
        let plan = slotPlan(job)
        var pseudo: [Int] = []
        // Estimate with one representative inspector per slot.
        for d in plan.required { if let p = byDept[d].first { pseudo.append(p) } }
        if let fd = plan.fillerDept { for k in 0..<plan.fillers where k + 1 < byDept[fd].count { pseudo.append(byDept[fd][k + 1]) } }
        if let a = assignChecks(job, team: pseudo) { return a.minutes }
        return s.policy.visitBaseMinutes + job.checks.reduce(0) { $0 + s.items[$1.item].minutes }
    }

    /// Staffs `job` on working day `d`: picks inspectors slot by slot, each time the best
    /// candidate with whom the team still has a common start; books the visit.
    mutating func route(_ job: Job, day d: Int) -> Bool {
        let e = job.enterprise
        let town = townOf[job.enterprise]
        let from = job.pin?.start ?? cal.horizon.dayStart
        var length = plannedMinutes(job)
        var team: [Int] = []
        for id in job.pin?.inspectors ?? [] {
            guard let p = s.inspectorIndex[id], !team.contains(p) else { continue }
            team.append(p)
        }
        if !team.isEmpty, roster.commonStart(team, d, from: from, length: length, town: town) == nil { return false }
        let plan = slotPlan(job)
        var needDepts = plan.required.filter { d in !team.contains { s.departmentIndex[s.inspectors[$0].department] == d } }
        // Scarcest department first.
        needDepts.sort { (byDept[$0].count, $0) < (byDept[$1].count, $1) }
        var fillers = max(0, s.policy.minInspectorsPerVisit - team.count - needDepts.count)

        func candidates(_ pool: [Int], filler: Bool = false) -> [Int] {
            let ok = pool.filter { p in !team.contains(p) && hasFreeSlot(p, day: d, enterprise: e) }
            switch strategy {
            case .firstFit:
                return ok
            case .optimized:
                // A filler from a pressed department last (its slots belong to its own checks);
                // then no visit yet today (no travel) first, then already in this town, then
                // least booked.
                func rank(_ p: Int) -> (Double, Int, Int, Int) {
                    let day = roster.day(p, d)
                    let where_ = day.slots.isEmpty ? 0 : (day.slots.contains { $0.town == town } ? 1 : 2)
                    return (filler ? fillerRank[p] : 0, where_, roster.booked[p], p)
                }
                return ok.sorted { rank($0) < rank($1) }
            }
        }

        func pick(from pool: [Int], filler: Bool = false) -> Bool {
            for c in candidates(pool, filler: filler).prefix(strategy == .firstFit ? 40 : 24) {
                if roster.commonStart(team + [c], d, from: from, length: length, town: town) != nil {
                    team.append(c)
                    return true
                }
            }
            return false
        }

        for dept in needDepts { if !pick(from: byDept[dept]) { return false } }
        while fillers > 0 {
            var ok = false
            // A filler of the visit's main department shares its checks (a shorter visit),
            // unless that department is pressed; else the least pressed department's.
            if let fd = plan.fillerDept, strategy == .firstFit || pressure[fd] < Scheduler.pressed { ok = pick(from: byDept[fd]) }
            if !ok {
                ok = pick(from: s.inspectors.indices.filter { s.inspectors[$0].certified }, filler: true)
            }
            if !ok { return false }
            fillers -= 1
        }
        guard let a = assignChecks(job, team: team) else { return false }
        length = a.minutes
        let start: Int
        if let fixed = job.pin?.start {
            guard roster.fits(team, d, start: fixed, length: length, town: town) else { return false }
            start = fixed
        } else {
            guard let st = roster.commonStart(team, d, from: from, length: length, town: town) else { return false }
            start = st
        }
        place(job, team: team, day: d, start: start, length: length, performers: a.performers)
        return true
    }

    mutating func place(_ job: Job, team: [Int], day d: Int, start: Int, length: Int, performers: [Int]) {
        roster.book(team, d, visit: job.id, start: start, length: length, town: townOf[job.enterprise])
        job.date = cal.days[d]
        job.start = start
        job.end = start + length
        job.team = team.sorted { s.inspectors[$0].id < s.inspectors[$1].id }
        job.performers = performers
    }

    /// Re-planning: the visit on its base day with its base team, at its base time if it
    /// still fits, else at the team's earliest common time.
    mutating func routeAnchored(_ job: Job, day d: Int, anchor: Visit) -> Bool {
        let team = anchor.inspectors.compactMap { s.inspectorIndex[$0] }
        guard team.count == anchor.inspectors.count, Set(team).count >= s.policy.minInspectorsPerVisit,
              team.allSatisfy({ roster.eligibility.mayVisit($0, day: d, enterprise: job.enterprise) }),
              var a = assignChecks(job, team: team) else { return false }
        // Same team, same checks: keep who did what (only what the changes touch moves).
        let before = Dictionary(anchor.checks.map { ("\($0.item)#\($0.occurrence)", $0.inspector) }, uniquingKeysWith: { x, _ in x })
        let kept: [Int] = job.checks.compactMap { c in
            guard let id = before["\(s.items[c.item].id)#\(c.occurrence)"], let p = s.inspectorIndex[id], team.contains(p),
                  s.items[c.item].delegable || s.inspectors[p].department == s.items[c.item].department else { return nil }
            return p
        }
        if kept.count == job.checks.count {
            var load: [Int: Int] = [:]
            for (c, p) in zip(job.checks, kept) { load[p, default: 0] += s.items[c.item].minutes }
            a = (kept, s.policy.visitBaseMinutes + (load.values.max() ?? 0))
        }
        let town = townOf[job.enterprise]
        if roster.fits(team, d, start: anchor.start, length: a.minutes, town: town) {
            place(job, team: team, day: d, start: anchor.start, length: a.minutes, performers: a.performers)
            return true
        }
        if let st = roster.commonStart(team, d, from: cal.horizon.dayStart, length: a.minutes, town: town) {
            place(job, team: team, day: d, start: st, length: a.minutes, performers: a.performers)
            return true
        }
        return false
    }

    // MARK: the day loop

    /// Last performed date of each (enterprise, item) on site, for spacing (rule 7).
    private var lastDone: [Int: Day] = [:]

    private func key(_ e: Int, _ i: Int) -> Int { e * max(1, s.items.count) + i }

    func spacingAllows(_ job: Job, _ day: Day) -> Bool {
        let ent = s.enterprises[job.enterprise]
        return job.checks.allSatisfy { c in
            let it = s.items[c.item]
            return SpacingRule.allows(day, spacing: it.minSpacingDays, lastChecked: lastDone[key(job.enterprise, c.item)] ?? ent.lastChecked[it.id], others: [])
        }
    }

    /// Runs the whole horizon. `deadline` switches the day selection to first fit when passed;
    /// `cancel` stops planning (what is left is lost with reason `timeLimit`).
    mutating func run(deadline: Date, mipGap: Double, cancel: Cancellation?, progress: ((Int, Int) -> Void)?) {
        var next = Array(repeating: 0, count: chains.count)   // next chain position per enterprise
        let blackoutEnterprises = Set(s.enterprises.indices.filter { !s.enterprises[$0].blackout.isEmpty })
        for (t, day) in cal.days.enumerated() {
            // Once cancelled, only the pinned visits are still placed (they are promises).
            let cancelled = cancel?.isCancelled == true
            progress?(t, cal.days.count)
            // Eligible: the next pending visit of each chain, inside its window, spacing ok.
            var eligible: [Job] = []
            for (e, chain) in chains.enumerated() where next[e] < chain.count {
                // Skip dead visits at the head of the chain.
                while next[e] < chain.count, jobs[chain[next[e]]].dead || jobs[chain[next[e]]].date != nil { next[e] += 1 }
                guard next[e] < chain.count else { continue }
                let job = jobs[chain[next[e]]]
                if day < job.earliest { continue }
                if day > job.latest { job.dead = true; continue }
                if blackoutEnterprises.contains(e), !BlackoutRule.allowsVisit(s.enterprises[e], on: day) { continue }
                if let p = job.pin, p.date != day { continue }
                // Re-planning: a visit of the base plan waits for its day.
                if let a = anchors[job.id] {
                    if day < a.date { continue }
                    if day > a.date { anchors[job.id] = nil }
                }
                if !spacingAllows(job, day) { continue }
                eligible.append(job)
            }
            // Pinned visits first, at their agreed time with their agreed inspectors.
            var rest: [Job] = []
            for job in eligible {
                if let a = anchors[job.id], a.date == day {
                    anchors[job.id] = nil
                    if routeAnchored(job, day: t, anchor: a) { commit(job); continue }
                }
                if let pin = job.pin {
                    if route(job, day: t) || routePinnedCore(job, pin: pin, day: t) { commit(job) } else {
                        job.dead = true
                        pinsUnheld += 1
                        messages.append("pinned[\(pin.index)] (\(s.enterprises[job.enterprise].id), \(day)): no team can hold it (the listed inspectors are booked at that time, or no inspector of a needed department is free)")
                    }
                } else if !cancelled { rest.append(job) }
            }
            let chosen: [Job]
            if cancelled {
                chosen = []
            } else if strategy == .optimized && Date() < deadline {
                chosen = select(rest, day: t, gap: mipGap, deadline: deadline)
            } else {
                if strategy == .optimized { hitTimeLimit = true }
                chosen = rest
            }
            let ordered: [Job]
            switch strategy {
            case .firstFit: ordered = chosen.sorted { $0.id < $1.id }
            case .optimized:
                // Visits whose window closes within days first (most valuable first), then the
                // rest town by town so inspectors stay in one town.
                func rank(_ j: Job) -> (Int, Double, Int, Int, Int, Int) {
                    let left = daysLeft(j, t)
                    let urgent = left <= 3
                    return (urgent ? left : 4, urgent ? -j.value : 0, townOf[j.enterprise], -j.departments.count, -j.checks.count, j.id)
                }
                ordered = chosen.sorted { rank($0) < rank($1) }
            }
            for job in ordered where route(job, day: t) { commit(job) }
            // A visit whose window closes today and that found no team keeps what it can:
            // the checks of the department that has nobody free are dropped, not the visit.
            for job in eligible where !cancelled && job.date == nil && !job.dead && job.pin == nil && job.latest <= day && strategy == .optimized {
                if degrade(job, day: t) { commit(job) }
            }
            for job in eligible where job.date == nil && job.latest <= day {
                job.dead = true
            }
        }
        if strategy == .optimized && cancel?.isCancelled != true {
            repair(deadline: deadline)
            exchange(deadline: deadline)
        }
        for job in jobs where job.date == nil { job.dead = true }
    }

    /// Does `day` keep `minSpacingDays` from every other check of the job's items at its
    /// enterprise, before or after (rule 7), and from the last check before the horizon?
    func spacingAllowsAnywhere(_ job: Job, _ day: Day) -> Bool {
        let ent = s.enterprises[job.enterprise]
        return job.checks.allSatisfy { c in
            let it = s.items[c.item]
            let others = chains[job.enterprise].compactMap { other -> Day? in
                guard other != job.id, jobs[other].checks.contains(where: { $0.item == c.item }) else { return nil }
                return jobs[other].date
            }
            return SpacingRule.allows(day, spacing: it.minSpacingDays, lastChecked: ent.lastChecked[it.id], others: others)
        }
    }

    /// The repair pass: a visit that found no team in the day loop gets another chance on
    /// every day of the horizon where spacing and blackout allow it — whole if it fits, else
    /// without the checks of one department — most valuable first. Capacity the day loop
    /// left unused (a partner missing at the right time, a slot freed later) is taken up.
    private mutating func repair(deadline: Date) {
        let lost = jobs.filter { $0.date == nil && !$0.checks.isEmpty && $0.pin == nil }
            .sorted { ($0.value, -$0.id) > ($1.value, -$1.id) }
        for job in lost {
            // Past the deadline what is left stays lost, for the time limit.
            if Date() >= deadline { hitTimeLimit = true; break }
            let allowed = allowedDays(job)
            job.dead = false
            var placed = false
            for t in allowed where route(job, day: t) { placed = true; break }
            if !placed {
                for t in allowed where degrade(job, day: t) { placed = true; break }
            }
            if placed { commit(job) } else { job.dead = true }
        }
    }

    /// A pinned visit that cannot be staffed whole keeps what the appointment promised: the
    /// pinned items and the checks of the listed inspectors' departments; the rest is
    /// dropped (unmet, `staffing`).
    private mutating func routePinnedCore(_ job: Job, pin: Pin, day t: Int) -> Bool {
        let pinDepts = Set(pin.inspectors.compactMap { s.inspector($0)?.department })
        let core = job.checks.filter { pin.items.contains(s.items[$0.item].id) || pinDepts.contains(s.items[$0.item].department) }
        guard !core.isEmpty, core.count < job.checks.count else { return false }
        let original = (job.checks, job.departments, job.value)
        let gone = job.checks.filter { c in !core.contains(c) }
        job.checks = core
        job.departments = original.1.filter { d in core.contains { s.departmentIndex[s.items[$0.item].department] == d && !s.items[$0.item].delegable } }
        job.value = original.2 * Double(core.count) / Double(max(1, original.0.count))
        if route(job, day: t) { job.dropped.append(contentsOf: gone); return true }
        (job.checks, job.departments, job.value) = original
        return false
    }

    /// Tries the visit without one department's checks at a time (scarcest department first).
    mutating func degrade(_ job: Job, day t: Int) -> Bool {
        let depts = Set(job.checks.compactMap { s.departmentIndex[s.items[$0.item].department] })
            .sorted { (byDept[$0].count, $0) < (byDept[$1].count, $1) }
        guard depts.count > 1 else { return false }
        let original = (job.checks, job.departments, job.value)
        for d in depts {
            let keep = job.checks.filter { s.departmentIndex[s.items[$0.item].department] != d }
            let gone = job.checks.filter { s.departmentIndex[s.items[$0.item].department] == d }
            job.checks = keep
            job.departments = original.1.filter { $0 != d }
            job.value = original.2 * Double(keep.count) / Double(max(1, original.0.count))
            if route(job, day: t) { job.dropped.append(contentsOf: gone); return true }
            (job.checks, job.departments, job.value) = original
        }
        return false
    }

    /// The exchange step: a lost visit may take the day of placed visits worth less that
    /// hold inspectors it needs — one victim, or one per department with no free slot
    /// that day, whose values together are below the lost visit's (a visit needing two
    /// saturated departments must free a slot of each);
    /// the displaced visits then look for another day when they can. An exchange happens
    /// only when the lost visit fits, and it is worth more than its victims, so the value
    /// done only rises; a failed attempt is undone exactly.
    mutating func exchange(deadline: Date) {
        let lost = jobs.filter { $0.date == nil && !$0.checks.isEmpty && $0.pin == nil }
            .sorted { ($0.value, -$0.id) > ($1.value, -$1.id) }
        var byDay = placedByDay()
        for job in lost where Date() < deadline && job.date == nil {
            let needed = Set(job.departments.flatMap { byDept[$0] })
            var done = false
            for t in cal.days.indices where !done {
                let day = cal.days[t]
                guard BlackoutRule.allowsVisit(s.enterprises[job.enterprise], on: day), spacingAllowsAnywhere(job, day) else { continue }
                // Victims: placed that day, worth less, holding an inspector the lost visit needs.
                let victims = (byDay[day] ?? []).filter { v in
                    v.date == day && v.pin == nil && v.enterprise != job.enterprise && v.value < job.value
                        && v.team.contains { needed.contains($0) }
                }.sorted { ($0.value, $0.id) < ($1.value, $1.id) }
                if victims.isEmpty { continue }
                var sets: [[Job]] = victims.prefix(3).map { [$0] }
                // A department with no free slot that day must lose a visit: the two cheapest
                // victims holding each such department's inspectors, in every combination
                // worth less than the lost visit, cheapest first.
                let blocked = job.departments.filter { d in !byDept[d].contains { hasFreeSlot($0, day: t, enterprise: job.enterprise) } }
                if !blocked.isEmpty && blocked.count <= 4 {
                    var combos: [[Job]] = [[]]
                    for d in blocked {
                        let holders = victims.filter { v in v.team.contains { byDept[d].contains($0) } }.prefix(2)
                        if holders.isEmpty { combos = []; break }
                        combos = combos.flatMap { c in holders.map { h in c.contains { $0 === h } ? c : c + [h] } }
                    }
                    var seen = Set<[Int]>()
                    let valued = combos.filter { c in
                        c.count > 1 && c.reduce(0) { $0 + $1.value } < job.value && seen.insert(c.map(\.id).sorted()).inserted
                    }.sorted { ($0.reduce(0) { $0 + $1.value }, $0.count) < ($1.reduce(0) { $0 + $1.value }, $1.count) }
                    sets += valued.prefix(6)
                }
                for set in sets where tryExchange(job, day: t, victims: set) {
                    for v in set {
                        byDay[day]?.removeAll { $0 === v }
                        if let d = v.date { byDay[d, default: []].append(v) }
                    }
                    byDay[day, default: []].append(job)
                    done = true
                    break
                }
            }
        }
    }

    /// Takes `victims` off day `t`, places `job` there and re-places the victims on other
    /// days where they fit; undoes everything when `job` does not fit.
    private mutating func tryExchange(_ job: Job, day t: Int, victims: [Job]) -> Bool {
        let saved = victims.map { takeOff($0, day: t) }
        job.dead = false
        if route(job, day: t) {
            // Worth more than the victims, so kept; each victim tries every day.
            for v in victims { relocate(v) }
            return true
        }
        // Undo: the victims go back exactly where they were.
        job.dead = true
        for (v, p) in zip(victims, saved) { putBack(v, p, day: t) }
        return false
    }

    /// Where and with whom a placed visit is: what `takeOff` saves and `putBack` restores.
    struct Placement { var start: Int; var end: Int; var team: [Int]; var performers: [Int] }

    /// Takes the visit placed on day `t` out of the roster (its date becomes nil).
    mutating func takeOff(_ v: Job, day t: Int) -> Placement {
        let p = Placement(start: v.start, end: v.end, team: v.team, performers: v.performers)
        roster.unbook(v.team, t, visit: v.id)
        v.date = nil
        return p
    }

    /// Puts a visit back exactly where `takeOff` found it.
    mutating func putBack(_ v: Job, _ p: Placement, day t: Int) {
        roster.book(p.team, t, visit: v.id, start: p.start, length: p.end - p.start, town: townOf[v.enterprise])
        v.date = cal.days[t]
        (v.start, v.end, v.team, v.performers) = (p.start, p.end, p.team, p.performers)
    }

    /// The day indexes where the visit may go: not in its enterprise's blackout, spacing
    /// kept from every other placed check of its items (rule 7).
    func allowedDays(_ job: Job) -> [Int] {
        cal.days.indices.filter { t in
            BlackoutRule.allowsVisit(s.enterprises[job.enterprise], on: cal.days[t]) && spacingAllowsAnywhere(job, cal.days[t])
        }
    }

    /// A displaced visit looks for the first allowed day (other than `avoiding`) where it
    /// can be staffed; it is lost (dead) if there is none. Returns the new day, if any.
    @discardableResult
    mutating func relocate(_ v: Job, avoiding: Int? = nil) -> Day? {
        for u in allowedDays(v) where u != avoiding && route(v, day: u) { return cal.days[u] }
        v.dead = true
        return nil
    }

    /// The placed visits by date.
    func placedByDay() -> [Day: [Job]] {
        var byDay: [Day: [Job]] = [:]
        for j in jobs { if let d = j.date { byDay[d, default: []].append(j) } }
        return byDay
    }

    private mutating func commit(_ job: Job) {
        guard let d = job.date else { return }
        for c in job.checks { lastDone[key(job.enterprise, c.item)] = d }
    }

    // MARK: the day selection (GLPK)

    /// Working days left in a visit's window from day index `t` (its slack + 1).
    func daysLeft(_ job: Job, _ t: Int) -> Int {
        let last = cal.indexOf(job.latest) ?? (cal.days.lastIndex { $0 <= job.latest } ?? t)
        return max(1, last - t + 1)
    }

    /// Chooses today's visits: an integer program over classes of alike visits (same
    /// departments, team size, minutes and value), maximising the value done today under
    /// each department's free slots and minutes, with the load levelled over the quarter.
    mutating func select(_ pool: [Job], day t: Int, gap: Double, deadline: Date) -> [Job] {
        if pool.isEmpty { return [] }
        let nd = s.departments.count
        // Today's capacity per department, and over the rest of the horizon.
        var capSlots = Array(repeating: 0, count: nd), capMinutes = Array(repeating: 0, count: nd)
        var restSlots = Array(repeating: 0, count: nd)
        for (d, members) in byDept.enumerated() {
            for p in members {
                if roster.isAvailable(p, t) {
                    capSlots[d] += max(0, roster.maxVisits[p] - roster.day(p, t).slots.count)
                    capMinutes[d] += roster.spareMinutes(p, t)
                }
                for u in t..<cal.days.count where roster.isAvailable(p, u) { restSlots[d] += roster.maxVisits[p] }
            }
        }
        // Remaining demand (every pending visit, not just today's eligible ones).
        var demand = Array(repeating: 0, count: nd)
        var demandTotal = 0
        for job in jobs where job.date == nil && !job.dead {
            for d in job.departments { demand[d] += 1 }
            demandTotal += max(s.policy.minInspectorsPerVisit, job.departments.count)
        }
        let totalCap = capSlots.reduce(0, +)
        let totalRest = restSlots.reduce(0, +)

        struct Cls { var members: [Job]; var value: Double; var slots: [Int]; var team: Int; var minutes: Int; var urgent: Bool }
        var classes: [String: Cls] = [:]
        var order: [String] = []
        let travelAllowance = s.policy.travelWithinTownMinutes
        // After the trim the remaining work roughly fits the capacity, so the earliest
        // deadline comes first (EDF keeps the most visits feasible); what a visit is worth
        // breaks ties, and decides where capacity is still short.
        let top = pool.map(\.value).max() ?? 1
        for job in pool {
            let left = daysLeft(job, t)
            let urgent = left <= 1
            let value = job.value + top * 10 / Double(left) + (urgent ? top * 100 : 0)
            let minutes = plannedMinutes(job)
            let team = max(s.policy.minInspectorsPerVisit, job.departments.count)
            // Fillers may come from any department: they count in the total only.
            var slots = Array(repeating: 0, count: nd)
            for d in job.departments { slots[d] += 1 }
            let k = "\(job.departments)|\(team)|\((minutes + 4) / 5)|\(Int((value * 1000).rounded()))"
            if classes[k] == nil {
                classes[k] = Cls(members: [], value: value, slots: slots, team: team, minutes: (minutes + 4) / 5 * 5, urgent: urgent)
                order.append(k)
            }
            classes[k]!.members.append(job)
        }
        var model = LinearModel(name: "day-\(cal.days[t])", sense: .maximize)
        var cols: [Int] = []
        for k in order {
            let c = classes[k]!
            cols.append(model.addColumn("y[\(cols.count + 1)]", lower: 0, upper: Double(c.members.count),
                                        cost: c.value - 1e-4 * Double(c.minutes * c.team), kind: .integer))
        }
        let urgentDemand = order.indices.filter { classes[order[$0]]!.urgent }
        for d in 0..<nd {
            var terms: [(Int, Double)] = []
            var mins: [(Int, Double)] = []
            for (n, k) in order.enumerated() where classes[k]!.slots[d] > 0 {
                let c = classes[k]!
                terms.append((cols[n], Double(c.slots[d])))
                mins.append((cols[n], Double(c.slots[d] * (c.minutes + travelAllowance))))
            }
            if terms.isEmpty { continue }
            // Levelled budget: today's share of what is left, with headroom; never below
            // what today's closing windows need.
            let ratio = restSlots[d] > 0 ? Double(demand[d]) / Double(restSlots[d]) : 1
            let urgentSlots = urgentDemand.reduce(0) { $0 + classes[order[$1]]!.slots[d] * classes[order[$1]]!.members.count }
            let level = Int((Double(capSlots[d]) * min(1, ratio * 1.25 + 0.05)).rounded(.up)) + urgentSlots
            model.addRow("slots[\(s.departments[d].id)]", terms, upper: Double(min(capSlots[d], level)))
            model.addRow("minutes[\(s.departments[d].id)]", mins, upper: Double(capMinutes[d]))
        }
        let ratioTotal = totalRest > 0 ? Double(demandTotal) / Double(totalRest) : 1
        let urgentTotal = urgentDemand.reduce(0) { $0 + classes[order[$1]]!.team * classes[order[$1]]!.members.count }
        let levelTotal = Int((Double(totalCap) * min(1, ratioTotal * 1.25 + 0.05)).rounded(.up)) + urgentTotal
        model.addRow("slots[all]", order.enumerated().map { (cols[$0.offset], Double(classes[$0.element]!.team)) },
                     upper: Double(min(totalCap, levelTotal)))
        if recordModels { dayModels.append((cal.days[t], DayModelData.render(model))) }

        var params = SearchParameters()
        let left = deadline.timeIntervalSinceNow
        // A node limit keeps the answer reproducible; the time limit only guards the deadline:
        // this day's share of the time left, no fixed cap (a 5 s cap bound on a busy machine
        // before the 400 nodes and made the plan depend on its speed: issue 21, item 3).
        params.timeLimit = max(0.5, left / Double(max(1, cal.days.count - t)))
        params.nodeLimit = 400
        params.relativeGap = gap
        params.presolve = false
        let result = try? GLPKSolver.solve(model, params)
        stats.mipSolves += 1
        stats.mipSeconds += result?.seconds ?? 0
        stats.mipVariables += cols.count
        if result?.status == .optimal { stats.mipOptimal += 1 }
        guard let r = result, !r.values.isEmpty else { return pool }
        var chosen: [Job] = []
        for (n, k) in order.enumerated() {
            let count = Int(r.values[cols[n]].rounded())
            // Within a class, the most urgent first.
            let members = classes[k]!.members.sorted { (daysLeft($0, t), $0.id) < (daysLeft($1, t), $1.id) }
            chosen.append(contentsOf: members.prefix(count))
        }
        return chosen
    }
}

/// Renders a day-selection model as MathProg data for `Models/day.mod`, so glpsol can re-run it.
enum DayModelData {
    static func render(_ m: LinearModel) -> String {
        var out = "/* \(m.name): data for Models/day.mod (glpsol -m Models/day.mod -d THIS) */\ndata;\n"
        out += "set C := " + m.columns.indices.map { String($0 + 1) }.joined(separator: " ") + ";\n"
        out += "set R := " + m.rows.indices.map { String($0 + 1) }.joined(separator: " ") + ";\n"
        out += "param count := " + m.columns.enumerated().map { "\($0.offset + 1) \(JSON.format($0.element.upper ?? 0))" }.joined(separator: " ") + ";\n"
        out += "param value := " + m.columns.enumerated().map { "\($0.offset + 1) \($0.element.cost)" }.joined(separator: " ") + ";\n"
        out += "param cap := " + m.rows.enumerated().map { "\($0.offset + 1) \(JSON.format($0.element.upper ?? 0))" }.joined(separator: " ") + ";\n"
        out += "param use :=\n"
        for (i, r) in m.rows.enumerated() {
            for t in r.terms { out += "  \(i + 1) \(t.column + 1) \(t.value)\n" }
        }
        out += ";\nend;\n"
        return out
    }
}
