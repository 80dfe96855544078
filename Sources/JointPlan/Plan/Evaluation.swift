import Foundation

/// Recomputes a plan's objective and KPIs from its visits, remote and unmet checks
/// (spec 3.2 with the checker's readings A15, A18, A19), so that the solver writes exactly
/// the numbers `check_plan.py` computes.
public struct Evaluation {
    public let scenario: Scenario
    public let calendar: WorkCalendar
    public init(scenario: Scenario, calendar: WorkCalendar? = nil) {
        self.scenario = scenario
        self.calendar = calendar ?? WorkCalendar(scenario.horizon)
    }

    /// Minutes of each inspector-day: visit minutes, travel between consecutive visits
    /// (ordered by start, end, id) and remote minutes.
    public func inspectorDayMinutes(_ plan: Plan) -> [String: [Day: Int]] {
        var visitsOf: [String: [Day: [Visit]]] = [:]
        for v in plan.visits { for p in v.inspectors { visitsOf[p, default: [:]][v.date, default: []].append(v) } }
        var out: [String: [Day: Int]] = [:]
        for (p, days) in visitsOf {
            for (d, vs) in days {
                let sorted = vs.sorted { ($0.start, $0.end, $0.id) < ($1.start, $1.end, $1.id) }
                var total = 0
                var prevTown: String?
                for v in sorted {
                    total += v.minutes
                    let town = scenario.enterprise(v.enterprise)?.town
                    if let a = prevTown, let b = town { total += scenario.travel(a, b) }
                    prevTown = town
                }
                out[p, default: [:]][d] = total
            }
        }
        for r in plan.remoteChecks {
            out[r.inspector, default: [:]][r.date, default: 0] += scenario.item(r.item)?.remoteMinutes ?? 0
        }
        return out
    }

    public func objective(_ plan: Plan) -> Objective {
        let w = plan.unmet.reduce(0.0) { acc, u in
            guard let e = scenario.enterprise(u.enterprise) else { return acc }
            return acc + scenario.policy.unmetWeight[e.tier]
        }
        let minutes = inspectorDayMinutes(plan).values.reduce(0) { $0 + $1.values.reduce(0, +) }
        return Objective(unmetWeighted: w, onsiteVisits: plan.visits.count, inspectorMinutes: minutes)
    }

    public func kpis(_ plan: Plan, requiredChecks: Int) -> KPIs {
        var k = KPIs()
        k.requiredChecks = requiredChecks
        k.onsiteChecks = plan.visits.reduce(0) { $0 + $1.checks.count }
        k.remoteChecks = plan.remoteChecks.count
        k.unmetChecks = plan.unmet.count
        for r in UnmetReason.allCases { k.unmetByReason[r] = 0 }
        for u in plan.unmet { k.unmetByReason[u.reason, default: 0] += 1 }
        var occ: [String: [String: Int]] = [:]   // enterprise -> item -> on-site entries
        for v in plan.visits {
            for c in v.checks where scenario.item(c.item) != nil { occ[v.enterprise, default: [:]][c.item, default: 0] += 1 }
        }
        var baseline = 0, lower = 0
        for (_, items) in occ {
            var deptMax: [String: Int] = [:]
            var m = 0
            for (iid, n) in items {
                let d = scenario.item(iid)!.department
                deptMax[d] = max(deptMax[d] ?? 0, n)
                m = max(m, n)
            }
            baseline += deptMax.values.reduce(0, +)
            lower += m
        }
        k.baselineVisits = baseline
        k.visitLowerBound = lower
        let nv = plan.visits.count
        k.visitReductionPct = baseline > 0 ? 100.0 * (1.0 - Double(nv) / Double(baseline)) : 0
        let joint = plan.visits.filter { v in Set(v.checks.compactMap { scenario.item($0.item)?.department }).count >= 2 }.count
        k.jointVisitRate = nv > 0 ? Double(joint) / Double(nv) : 0
        var perEnt: [String: Int] = [:]
        for v in plan.visits { perEnt[v.enterprise, default: 0] += 1 }
        k.maxVisitsPerEnterprise = perEnt.values.max() ?? 0
        var used: [String: Int] = [:]
        for (p, days) in inspectorDayMinutes(plan) {
            guard let ins = scenario.inspector(p) else { continue }
            used[ins.department, default: 0] += days.values.reduce(0, +)
        }
        var avail: [String: Int] = [:]
        for ins in scenario.inspectors where ins.certified {
            let n = calendar.days.filter { !InspectorRule.isOnLeave(ins, on: $0) }.count
            avail[ins.department, default: 0] += n * calendar.workingMinutes
        }
        k.utilization = scenario.departments.map { d in
            let a = avail[d.id] ?? 0
            return (d.id, a > 0 ? Double(used[d.id] ?? 0) / Double(a) : 0)
        }
        return k
    }

    /// Fills in objective and KPIs.
    public func finish(_ plan: inout Plan, requiredChecks: Int) {
        plan.objective = objective(plan)
        plan.kpis = kpis(plan, requiredChecks: requiredChecks)
    }
}
