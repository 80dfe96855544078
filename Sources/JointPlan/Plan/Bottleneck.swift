import Foundation

/// Where a plan runs short, department by department (issue 14, item 6): the unmet checks and
/// their weight, how much of the department's visit slots and of its minutes the plan uses, and
/// how many more inspector-days it would take to do the unmet work staffing can fix.
///
/// Minute use alone misleads: a department whose limit is `maxVisitsPerDay` (the fire brigade
/// on tight.json: short checks, many visits) runs out of visit slots at 28 % of its minutes.
/// Slot use is Σ over the plan's visits of the department's members on the team, divided by
/// Σ over its certified inspectors and their available working days of `maxVisitsPerDay`.
///
/// `extraInspectorDays` is an estimate from the unmet checks whose reason is `staffing` or
/// `timeLimit` (the others — caps, blackout, spacing, recusal — no inspector fixes): for each
/// enterprise, the largest number of unmet on-site occurrences of one of the department's
/// non-delegable items is the number of visits that need one of its inspectors; those visits
/// need ⌈visits ÷ maxVisitsPerDay⌉ inspector-days by slots and ⌈(visits × (visitBaseMinutes +
/// travelWithinTownMinutes) + check minutes) ÷ working minutes⌉ by minutes (remote-allowed
/// checks count their remote minutes, no slot); the estimate is the larger. It is the
/// department's own share only: the second team member may come from another department.
public struct DepartmentBottleneck: Sendable, Equatable {
    public var department: String
    public var unmetChecks: Int
    public var unmetWeight: Double
    /// Unmet checks staffing can fix (`staffing`, `timeLimit`).
    public var staffingUnmet: Int
    public var slotsUsed: Int
    public var slotsAvailable: Int
    public var minutesUsed: Int
    public var minutesAvailable: Int
    public var extraInspectorDays: Int

    public var slotUse: Double { slotsAvailable > 0 ? Double(slotsUsed) / Double(slotsAvailable) : 0 }
    public var minuteUse: Double { minutesAvailable > 0 ? Double(minutesUsed) / Double(minutesAvailable) : 0 }
    /// The binding limit: the larger of slot use and minute use.
    public var limitedBySlots: Bool { slotUse > minuteUse }

    public var json: JSON {
        .object(JSONObject([
            ("department", .string(department)), ("unmetChecks", .int(unmetChecks)),
            ("unmetWeighted", .double(unmetWeight)), ("staffingUnmet", .int(staffingUnmet)),
            ("slotsUsed", .int(slotsUsed)), ("slotsAvailable", .int(slotsAvailable)),
            ("slotUse", .double(KPIs.round(slotUse, 6))),
            ("minutesUsed", .int(minutesUsed)), ("minutesAvailable", .int(minutesAvailable)),
            ("minuteUse", .double(KPIs.round(minuteUse, 6))),
            ("extraInspectorDays", .int(extraInspectorDays)),
        ]))
    }
}

/// The bottleneck table of a plan: one row per department, in scenario order.
public struct Bottleneck: Sendable, Equatable {
    public var departments: [DepartmentBottleneck]

    public init(scenario s: Scenario, plan: Plan) {
        let calendar = WorkCalendar(s.horizon)
        let evaluation = Evaluation(scenario: s, calendar: calendar)
        var rows: [String: DepartmentBottleneck] = [:]
        for d in s.departments {
            rows[d.id] = DepartmentBottleneck(department: d.id, unmetChecks: 0, unmetWeight: 0, staffingUnmet: 0,
                                              slotsUsed: 0, slotsAvailable: 0, minutesUsed: 0, minutesAvailable: 0,
                                              extraInspectorDays: 0)
        }
        for p in s.inspectors where p.certified {
            let days = calendar.days.filter { !InspectorRule.isOnLeave(p, on: $0) }.count
            rows[p.department]?.slotsAvailable += days * s.maxVisitsPerDay(of: p)
            rows[p.department]?.minutesAvailable += days * calendar.workingMinutes
        }
        for v in plan.visits {
            for p in v.inspectors { if let d = s.inspector(p)?.department { rows[d]?.slotsUsed += 1 } }
        }
        for (p, days) in evaluation.inspectorDayMinutes(plan) {
            if let d = s.inspector(p)?.department { rows[d]?.minutesUsed += days.values.reduce(0, +) }
        }
        // Unmet work that more inspectors would do: visits (per enterprise) and minutes.
        var visitsNeeded: [String: [String: [String: Int]]] = [:]   // dept -> enterprise -> item -> occurrences
        var minutesNeeded: [String: Int] = [:]
        for u in plan.unmet {
            guard let item = s.item(u.item) else { continue }
            let d = item.department
            rows[d]?.unmetChecks += 1
            let weight = s.enterprise(u.enterprise).map { s.policy.unmetWeight[$0.tier] } ?? 0
            rows[d]?.unmetWeight += weight
            guard u.reason == .staffing || u.reason == .timeLimit else { continue }
            rows[d]?.staffingUnmet += 1
            if item.remoteAllowed {
                minutesNeeded[d, default: 0] += item.remoteMinutes
            } else {
                minutesNeeded[d, default: 0] += item.minutes
                if !item.delegable { visitsNeeded[d, default: [:]][u.enterprise, default: [:]][u.item, default: 0] += 1 }
            }
        }
        let perVisit = s.policy.visitBaseMinutes + s.policy.travelWithinTownMinutes
        let slotsPerDay = max(1, s.policy.maxVisitsPerDay)
        let working = max(1, calendar.workingMinutes)
        for (d, byEnterprise) in visitsNeeded {
            let visits = byEnterprise.values.reduce(0) { $0 + ($1.values.max() ?? 0) }
            minutesNeeded[d, default: 0] += visits * perVisit
            rows[d]?.extraInspectorDays = (visits + slotsPerDay - 1) / slotsPerDay
        }
        for (d, m) in minutesNeeded {
            let byMinutes = (m + working - 1) / working
            if let old = rows[d]?.extraInspectorDays, byMinutes > old { rows[d]?.extraInspectorDays = byMinutes }
        }
        departments = s.departments.compactMap { rows[$0.id] }
    }

    public var json: JSON { .array(departments.map(\.json)) }

    /// The aligned table the CLI prints (summary, whatif), in the catalogue's language.
    public func table(_ scenario: Scenario, _ t: Catalogue) -> String {
        let header = [t("bottleneck.department"), t("bottleneck.unmet"), t("bottleneck.weight"),
                      t("bottleneck.slots"), t("bottleneck.minutes"), t("bottleneck.extraDays")]
        var rows: [[String]] = [header]
        for d in departments {
            let name = scenario.department(d.department)?.name ?? ""
            rows.append([
                name.isEmpty ? d.department : "\(name) (\(d.department))",
                "\(d.unmetChecks)", JSON.format(d.unmetWeight),
                String(format: "%.0f%% (%d/%d)", d.slotUse * 100, d.slotsUsed, d.slotsAvailable) + (d.limitedBySlots && d.unmetChecks > 0 ? " *" : ""),
                String(format: "%.0f%%", d.minuteUse * 100),
                d.extraInspectorDays > 0 ? "+\(d.extraInspectorDays)" : "0",
            ])
        }
        return TextTable.render(rows, rightAligned: [1, 2, 3, 4, 5]) + "\n" + t("bottleneck.note")
    }
}

/// Aligned plain-text columns, counting a CJK character as two columns wide (a terminal shows
/// it so).
public enum TextTable {
    public static func width(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { w, u in
            let v = u.value
            let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
                || (0xFFE0...0xFFE6).contains(v)
            return w + (wide ? 2 : 1)
        }
    }

    public static func pad(_ s: String, _ n: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, n - width(s)))
        return right ? fill + s : s + fill
    }

    public static func render(_ rows: [[String]], rightAligned: Set<Int> = []) -> String {
        let columns = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], width(c)) } }
        return rows.map { r in
            r.enumerated().map { i, c in pad(c, widths[i], right: rightAligned.contains(i)) }.joined(separator: "  ")
                .replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }.joined(separator: "\n")
    }
}
