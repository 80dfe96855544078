import Foundation
import JointPlan
import Spreadsheet

/// The plan as one XLSX workbook for the departments (issue 14, item 5), written with
/// libxlsxwriter through `Spreadsheet.WorkbookWriter`.
///
/// Sheets, in order: the KPI summary (spec 3.2 and the solver's bound); the bottleneck by
/// department (unmet checks and weight, visit-slot use beside minute use, extra inspector-days);
/// all visits; one sheet per department (the checks of its items, with the visit and the team);
/// the unmet checks with their reasons; per-inspector days (visits, travel, remote minutes,
/// minutes and free minutes of each inspector-day). Headers follow the language; every table
/// sheet has its header row frozen and an autofilter over its columns. Dates are date cells,
/// counts are numbers.
public struct WorkbookExporter: Sendable {
    public let scenario: Scenario
    public let plan: Plan
    public let language: Language
    private let labels: Labels
    private let t: Catalogue

    public init(scenario: Scenario, plan: Plan, language: Language = .zh) {
        self.scenario = scenario
        self.plan = plan
        self.language = language
        labels = Labels(scenario: scenario)
        t = Catalogue(language)
    }

    typealias Cell = WorkbookWriter.Cell

    /// A sheet: its name, header keys (`col.*`) and rows.
    struct Table {
        var name: String
        var columns: [String]
        var rows: [[Cell]]
        var widths: [Int: Double] = [:]
    }

    /// The sheet names the workbook will have, in order (unique, Excel-safe).
    public var sheetNames: [String] { tables().map(\.name) }

    /// Writes the workbook to `path` through `OutputFile` (issue 25): made at a temporary
    /// path by libxlsxwriter, then moved by `OutputFile`'s rules — a regular file replaced
    /// atomically, a link followed, a FIFO or device written through, never replaced.
    public func write(to path: String) throws {
        try OutputFile.write(to: path, createFolders: true) { temporary in try build(at: temporary) }
    }

    func build(at path: String) throws {
        let book = try WorkbookWriter(path: path)
        for table in tables() {
            let sheet = try book.sheet(table.name)
            if table.columns == ["kpi", "value"] {
                try sheet.header(row: 0, [t("col.kpi"), t("col.value")])
            } else {
                try sheet.header(row: 0, table.columns.map { t("col.\($0)") })
            }
            for (r, cells) in table.rows.enumerated() {
                for (c, cell) in cells.enumerated() {
                    if case .date = cell { try sheet.write(cell, row: r + 1, column: c, style: .date) } else { try sheet.write(cell, row: r + 1, column: c) }
                }
            }
            for c in table.columns.indices { try sheet.columnWidth(c, table.widths[c] ?? WorkbookExporter.width(table.columns[c])) }
            sheet.freeze(row: 1)
            try sheet.autofilter(firstRow: 0, firstColumn: 0, lastRow: max(1, table.rows.count), lastColumn: table.columns.count - 1)
        }
        try book.close()
    }

    static func width(_ key: String) -> Double {
        switch key {
        case "enterpriseName", "itemName", "teamNames", "departmentNames", "address", "reasonText", "kpi": return 28
        case "departmentName", "townName", "inspectorName", "team", "departments": return 16
        case "date": return 12
        default: return 11
        }
    }

    static func round(_ v: Double, _ digits: Int) -> Double {
        let f = pow(10.0, Double(digits))
        return (v * f).rounded() / f
    }

    static func date(_ d: Day) -> Cell {
        let c = d.civil
        return .date(year: c.year, month: c.month, day: c.day)
    }

    private func name(_ s: String, _ id: String) -> Cell { .text(s.isEmpty ? id : s) }

    func tables() -> [Table] {
        var out: [Table] = []
        var used = Set<String>()
        func unique(_ raw: String) -> String {
            // Excel: 1–31 characters, none of []:*?/\ , unique regardless of case.
            var base = String(raw.map { "[]:*?/\\".contains($0) ? "_" : $0 }).trimmingCharacters(in: .whitespaces)
            if base.isEmpty { base = "_" }
            base = String(base.prefix(31))
            var name = base, n = 2
            while used.contains(name.lowercased()) { let suffix = " (\(n))"; name = String(base.prefix(31 - suffix.count)) + suffix; n += 1 }
            used.insert(name.lowercased())
            return name
        }
        let evaluation = Evaluation(scenario: scenario)
        let k = evaluation.kpis(plan, requiredChecks: plan.kpis.requiredChecks)
        let objective = evaluation.objective(plan)

        // KPIs.
        var kpis: [[Cell]] = [
            [.text(t("kpi.scenario")), .text(scenario.name)],
            [.text(t("kpi.status")), .text(t("status.\(plan.status.rawValue)"))],
            [.text(t("kpi.seed")), .text(String(plan.seed))],
            [.text(t("kpi.requiredChecks")), .integer(k.requiredChecks)],
            [.text(t("kpi.onsiteChecks")), .integer(k.onsiteChecks)],
            [.text(t("kpi.remoteChecks")), .integer(k.remoteChecks)],
            [.text(t("kpi.unmetChecks")), .integer(k.unmetChecks)],
            [.text(t("kpi.unmetWeighted")), .number(objective.unmetWeighted)],
            [.text(t("kpi.bestBound")), .number(plan.solver.bestBound)],
            [.text(t("kpi.gap")), .number(plan.solver.gap)],
            [.text(t("kpi.onsiteVisits")), .integer(objective.onsiteVisits)],
            [.text(t("kpi.visitLowerBound")), .integer(k.visitLowerBound)],
            [.text(t("kpi.baselineVisits")), .integer(k.baselineVisits)],
            [.text(t("kpi.visitReductionPct")), .number(WorkbookExporter.round(k.visitReductionPct, 2))],
            [.text(t("kpi.jointVisitRate")), .number(WorkbookExporter.round(k.jointVisitRate, 4))],
            [.text(t("kpi.maxVisitsPerEnterprise")), .integer(k.maxVisitsPerEnterprise)],
            [.text(t("kpi.inspectorMinutes")), .integer(objective.inspectorMinutes)],
        ]
        for r in UnmetReason.allCases where (k.unmetByReason[r] ?? 0) > 0 {
            kpis.append([.text(t("col.unmetChecks") + t("list.colon") + t("reason.\(r.rawValue)")), .integer(k.unmetByReason[r]!)])
        }
        for (d, u) in k.utilization {
            kpis.append([.text(t("kpi.utilization", labels.departmentName(d))), .number(WorkbookExporter.round(u, 4))])
        }
        out.append(Table(name: unique(t("sheet.kpis")), columns: ["kpi", "value"], rows: kpis, widths: [0: 34, 1: 30]))

        // Bottleneck.
        let b = Bottleneck(scenario: scenario, plan: plan)
        out.append(Table(name: unique(t("sheet.bottleneck")),
                         columns: ["department", "departmentName", "unmetChecks", "unmetWeighted", "slotsUsed", "slotsAvailable",
                                   "slotUse", "minutesUsed", "minutesAvailable", "minuteUse", "extraInspectorDays"],
                         rows: b.departments.map { d in
                             [.text(d.department), name(labels.departmentName(d.department), d.department), .integer(d.unmetChecks),
                              .number(d.unmetWeight), .integer(d.slotsUsed), .integer(d.slotsAvailable), .number(WorkbookExporter.round(d.slotUse, 4)),
                              .integer(d.minutesUsed), .integer(d.minutesAvailable), .number(WorkbookExporter.round(d.minuteUse, 4)),
                              .integer(d.extraInspectorDays)]
                         }))

        // All visits.
        let visits = Labels.chronological(plan.visits)
        out.append(Table(name: unique(t("sheet.visits")),
                         columns: ["visit", "date", "start", "end", "minutes", "town", "townName", "enterprise", "enterpriseName",
                                   "address", "tier", "departmentNames", "teamNames", "itemCount", "joint"],
                         rows: visits.map { v in
                             let town = labels.town(ofEnterprise: v.enterprise)
                             let departments = labels.departments(of: v)
                             return [.text(v.id), WorkbookExporter.date(v.date), .text(ClockTime.format(v.start)), .text(ClockTime.format(v.end)),
                                     .integer(v.minutes), .text(town), .text(town.isEmpty ? "" : labels.townName(town)), .text(v.enterprise),
                                     .text(labels.enterpriseName(v.enterprise)), .text(scenario.enterprise(v.enterprise)?.address ?? ""),
                                     .text(scenario.enterprise(v.enterprise)?.tier.rawValue ?? ""),
                                     .text(departments.map(labels.departmentName).joined(separator: t("list.separator"))),
                                     .text(v.inspectors.map(labels.inspectorWithDepartment).joined(separator: t("list.separator"))),
                                     .integer(v.checks.count), .text(t(departments.count >= 2 ? "yes" : "no"))]
                         }))

        let remote = plan.remoteChecks.sorted { ($0.date, $0.enterprise, $0.item, $0.occurrence) < ($1.date, $1.enterprise, $1.item, $1.occurrence) }
        // Every remote check (非现场检查) on a sheet of its own.
        out.append(Table(name: unique(t("sheet.remote")),
                         columns: ["date", "townName", "enterprise", "enterpriseName", "item", "itemName", "occurrence", "departmentName",
                                   "inspector", "inspectorName", "minutes"],
                         rows: remote.map { r in
                             let dept = labels.department(ofItem: r.item)
                             return [WorkbookExporter.date(r.date), .text(labels.townName(labels.town(ofEnterprise: r.enterprise))),
                                     .text(r.enterprise), .text(labels.enterpriseName(r.enterprise)), .text(r.item), .text(labels.itemName(r.item)),
                                     .integer(r.occurrence), .text(dept.isEmpty ? "" : labels.departmentName(dept)), .text(r.inspector),
                                     .text(labels.inspectorName(r.inspector)), .integer(scenario.item(r.item)?.remoteMinutes ?? 0)]
                         }))

        // One sheet per department: the checks of its items (and the visits its inspectors are on).
        for d in scenario.departments {
            var rows: [[Cell]] = []
            for v in visits {
                for c in labels.orderedChecks(of: v) where labels.department(ofItem: c.item) == d.id {
                    rows.append([.text(v.id), WorkbookExporter.date(v.date), .text(ClockTime.format(v.start)), .text(ClockTime.format(v.end)),
                                 .text(labels.townName(labels.town(ofEnterprise: v.enterprise))), .text(v.enterprise),
                                 .text(labels.enterpriseName(v.enterprise)), .text(c.item), .text(labels.itemName(c.item)),
                                 .integer(c.occurrence), .text(labels.inspectorName(c.inspector)),
                                 .text(v.inspectors.map(labels.inspectorWithDepartment).joined(separator: t("list.separator")))])
                }
            }
            // Its remote checks too (issue 24: a department doing only remote checks had an
            // empty sheet): no visit, no time, the inspector who does it.
            for r in remote where labels.department(ofItem: r.item) == d.id {
                rows.append([.text(t("sheet.remoteMark")), WorkbookExporter.date(r.date), .empty, .empty,
                             .text(labels.townName(labels.town(ofEnterprise: r.enterprise))), .text(r.enterprise),
                             .text(labels.enterpriseName(r.enterprise)), .text(r.item), .text(labels.itemName(r.item)),
                             .integer(r.occurrence), .text(labels.inspectorName(r.inspector)), .text(labels.inspectorWithDepartment(r.inspector))])
            }
            out.append(Table(name: unique(t("sheet.department", labels.departmentName(d.id))),
                             columns: ["visit", "date", "start", "end", "townName", "enterprise", "enterpriseName", "item", "itemName",
                                       "occurrence", "inspectorName", "teamNames"], rows: rows))
        }

        // Unmet checks with reasons.
        let unmet = plan.unmet.sorted { ($0.enterprise, $0.item, $0.occurrence) < ($1.enterprise, $1.item, $1.occurrence) }
        out.append(Table(name: unique(t("sheet.unmet")),
                         columns: ["enterprise", "enterpriseName", "townName", "tier", "weight", "item", "itemName", "departmentName",
                                   "occurrence", "reason", "reasonText"],
                         rows: unmet.map { u in
                             let e = scenario.enterprise(u.enterprise)
                             let dept = labels.department(ofItem: u.item)
                             return [.text(u.enterprise), .text(labels.enterpriseName(u.enterprise)),
                                     .text(labels.townName(labels.town(ofEnterprise: u.enterprise))), .text(e?.tier.rawValue ?? ""),
                                     .number(e.map { scenario.policy.unmetWeight[$0.tier] } ?? 0), .text(u.item), .text(labels.itemName(u.item)),
                                     .text(dept.isEmpty ? "" : labels.departmentName(dept)), .integer(u.occurrence),
                                     .text(u.reason.rawValue), .text(t("reason.\(u.reason.rawValue)"))]
                         }))

        // Per-inspector days.
        let calendar = WorkCalendar(scenario.horizon)
        var days: [String: [Day: (visits: [Visit], remote: Int, remoteMinutes: Int)]] = [:]
        for v in plan.visits { for p in v.inspectors { days[p, default: [:]][v.date, default: ([], 0, 0)].visits.append(v) } }
        for r in plan.remoteChecks {
            days[r.inspector, default: [:]][r.date, default: ([], 0, 0)].remote += 1
            days[r.inspector, default: [:]][r.date, default: ([], 0, 0)].remoteMinutes += scenario.item(r.item)?.remoteMinutes ?? 0
        }
        let minutes = evaluation.inspectorDayMinutes(plan)
        var inspectorRows: [[Cell]] = []
        let order = scenario.inspectors.map(\.id) + Array(Set(days.keys).subtracting(scenario.inspectors.map(\.id))).sorted()
        for p in order {
            guard let byDay = days[p] else { continue }
            for d in byDay.keys.sorted() {
                let x = byDay[d]!
                let total = minutes[p]?[d] ?? 0
                let onsite = x.visits.reduce(0) { $0 + $1.minutes }
                let dept = labels.department(ofInspector: p)
                inspectorRows.append([.text(p), .text(labels.inspectorName(p)), .text(dept.isEmpty ? "" : labels.departmentName(dept)),
                                      WorkbookExporter.date(d), .integer(x.visits.count), .integer(x.remote),
                                      .integer(onsite), .integer(total - onsite - x.remoteMinutes), .integer(x.remoteMinutes),
                                      .integer(total), .integer(calendar.workingMinutes - total)])
            }
        }
        out.append(Table(name: unique(t("sheet.inspectorDays")),
                         columns: ["inspector", "inspectorName", "departmentName", "date", "visits", "remoteChecks", "minutes",
                                   "travel", "remoteMinutes", "dayMinutes", "free"], rows: inspectorRows))
        return out
    }
}
