import Foundation
import JointPlan
import Spreadsheet

/// Writes a scenario as the office's registers: one sheet per register with Chinese headers,
/// drop-down lists for tiers, departments, towns and yes/no columns, frozen header rows and
/// filters, and a notes sheet saying what every column means (issue 13, item 1).
///
/// `write(document:to:)` writes a filled workbook from a valid scenario (`template --from`);
/// `blank(quarter:holidays:)` is the small example district a blank template carries — one
/// example row per sheet, consistent, so importing an untouched template already validates.
public enum RegisterTemplate {
    /// Rows below the data that still get drop-down lists, for the office to add to.
    static let spareRows = 1000

    /// Writes through `OutputFile` (issue 25): libxlsxwriter makes the workbook at a
    /// temporary path, then it replaces `path` atomically (a link followed, a FIFO or device
    /// written through), so a failure half-way leaves the office's filled workbook intact.
    public static func write(document: JSON, to path: String) throws {
        try OutputFile.write(to: path) { temporary in try build(document: document, at: temporary) }
    }

    static func build(document: JSON, at path: String) throws {
        guard let top = document.objectValue else { throw RegisterError("the scenario is not a JSON object") }
        let wb = try WorkbookWriter(path: path)
        let towns = top["towns"]?.arrayValue ?? []
        let departments = top["departments"]?.arrayValue ?? []

        // Enterprises and their last checks.
        let enterprises = top["enterprises"]?.arrayValue ?? []
        var lastChecked: [[WorkbookWriter.Cell]] = []
        let ent = try table(wb, RegisterLayout.enterprises, rows: enterprises.map { e in
            for (item, d) in e["lastChecked"]?.objectValue?.pairs ?? [] {
                lastChecked.append([text(e["id"]), .text(item), date(d)])
            }
            return [text(e["id"]), text(e["name"]), text(e["town"]), list(e["categories"]), text(e["tier"]),
                    yesNo(e["whitelisted"]), text(e["address"]), list(e["blackout"]), number(e["onsiteVisitsThisYear"]),
                    text(e["extensions"]?["contact"])]
        })
        try ent.dropDown(.formula(range(RegisterLayout.towns, count: towns.count)), firstRow: 1, column: 2, lastRow: enterprises.count + spareRows)
        try ent.dropDown(.values(Tier.allCases.map(\.rawValue)), firstRow: 1, column: 4, lastRow: enterprises.count + spareRows)
        try ent.dropDown(.values(["是", "否"]), firstRow: 1, column: 5, lastRow: enterprises.count + spareRows)
        let last = try table(wb, RegisterLayout.lastChecked, rows: lastChecked)
        try last.dropDown(.formula(range(RegisterLayout.enterprises, count: enterprises.count)), firstRow: 1, column: 0, lastRow: lastChecked.count + spareRows)
        try last.dropDown(.formula(range(RegisterLayout.items, count: top["items"]?.arrayValue?.count ?? 0)), firstRow: 1, column: 1, lastRow: lastChecked.count + spareRows)

        let inspectors = top["inspectors"]?.arrayValue ?? []
        let ins = try table(wb, RegisterLayout.inspectors, rows: inspectors.map { p in
            [text(p["id"]), text(p["name"]), text(p["department"]), yesNo(p["certified"]), list(p["unavailable"]),
             number(p["maxVisitsPerDay"]), list(p["recusals"]), text(p["extensions"]?["email"])]
        })
        try ins.dropDown(.formula(range(RegisterLayout.departments, count: departments.count)), firstRow: 1, column: 2, lastRow: inspectors.count + spareRows)
        try ins.dropDown(.values(["是", "否"]), firstRow: 1, column: 3, lastRow: inspectors.count + spareRows)

        let items = top["items"]?.arrayValue ?? []
        let its = try table(wb, RegisterLayout.items, rows: items.map { i in
            let freq = i["frequency"]?.objectValue
            func f(_ t: String) -> WorkbookWriter.Cell {
                guard let o = freq?[t]?.objectValue else { return .empty }
                if let c = o["count"] { return number(c) }
                if let r = o["sampleRate"] { return number(r) }
                return .empty
            }
            return [text(i["id"]), text(i["name"]), text(i["department"]), list(i["categories"]), number(i["minutes"]),
                    yesNo(i["remote"]?["allowed"]), number(i["remote"]?["minutes"]), yesNo(i["delegable"]),
                    f("A"), f("B"), f("C"), f("D"), number(i["minSpacingDays"]), materials(i["extensions"]?["materials"])]
        })
        try its.dropDown(.formula(range(RegisterLayout.departments, count: departments.count)), firstRow: 1, column: 2, lastRow: items.count + spareRows)
        for c in [5, 7] { try its.dropDown(.values(["是", "否"]), firstRow: 1, column: c, lastRow: items.count + spareRows) }

        _ = try table(wb, RegisterLayout.departments, rows: departments.map { [text($0["id"]), text($0["name"]), text($0["extensions"]?["contact"])] })
        _ = try table(wb, RegisterLayout.towns, rows: towns.map { [text($0["id"]), text($0["name"])] })

        // The travel matrix: row = the town the value is written on, column = the other town.
        let ids = towns.compactMap { $0["id"]?.stringValue }
        let matrix = try wb.sheet(RegisterLayout.travel.zh)
        try matrix.header([RegisterLayout.travel.columns[0].zh] + ids)
        for (r, t) in towns.enumerated() {
            try matrix.write(text(t["id"]), row: r + 1, column: 0, style: .header)
            let travel = t["travel"]?.objectValue
            var others = Set(travel?.keys ?? [])
            for (c, other) in ids.enumerated() {
                if let v = travel?[other] { try matrix.write(number(v), row: r + 1, column: c + 1); others.remove(other) }
            }
            // Travel to a town the scenario does not list (the validator reports it) keeps its own column.
            _ = others
        }
        matrix.freeze(row: 1, column: 1)
        try matrix.columnWidth(0, 12)

        // The calendar and the policy: one row per setting.
        let h = top["horizon"]?.objectValue ?? JSONObject()
        let cal = RegisterLayout.calendar
        try keyValue(wb, cal, values: [
            "name": text(top["name"]), "start": date(h["start"]), "end": date(h["end"]),
            "workdays": list(h["workdays"] ?? .array((1...5).map { .int($0) })),
            "holidays": list(h["holidays"]), "extraWorkdays": list(h["extraWorkdays"]),
            "dayStart": text(h["dayStart"] ?? .string("09:00")), "dayEnd": text(h["dayEnd"] ?? .string("17:30")),
            "breaks": .text((h["breaks"]?.arrayValue ?? []).compactMap { b in
                guard let s = b["start"]?.stringValue, let e = b["end"]?.stringValue else { return nil }
                return s + "-" + e
            }.joined(separator: "、")),
            "timezone": text(h["timezone"] ?? .string("Asia/Shanghai")),
            "extensions.noticeIssuer": text(top["extensions"]?["noticeIssuer"]),
            "extensions.noticeContact": text(top["extensions"]?["noticeContact"]),
        ])
        let p = top["policy"]?.objectValue ?? JSONObject()
        var policyValues: [String: WorkbookWriter.Cell] = [:]
        for c in RegisterLayout.policy.columns {
            let parts = c.key.split(separator: ".").map(String.init)
            let v = parts.count == 2 ? p[parts[0]]?[parts[1]] : p[c.key]
            let value = v ?? ScenarioDefaults.policy[c.key]
            switch c.kind {
            case .sampling: policyValues[c.key] = .text(value?.stringValue == "independent" ? "独立" : "协同")
            case .dispatch: policyValues[c.key] = .text(value?.stringValue == "optimised" ? "优化指派" : "随机选派")
            case .seed:
                if let lit = value?.intValue, lit < 1 << 53 { policyValues[c.key] = .integer(lit) } else { policyValues[c.key] = text(value) }
            default: policyValues[c.key] = number(value)
            }
        }
        try keyValue(wb, RegisterLayout.policy, values: policyValues)

        let pins = top["pinned"]?.arrayValue ?? []
        let pin = try table(wb, RegisterLayout.pinned, rows: pins.map { x in
            [text(x["enterprise"]), date(x["date"]), text(x["start"]), list(x["inspectors"]), list(x["items"])]
        })
        try pin.dropDown(.formula(range(RegisterLayout.enterprises, count: enterprises.count)), firstRow: 1, column: 0, lastRow: pins.count + spareRows)

        try notes(wb)
        try wb.close()
    }

    // MARK: sheets

    private static func table(_ wb: WorkbookWriter, _ spec: SheetSpec, rows: [[WorkbookWriter.Cell]]) throws -> WorkbookWriter.Sheet {
        let sheet = try wb.sheet(spec.zh)
        try sheet.header(spec.columns.map(\.zh))
        for (r, cells) in rows.enumerated() { try sheet.write(row: r + 1, cells) }
        for (c, col) in spec.columns.enumerated() {
            try sheet.columnWidth(c, col.kind == .text || col.kind == .list || col.kind == .dateList ? 24 : max(10, Double(col.zh.count) * 2.2))
        }
        sheet.freeze(row: 1)
        try sheet.autofilter(firstRow: 0, firstColumn: 0, lastRow: max(1, rows.count), lastColumn: spec.columns.count - 1)
        return sheet
    }

    private static func keyValue(_ wb: WorkbookWriter, _ spec: SheetSpec, values: [String: WorkbookWriter.Cell]) throws {
        let sheet = try wb.sheet(spec.zh)
        try sheet.header([RegisterLayout.keyHeader.zh, RegisterLayout.valueHeader.zh, RegisterLayout.noteHeader])
        for (r, c) in spec.columns.enumerated() {
            try sheet.write(.text(c.zh), row: r + 1, column: 0, style: .header)
            try sheet.write(values[c.key] ?? .empty, row: r + 1, column: 1)
            try sheet.write(.text(c.note + "（\(c.key)）"), row: r + 1, column: 2)
        }
        if let row = spec.columns.firstIndex(where: { $0.kind == .sampling }) {
            try sheet.dropDown(.values(["协同", "独立"]), firstRow: row + 1, column: 1, lastRow: row + 1)
        }
        if let row = spec.columns.firstIndex(where: { $0.kind == .dispatch }) {
            try sheet.dropDown(.values(["随机选派", "优化指派"]), firstRow: row + 1, column: 1, lastRow: row + 1)
        }
        try sheet.columnWidth(0, 26)
        try sheet.columnWidth(1, 40)
        try sheet.columnWidth(2, 70)
        sheet.freeze(row: 1)
    }

    private static func notes(_ wb: WorkbookWriter) throws {
        let sheet = try wb.sheet(RegisterLayout.notes.zh)
        try sheet.header(["工作表", "列", "英文别名", "说明"])
        var r = 1
        let general = [
            "每张表第一行为表头，可用中文或英文别名；以“备注”开头的列导入时忽略。其余未知的列名会报错。",
            "示例行可直接改写；导入时每个问题按“表 第N行 列名”列出，全部改正后才会写出计划方案（或用 --force）。",
            "列表用“、”“,”或“;”分隔；日期可为日期单元格或 2026-02-09、2026/2/9、2026年2月9日；区间用“/”或“至”；是/否也可写 Y/N、√/×。",
        ]
        for g in general { try sheet.write(row: r, [.text("（全部）"), .empty, .empty, .text(g)]); r += 1 }
        for spec in RegisterLayout.sheets where spec.shape != .notes {
            try sheet.write(row: r, [.text(spec.zh), .empty, .text(spec.key), .text(spec.note)], style: .header); r += 1
            for c in spec.columns {
                try sheet.write(row: r, [.text(spec.zh), .text(c.zh), .text(c.key), .text((c.required ? "（必填）" : "") + c.note)], style: .wrap)
                r += 1
            }
        }
        try sheet.columnWidth(0, 12)
        try sheet.columnWidth(1, 22)
        try sheet.columnWidth(2, 26)
        try sheet.columnWidth(3, 90)
        sheet.freeze(row: 1)
    }

    /// `='街道'!$A$2:$A$N` — the id column of a sheet, with room for the office to add rows.
    static func range(_ spec: SheetSpec, count: Int) -> String {
        "='\(spec.zh)'!$A$2:$A$\(count + spareRows + 1)"
    }

    // MARK: cells

    /// `extensions.materials`: a string or a list of strings, as one 、-separated cell.
    static func materials(_ v: JSON?) -> WorkbookWriter.Cell {
        if case .array(let a)? = v { return .text(a.compactMap(\.stringValue).joined(separator: "、")) }
        return text(v)
    }

    static func text(_ v: JSON?) -> WorkbookWriter.Cell {
        switch v {
        case .string(let s)?: return .text(s)
        case .number(let n)?: return .text(n)
        case .bool(let b)?: return .text(b ? "是" : "否")
        default: return .empty
        }
    }

    static func number(_ v: JSON?) -> WorkbookWriter.Cell {
        guard let v else { return .empty }
        if let i = v.intValue { return .integer(i) }
        if let d = v.doubleValue { return .number(d) }
        return text(v)
    }

    static func yesNo(_ v: JSON?) -> WorkbookWriter.Cell {
        guard let b = v?.boolValue else { return text(v) }
        return .text(b ? "是" : "否")
    }

    static func date(_ v: JSON?) -> WorkbookWriter.Cell {
        guard let s = v?.stringValue, let d = Day(s) else { return text(v) }
        let c = d.civil
        return .date(year: c.year, month: c.month, day: c.day)
    }

    static func list(_ v: JSON?) -> WorkbookWriter.Cell {
        guard let a = v?.arrayValue else { return text(v) }
        return .text(a.map { e -> String in
            switch e {
            case .string(let s): return s
            case .number(let n): return n
            default: return JSONWriter.compact(e)
            }
        }.joined(separator: "、"))
    }
}

/// A failure of a register command that is not a problem of a cell (a file that cannot be read).
public struct RegisterError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension RegisterTemplate {
    /// The example district a blank template carries: one row per register, consistent, on
    /// the quarter's official working-day calendar (when the calendar has the year).
    public static func example(quarter: Quarter, calendar: HolidayCalendar = .bundled) -> JSON {
        var h = Horizon(start: quarter.start, end: quarter.end)
        let days = calendar.days(from: quarter.start, to: quarter.end)
        h.holidays = days?.holidays ?? []
        h.extraWorkdays = (days?.extraWorkdays ?? []).map { DateSpan($0, $0) }
        let working = WorkCalendar(h).days
        let pinDay = working.isEmpty ? quarter.start : working[min(working.count - 1, 10)]
        let leave = working.isEmpty ? quarter.start : working[min(working.count - 1, 20)]
        let text = """
        {"format": "jointplan.scenario/1", "name": "示例区 \(quarter) 联合检查",
         "horizon": {"start": "\(quarter.start)", "end": "\(quarter.end)", "workdays": [1, 2, 3, 4, 5],
                     "holidays": [\(h.holidays.map { "\"\($0)\"" }.joined(separator: ", "))],
                     "extraWorkdays": [\(h.extraWorkdays.map { "\"\($0)\"" }.joined(separator: ", "))],
                     "dayStart": "08:30", "dayEnd": "17:30", "breaks": [{"start": "12:00", "end": "14:00"}],
                     "timezone": "Asia/Shanghai"},
         "towns": [{"id": "T01", "name": "新兴街道"}],
         "departments": [{"id": "SCJG", "name": "区市场监督管理局"}],
         "inspectors": [{"id": "P001", "name": "张伟", "department": "SCJG", "unavailable": ["\(leave)"]},
                        {"id": "P002", "name": "李娜", "department": "SCJG", "maxVisitsPerDay": 3}],
         "items": [{"id": "food-safety", "name": "餐饮食品安全", "department": "SCJG", "categories": ["restaurant"],
                    "minutes": 25, "frequency": {"A": {"sampleRate": 0.05}, "B": {"sampleRate": 0.15}, "C": {"count": 1}, "D": {"count": 2}},
                    "minSpacingDays": 30}],
         "enterprises": [{"id": "E00001", "name": "某某餐饮有限公司", "town": "T01", "categories": ["restaurant"], "tier": "C",
                          "address": "新兴街道建设路12号", "lastChecked": {"food-safety": "\(quarter.start - 40)"}}],
         "policy": {"minInspectorsPerVisit": 2, "visitBaseMinutes": 10, "maxVisitsPerDay": 4,
                    "travelWithinTownMinutes": 15, "travelBetweenTownsMinutes": 40,
                    "maxOnsiteVisits": {"A": 1, "B": 1, "C": 2, "D": 3}, "whitelistMaxOnsiteVisitsPerYear": 1,
                    "unmetWeight": {"A": 1, "B": 2, "C": 4, "D": 8}, "sampling": "coordinated",
                    "seed": \(QuarterSeed.seed(for: quarter))},
         "pinned": [{"enterprise": "E00001", "date": "\(pinDay)", "start": "09:30", "inspectors": ["P001"], "items": ["food-safety"]}]}
        """
        return try! JSONParser.parse(Data(text.utf8))
    }
}
