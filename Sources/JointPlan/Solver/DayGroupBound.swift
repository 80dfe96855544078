import Foundation
import GLPK

/// A lower bound on the weighted unmet work (spec 3.2, objective 1) that sees that a visit
/// needs its departments on ONE common day: the day-grouped LP (issue 11, item 2;
/// `Models/daygroup.mod` states the same program in MathProg).
///
/// Working days are grouped by the set of departments on duty (a department is on duty when
/// one of its certified inspectors is available). Per group the program knows each
/// department's inspector-visit slots (Σ maxVisitsPerDay of its available certified
/// inspectors over the group's days) and minutes (their working minutes); per enterprise the
/// groups it can be visited in (no blackout, at least `minInspectorsPerVisit` inspectors on
/// duty) and, per item, how many checks spacing allows in each group and overall.
///
/// Why every plan is a solution of this LP (so its optimum, and every dual bound of it, is
/// at most any valid plan's weighted unmet work). Take a valid plan and count, per group g:
/// V[c,g] its visits to the enterprises of class c on days of g; on[c,p,g] / rem[c,p,g]
/// their on-site / remote checks of item p; u[c,g,d] their visits with a member of
/// department d; Z[g,d] the (visit, member of d) pairs on days of g. Then
/// - rule 8: Σ_g V[c,g] ≤ n_c·cap (on-site cap, white list, visits already used);
///   rule 1: no V on an enterprise's blackout days; rule 2: no visit on a day with fewer
///   than `minInspectorsPerVisit` certified inspectors available;
/// - rule 3: a visit holds one occurrence of an item, so on[c,p,g] ≤ V[c,g]; a
///   non-delegable check needs a member of its department, so on ≤ u[c,g,d] ≤ V[c,g];
/// - rule 7: the checks (on site and remote) of one item on one enterprise on any set of
///   days are at most `SpacingRule.maxChecks` of those days (the longest chain at
///   `minSpacingDays` after `lastChecked`; with spacing 0, at most the required count);
///   applied to the days of g where the pair can be checked, and to all of them; rule 6:
///   at most the required count in all;
/// - rules 3 and 5: a non-delegable on-site check and every remote check needs an
///   inspector of the item's department, certified, available that day, not recused;
/// - rule 2: every visit has ≥ `minInspectorsPerVisit` distinct members, each of one
///   department, so Σ_d Z[g,d] ≥ team·Σ_c V[c,g]; a visit with a member of d has at least
///   one, so Z[g,d] ≥ Σ_c u[c,g,d]; rule 4: each member uses one of his maxVisitsPerDay,
///   so Z[g,d] ≤ slots[g,d];
/// - rules 1 and 4: a member is on site for the whole visit, end − start ≥ base + the
///   minutes of the checks he performs; remote minutes count too; an inspector's day holds
///   his working minutes. Travel: an inspector with k ≥ 1 visits on a day travels at least
///   τ·(k − 1) (τ: the least travel within a town or between towns), so d's members on g's
///   days travel T[g,d] ≥ max(0, τ·(Z[g,d] − inspector-days of d in g)). Summed over d's
///   members on g's days: base·Z[g,d] + T[g,d] + minutes of d's non-delegable on-site
///   checks + d's remote minutes ≤ minutes[g,d]; over all members (delegable checks are
///   performed by someone): base·Σ_d Z + Σ_d T + all check minutes ≤ Σ_d minutes[g,d];
/// - rules 1, 2 and 4 again, by length (issue 22, item 4): a visit lasts at least base +
///   the minutes of any one check on it, so L[c,g], the total length of the class's visits
///   in g, is ≥ base·V[c,g] + minutes·on[c,p,g] for every pair; each of its ≥ team members
///   is there for all of it, so team·Σ_c L[c,g] + Σ_d T + remote minutes ≤ Σ_d minutes[g,d].
/// - rules 2 and 4, day by day (issue 22, a closer bound): k visits on a day need
///   Σ_i min(c_i, k) ≥ team·k over its available certified inspectors (c_i: maxVisitsPerDay
///   and what base minutes and the least travel leave of the day), so a day holds at most
///   kmax_t visits (`dayVisits`) and Σ_c V[c,g] ≤ Σ_t kmax_t; an inspector fills at most
///   min(c_i, kmax_t) member places on day t, which is what `slots[g,d]` sums.
/// Unmet work is Σ w·(required − on − rem) ≥ the LP optimum (integrality dropped). Pins
/// only restrict plans further, so they are left out. Enterprises whose rows of the LP are
/// identical are one class with n_c copies: the LP over copies has a symmetric optimum
/// (average any solution over the copies), so the class LP has the same optimum.
///
/// The bound from GLPK is `LinearModel.dualBound` of the row duals it leaves (valid for any
/// duals, so also when the interior point or the simplex stops early), rounded up when the
/// unmet weights are integral (the weighted unmet work is then an integer).
struct DayGroupBound: Sendable {
    struct DayGroup: Sendable {
        var days: [Day]
        /// Per department: on duty on these days at all.
        var onDuty: [Bool]
        var slots: [Int]
        var minutes: [Int]
        /// Per department: Σ over the days of available certified inspectors.
        var inspectorDays: [Int]
        /// Σ over the days of the most visits the day's available certified inspectors can
        /// make at all (`DayGroupBound.dayVisits`): every visit needs `team` distinct members.
        var visitsMax: Int = 0
    }

    /// One (enterprise, item) pair as the LP sees it; the per-group arrays are spacing
    /// counts (0: not possible in that group).
    struct Pair: Sendable, Hashable {
        var item: Int
        var department: Int
        var delegable: Bool
        var minutes: Int
        var remoteMinutes: Int
        var required: Int
        /// Checks possible over the whole horizon (spacing, and the cap when on site only).
        var most: Int
        var onsite: [Int]
        var remote: [Int]
        var either: [Int]
    }

    struct EnterpriseClass: Sendable {
        var count: Int
        var members: [Int]
        var weight: Double
        var cap: Int
        var visitGroups: [Bool]
        var pairs: [Pair]
    }

    /// What the LP sees of an enterprise. (Its visit groups follow from the pairs: a pair's
    /// on-site count in a group is positive only on the enterprise's visit days.)
    private struct ClassKey: Hashable {
        var weight: Double
        var cap: Int
        var pairs: [Pair]
    }

    static let defaultMaxGroups = 12

    let groups: [DayGroup]
    /// Groups before merging: the distinct sets of departments on duty.
    let dutySets: Int
    /// Per working day of the calendar: its group, or −1 (nobody on duty).
    let groupOfDay: [Int]
    let classes: [EnterpriseClass]
    /// Σ weight · required over every required check (the LP subtracts what it can do).
    let constant: Double
    let base: Double
    let team: Double
    /// The least travel between two consecutive visits of an inspector: within a town or
    /// between any two towns (spec 2, towns; rule 4).
    let tau: Double
    let departmentIDs: [String]
    let integral: Bool

    /// `maxGroups` bounds the LP's size (groups beyond it are merged into the most alike).
    /// `perDay`: every working day a group of its own (the exact bound of small districts,
    /// `ExactBound`), else days with the same departments on duty share one.
    init(scenario s: Scenario, duties: Duties, calendar cal: WorkCalendar, capUsed: [Int: Int] = [:], maxGroups: Int = DayGroupBound.defaultMaxGroups,
         perDay: Bool = false) {
        let nd = s.departments.count
        let nt = cal.days.count
        let W = max(0, cal.workingMinutes)
        base = Double(s.policy.visitBaseMinutes)
        team = Double(s.policy.minInspectorsPerVisit)
        var tau = min(s.policy.travelWithinTownMinutes, s.policy.travelBetweenTownsMinutes)
        for t in s.towns { for v in t.travel.values { tau = min(tau, v) } }
        self.tau = Double(max(0, tau))
        departmentIDs = s.departments.map(\.id)
        integral = s.policy.unmetWeight.values.allSatisfy { $0 == $0.rounded() }
        // Certified inspectors available per department and day.
        var certified = Array(repeating: [Inspector](), count: nd)
        for p in s.inspectors where p.certified {
            if let d = s.departmentIndex[p.department] { certified[d].append(p) }
        }
        var avail = Array(repeating: Array(repeating: 0, count: nt), count: nd)
        var slotsOn = avail
        // Per day: the visits each available certified inspector can make (`dayVisits`).
        var capsOn = Array(repeating: [Int](), count: nt)
        // k visits of one inspector on a day last ≥ base each and are ≥ τ apart (rule 4).
        let byMinutes = (W + max(0, tau)) / max(1, s.policy.visitBaseMinutes + max(0, tau))
        for d in 0..<nd {
            for p in certified[d] {
                let mv = min(s.maxVisitsPerDay(of: p), byMinutes)
                for (t, day) in cal.days.enumerated() where !InspectorRule.isOnLeave(p, on: day) {
                    avail[d][t] += 1
                    capsOn[t].append(mv)
                }
            }
        }
        let visitsOn = capsOn.map { Self.dayVisits(caps: $0, team: s.policy.minInspectorsPerVisit) }
        // An inspector's visit slots on a day: his maxVisitsPerDay, what the minutes leave, and
        // no more than the visits the day can hold (`dayVisits`; 0 on a day one inspector
        // alone is on duty): he is in at most one member place of each visit.
        for d in 0..<nd {
            for p in certified[d] {
                let mv = min(s.maxVisitsPerDay(of: p), byMinutes)
                for (t, day) in cal.days.enumerated() where !InspectorRule.isOnLeave(p, on: day) {
                    slotsOn[d][t] += min(mv, visitsOn[t])
                }
            }
        }
        let teamDay = (0..<nt).map { t in (0..<nd).reduce(0) { $0 + avail[$1][t] } >= s.policy.minInspectorsPerVisit }
        // Day groups: same set of departments on duty; days with nobody on duty hold nothing.
        var groupOf = Array(repeating: -1, count: nt)
        var groups: [DayGroup] = []
        var groupIndex: [[Bool]: Int] = [:]
        for t in 0..<nt {
            let key = (0..<nd).map { avail[$0][t] > 0 }
            guard key.contains(true) else { continue }
            let g: Int
            if !perDay, let old = groupIndex[key] { g = old } else {
                g = groups.count
                groupIndex[key] = g
                groups.append(DayGroup(days: [], onDuty: key, slots: Array(repeating: 0, count: nd), minutes: Array(repeating: 0, count: nd),
                                       inspectorDays: Array(repeating: 0, count: nd)))
            }
            groupOf[t] = g
            groups[g].days.append(cal.days[t])
            groups[g].visitsMax += visitsOn[t]
            for d in 0..<nd {
                groups[g].slots[d] += slotsOn[d][t]
                groups[g].minutes[d] += avail[d][t] * W
                groups[g].inspectorDays[d] += avail[d][t]
            }
        }
        dutySets = groups.count
        // At most `maxGroups` groups: the group with the fewest days joins the group whose
        // departments on duty differ least. Any partition of the days gives a valid
        // relaxation (every row is a sum over the days of a group, and every count is taken
        // over the group's days), so merging only trades strength for the LP's size.
        while groups.count > max(1, maxGroups) {
            let small = groups.indices.min { (groups[$0].days.count, $0) < (groups[$1].days.count, $1) }!
            func distance(_ g: Int) -> Int { (0..<nd).filter { groups[g].onDuty[$0] != groups[small].onDuty[$0] }.count }
            let into = groups.indices.filter { $0 != small }.min { (distance($0), -groups[$0].days.count, $0) < (distance($1), -groups[$1].days.count, $1) }!
            for d in 0..<nd {
                groups[into].onDuty[d] = groups[into].onDuty[d] || groups[small].onDuty[d]
                groups[into].slots[d] += groups[small].slots[d]
                groups[into].minutes[d] += groups[small].minutes[d]
                groups[into].inspectorDays[d] += groups[small].inspectorDays[d]
            }
            groups[into].visitsMax += groups[small].visitsMax
            groups[into].days = (groups[into].days + groups[small].days).sorted()
            groups.remove(at: small)
            for t in 0..<nt where groupOf[t] >= 0 {
                if groupOf[t] == small { groupOf[t] = into > small ? into - 1 : into }
                else if groupOf[t] > small { groupOf[t] -= 1 }
            }
        }
        self.groups = groups
        self.groupOfDay = groupOf
        let ng = groups.count
        // Enterprises any inspector of the department is recused from.
        let recusedIn = certified.map { ps in ps.reduce(into: Set<String>()) { $0.formUnion($1.recusals) } }

        /// Most checks spacing allows on `days` (working-day indexes, ascending).
        func most(_ days: [Int], _ item: Item, _ last: Day?, _ k: Int) -> Int {
            if days.isEmpty { return 0 }
            if item.minSpacingDays <= 0 { return k }
            return min(k, SpacingRule.maxChecks(in: days.map { cal.days[$0] }, spacing: item.minSpacingDays, lastChecked: last))
        }

        var constant = 0.0
        var classes: [EnterpriseClass] = []
        var index: [ClassKey: Int] = [:]
        for (e, ent) in s.enterprises.enumerated() {
            let w = s.policy.unmetWeight[ent.tier]
            let cap = max(0, s.onsiteCap(of: ent) - (capUsed[e] ?? 0))
            let visitDay = (0..<nt).map { t in cap > 0 && groupOf[t] >= 0 && teamDay[t] && BlackoutRule.allowsVisit(ent, on: cal.days[t]) }
            var visitGroups = Array(repeating: false, count: ng)
            for t in 0..<nt where visitDay[t] { visitGroups[groupOf[t]] = true }
            var pairs: [Pair] = []
            for di in duties.byEnterprise[e] {
                let duty = duties.duties[di]
                let it = s.items[duty.item]
                constant += w * Double(duty.count)
                guard let d = s.departmentIndex[it.department] else { continue }
                // Days with an inspector of the department who may check this enterprise.
                let deptDay: [Bool] = recusedIn[d].contains(ent.id)
                    ? (0..<nt).map { t in certified[d].contains { !InspectorRule.isRecused($0, from: ent.id) && !InspectorRule.isOnLeave($0, on: cal.days[t]) } }
                    : (0..<nt).map { avail[d][$0] > 0 }
                var onDays = Array(repeating: [Int](), count: ng), remDays = onDays, anyDays = onDays
                var allDays: [Int] = []
                for t in 0..<nt where groupOf[t] >= 0 {
                    let on = visitDay[t] && (it.delegable || deptDay[t])
                    let rem = it.remoteAllowed && deptDay[t]
                    if on { onDays[groupOf[t]].append(t) }
                    if rem { remDays[groupOf[t]].append(t) }
                    if on || rem { anyDays[groupOf[t]].append(t); allDays.append(t) }
                }
                let last = ent.lastChecked[it.id]
                var all = most(allDays, it, last, duty.count)
                if !it.remoteAllowed { all = min(all, cap) }
                guard all > 0 else { continue }
                pairs.append(Pair(item: duty.item, department: d, delegable: it.delegable, minutes: it.minutes,
                                  remoteMinutes: it.remoteMinutes, required: duty.count, most: all,
                                  onsite: onDays.map { most($0, it, last, duty.count) },
                                  remote: remDays.map { most($0, it, last, duty.count) },
                                  either: anyDays.map { most($0, it, last, duty.count) }))
            }
            if pairs.isEmpty { continue }
            let key = ClassKey(weight: w, cap: cap, pairs: pairs)
            if let c = index[key] { classes[c].count += 1; classes[c].members.append(e) } else {
                index[key] = classes.count
                classes.append(EnterpriseClass(count: 1, members: [e], weight: w, cap: cap, visitGroups: visitGroups, pairs: pairs))
            }
        }
        self.classes = classes
        self.constant = constant
    }

    /// The most visits one day can hold (issue 22, a closer bound): every visit has at least
    /// `team` distinct members (rule 2) and an inspector is in at most `caps[i]` of the day's
    /// visits (his maxVisitsPerDay, and what base minutes and the least travel leave of the
    /// working day, rule 4) — and in at most one member place per visit. So k visits need
    /// Σ_i min(caps[i], k) ≥ team·k. The left side minus the right is concave in k and 0 at 0,
    /// so the k that pass are 0…kmax; kmax is returned. It is ⌊Σ caps / team⌋ or less: the
    /// LP's `members` row (Σ Z ≥ team·Σ V, Z ≤ slots) allows Σ slots / team, a fraction when
    /// the slots are odd, summed over the days of a group.
    static func dayVisits(caps: [Int], team: Int) -> Int {
        let team = max(1, team)
        let total = caps.reduce(0) { $0 + max(0, $1) }
        var k = total / team
        while k > 0 && caps.reduce(0, { $0 + min(max(0, $1), k) }) < team * k { k -= 1 }
        return k
    }

    /// The finest grouping whose LP has at most `maxRows` rows (issue 22, item 4): merging
    /// days with different departments on duty lets the LP's visits join departments that
    /// never meet, which loosens it on duty-roster districts (k2000-21 of docs/bench-exact.md: 41
    /// duty sets merged into 12). Tries the number of groups the default LP's size allows,
    /// then halfway back; else the default. Decided by size, never by the clock.
    ///
    /// Over `maxRows` with the default groups, it merges further (issue 22, a closer bound):
    /// fewer groups are still a valid relaxation, where the LP left out gave no bound at all
    /// (k2000-5 of docs/bench-exact.md: 15,893 rows with 12 groups, bound from the capacity
    /// relaxation only).
    /// `solveRows`: the rows a solve runs (`maxRows` of the LP returned when nil).
    static func finest(scenario s: Scenario, duties: Duties, calendar cal: WorkCalendar, capUsed: [Int: Int] = [:], maxRows: Int,
                       solveRows: Int? = nil) -> DayGroupBound {
        var coarse = DayGroupBound(scenario: s, duties: duties, calendar: cal, capUsed: capUsed)
        if let r = solveRows { coarse.maxRows = r }
        var rows = max(1, coarse.linearModel().rows.count)
        // Over what a solve runs: first without the length rows, then with fewer groups.
        if rows > coarse.maxRows {
            coarse.lengthRows = false
            rows = max(1, coarse.linearModel().rows.count)
        }
        if rows > coarse.maxRows && coarse.groups.count > 1 {
            var k = min(coarse.groups.count - 1, max(1, coarse.groups.count * coarse.maxRows / rows))
            while k >= 1 {
                var fewer = DayGroupBound(scenario: s, duties: duties, calendar: cal, capUsed: capUsed, maxGroups: k)
                fewer.lengthRows = false
                fewer.maxRows = coarse.maxRows
                if k == 1 || fewer.linearModel().rows.count <= coarse.maxRows { return fewer }
                k -= 1
            }
        }
        guard coarse.lengthRows, coarse.dutySets > coarse.groups.count else { return coarse }
        // Already near the limit: no room for more groups (and large districts take long to build).
        guard rows * 3 <= maxRows * 2 else { return coarse }
        var k = min(coarse.dutySets, coarse.groups.count * maxRows / rows)
        while k > coarse.groups.count {
            let fine = DayGroupBound(scenario: s, duties: duties, calendar: cal, capUsed: capUsed, maxGroups: k)
            if fine.linearModel().rows.count <= maxRows { return fine }
            let next = (k + coarse.groups.count) / 2
            if next == k || k - next < 2 { break }
            k = next
        }
        return coarse
    }

    /// The day-grouped LP (minimise the weighted unmet work) through the C API.
    func linearModel() -> LinearModel { build().model }

    /// A department-day row of the LP: `slots[g,d]` or `minutes[g,d]`, by its index.
    struct DepartmentDayRow: Sendable {
        var group: Int
        var department: Int
        var isSlots: Bool
        var row: Int
    }

    /// The LP and where its department-day rows are (their duals are `DayPrices`).
    func build() -> (model: LinearModel, departmentDayRows: [DepartmentDayRow]) {
        let b = build(integer: false)
        return (b.model, b.departmentDayRows)
    }

    /// The program, its department-day rows and its visit columns (V). `integer`: the counts
    /// (V, on, rem, u, Z) are integers, as every plan's are (`ExactBound`); travel stays
    /// continuous.
    func build(integer: Bool) -> (model: LinearModel, departmentDayRows: [DepartmentDayRow], visitColumns: [Int]) {
        var m = LinearModel(name: "daygroup", sense: .minimize)
        let kind: LinearModel.Kind = integer ? .integer : .continuous
        var visitColumns: [Int] = []
        var departmentDayRows: [DepartmentDayRow] = []
        m.objectiveConstant = constant
        let ng = groups.count, nd = departmentIDs.count
        var coverage = Array(repeating: Array(repeating: [(column: Int, value: Double)](), count: nd), count: ng)
        var deptMinutes = coverage
        var allMinutes = Array(repeating: [(column: Int, value: Double)](), count: ng)
        var visits = allMinutes
        // Per group: the visits' lengths (L) and the remote minutes, for the member-minutes row.
        var lengths = allMinutes, remoteMinutes = allMinutes
        for (c, cls) in classes.enumerated() {
            let n = Double(cls.count), w = cls.weight
            let name = "c\(c + 1)"
            var V = Array(repeating: Int?.none, count: ng)
            for g in 0..<ng where cls.visitGroups[g] && cls.pairs.contains(where: { $0.onsite[g] > 0 }) {
                let v = m.addColumn("V[\(name),g\(g + 1)]", lower: 0, upper: n * Double(cls.cap), kind: kind)
                V[g] = v
                visitColumns.append(v)
                visits[g].append((v, 1))
            }
            let vs = V.compactMap { $0 }
            if vs.count > 1 { m.addRow("cap[\(name)]", vs.map { ($0, 1.0) }, upper: n * Double(cls.cap)) }
            // Non-delegable on-site columns per (group, department).
            var byDept = Array(repeating: [Int: [Int]](), count: ng)
            var onsiteMinutes = Array(repeating: [(column: Int, value: Double)](), count: ng)
            for (k, p) in cls.pairs.enumerated() {
                let pn = "\(name),p\(k + 1)"
                var done: [(column: Int, value: Double)] = []
                var upper = 0.0
                for g in 0..<ng {
                    var on: Int?, rem: Int?
                    if let v = V[g], p.onsite[g] > 0 {
                        let ub = n * Double(min(p.onsite[g], cls.cap))
                        let x = m.addColumn("on[\(pn),g\(g + 1)]", lower: 0, upper: ub, cost: -w, kind: kind)
                        m.addRow("visit[\(pn),g\(g + 1)]", [(x, 1), (v, -1)], upper: 0)
                        on = x
                        upper += ub
                        allMinutes[g].append((x, Double(p.minutes)))
                        if p.minutes > 0 { onsiteMinutes[g].append((x, Double(p.minutes))) }
                        if !p.delegable {
                            byDept[g][p.department, default: []].append(x)
                            deptMinutes[g][p.department].append((x, Double(p.minutes)))
                        }
                    }
                    if p.remote[g] > 0 {
                        let ub = n * Double(p.remote[g])
                        let r = m.addColumn("rem[\(pn),g\(g + 1)]", lower: 0, upper: ub, cost: -w, kind: kind)
                        rem = r
                        upper += ub
                        allMinutes[g].append((r, Double(p.remoteMinutes)))
                        remoteMinutes[g].append((r, Double(p.remoteMinutes)))
                        deptMinutes[g][p.department].append((r, Double(p.remoteMinutes)))
                    }
                    if let x = on, let r = rem, p.either[g] < min(p.onsite[g], cls.cap) + p.remote[g] {
                        m.addRow("spacing[\(pn),g\(g + 1)]", [(x, 1), (r, 1)], upper: n * Double(p.either[g]))
                    }
                    if let x = on { done.append((x, 1)) }
                    if let r = rem { done.append((r, 1)) }
                }
                if upper > n * Double(p.most) && done.count > 0 {
                    m.addRow("most[\(pn)]", done, upper: n * Double(p.most))
                }
            }
            for g in 0..<ng {
                guard lengthRows, let v = V[g], !onsiteMinutes[g].isEmpty else { continue }
                // Rule 1: a visit lasts at least base + the minutes of each check on it, so
                // the visits' total length L ≥ base·V + minutes·on for every pair (a visit
                // holds at most one occurrence of it, rule 3).
                let l = m.addColumn("L[\(name),g\(g + 1)]", lower: 0)
                for (x, minutes) in onsiteMinutes[g] {
                    m.addRow("length[\(name),g\(g + 1),\(x)]", [(l, 1), (v, -base), (x, -minutes)], lower: 0)
                }
                lengths[g].append((l, team))
            }
            for g in 0..<ng {
                guard let v = V[g] else { continue }
                for (d, cols) in byDept[g].sorted(by: { $0.key < $1.key }) {
                    if cols.count == 1 {
                        // u = on is optimal when one item needs the department (on ≤ V holds).
                        coverage[g][d].append((cols[0], 1))
                        continue
                    }
                    let u = m.addColumn("u[\(name),g\(g + 1),\(departmentIDs[d])]", lower: 0, upper: n * Double(cls.cap), kind: kind)
                    m.addRow("team[\(name),g\(g + 1),\(departmentIDs[d])]", [(u, 1), (v, -1)], upper: 0)
                    for x in cols { m.addRow("dept[\(name),g\(g + 1),\(x)]", [(x, 1), (u, -1)], upper: 0) }
                    coverage[g][d].append((u, 1))
                }
            }
        }
        for g in 0..<ng {
            let gr = groups[g]
            var Z = Array(repeating: Int?.none, count: nd)
            for d in 0..<nd where gr.onDuty[d] {
                guard !visits[g].isEmpty || !deptMinutes[g][d].isEmpty else { continue }
                Z[d] = m.addColumn("Z[g\(g + 1),\(departmentIDs[d])]", lower: 0, upper: Double(gr.slots[d]), kind: kind)
            }
            // Rule 4: an inspector with k visits on a day travels at least τ·(k − 1) between
            // them, so d's members travel at least τ·(Z[g,d] − inspector-days of d in g).
            var T = Array(repeating: Int?.none, count: nd)
            if tau > 0 {
                for d in 0..<nd {
                    guard let z = Z[d], !visits[g].isEmpty else { continue }
                    let t = m.addColumn("T[g\(g + 1),\(departmentIDs[d])]", lower: 0, upper: tau * Double(gr.slots[d]))
                    m.addRow("travel[g\(g + 1),\(departmentIDs[d])]", [(t, 1), (z, -tau)], lower: -tau * Double(gr.inspectorDays[d]))
                    T[d] = t
                }
            }
            for d in 0..<nd {
                if !coverage[g][d].isEmpty, let z = Z[d] {
                    let r = m.addRow("slots[g\(g + 1),\(departmentIDs[d])]", coverage[g][d] + [(z, -1)], upper: 0)
                    departmentDayRows.append(DepartmentDayRow(group: g, department: d, isSlots: true, row: r))
                }
                if let z = Z[d], !visits[g].isEmpty || !deptMinutes[g][d].isEmpty {
                    let travel = T[d].map { [(column: $0, value: 1.0)] } ?? []
                    let r = m.addRow("minutes[g\(g + 1),\(departmentIDs[d])]", [(z, base)] + travel + deptMinutes[g][d], upper: Double(gr.minutes[d]))
                    departmentDayRows.append(DepartmentDayRow(group: g, department: d, isSlots: false, row: r))
                }
            }
            let zs = Z.compactMap { $0 }
            if !visits[g].isEmpty {
                m.addRow("members[g\(g + 1)]", zs.map { ($0, 1.0) } + visits[g].map { ($0.column, -team) }, lower: 0)
                // Rules 2 and 4, day by day (`dayVisits`): only where it is tighter than the
                // members row with every Z at its slots.
                if Double(gr.visitsMax) * team < Double(gr.slots.reduce(0, +)) - 1e-9 {
                    m.addRow("dayvisits[g\(g + 1)]", visits[g], upper: Double(gr.visitsMax))
                }
            }
            if !allMinutes[g].isEmpty || !zs.isEmpty {
                m.addRow("minutes[g\(g + 1)]", zs.map { ($0, base) } + T.compactMap { $0 }.map { ($0, 1.0) } + allMinutes[g],
                         upper: Double(gr.minutes.reduce(0, +)))
            }
            if !lengths[g].isEmpty {
                // Rules 1, 2 and 4: every member is on site for the whole visit and a visit has
                // at least `team` members, so the members' visit minutes are ≥ team·L.
                m.addRow("memberminutes[g\(g + 1)]", lengths[g] + T.compactMap { $0 }.map { ($0, 1.0) } + remoteMinutes[g],
                         upper: Double(gr.minutes.reduce(0, +)))
            }
        }
        return (m, departmentDayRows, visitColumns)
    }

    /// How GLPK solves the LP, for the bound and for the prices: the interior point (its
    /// size bounded by non-zeros, since it cannot be stopped), the dual simplex after it.
    static func parameters() -> LPParameters {
        var p = LPParameters()
        p.method = .interior
        p.interiorNonZeroLimit = 1_500_000
        return p
    }

    /// What the LP covers, in words.
    var summary: String {
        let ents = classes.reduce(0) { $0 + $1.count }
        return "\(groups.count) day groups, \(classes.count) classes of \(ents) enterprises"
    }

    /// The largest LP (rows) a solve runs; larger ones are left out (see `solve`).
    var maxRows = 15_000
    /// Whether the LP has the length rows (`length`, `memberminutes`: rule 1's visit length,
    /// one row per class, group and timed item). They never moved the LP on the districts
    /// measured (slots bind, not minutes), so `finest` leaves them out where they alone would
    /// make it merge day groups (issue 22, a closer bound); fewer rows are still a relaxation.
    var lengthRows = true
    /// The rows `finest` may grow the LP to: a solve's LP stays under `maxRows`, and the
    /// interior point's time with it (about 1 s at 60,000 non-zeros here).
    static let finestRows = 14_000

    /// Seconds of GLPK's interior point per non-zero of the LP, measured on this 2-core machine
    /// under load (docs/decisions.md, issue 22): an estimate to keep an LP that cannot be
    /// stopped out of a budget it would overrun, not a promise.
    static let interiorSecondsPerNonZero = 2e-5

    /// The bound: max(0, dual bound of the LP), rounded up for integral weights, computed on
    /// the calling thread, which owns every GLPK problem it creates (the solver gives it a
    /// `GLPKThread` of its own from the start of a solve).
    ///
    /// GLPK's interior point takes no time limit and no callback: once started it runs to its
    /// end. So it runs only when its estimated time (`interiorSecondsPerNonZero` × the LP's
    /// non-zeros) is at most a third of `interiorBudget` — the solver passes the whole time
    /// limit, so the same limit decides the same way on every run. The dual simplex, after it
    /// when it does not end optimal or instead of it, stops at `deadline` (GLPK's `tm_lim`
    /// from what is left) and is left out when `stop` says so or nothing is left. Every
    /// way it ends, the bound is what the duals seen give (`LinearModel.dualBound`), 0 when none.
    func solve(deadline: Date, interiorBudget: Double, stop: @escaping @Sendable () -> Bool) -> (bound: Double, note: String) {
        if stop() { return (0, "day-grouped LP: cancelled") }
        let m = linearModel()
        // Decided by size, not by the clock, so that the same scenario gives the same bound:
        // past `maxRows` the LP is left out (at 20,000 enterprises it needs ≈10 s).
        guard m.rows.count <= maxRows else {
            return (0, "day-grouped LP (\(summary)): \(m.rows.count) rows, over the \(maxRows) a solve gives it; not solved")
        }
        // Building it took time: stopped meanwhile, it is not started.
        if stop() { return (0, "day-grouped LP (\(summary)): cancelled before it was solved") }
        var p = Self.parameters()
        let interiorSeconds = Self.interiorSecondsPerNonZero * Double(m.nonZeros)
        var skipped = ""
        if interiorSeconds * 3 > interiorBudget {
            p.method = .dualSimplex
            skipped = "interior point left out (about \(JSON.format((interiorSeconds * 10).rounded() / 10)) s, over a third of the \(JSON.format(interiorBudget)) s budget); "
        }
        let left = deadline.timeIntervalSinceNow
        if p.method == .dualSimplex && (left < 0.05 || stop()) {
            return (0, "day-grouped LP (\(summary)): \(skipped)no time left for the dual simplex")
        }
        p.timeLimit = max(0.05, left)
        p.shouldStop = { stop() || deadline.timeIntervalSinceNow < 0.05 }
        guard let r = try? GLPKSolver.solveLP(m, p) else { return (0, "day-grouped LP: model rejected") }
        var b = r.bound.isFinite ? r.bound : 0
        // Floating-point slack of the dual bound before rounding up to an integer.
        if integral { b = (b - 1e-6 * max(1, abs(constant))).rounded(.up) }
        b = b > 0 ? b : 0
        // No seconds in the note: notes are part of the plan, which must be the same bytes for
        // the same input (the stage's seconds are recorded apart).
        return (b, "day-grouped LP (\(summary); \(m.rows.count) rows × \(m.columns.count) columns, \(m.nonZeros) non-zeros): "
                + skipped + "\(r.note), bound \(JSON.format(b))")
    }

    /// `solve` with `timeLimit` seconds from now for the interior point's budget and the
    /// deadline, stopped by `cancel`.
    func solve(timeLimit: Double, cancel: Cancellation?) -> (bound: Double, note: String) {
        let limit = timeLimit.isFinite ? max(0.2, timeLimit) : 20
        return solve(deadline: Date().addingTimeInterval(limit), interiorBudget: limit, stop: { cancel?.isCancelled == true })
    }

    // MARK: MathProg

    /// MathProg data for `Models/daygroup.mod`.
    func mathProgData() -> String {
        func num(_ x: Double) -> String { JSON.format(x) }
        var out = "/* data for Models/daygroup.mod: glpsol -m Models/daygroup.mod -d THIS */\ndata;\n"
        out += "param lengthrows := \(lengthRows ? 1 : 0);\n"
        out += "param base := \(num(base));\nparam team := \(num(team));\nparam tau := \(num(tau));\nparam total := \(num(constant));\n"
        out += "set D := " + departmentIDs.indices.map { "d\($0 + 1)" }.joined(separator: " ") + ";\n"
        out += "set G := " + groups.indices.map { "g\($0 + 1)" }.joined(separator: " ") + ";\n"
        var duty: [String] = []
        for (g, gr) in groups.enumerated() {
            for d in departmentIDs.indices where gr.onDuty[d] { duty.append("g\(g + 1) d\(d + 1) \(gr.slots[d]) \(gr.minutes[d]) \(gr.inspectorDays[d])") }
        }
        out += "param: GD: slots minutes pdays :=\n" + duty.map { "  " + $0 }.joined(separator: "\n") + ";\n"
        out += "param vmax :=\n" + groups.enumerated().map { "  g\($0.offset + 1) \($0.element.visitsMax)" }.joined(separator: "\n") + ";\n"
        out += "set C := " + classes.indices.map { "c\($0 + 1)" }.joined(separator: " ") + ";\n"
        out += "param: n w cap :=\n" + classes.enumerated().map { "  c\($0.offset + 1) \($0.element.count) \(num($0.element.weight)) \($0.element.cap)" }.joined(separator: "\n") + ";\n"
        var cg: [String] = []
        for (c, cls) in classes.enumerated() {
            for g in groups.indices where cls.visitGroups[g] { cg.append("(c\(c + 1),g\(g + 1))") }
        }
        out += "set CG := " + cg.joined(separator: " ") + ";\n"
        var pairs: [String] = [], pg: [String] = []
        for (c, cls) in classes.enumerated() {
            for (k, p) in cls.pairs.enumerated() {
                pairs.append("c\(c + 1) p\(k + 1) d\(p.department + 1) \(p.delegable ? 1 : 0) \(p.minutes) \(p.remoteMinutes) \(p.most)")
                for g in groups.indices where p.onsite[g] > 0 || p.remote[g] > 0 {
                    pg.append("c\(c + 1) p\(k + 1) g\(g + 1) \(p.onsite[g]) \(p.remote[g]) \(p.either[g])")
                }
            }
        }
        out += "param: P: dept deleg mins rmins most :=\n" + pairs.map { "  " + $0 }.joined(separator: "\n") + ";\n"
        out += "param: PG: onk remk eitherk :=\n" + pg.map { "  " + $0 }.joined(separator: "\n") + ";\nend;\n"
        return out
    }
}

/// The prices of the day-grouped LP's department-day rows (issue 11, item 1: windows are
/// steered to "high prices of the bound's department-day rows"). A row's dual is what one
/// more unit of its right-hand side would take off the LP's weighted unmet work: for
/// `slots[g,d]` one more visit of a member of d on the days of g, for `minutes[g,d]` one more
/// minute of d's inspectors there. A department-day with a high price is where the LP says
/// the district is short; the search spends windows there (`WindowGenerator`).
///
/// The LP is solved on the caller's thread by the interior point, which GLPK runs the same
/// way for the same model: the prices, and so the windows, are the same on every run. Its
/// size decides whether it is solved (`maxRows`), not the clock.
struct DayPrices: Sendable, Equatable {
    struct Dear: Sendable, Equatable {
        var group: Int
        var department: Int
        /// Weighted unmet work one more visit of the department in the group would save,
        /// by the duals: |y(slots)| + base minutes × |y(minutes)|.
        var price: Double
    }
    /// Per working day of the calendar: its day group, or −1 (nobody on duty).
    var groupOfDay: [Int]
    /// Department-days with a positive price, dearest first (ties: group, department).
    var dear: [Dear]

    /// Rows of the LP solved for prices at most (roster-2k-short: 9,473 rows in about a second).
    static let maxRows = 12_000
    /// Seconds a solve must have left to solve the LP for prices: several times what the
    /// largest takes here, so that the time limit still holds within 10 % after it.
    static let timeNeeded = 10.0

    init(groupOfDay: [Int], dear: [Dear]) {
        self.groupOfDay = groupOfDay
        self.dear = dear
    }

    /// The prices of `bound`'s LP, or nil (with the reason) when it is too large, not solved
    /// to optimality, or nothing is dear (no work the LP must leave undone).
    static func of(_ bound: DayGroupBound) -> (prices: DayPrices?, note: String) {
        let (m, rows) = bound.build()
        guard m.rows.count <= maxRows else { return (nil, "no prices: the day-grouped LP has \(m.rows.count) rows, over \(maxRows)") }
        var p = DayGroupBound.parameters()
        // No clock: the dual simplex fallback is bounded by iterations, so the run is the same every time.
        p.timeLimit = 0
        p.iterationLimit = 50_000
        guard let r = try? GLPKSolver.solveLP(m, p), r.status == .optimal, r.rowDuals.count == m.rows.count else {
            return (nil, "no prices: the day-grouped LP was not solved to optimality")
        }
        guard let dear = prices(bound, rows, r.rowDuals) else {
            return (nil, "no prices: nothing is dear in the day-grouped LP (\(m.rows.count) rows)")
        }
        return (dear, "prices from the day-grouped LP (\(m.rows.count) rows)")
    }

    /// The dear department-days from the duals of the LP's department-day rows.
    static func prices(_ bound: DayGroupBound, _ rows: [DayGroupBound.DepartmentDayRow], _ duals: [Double]) -> DayPrices? {
        let ng = bound.groups.count, nd = bound.departmentIDs.count
        var slots = Array(repeating: Array(repeating: 0.0, count: nd), count: ng)
        var minutes = slots
        for r in rows where duals[r.row].isFinite {
            if r.isSlots { slots[r.group][r.department] = abs(duals[r.row]) } else { minutes[r.group][r.department] = abs(duals[r.row]) }
        }
        var dear: [Dear] = []
        for g in 0..<ng {
            for d in 0..<nd {
                let price = slots[g][d] + bound.base * minutes[g][d]
                // Interior-point duals of slack rows are tiny, not 0.
                if price > 1e-6 { dear.append(Dear(group: g, department: d, price: price)) }
            }
        }
        guard !dear.isEmpty else { return nil }
        dear.sort { (-$0.price, $0.group, $0.department) < (-$1.price, $1.group, $1.department) }
        return DayPrices(groupOfDay: bound.groupOfDay, dear: dear)
    }
}
