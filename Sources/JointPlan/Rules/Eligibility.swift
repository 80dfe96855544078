/// Spec 3.1 rules 2, 3 and 5: who may be on a team, and who may perform a check.
/// The one home of the rule for the solver's stages; the checker states the same rule.
public struct Eligibility: Sendable {
    /// available[p][d]: inspector p is certified and not on leave on working day d.
    public let available: [[Bool]]
    /// Enterprise indexes each inspector is recused from.
    public let recused: [Set<Int>]
    /// Department index of each inspector.
    public let departmentOf: [Int]
    /// Certified inspectors of each department, in file order.
    public let certifiedByDepartment: [[Int]]
    /// Department index and delegability of each item.
    public let itemDepartment: [Int]
    public let itemDelegable: [Bool]

    public init(_ s: Scenario, _ cal: WorkCalendar) {
        available = s.inspectors.map { p in cal.days.map { InspectorRule.isAvailable(p, on: $0) } }
        recused = s.inspectors.map { p in Set(p.recusals.compactMap { s.enterpriseIndex[$0] }) }
        departmentOf = s.inspectors.map { s.departmentIndex[$0.department] ?? -1 }
        var byDept = Array(repeating: [Int](), count: s.departments.count)
        for (p, ins) in s.inspectors.enumerated() where ins.certified {
            if let d = s.departmentIndex[ins.department] { byDept[d].append(p) }
        }
        certifiedByDepartment = byDept
        itemDepartment = s.items.map { s.departmentIndex[$0.department] ?? -1 }
        itemDelegable = s.items.map(\.delegable)
    }

    /// Rule 2: inspector `p` may be on a team visiting enterprise `e` on working day `d`.
    public func mayVisit(_ p: Int, day d: Int, enterprise e: Int) -> Bool {
        available[p][d] && !recused[p].contains(e)
    }

    /// Rule 3: inspector `p` may perform a check of item `i` (its department, or any
    /// certified member when the item is delegable).
    public func mayPerform(_ p: Int, item i: Int) -> Bool {
        itemDelegable[i] || departmentOf[p] == itemDepartment[i]
    }

    /// Rule 5: inspector `p` may do item `i` remotely for enterprise `e` on day `d`.
    public func mayDoRemotely(_ p: Int, item i: Int, day d: Int, enterprise e: Int) -> Bool {
        departmentOf[p] == itemDepartment[i] && mayVisit(p, day: d, enterprise: e)
    }

    /// The departments on duty together on day `d` for enterprise `e`: those with an
    /// available, non-recused certified inspector.
    public func onDuty(_ department: Int, day d: Int, enterprise e: Int) -> Bool {
        certifiedByDepartment[department].contains { mayVisit($0, day: d, enterprise: e) }
    }
}

/// Spec 3.1 rules 2 and 5 for one inspector, by value: who may go on a given day to a given
/// enterprise, and why not. `Eligibility` tabulates it for the solver; the checker, the
/// explainer, the bounds and the reports ask it directly.
public enum InspectorRule {
    /// Why an inspector may not be on a team (or do a remote check) for an enterprise on a day.
    public enum Why: Sendable, Equatable {
        case notCertified, onLeave, recused
    }

    /// On leave (`unavailable`) that day.
    public static func isOnLeave(_ p: Inspector, on day: Day) -> Bool { p.unavailable.contains(day: day) }

    /// Certified and not on leave that day.
    public static func isAvailable(_ p: Inspector, on day: Day) -> Bool { p.certified && !isOnLeave(p, on: day) }

    public static func isRecused(_ p: Inspector, from enterprise: String) -> Bool { p.recusals.contains(enterprise) }

    /// Why `p` may not visit `enterprise` on `day` (the first reason, in the order above), or nil.
    public static func whyNot(_ p: Inspector, enterprise: String, on day: Day) -> Why? {
        if !p.certified { return .notCertified }
        if isOnLeave(p, on: day) { return .onLeave }
        if isRecused(p, from: enterprise) { return .recused }
        return nil
    }

    public static func mayVisit(_ p: Inspector, enterprise: String, on day: Day) -> Bool {
        whyNot(p, enterprise: enterprise, on: day) == nil
    }
}

/// Spec 3.1 rule 8: the on-site visit cap of an enterprise, and why a check past it is unmet.
public enum OnsiteCapRule {
    /// Visits the enterprise may still have: its cap (`Scenario.onsiteCap`) less visits already
    /// made (a re-plan's frozen visits).
    public static func remaining(_ s: Scenario, enterprise e: Int, used: Int) -> Int {
        max(0, s.onsiteCap(of: s.enterprises[e]) - used)
    }

    /// `whitelist` when the white-list allowance is what binds, else `visitCap`.
    public static func reason(_ s: Scenario, enterprise e: Int) -> UnmetReason {
        let ent = s.enterprises[e]
        return ent.whitelisted && s.onsiteCap(of: ent) < s.policy.maxOnsiteVisits[ent.tier] ? .whitelist : .visitCap
    }
}
