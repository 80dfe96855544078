import Foundation

/// A lower bound on inspector minutes (spec 3.2, the third objective) for any valid plan that
/// performs the same checks as a given plan — on site or remotely, in any visits, by any
/// inspectors. With nothing unmet that is every plan with nothing unmet, so it bounds the
/// minutes a planner could reach at all; the bench sets each plan's minutes against it.
///
/// Per enterprise, from rules 1–3 and 5 only:
/// - each performed check costs at least its cheaper way: its on-site minutes, or its remote
///   minutes where the item allows remote (rule 5);
/// - the enterprise needs at least `n` visits, the most performed occurrences of one item that
///   cannot be done remotely (rule 3: one occurrence per visit);
/// - a visit with `k` members lasts at least base + the busiest member's minutes (rule 1), so
///   its inspector minutes `k · (base + busiest)` are at least `k · base + Σ its checks' minutes`;
///   `k` is at least `minInspectorsPerVisit` (rule 2), and the enterprise's visits together have
///   at least one member of every department whose non-delegable checks it gets (rule 3);
/// - the visit with the longest on-site-only check holds `k ≥ minInspectorsPerVisit` members for
///   at least base + that check.
///
/// Travel is not counted (a visit alone in its inspector's day has none), nor are waiting
/// gaps; so the bound is what the checks cost on site, and the gap to a plan is mostly travel
/// and the members who wait for the busiest one.
public enum MinutesBound {
    public static func lowerBound(_ s: Scenario, _ plan: Plan) -> Int {
        var performed: [String: [String: Int]] = [:]   // enterprise → item → occurrences
        for v in plan.visits { for c in v.checks { performed[v.enterprise, default: [:]][c.item, default: 0] += 1 } }
        for r in plan.remoteChecks { performed[r.enterprise, default: [:]][r.item, default: 0] += 1 }
        let m = s.policy.minInspectorsPerVisit
        let base = s.policy.visitBaseMinutes
        var total = 0
        for (_, items) in performed {
            var visits = 0, longest = 0, checkMinutes = 0
            var departments = Set<String>()
            for (id, count) in items {
                guard let item = s.item(id) else { continue }
                if item.remoteAllowed {
                    checkMinutes += count * min(item.minutes, item.remoteMinutes)
                } else {
                    checkMinutes += count * item.minutes
                    visits = max(visits, count)
                    longest = max(longest, item.minutes)
                    if !item.delegable { departments.insert(item.department) }
                }
            }
            guard visits > 0 else { total += checkMinutes; continue }
            let members = max(m * visits, departments.count)
            total += base * members + max(checkMinutes, m * longest)
        }
        return total
    }
}
