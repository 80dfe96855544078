import Foundation
import JointPlan
import Spreadsheet

/// The sheet departments fill in after the quarter's visits (`export … --actuals FILE.xlsx`):
/// one row per planned check, on site or remote, with 完成情况 (已完成 / 未完成 / 改期完成),
/// 实际日期 and 未完成原因 to fill; read back by `jointplan actuals`, `replan --actuals` and
/// `rollover --actuals`.
public enum ActualsSheet {
    public static let sheetName = "实际执行"
    static let columns = ["计划检查编号", "计划日期", "开始", "企业编号", "企业名称", "检查事项", "事项名称", "次序", "部门", "执法人员", "方式",
                          "完成情况", "实际日期", "未完成原因", "处理结果", "结果说明"]
    static let aliases: [String: [String]] = [
        "企业编号": ["enterprise"], "检查事项": ["item"], "次序": ["occurrence"], "完成情况": ["status"],
        "实际日期": ["date", "actualDate"], "未完成原因": ["reason"], "处理结果": ["result"], "结果说明": ["note"],
        "计划检查编号": ["visit"],
    ]
    static let statusValues = ["已完成", "未完成", "改期完成"]

    /// Written through `OutputFile`, as the template is: the old file stays whole on failure.
    public static func write(scenario: Scenario, plan: Plan, to path: String) throws {
        try OutputFile.write(to: path) { temporary in try build(scenario: scenario, plan: plan, at: temporary) }
    }

    static func build(scenario: Scenario, plan: Plan, at path: String) throws {
        let wb = try WorkbookWriter(path: path)
        let sheet = try wb.sheet(sheetName)
        try sheet.header(columns)
        var r = 1
        func dept(_ item: String) -> String {
            scenario.item(item).flatMap { scenario.department($0.department)?.name ?? $0.department } ?? ""
        }
        func date(_ d: Day) -> WorkbookWriter.Cell { let c = d.civil; return .date(year: c.year, month: c.month, day: c.day) }
        for v in plan.visits {
            for c in v.checks.sorted(by: { ($0.item, $0.occurrence) < ($1.item, $1.occurrence) }) {
                let inspector = scenario.inspector(c.inspector).map { "\($0.id) \($0.name)" } ?? c.inspector
                try sheet.write(row: r, [.text(v.id), date(v.date), .text(ClockTime.format(v.start)), .text(v.enterprise),
                                         .text(scenario.enterprise(v.enterprise)?.name ?? ""), .text(c.item), .text(scenario.item(c.item)?.name ?? ""),
                                         .integer(c.occurrence), .text(dept(c.item)), .text(inspector), .text("现场")])
                r += 1
            }
        }
        for rc in plan.remoteChecks {
            let inspector = scenario.inspector(rc.inspector).map { "\($0.id) \($0.name)" } ?? rc.inspector
            try sheet.write(row: r, [.text("非现场"), date(rc.date), .empty, .text(rc.enterprise), .text(scenario.enterprise(rc.enterprise)?.name ?? ""),
                                     .text(rc.item), .text(scenario.item(rc.item)?.name ?? ""), .integer(rc.occurrence), .text(dept(rc.item)),
                                     .text(inspector), .text("非现场")])
            r += 1
        }
        try sheet.dropDown(.values(statusValues), firstRow: 1, column: 11, lastRow: max(1, r - 1))
        try sheet.dropDown(.values(Actuals.CheckResult.allCases.map(\.rawValue)), firstRow: 1, column: 14, lastRow: max(1, r - 1))
        for (c, w) in [10.0, 11, 7, 10, 24, 18, 20, 5, 16, 14, 7, 10, 11, 24, 12, 30].enumerated() { try sheet.columnWidth(c, w) }
        sheet.freeze(row: 1, column: 4)
        try sheet.autofilter(firstRow: 0, firstColumn: 0, lastRow: max(1, r - 1), lastColumn: columns.count - 1)
        let notes = try wb.sheet("填写说明")
        try notes.header(["列", "说明"])
        let lines = [
            ("完成情况", "已完成：按计划日期完成；改期完成：在“实际日期”完成；未完成：未检查，请填写“未完成原因”。留空视为按计划完成（只需填写例外）。"),
            ("实际日期", "改期完成时必填；已完成时可不填（即计划日期）。"),
            ("未完成原因", "未完成时填写，如 企业停业、人员调离。"),
            ("处理结果", "已完成或改期完成时填写：未发现问题、责令整改、立案查处、不予处罚 或 其他（用于抽查结果公示）。"),
            ("结果说明", "处理结果的文字说明，随结果公示（不要填写个人隐私信息）。"),
            ("其余各列", "计划内容，请勿修改；按 企业编号+检查事项+次序 对应计划中的一项检查。"),
        ]
        for (i, l) in lines.enumerated() { try notes.write(row: i + 1, [.text(l.0), .text(l.1)], style: .wrap) }
        try notes.columnWidth(0, 14)
        try notes.columnWidth(1, 90)
        try wb.close()
    }

    /// Reads a filled sheet against its plan; every problem by row and column.
    public static func read(path: String, plan: Plan, horizon: DateSpan? = nil, language: Language = .en) throws -> (actuals: Actuals, problems: [RegisterProblem]) {
        let t = Catalogue(language)
        let wb = try WorkbookReader.open(path, t)
        guard let name = wb.sheetNames.first(where: { $0 == sheetName || $0.lowercased() == "actuals" }) ?? wb.sheetNames.first,
              let sheet = wb.sheet(name) else { throw RegisterError("\(path): no sheet \(sheetName)") }
        let result = read(RegisterSheet(name: sheet.name, rows: sheet.rows), plan: plan, horizon: horizon, language: language)
        // A cell of the sheet read that could not be read as typed is a problem of the sheet
        // (the other sheets are not actuals).
        let unread = wb.problems.filter { $0.sheet == sheet.name }.map { $0.registerProblem(t) }
        return (result.actuals, unread + result.problems)
    }

    /// Every row is checked and every problem reported (nothing is taken unless the whole sheet
    /// is valid: the callers record nothing when `problems` is not empty). `horizon`: the
    /// plan's quarter; a date outside it is a problem.
    public static func read(_ sheet: RegisterSheet, plan: Plan, horizon: DateSpan? = nil, language: Language = .en) -> (actuals: Actuals, problems: [RegisterProblem]) {
        let t = Catalogue(language)
        var actuals = Actuals(plan: plan)
        var problems: [RegisterProblem] = []
        let head = (sheet.rows.first ?? []).map(RegisterImport.plain)
        func col(_ name: String) -> Int? {
            head.firstIndex { h in RegisterLayout.fold(h) == RegisterLayout.fold(name) || (aliases[name] ?? []).contains { RegisterLayout.fold($0) == RegisterLayout.fold(h) } }
        }
        let required = ["企业编号", "检查事项", "次序", "完成情况", "实际日期", "未完成原因"]
        var at: [String: Int] = [:]
        for name in required {
            if let c = col(name) { at[name] = c } else {
                problems.append(RegisterProblem(location: RegisterLocation(sheet: sheet.name, column: name), path: nil, message: t("registers.missingColumn")))
            }
        }
        guard problems.isEmpty else { return (actuals, problems) }
        // Optional columns (sheets written before issue 23 have no result).
        for name in ["计划检查编号", "处理结果", "结果说明"] { if let c = col(name) { at[name] = c } }
        let visitIds = Set(plan.visits.map(\.id))
        var seen: Set<Actuals.Key> = []
        for present in sheet.rows.present where present.index > 0 {
            let r = present.index, cells = present.row
            func cell(_ name: String) -> WorkbookReader.Cell { at[name].map { cells[$0] } ?? .empty }
            func loc(_ name: String) -> RegisterLocation { RegisterLocation(sheet: sheet.name, row: r + 1, column: name) }
            func report(_ name: String, _ m: String) { problems.append(RegisterProblem(location: loc(name), path: nil, message: m)) }
            let ent = RegisterImport.plain(cell("企业编号")), item = RegisterImport.plain(cell("检查事项"))
            if ent.isEmpty && item.isEmpty { continue }
            guard let occText = CellText.integer(cell("次序")), let occ = Int(occText) else {
                report("次序", t("registers.bad.integer", JSONWriter.quote(RegisterImport.plain(cell("次序"))))); continue
            }
            let key = Actuals.Key(enterprise: ent, item: item, occurrence: occ)
            guard let planned = actuals.entries[key] else {
                report("检查事项", t("registers.actuals.notPlanned", ent, item, occ)); continue
            }
            guard seen.insert(key).inserted else { report("检查事项", t("registers.actuals.twice", ent, item, occ)); continue }
            let statusText = RegisterImport.plain(cell("完成情况"))
            let dateCell = cell("实际日期")
            var date: Day?
            if RegisterImport.plain(dateCell) != "" {
                guard let d = CellText.date(dateCell).flatMap(Day.init) else {
                    report("实际日期", t("registers.bad.date", JSONWriter.quote(RegisterImport.plain(dateCell)))); continue
                }
                date = d
            }
            // The visit column, when filled, must name the plan's visit of this check.
            let visitText = RegisterImport.plain(cell("计划检查编号"))
            var rowOK = true
            if !visitText.isEmpty && visitText != "非现场" {
                if !visitIds.contains(visitText) {
                    report("计划检查编号", t("actuals.visit.notPlanned", JSONWriter.quote(visitText))); rowOK = false
                } else if planned.visit != visitText {
                    report("计划检查编号", t("actuals.visit.mismatch", ent, item, occ, planned.visit ?? "非现场", visitText)); rowOK = false
                }
            }
            if let d = date, let h = horizon, d < h.start || d > h.end {
                report("实际日期", t("actuals.date.outside", d, h)); rowOK = false
            }
            let resultText = RegisterImport.plain(cell("处理结果"))
            let note = RegisterImport.plain(cell("结果说明"))
            var result: Actuals.CheckResult?
            if !resultText.isEmpty {
                result = Actuals.CheckResult(text: CellText.halfWidth(resultText))
                if result == nil {
                    report("处理结果", t("actuals.result.bad", Actuals.CheckResult.allCases.map(\.rawValue).joined(separator: "、"), JSONWriter.quote(resultText)))
                    rowOK = false
                }
            }
            let reason = RegisterImport.plain(cell("未完成原因"))
            switch status(statusText) {
            case .some(true):
                if date == nil && isMoved(statusText) { report("实际日期", t("actuals.moved.noDate")); continue }
                guard rowOK else { continue }
                actuals.entries[key]!.status = .done(date ?? planned.plannedDate)
            case .some(false):
                if date != nil { report("实际日期", t("registers.actuals.dateWhenNotDone")); continue }
                if result != nil { report("处理结果", t("actuals.result.whenNotDone")); continue }
                guard rowOK else { continue }
                actuals.entries[key]!.status = .notDone(reason: reason.isEmpty ? "未注明" : reason)
            case .none:
                if statusText.isEmpty {
                    guard rowOK else { continue }
                    if let date { actuals.entries[key]!.status = .done(date) }
                    else if !reason.isEmpty { actuals.entries[key]!.status = .notDone(reason: reason) }
                } else {
                    report("完成情况", t("registers.actuals.badStatus", JSONWriter.quote(statusText)))
                    continue
                }
            }
            actuals.entries[key]!.result = result
            actuals.entries[key]!.note = note
        }
        return (actuals, problems)
    }

    /// 改期完成 (done on another date), which needs the date.
    static func isMoved(_ s: String) -> Bool {
        ["改期完成", "moved"].contains(CellText.halfWidth(s).lowercased())
    }

    /// 已完成 / 改期完成 → done; 未完成 → not done; nil for blank or unknown.
    static func status(_ s: String) -> Bool? {
        switch CellText.halfWidth(s).lowercased() {
        case "已完成", "完成", "改期完成", "已检查", "done", "moved", "是", "√", "y", "yes": return true
        case "未完成", "未检查", "not done", "notdone", "否", "×", "n", "no": return false
        default: return nil
        }
    }
}
