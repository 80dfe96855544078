import Foundation

/// Why a visit of a base plan was moved, changed or dropped by a re-plan (issue 21, item 2):
/// what the changed scenario says about the base visit as it stood. One classification for
/// the re-plan's summary and for `jointplan diff`, so both say the same.
public enum ReplanReason: String, Sendable, CaseIterable, Comparable {
    /// A member is on leave (unavailable) that day under the changed scenario (rule 2).
    case leave
    /// A member is now recused from the enterprise (rule 2).
    case recusal
    /// A member is not (or no longer) a certified inspector of the scenario (rule 2).
    case certification
    /// The date is no longer a working day, or is in the enterprise's blackout (rule 1).
    case blackout
    /// A check it held is no longer required (the draw of the changed scenario, rule 6).
    case notRequired
    /// Rule 11: at the visit's turn the draw now names other members, because a visit
    /// replayed before it that day changed (a member freed or taken).
    case draw
    /// Nothing about the visit itself changed: it moved or changed to make room for what the
    /// change did (its checks re-planned with the checks of a visit that had to go).
    case room

    public static func < (a: ReplanReason, b: ReplanReason) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// Classifies base-plan visits against the changed scenario (see `ReplanReason`).
public struct ReplanReasons: Sendable {
    let scenario: Scenario
    let calendar: WorkCalendar
    /// Occurrences required per "enterprise|item" under the changed scenario's draw.
    let required: [String: Int]

    public init(scenario: Scenario, seed: UInt64) {
        self.scenario = scenario
        calendar = WorkCalendar(scenario.horizon)
        let duties = Duties(scenario: scenario, seed: seed)
        var r: [String: Int] = [:]
        for d in duties.duties { r[scenario.enterprises[d.enterprise].id + "|" + scenario.items[d.item].id] = d.count }
        required = r
    }

    /// What the changed scenario says against visit `a` of the base plan itself, or nil when
    /// the visit as it stood is still allowed there (then it was moved or changed for the draw
    /// or to make room).
    public func invalidity(_ a: Visit) -> ReplanReason? {
        guard let ent = scenario.enterprise(a.enterprise) else { return .notRequired }
        if !calendar.isWorking(a.date) || !BlackoutRule.allowsVisit(ent, on: a.date) { return .blackout }
        for id in a.inspectors {
            guard let p = scenario.inspectorIndex[id] else { return .certification }
            let ins = scenario.inspectors[p]
            if !ins.certified { return .certification }
            if InspectorRule.isOnLeave(ins, on: a.date) { return .leave }
            if InspectorRule.isRecused(ins, from: a.enterprise) { return .recusal }
        }
        for c in a.checks where c.occurrence > (required[a.enterprise + "|" + c.item] ?? 0) { return .notRequired }
        return nil
    }

    /// The reason for a base visit `a` that the new plan moved, changed (as `b`) or dropped (nil).
    public func reason(_ a: Visit, _ b: Visit?) -> ReplanReason {
        if let why = invalidity(a) { return why }
        if let b, scenario.policy.inspectorDispatch == .random, a.date == b.date,
           Set(a.inspectors) != Set(b.inspectors) || a.start != b.start {
            return .draw
        }
        return .room
    }

    /// Every moved, changed and removed visit of a diff with its reason, in the diff's order.
    public func reasons(_ diff: PlanDiff) -> [(visit: String, category: PlanDiff.Category, reason: ReplanReason)] {
        diff.moved.map { ($0.a.id, .moved, reason($0.a, $0.b)) }
            + diff.changed.map { ($0.a.id, .changed, reason($0.a, $0.b)) }
            + diff.removed.map { ($0.id, .removed, reason($0, nil)) }
    }

    /// Counts per reason.
    public static func counts(_ list: [(visit: String, category: PlanDiff.Category, reason: ReplanReason)]) -> [ReplanReason: Int] {
        var n: [ReplanReason: Int] = [:]
        for e in list { n[e.reason, default: 0] += 1 }
        return n
    }
}
