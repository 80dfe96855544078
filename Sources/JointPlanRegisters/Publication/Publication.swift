import Foundation
import JointPlan
import Spreadsheet

/// 一公开 (issue 23): what the office publishes of a quarter's 双随机 checks.
///
/// - `draw-list.html` / `.xlsx` — 抽查名单: every enterprise the random draw selected, by name,
///   with the items, departments and month planned, the seed, and how anyone re-derives the
///   draw from it, and, under rule 11, each drawn enterprise's public order of inspectors per
///   department (`TeamDraw.order`);
/// - `results.html` / `.xlsx` — 抽查结果公示: per check done, the enterprise, the item, the
///   result and its note, the date, and the publication deadline (20 working days after the
///   check on the scenario's working-day calendar); then the checks not done and why.
///
/// Nothing private goes out: no phone number, mail, recusal list or address; inspectors appear
/// only by name and id in rule 11's public order of the draw list.
/// The pages carry their own style and no script or remote resource, so they open offline.
public struct Publication: Sendable {
    public struct File: Sendable {
        public var name: String
        /// The bytes of an HTML page; nil for a workbook (written by `write(to:)`).
        public var html: Data?
    }

    /// One drawn (enterprise, item) pair of the draw list.
    public struct DrawRow: Sendable, Equatable {
        public var enterprise: String, name: String, town: String, tier: String
        public var item: String, itemName: String, department: String
        /// `2026-02` for each planned check (on site or remote), `未排入` when the plan left it unmet.
        public var months: [String]
        /// The enterprise's random number u as a decimal in [0, 1), as printed.
        public var u: String
    }

    /// Rule 11's public random order (随机选派) of one department's inspectors for one drawn
    /// enterprise: every inspector of the department, smallest ticket first (`TeamDraw.order`).
    public struct OrderRow: Sendable, Equatable {
        public var enterprise: String, name: String, department: String, departmentId: String
        /// `张伟（P004）` in the order of the draw.
        public var inspectors: [String]
    }

    /// One check of the results page.
    public struct ResultRow: Sendable, Equatable {
        public var visit: String, enterprise: String, name: String, item: String, itemName: String, department: String
        public var result: String, note: String
        public var date: Day
        public var deadline: Day
    }

    /// A required check not done, and why.
    public struct NotDoneRow: Sendable, Equatable {
        public var enterprise: String, name: String, item: String, itemName: String, department: String
        public var plannedDate: String
        public var why: String
    }

    public let scenario: Scenario
    public let plan: Plan
    public let actuals: Actuals?
    public private(set) var draw: [DrawRow] = []
    /// Under rule 11 (not `inspectorDispatch: "optimised"`): each drawn enterprise's order of
    /// inspectors for each department of its drawn items; empty otherwise.
    public private(set) var orders: [OrderRow] = []
    public private(set) var results: [ResultRow] = []
    public private(set) var notDone: [NotDoneRow] = []
    /// Checks left blank on the sheet: taken as done as planned, with no result to publish yet.
    public private(set) var unreported = 0
    /// Working days between a check and its publication deadline (公示期限).
    public static let workingDaysToPublish = 20

    public init(scenario: Scenario, plan: Plan, actuals: Actuals?, holidays: HolidayCalendar = .bundled) {
        self.scenario = scenario
        self.plan = plan
        self.actuals = actuals
        let duties = Duties(scenario: scenario, seed: plan.seed)
        var months: [String: [String]] = [:]
        func key(_ e: String, _ i: String) -> String { e + "\u{1}" + i }
        for v in plan.visits { for c in v.checks { months[key(v.enterprise, c.item), default: []].append(Self.month(v.date)) } }
        for r in plan.remoteChecks { months[key(r.enterprise, r.item), default: []].append(Self.month(r.date) + " 非现场") }
        for u in plan.unmet { months[key(u.enterprise, u.item), default: []].append("未排入") }
        for d in duties.duties where d.drawn {
            let e = scenario.enterprises[d.enterprise], it = scenario.items[d.item]
            let u = scenario.policy.sampling == .coordinated
                ? Draw.randomNumber(seed: plan.seed, enterprise: e.id)
                : Draw.randomNumber(seed: plan.seed, item: it.id, enterprise: e.id)
            draw.append(DrawRow(enterprise: e.id, name: e.name, town: scenario.town(e.town)?.name ?? e.town, tier: e.tier.rawValue,
                                item: it.id, itemName: it.name, department: Self.departmentName(scenario, it.department),
                                months: Array(Set(months[key(e.id, it.id)] ?? [])).sorted(), u: String(format: "%.6f", Draw.unit(u))))
        }
        draw.sort { ($0.enterprise, $0.item) < ($1.enterprise, $1.item) }
        if scenario.policy.inspectorDispatch == .random {
            // The public order anyone re-derives from the seed (spec 3.1 rule 11): names and
            // ids only — no phone, mail or recusal.
            let teams = TeamDraw(scenario, WorkCalendar(scenario.horizon), seed: plan.seed)
            var departments: [Int: Set<Int>] = [:]
            for d in duties.duties where d.drawn {
                if let dep = scenario.departmentIndex[scenario.items[d.item].department] { departments[d.enterprise, default: []].insert(dep) }
            }
            for e in departments.keys.sorted(by: { scenario.enterprises[$0].id < scenario.enterprises[$1].id }) {
                for dep in departments[e]!.sorted(by: { scenario.departments[$0].id < scenario.departments[$1].id }) {
                    orders.append(OrderRow(enterprise: scenario.enterprises[e].id, name: scenario.enterprises[e].name,
                                           department: Self.departmentName(scenario, scenario.departments[dep].id),
                                           departmentId: scenario.departments[dep].id,
                                           inspectors: teams.order(enterprise: e, department: dep).map {
                                               let p = scenario.inspectors[$0]
                                               return p.name.isEmpty ? p.id : "\(p.name)（\(p.id)）"
                                           }))
                }
            }
        }

        let working = Self.workingDays(scenario.horizon, holidays: holidays)
        if let actuals {
            for (k, e) in actuals.entries.sorted(by: { $0.key < $1.key }) {
                let it = scenario.item(k.item)
                let name = scenario.enterprise(k.enterprise)?.name ?? ""
                let dept = it.map { Self.departmentName(scenario, $0.department) } ?? ""
                switch e.status {
                case .notReported where e.result == nil:
                    // Taken as done as planned (as everywhere actuals are used), but there is no
                    // result to publish yet: counted, not listed.
                    unreported += 1
                case .done(let d), .notReported(let d):
                    results.append(ResultRow(visit: e.visit ?? "非现场", enterprise: k.enterprise, name: name, item: k.item,
                                             itemName: it?.name ?? k.item, department: dept,
                                             result: e.result?.rawValue ?? "未填报", note: e.note, date: d,
                                             deadline: working(d, Self.workingDaysToPublish)))
                case .notDone(let reason):
                    notDone.append(NotDoneRow(enterprise: k.enterprise, name: name, item: k.item, itemName: it?.name ?? k.item,
                                              department: dept, plannedDate: e.plannedDate.description, why: "未完成：" + reason))
                }
            }
            results.sort { ($0.date, $0.visit, $0.item) < ($1.date, $1.visit, $1.item) }
        }
        for u in plan.unmet {
            let it = scenario.item(u.item)
            notDone.append(NotDoneRow(enterprise: u.enterprise, name: scenario.enterprise(u.enterprise)?.name ?? "", item: u.item,
                                      itemName: it?.name ?? u.item, department: it.map { Self.departmentName(scenario, $0.department) } ?? "",
                                      plannedDate: "", why: "未排入计划：" + Self.reasonText(u.reason)))
        }
    }

    static func month(_ d: Day) -> String { String(d.description.prefix(7)) }

    static func departmentName(_ s: Scenario, _ id: String) -> String { s.department(id)?.name ?? id }

    static func reasonText(_ r: UnmetReason) -> String { Catalogue(.zh)("reason.\(r.rawValue)") }

    /// `(day, n)` → the n-th working day after `day`: the scenario's calendar inside its horizon
    /// (its weekdays, holidays and make-up days); after the horizon, the same weekdays with the
    /// State Council's holidays where they are known (`HolidayCalendar`).
    static func workingDays(_ h: Horizon, holidays: HolidayCalendar) -> (Day, Int) -> Day {
        return { day, n in
            var d = day
            var left = n
            while left > 0 {
                d = d + 1
                if isWorking(d, h, holidays) { left -= 1 }
            }
            return d
        }
    }

    static func isWorking(_ d: Day, _ h: Horizon, _ holidays: HolidayCalendar) -> Bool {
        if d >= h.start && d <= h.end {
            if h.extraWorkdays.contains(where: { $0.start <= d && d <= $0.end }) { return true }
            if h.holidays.contains(where: { $0.start <= d && d <= $0.end }) { return false }
            return h.workdays.contains(d.isoWeekday)
        }
        if let y = holidays.years[d.civil.year] {
            if y.extraWorkdays.contains(d) { return true }
            if y.holidays.contains(where: { $0.start <= d && d <= $0.end }) { return false }
        }
        return h.workdays.contains(d.isoWeekday)
    }

    // MARK: - Pages

    /// How anyone re-derives the draw and the teams from the published seed (spec 2.1, 3.1 rule 11).
    var method: [String] {
        let coordinated = scenario.policy.sampling == .coordinated
        var lines = [
            "随机种子（seed）：\(plan.seed)。",
            coordinated
                ? "每家企业的随机数 u = SHA-256(\"{seed}|{企业编号}\") 的前 8 个字节（大端）÷ 2^64（协调抽样：同一企业各事项共用一个随机数）。"
                : "每家企业每个事项的随机数 u = SHA-256(\"{seed}|{事项编号}|{企业编号}\") 的前 8 个字节（大端）÷ 2^64。",
            "对每个事项和信用等级：N 为适用该事项的该等级企业数，抽取 n = floor(r × N + 0.5) 家（r 为抽查比例，按十进制精确计算），取 u 最小的 n 家，u 相同时按企业编号排序。",
        ]
        do {
            // Spec 3.1 rule 11 (unless policy.inspectorDispatch is "optimised").
            lines.append("执法人员随机选派：执法人员 P 对企业 E 的签号 t = SHA-256(\"{seed}|{E}|{P}\") 的前 8 个字节 ÷ 2^64，按 t 从小到大排序；按检查日期、开始时间、检查编号依次为每次检查从各部门取排序在前、持证、当日有空且无需回避的执法人员（policy.inspectorDispatch 为 \"optimised\" 时不适用）。")
        }
        lines.append("任何人可用上述种子和公开的企业、事项名录复核本名单。")
        return lines
    }

    public var drawListHTML: Data {
        var rows = ""
        for r in draw {
            rows += "<tr><td>\(esc(r.enterprise))</td><td>\(esc(r.name))</td><td>\(esc(r.town))</td><td>\(esc(r.tier))</td><td>\(esc(r.itemName))</td><td>\(esc(r.department))</td><td>\(esc(r.months.joined(separator: "、")))</td><td class=n>\(r.u)</td></tr>\n"
        }
        var groups = ""
        for g in Duties(scenario: scenario, seed: plan.seed).groups {
            groups += "<tr><td>\(esc(scenario.item(g.item)?.name ?? g.item))</td><td>\(g.tier.rawValue)</td><td class=n>\(esc(g.rate.description))</td><td class=n>\(g.population)</td><td class=n>\(g.size)</td></tr>\n"
        }
        var orderRows = ""
        for o in orders {
            let list = o.inspectors.enumerated().map { "\($0.offset + 1). \(esc($0.element))" }.joined(separator: "　")
            orderRows += "<tr><td>\(esc(o.enterprise))</td><td>\(esc(o.name))</td><td>\(esc(o.department))</td><td class=o>\(list)</td></tr>\n"
        }
        let orderSection = scenario.policy.inspectorDispatch == .random
            ? """
              <h2 id=orders>执法人员随机顺序（随机选派）</h2>
              <p class=meta>每家抽中企业、每个检查部门的全部执法人员按签号 t 从小到大排列；每次检查从该部门取排在前面、持证、当日有空且无需回避的执法人员（见“如何复核”）。</p>
              <table><thead><tr><th>企业编号</th><th>企业名称</th><th>检查部门</th><th>执法人员顺序</th></tr></thead><tbody>
              \(orderRows)</tbody></table>
              """
            : "<p class=meta>本计划为重点监管，执法人员由计划指派（policy.inspectorDispatch 为 \"optimised\"），不随机选派。</p>"
        let body = """
            <h1>双随机抽查名单</h1>
            <p class=meta>\(esc(scenario.name))　计划期 \(scenario.horizon.start) 至 \(scenario.horizon.end)　随机种子 \(plan.seed)　共抽中 \(Set(draw.map(\.enterprise)).count) 家企业、\(draw.count) 项检查\(orders.isEmpty ? "" : "　<a href=#orders>执法人员随机顺序</a>")</p>
            <table><thead><tr><th>企业编号</th><th>企业名称</th><th>所在街道</th><th>信用等级</th><th>检查事项</th><th>检查部门</th><th>计划月份</th><th>随机数 u</th></tr></thead>
            <tbody>
            \(rows)</tbody></table>
            \(orderSection)
            <h2>抽取规模</h2>
            <table><thead><tr><th>检查事项</th><th>信用等级</th><th>抽查比例</th><th>企业数 N</th><th>抽取数 n</th></tr></thead><tbody>
            \(groups)</tbody></table>
            <h2>如何复核</h2>
            <ol>\(method.map { "<li>\(esc($0))</li>" }.joined())</ol>
            """
        return Self.page(title: "双随机抽查名单", body: body)
    }

    public var resultsHTML: Data {
        var rows = ""
        for r in results {
            rows += "<tr><td>\(esc(r.visit))</td><td>\(esc(r.name))</td><td>\(esc(r.itemName))</td><td>\(esc(r.department))</td><td>\(r.date)</td><td class=r>\(esc(r.result))</td><td>\(esc(r.note))</td><td>\(r.deadline)</td></tr>\n"
        }
        var missing = ""
        for r in notDone {
            missing += "<tr><td>\(esc(r.name))</td><td>\(esc(r.itemName))</td><td>\(esc(r.department))</td><td>\(esc(r.plannedDate))</td><td>\(esc(r.why))</td></tr>\n"
        }
        let done = actuals == nil
            ? "<p>尚无实际执行记录（用 --actuals 给出填好的实际执行表）。</p>"
            : """
              <table><thead><tr><th>检查编号</th><th>企业名称</th><th>检查事项</th><th>检查部门</th><th>检查日期</th><th>检查结果</th><th>结果说明</th><th>公示截止</th></tr></thead><tbody>
              \(rows)</tbody></table>
              """
        let body = """
            <h1>双随机抽查结果公示</h1>
            <p class=meta>\(esc(scenario.name))　随机种子 \(plan.seed)　已公示检查结果 \(results.count) 项，未完成 \(notDone.count) 项\(unreported > 0 ? "，另有 \(unreported) 项按计划完成、结果尚未报送（报送后公示）" : "")。检查结果自检查之日起 \(Self.workingDaysToPublish) 个工作日内公示（按本计划的工作日历）。</p>
            \(done)
            <h2>未完成的检查及原因</h2>
            \(notDone.isEmpty ? "<p>无。</p>" : """
            <table><thead><tr><th>企业名称</th><th>检查事项</th><th>检查部门</th><th>计划日期</th><th>原因</th></tr></thead><tbody>
            \(missing)</tbody></table>
            """)
            """
        return Self.page(title: "双随机抽查结果公示", body: body)
    }

    static func page(title: String, body: String) -> Data {
        Data("""
            <!DOCTYPE html>
            <html lang="zh-CN"><head><meta charset="utf-8"><title>\(esc(title))</title>
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <style>
            body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif;margin:2em;color:#222}
            h1{font-size:1.6em;border-bottom:2px solid #b22;padding-bottom:.3em}
            h2{font-size:1.2em;margin-top:1.6em}
            .meta{color:#555}
            table{border-collapse:collapse;width:100%;font-size:.92em}
            th,td{border:1px solid #bbb;padding:.3em .5em;text-align:left;vertical-align:top}
            th{background:#f3e9e9}
            td.n{text-align:right;font-variant-numeric:tabular-nums}
            td.r{font-weight:bold}
            td.o{font-size:.9em;line-height:1.5}
            tr:nth-child(even) td{background:#fafafa}
            @media print{body{margin:0}}
            </style></head><body>
            \(body)
            </body></html>

            """.utf8)
    }

    // MARK: - Workbooks

    public func writeDrawList(to path: String) throws {
        let wb = try WorkbookWriter(path: path)
        let sheet = try wb.sheet("抽查名单")
        try sheet.header(["企业编号", "企业名称", "所在街道", "信用等级", "检查事项", "检查部门", "计划月份", "随机数u"])
        for (i, r) in draw.enumerated() {
            try sheet.write(row: i + 1, [.text(r.enterprise), .text(r.name), .text(r.town), .text(r.tier), .text(r.itemName),
                                         .text(r.department), .text(r.months.joined(separator: "、")), .text(r.u)])
        }
        for (c, w) in [10.0, 28, 14, 8, 22, 18, 16, 10].enumerated() { try sheet.columnWidth(c, w) }
        sheet.freeze(row: 1)
        if scenario.policy.inspectorDispatch == .random {
            let order = try wb.sheet("执法人员顺序")
            try order.header(["企业编号", "企业名称", "检查部门", "执法人员顺序"])
            for (i, o) in orders.enumerated() {
                try order.write(row: i + 1, [.text(o.enterprise), .text(o.name), .text(o.department),
                                             .text(o.inspectors.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: "、"))])
            }
            for (c, w) in [10.0, 28, 18, 120].enumerated() { try order.columnWidth(c, w) }
            order.freeze(row: 1)
        }
        let how = try wb.sheet("复核方法")
        try how.header(["说明"])
        for (i, l) in method.enumerated() { try how.write(row: i + 1, [.text(l)], style: .wrap) }
        try how.columnWidth(0, 110)
        try wb.close()
    }

    public func writeResults(to path: String) throws {
        let wb = try WorkbookWriter(path: path)
        let sheet = try wb.sheet("抽查结果")
        try sheet.header(["检查编号", "企业编号", "企业名称", "检查事项", "检查部门", "检查日期", "检查结果", "结果说明", "公示截止"])
        func date(_ d: Day) -> WorkbookWriter.Cell { let c = d.civil; return .date(year: c.year, month: c.month, day: c.day) }
        for (i, r) in results.enumerated() {
            try sheet.write(row: i + 1, [.text(r.visit), .text(r.enterprise), .text(r.name), .text(r.itemName), .text(r.department),
                                         date(r.date), .text(r.result), .text(r.note), date(r.deadline)])
        }
        for (c, w) in [10.0, 10, 28, 22, 18, 11, 12, 30, 11].enumerated() { try sheet.columnWidth(c, w) }
        sheet.freeze(row: 1)
        let missing = try wb.sheet("未完成")
        try missing.header(["企业编号", "企业名称", "检查事项", "检查部门", "计划日期", "原因"])
        for (i, r) in notDone.enumerated() {
            try missing.write(row: i + 1, [.text(r.enterprise), .text(r.name), .text(r.itemName), .text(r.department),
                                           .text(r.plannedDate), .text(r.why)])
        }
        try wb.close()
    }

    /// Writes the four files into `directory` (created if missing); returns their paths.
    @discardableResult
    public func write(to directory: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        func path(_ n: String) -> String { (directory as NSString).appendingPathComponent(n) }
        try OutputFile.write(drawListHTML, to: path("draw-list.html"), createFolders: true)
        try OutputFile.write(resultsHTML, to: path("results.html"), createFolders: true)
        try writeDrawList(to: path("draw-list.xlsx"))
        try writeResults(to: path("results.xlsx"))
        return ["draw-list.html", "draw-list.xlsx", "results.html", "results.xlsx"].map(path)
    }
}

private func esc(_ s: String) -> String {
    var out = ""
    for c in s {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(c)
        }
    }
    return out
}
