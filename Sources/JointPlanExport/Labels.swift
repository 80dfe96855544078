import Foundation
import JointPlan

/// What the exports print for the scenario's ids: a name when the scenario gives one, else the
/// id, so that a plan that names something the scenario does not know still exports (the
/// checker, not the exporter, reports such plans).
///
/// Also answers the questions every export asks of a visit: its town, the departments whose
/// items it checks, in scenario order.
public struct Labels: Sendable {
    public let scenario: Scenario
    private let departmentOrder: [String: Int]

    public init(scenario: Scenario) {
        self.scenario = scenario
        departmentOrder = Dictionary(scenario.departments.enumerated().map { ($1.id, $0) },
                                     uniquingKeysWith: { a, _ in a })
    }

    public func enterpriseName(_ id: String) -> String { nonEmpty(scenario.enterprise(id)?.name) ?? id }
    public func inspectorName(_ id: String) -> String { nonEmpty(scenario.inspector(id)?.name) ?? id }
    public func itemName(_ id: String) -> String { nonEmpty(scenario.item(id)?.name) ?? id }
    public func departmentName(_ id: String) -> String { nonEmpty(scenario.department(id)?.name) ?? id }
    public func townName(_ id: String) -> String { nonEmpty(scenario.town(id)?.name) ?? id }

    /// The town of an enterprise; "" when the enterprise is unknown.
    public func town(ofEnterprise id: String) -> String { scenario.enterprise(id)?.town ?? "" }

    /// The department of an inspector; "" when unknown.
    public func department(ofInspector id: String) -> String { scenario.inspector(id)?.department ?? "" }

    /// The department of an item; "" when unknown.
    public func department(ofItem id: String) -> String { scenario.item(id)?.department ?? "" }

    /// The departments whose items a visit checks (what makes a visit joint, spec 3.2
    /// `jointVisitRate`), in the scenario's department order.
    public func departments(of visit: Visit) -> [String] {
        sortedDepartments(visit.checks.map { department(ofItem: $0.item) })
    }

    /// The departments of a visit's team members, in the scenario's department order.
    public func teamDepartments(of visit: Visit) -> [String] {
        sortedDepartments(visit.inspectors.map { department(ofInspector: $0) })
    }

    /// Distinct non-empty department ids in scenario order (unknown ones last, by id).
    public func sortedDepartments(_ ids: [String]) -> [String] {
        Array(Set(ids.filter { !$0.isEmpty })).sorted {
            let a = departmentOrder[$0] ?? Int.max, b = departmentOrder[$1] ?? Int.max
            return a != b ? a < b : $0 < $1
        }
    }

    /// A visit's checks in a stable reading order: by the item's department, then item id,
    /// then occurrence.
    public func orderedChecks(of visit: Visit) -> [Check] {
        visit.checks.sorted {
            let da = departmentOrder[department(ofItem: $0.item)] ?? Int.max
            let db = departmentOrder[department(ofItem: $1.item)] ?? Int.max
            if da != db { return da < db }
            if $0.item != $1.item { return $0.item < $1.item }
            return $0.occurrence < $1.occurrence
        }
    }

    /// Visits in calendar order: date, start, enterprise, id.
    public static func chronological(_ visits: [Visit]) -> [Visit] {
        visits.sorted { ($0.date, $0.start, $0.enterprise, $0.id) < ($1.date, $1.start, $1.enterprise, $1.id) }
    }

    /// "张伟（市场监管局）": an inspector with the department's name.
    public func inspectorWithDepartment(_ id: String) -> String {
        let d = department(ofInspector: id)
        return d.isEmpty ? inspectorName(id) : "\(inspectorName(id))（\(departmentName(d))）"
    }

    /// Chinese name of an unmet reason, for people reading the exports.
    public static func reasonText(_ r: UnmetReason) -> String {
        switch r {
        case .staffing: return "人手不足"
        case .visitCap: return "超出现场检查次数上限"
        case .whitelist: return "白名单企业年度检查次数已满"
        case .blackout: return "企业生产经营高峰期（无事不扰）"
        case .spacing: return "未满最短检查间隔"
        case .noInspector: return "无可用持证检查人员"
        case .recusal: return "检查人员回避"
        case .timeLimit: return "求解时间用尽"
        }
    }

    private func nonEmpty(_ s: String?) -> String? {
        guard let s, !s.isEmpty else { return nil }
        return s
    }
}
