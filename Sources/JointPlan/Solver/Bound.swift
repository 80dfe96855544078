import Foundation
import GLPK

/// A proven lower bound on the weighted unmet work (spec 3.2, objective 1), valid for
/// every plan of the scenario, not only for plans of our shape.
///
/// Two parts:
/// 1. Structural losses no plan can avoid: an on-site-only item needing more checks than the
///    enterprise's cap (`visitCap`, `whitelist`); an item nobody may check (`noInspector`,
///    `recusal`) or on no allowed day (`blackout`); occurrences that no chain of dates with
///    `minSpacingDays` between them fits after `lastChecked` (`spacing`).
/// 2. A capacity relaxation (`Models/bound.mod`), solved by GLPK as an integer program whose
///    best bound is reported: enterprises with the same duties are grouped, and for each group
///    the checks done on site and remotely are limited by every department's inspector-visit
///    slots and minutes and by the district's totals. Each on-site occurrence of a
///    non-delegable item needs its own visit with a member of its department, each visit has
///    at least `minInspectorsPerVisit` members for at least `visitBaseMinutes`.
struct BoundModel {
    struct Group {
        var count: Int
        /// The group's enterprises, in scenario order.
        var members: [Int]
        var weight: Double
        var cap: Int
        /// (item index, checks possible k', on-site possible, remote possible)
        var items: [(item: Int, k: Int, onsite: Bool, remote: Bool)]
    }

    var structural: Double = 0
    var groups: [Group] = []
    let s: Scenario
    let cal: WorkCalendar

    init(_ s: Scenario, _ duties: Duties, _ cal: WorkCalendar, capUsed: [Int: Int] = [:]) {
        self.s = s
        self.cal = cal
        let certifiedByDept = Dictionary(grouping: s.inspectors.filter(\.certified), by: \.department)
        let anyCertified = s.inspectors.contains { $0.certified }
        // Working days on which at least one certified inspector of the department is available.
        var deptDays: [String: [Day]] = [:]
        for (d, members) in certifiedByDept {
            deptDays[d] = cal.days.filter { day in members.contains { !InspectorRule.isOnLeave($0, on: day) } }
        }
        var index: [String: Int] = [:]
        for (e, ent) in s.enterprises.enumerated() {
            let w = s.policy.unmetWeight[ent.tier]
            let cap = max(0, s.onsiteCap(of: ent) - (capUsed[e] ?? 0))
            let onsiteDays = cal.days.filter { BlackoutRule.allowsVisit(ent, on: $0) }
            var items: [(Int, Int, Bool, Bool)] = []
            for di in duties.byEnterprise[e] {
                let d = duties.duties[di]
                let it = s.items[d.item]
                let dept = certifiedByDept[it.department] ?? []
                let notRecused = dept.contains { !InspectorRule.isRecused($0, from: ent.id) }
                let onsite = !onsiteDays.isEmpty && cap > 0 && (it.delegable ? anyCertified : notRecused)
                let remote = it.remoteAllowed && notRecused && !(deptDays[it.department] ?? []).isEmpty
                // The longest chain of dates with the item's spacing after its last check.
                var days = onsite ? onsiteDays : []
                if remote { days = Array(Set(days).union(deptDays[it.department] ?? [])).sorted() }
                var chain = 0
                var last = ent.lastChecked[it.id]
                for day in days where chain < d.count {
                    if !SpacingRule.allows(day, spacing: it.minSpacingDays, lastChecked: last, others: []) { continue }
                    // Without spacing, every occurrence may fall on the same day.
                    chain += it.minSpacingDays == 0 ? d.count : 1
                    last = day
                }
                chain = min(chain, d.count)
                var k = min(d.count, chain)
                if !remote { k = min(k, cap) }
                structural += w * Double(d.count - k)
                if k > 0 { items.append((d.item, k, onsite, remote)) }
            }
            if items.isEmpty { continue }
            let key = "\(w)|\(cap)|" + items.map { "\($0.0),\($0.1),\($0.2),\($0.3)" }.joined(separator: ";")
            if let g = index[key] { groups[g].count += 1; groups[g].members.append(e) } else {
                index[key] = groups.count
                groups.append(Group(count: 1, members: [e], weight: w, cap: cap, items: items.map { ($0.0, $0.1, $0.2, $0.3) }))
            }
        }
    }

    /// Capacity of each department (slots, minutes) and of the district.
    func capacity() -> (slots: [Int], minutes: [Int]) {
        var slots = Array(repeating: 0, count: s.departments.count), minutes = slots
        for p in s.inspectors where p.certified {
            guard let d = s.departmentIndex[p.department] else { continue }
            let n = cal.days.filter { !InspectorRule.isOnLeave(p, on: $0) }.count
            slots[d] += n * s.maxVisitsPerDay(of: p)
            minutes[d] += n * cal.workingMinutes
        }
        return (slots, minutes)
    }

    /// The relaxation as an integer program (minimise the weighted checks left undone).
    /// `minuteScale` < 1 gives the planning variant (travel eats into minutes); the bound
    /// itself always uses the full capacity.
    func linearModel(minuteScale: Double = 1) -> LinearModel { build(minuteScale: minuteScale, slotScale: 1).model }

    /// The model and, per group and item, the columns of the checks done on site and remotely.
    func build(minuteScale: Double, slotScale: Double) -> (model: LinearModel, columns: [[(on: Int?, rem: Int?)]]) {
        var m = LinearModel(name: "bound", sense: .minimize)
        var (slots, minutes) = capacity()
        minutes = minutes.map { Int(Double($0) * minuteScale) }
        slots = slots.map { Int(Double($0) * slotScale) }
        var columns: [[(on: Int?, rem: Int?)]] = []
        let nd = s.departments.count
        let base = Double(s.policy.visitBaseMinutes)
        let team = Double(s.policy.minInspectorsPerVisit)
        var deptSlots = Array(repeating: [(Int, Double)](), count: nd)
        var deptMinutes = Array(repeating: [(Int, Double)](), count: nd)
        var allSlotsTeam: [(Int, Double)] = [], allSlotsDept: [(Int, Double)] = [], allMinutes: [(Int, Double)] = []
        for (g, grp) in groups.enumerated() {
            let n = Double(grp.count)
            let V = m.addColumn("V[\(g + 1)]", lower: 0, upper: n * Double(grp.cap), kind: .integer)
            allSlotsTeam.append((V, team))
            allMinutes.append((V, team * base))
            var vOf: [Int: Int] = [:]
            columns.append([])
            for (n_, it) in grp.items.enumerated() {
                var onCol: Int?, remCol: Int?
                let item = s.items[it.item]
                let d = s.departmentIndex[item.department] ?? 0
                var done: [(Int, Double)] = []
                if it.onsite {
                    let x = m.addColumn("on[\(g + 1),\(n_ + 1)]", lower: 0, upper: n * Double(min(it.k, grp.cap)), cost: -grp.weight, kind: .integer)
                    done.append((x, 1))
                    onCol = x
                    m.addRow("visits[\(g + 1),\(n_ + 1)]", [(V, 1), (x, -1)], lower: 0)
                    allMinutes.append((x, Double(item.minutes)))
                    if !item.delegable {
                        let v: Int
                        if let old = vOf[d] { v = old } else {
                            v = m.addColumn("v[\(g + 1),\(s.departments[d].id)]", lower: 0, upper: n * Double(grp.cap), kind: .integer)
                            vOf[d] = v
                            deptSlots[d].append((v, 1))
                            deptMinutes[d].append((v, base))
                            allSlotsDept.append((v, 1))
                            m.addRow("team[\(g + 1),\(s.departments[d].id)]", [(V, 1), (v, -1)], lower: 0)
                        }
                        m.addRow("dept[\(g + 1),\(n_ + 1)]", [(v, 1), (x, -1)], lower: 0)
                        deptMinutes[d].append((x, Double(item.minutes)))
                    }
                }
                if it.remote {
                    let r = m.addColumn("rem[\(g + 1),\(n_ + 1)]", lower: 0, upper: n * Double(it.k), cost: -grp.weight, kind: .integer)
                    done.append((r, 1))
                    remCol = r
                    deptMinutes[d].append((r, Double(item.remoteMinutes)))
                    allMinutes.append((r, Double(item.remoteMinutes)))
                }
                m.addRow("checks[\(g + 1),\(n_ + 1)]", done, upper: n * Double(it.k))
                m.objectiveConstant += grp.weight * n * Double(it.k)
                columns[g].append((onCol, remCol))
            }
        }
        for d in 0..<nd {
            if !deptSlots[d].isEmpty { m.addRow("slots[\(s.departments[d].id)]", deptSlots[d], upper: Double(slots[d])) }
            if !deptMinutes[d].isEmpty { m.addRow("minutes[\(s.departments[d].id)]", deptMinutes[d], upper: Double(minutes[d])) }
        }
        let totalSlots = Double(slots.reduce(0, +)), totalMinutes = Double(minutes.reduce(0, +))
        if !allSlotsTeam.isEmpty { m.addRow("slots[team]", allSlotsTeam, upper: totalSlots) }
        if !allSlotsDept.isEmpty { m.addRow("slots[depts]", allSlotsDept, upper: totalSlots) }
        if !allMinutes.isEmpty { m.addRow("minutes[all]", allMinutes, upper: totalMinutes) }
        return (m, columns)
    }

    /// How many checks of each (enterprise, item) the capacity allows, as the relaxation
    /// (with minutes scaled for travel) would have it: the planning target used to drop the
    /// cheapest checks of saturated departments before scheduling, instead of losing whole
    /// joint visits at the end of the quarter. Nil when nothing needs dropping.
    func plannedDrops(minuteScale: Double, slotScale: Double, timeLimit: Double) -> [Int: Int]? {
        let (m, cols) = build(minuteScale: minuteScale, slotScale: slotScale)
        var p = SearchParameters()
        p.timeLimit = max(0.2, timeLimit)
        p.relaxationOnly = true
        guard let r = try? GLPKSolver.solve(m, p), !r.values.isEmpty, (r.objective ?? 0) > 1e-6 else { return nil }
        var drops: [Int: Int] = [:]   // enterprise * items + item -> checks to drop
        let ni = max(1, s.items.count)
        for (g, grp) in groups.enumerated() {
            for (n, it) in grp.items.enumerated() {
                let done = (cols[g][n].on.map { r.values[$0] } ?? 0) + (cols[g][n].rem.map { r.values[$0] } ?? 0)
                var toDrop = grp.count * it.k - Int((done + 1e-6).rounded())
                guard toDrop > 0 else { continue }
                // Spread over the group's enterprises, last ones first, one check each round.
                while toDrop > 0 {
                    var progressed = false
                    for e in grp.members.reversed() where toDrop > 0 {
                        let key = e * ni + it.item
                        if (drops[key] ?? 0) < it.k { drops[key, default: 0] += 1; toDrop -= 1; progressed = true }
                    }
                    if !progressed { break }
                }
            }
        }
        return drops.isEmpty ? nil : drops
    }

    /// Solves the relaxation; returns a proven lower bound on the capacity part, the
    /// search's status and note.
    func solve(timeLimit: Double, cancel: Cancellation?, progress: (@Sendable (SearchProgress) -> Void)? = nil)
        -> (bound: Double, status: SearchStatus, note: String, model: LinearModel) {
        let m = linearModel()
        var p = SearchParameters()
        p.timeLimit = max(0.2, timeLimit)
        p.relativeGap = 0
        p.absoluteGap = 0.999 * (s.policy.unmetWeight.values.allSatisfy { $0 == $0.rounded() } ? 1 : 0)
        p.presolve = false
        p.nodeLimit = 5000
        p.shouldStop = { cancel?.isCancelled == true }
        p.progress = progress
        guard let r = try? GLPKSolver.solve(m, p) else { return (0, .failed, "model rejected", m) }
        var b = max(0, r.bound ?? 0)
        // With integral weights the weighted unmet work is an integer.
        if s.policy.unmetWeight.values.allSatisfy({ $0 == $0.rounded() }) { b = (b - 1e-6).rounded(.up) }
        return (max(0, b), r.status, r.note, m)
    }

    /// MathProg data for `Models/bound.mod`.
    func mathProgData() -> String {
        let (slots, minutes) = capacity()
        var out = "/* data for Models/bound.mod: glpsol -m Models/bound.mod -d THIS */\ndata;\n"
        out += "param base := \(s.policy.visitBaseMinutes);\nparam team := \(s.policy.minInspectorsPerVisit);\n"
        out += "set D := " + s.departments.indices.map { "d\($0 + 1)" }.joined(separator: " ") + ";\n"
        out += "param slots := " + slots.enumerated().map { "d\($0.offset + 1) \($0.element)" }.joined(separator: " ") + ";\n"
        out += "param minutes := " + minutes.enumerated().map { "d\($0.offset + 1) \($0.element)" }.joined(separator: " ") + ";\n"
        out += "set G := " + groups.indices.map { "g\($0 + 1)" }.joined(separator: " ") + ";\n"
        out += "param n := " + groups.enumerated().map { "g\($0.offset + 1) \($0.element.count)" }.joined(separator: " ") + ";\n"
        out += "param w := " + groups.enumerated().map { "g\($0.offset + 1) \($0.element.weight)" }.joined(separator: " ") + ";\n"
        out += "param cap := " + groups.enumerated().map { "g\($0.offset + 1) \($0.element.cap)" }.joined(separator: " ") + ";\n"
        var rows: [String] = []
        for (g, grp) in groups.enumerated() {
            for (n, it) in grp.items.enumerated() {
                let item = s.items[it.item]
                let d = (s.departmentIndex[item.department] ?? 0) + 1
                rows.append("g\(g + 1) i\(n + 1) d\(d) \(it.k) \(it.onsite ? 1 : 0) \(it.remote ? 1 : 0) \(item.delegable ? 1 : 0) \(item.minutes) \(item.remoteMinutes)")
            }
        }
        out += "set K := " + groups.enumerated().flatMap { g in g.element.items.indices.map { "(g\(g.offset + 1),i\($0 + 1))" } }.joined(separator: " ") + ";\n"
        out += "param: dept k onsite remote deleg mins rmins :=\n" + rows.map { "  " + $0 }.joined(separator: "\n") + ";\nend;\n"
        return out
    }
}
