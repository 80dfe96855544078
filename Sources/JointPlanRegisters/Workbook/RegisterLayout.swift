import Foundation

/// How a cell of a register is read and written.
enum ColumnKind: Sendable, Equatable {
    case id, text, reference, list, tier, bool, integer, number, date, dateList, time, timeSpans, weekdays, frequency, sampling, dispatch, seed
}

/// One column of a register: its Chinese header, its English alias (the JSON key it fills),
/// other names an office may use, what it means, and how its cells are read.
struct ColumnSpec: Sendable {
    let zh: String
    let key: String
    var aliases: [String] = []
    let kind: ColumnKind
    var required = false
    let note: String

    func matches(_ header: String) -> Bool {
        let h = RegisterLayout.fold(header)
        return h == RegisterLayout.fold(zh) || h == RegisterLayout.fold(key) || aliases.contains { RegisterLayout.fold($0) == h }
    }
}

/// One sheet of the workbook (or one CSV file of a folder).
struct SheetSpec: Sendable {
    enum Shape: Sendable { case table, keyValue, matrix, notes }
    let zh: String
    let key: String
    var aliases: [String] = []
    let shape: Shape
    var required = false
    var columns: [ColumnSpec] = []
    let note: String

    func matches(_ name: String) -> Bool {
        let n = RegisterLayout.fold(name)
        return n == RegisterLayout.fold(zh) || n == RegisterLayout.fold(key) || aliases.contains { RegisterLayout.fold($0) == n }
    }

    func column(_ key: String) -> ColumnSpec { columns.first { $0.key == key }! }
}

/// The workbook format of the office's registers (a file format, like the scenario's keys):
/// sheet and column names in Chinese, with the English aliases the import also accepts.
///
/// The names are not translated with `--lang`: a workbook written in one language must import
/// in the other, so they live here and not in the string catalogue.
enum RegisterLayout {
    /// Case, width (full-width letters), spaces and a trailing `(…)` unit are ignored when a
    /// header or sheet name is matched: `所属部门`, `所属部门（编号）` and `Department` are one column.
    static func fold(_ s: String) -> String {
        var scalars = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            if u.value >= 0xFF01 && u.value <= 0xFF5E, let h = Unicode.Scalar(u.value - 0xFEE0) { scalars.append(h) }
            else if u.value == 0x3000 { scalars.append(" ") }
            else { scalars.append(u) }
        }
        var t = String(scalars)
        if let open = t.firstIndex(where: { $0 == "(" }), t.hasSuffix(")"), open != t.startIndex { t = String(t[..<open]) }
        return t.lowercased().filter { !$0.isWhitespace && $0 != "_" && $0 != "-" && $0 != "*" }
    }

    static let enterprises = SheetSpec(zh: "检查对象", key: "enterprises", aliases: ["检查对象名录库", "企业", "企业名录"], shape: .table, required: true, columns: [
        ColumnSpec(zh: "企业编号", key: "id", aliases: ["编号", "统一社会信用代码"], kind: .id, required: true, note: "唯一编号，其他表按它引用。"),
        ColumnSpec(zh: "企业名称", key: "name", aliases: ["名称"], kind: .text, note: "企业全称。"),
        ColumnSpec(zh: "所属街道", key: "town", aliases: ["街道", "乡镇街道"], kind: .reference, required: true, note: "“街道”表中的街道编号（下拉选择）。"),
        ColumnSpec(zh: "行业类别", key: "categories", aliases: ["类别", "行业"], kind: .list, note: "一个或多个类别，用“、”“,”或“;”分隔；检查事项按类别适用。"),
        ColumnSpec(zh: "信用风险等级", key: "tier", aliases: ["风险等级", "等级", "信用等级"], kind: .tier, required: true, note: "A（低风险）、B、C、D（高风险），可写“A类”“A级”。"),
        ColumnSpec(zh: "白名单", key: "whitelisted", aliases: ["是否白名单"], kind: .bool, note: "是/否；白名单企业本年现场检查次数受“参数”表限制。空为否。"),
        ColumnSpec(zh: "地址", key: "address", aliases: ["经营地址"], kind: .text, note: "检查组前往的地址（日历与告知书使用）。"),
        ColumnSpec(zh: "无事不扰期", key: "blackout", aliases: ["免扰期"], kind: .dateList, note: "不得现场检查的日期或区间，如 2026-01-20/2026-01-31，多个用“、”分隔。"),
        ColumnSpec(zh: "本年已现场检查次数", key: "onsiteVisitsThisYear", aliases: ["本年现场检查次数"], kind: .integer, note: "本季度之前本年已进行的现场检查次数，空为 0。"),
        ColumnSpec(zh: "联系人", key: "extensions.contact", aliases: ["企业联系人", "联系方式", "contact"], kind: .text, note: "企业的联系人及电话，印在检查通知书上（extensions.contact）。"),
    ], note: "检查对象名录库：每行一家企业。")

    static let lastChecked = SheetSpec(zh: "上次检查", key: "lastChecked", aliases: ["上次检查日期", "检查记录"], shape: .table, columns: [
        ColumnSpec(zh: "企业编号", key: "enterprise", aliases: ["企业"], kind: .reference, required: true, note: "“检查对象”表中的企业编号。"),
        ColumnSpec(zh: "检查事项", key: "item", aliases: ["事项编号", "事项"], kind: .reference, required: true, note: "“检查事项”表中的事项编号。"),
        ColumnSpec(zh: "上次检查日期", key: "date", aliases: ["日期"], kind: .date, required: true, note: "本季度之前最近一次检查的日期（间隔天数从它算起）。"),
    ], note: "每行一家企业的一个事项最近一次检查的日期。")

    static let inspectors = SheetSpec(zh: "执法人员", key: "inspectors", aliases: ["执法人员名录库", "人员"], shape: .table, required: true, columns: [
        ColumnSpec(zh: "执法人员编号", key: "id", aliases: ["编号", "执法证号"], kind: .id, required: true, note: "唯一编号。"),
        ColumnSpec(zh: "姓名", key: "name", kind: .text, note: "姓名。"),
        ColumnSpec(zh: "所属部门", key: "department", aliases: ["部门"], kind: .reference, required: true, note: "“执法部门”表中的部门编号（下拉选择）。"),
        ColumnSpec(zh: "持证", key: "certified", aliases: ["是否持证", "持证上岗"], kind: .bool, note: "是/否；只有持证人员可以参加检查。空为是。"),
        ColumnSpec(zh: "请假日期", key: "unavailable", aliases: ["不可用日期", "休假"], kind: .dateList, note: "请假、外派等不能检查的日期或区间，多个用“、”分隔。"),
        ColumnSpec(zh: "每日最多检查次数", key: "maxVisitsPerDay", aliases: ["每日上限"], kind: .integer, note: "空为“参数”表的统一值。"),
        ColumnSpec(zh: "回避企业", key: "recusals", aliases: ["回避"], kind: .list, note: "须回避的企业编号，多个用“、”分隔。"),
        ColumnSpec(zh: "邮箱", key: "extensions.email", aliases: ["电子邮箱", "email", "mail"], kind: .text, note: "日历邀请的收件地址（ATTENDEE），可空（extensions.email）。"),
    ], note: "执法人员名录库：每行一名执法人员。")

    static let items = SheetSpec(zh: "检查事项", key: "items", aliases: ["抽查事项清单", "事项", "事项清单"], shape: .table, required: true, columns: [
        ColumnSpec(zh: "事项编号", key: "id", aliases: ["编号"], kind: .id, required: true, note: "唯一编号。"),
        ColumnSpec(zh: "事项名称", key: "name", aliases: ["名称"], kind: .text, note: "检查事项名称。"),
        ColumnSpec(zh: "所属部门", key: "department", aliases: ["部门"], kind: .reference, required: true, note: "负责的部门编号（下拉选择）。"),
        ColumnSpec(zh: "适用行业", key: "categories", aliases: ["适用类别", "类别"], kind: .list, note: "适用的行业类别，多个用“、”分隔。"),
        ColumnSpec(zh: "现场检查分钟", key: "minutes", aliases: ["分钟", "检查分钟"], kind: .integer, required: true, note: "现场检查该事项所需分钟数（大于 0）。"),
        ColumnSpec(zh: "可非现场", key: "remote", aliases: ["可远程", "非现场监管"], kind: .bool, note: "是/否：可否由本部门人员非现场检查。空为否。"),
        ColumnSpec(zh: "非现场分钟", key: "remoteMinutes", aliases: ["远程分钟"], kind: .integer, note: "非现场检查所需分钟数。"),
        ColumnSpec(zh: "可委托", key: "delegable", aliases: ["可委托检查"], kind: .bool, note: "是/否：可否由检查组中任一持证人员代为检查。空为否。"),
        ColumnSpec(zh: "A类频次", key: "A", aliases: ["A"], kind: .frequency, note: "A 类企业的频次：整数为本季度检查次数（如 1、2次），小于 1 的小数或百分数为抽查比例（如 0.05、5%）；空为不检查。"),
        ColumnSpec(zh: "B类频次", key: "B", aliases: ["B"], kind: .frequency, note: "同上，B 类企业。"),
        ColumnSpec(zh: "C类频次", key: "C", aliases: ["C"], kind: .frequency, note: "同上，C 类企业。"),
        ColumnSpec(zh: "D类频次", key: "D", aliases: ["D"], kind: .frequency, note: "同上，D 类企业。"),
        ColumnSpec(zh: "最小间隔天数", key: "minSpacingDays", aliases: ["间隔天数"], kind: .integer, note: "同一企业两次检查该事项至少相隔的天数（也从上次检查日期算起），空为 0。"),
        ColumnSpec(zh: "需准备的材料", key: "extensions.materials", aliases: ["准备材料", "材料", "materials"], kind: .list, note: "企业需准备的材料，多个用“、”分隔，印在检查通知书上；空为通用说明（extensions.materials）。"),
    ], note: "抽查事项清单：每行一个部门的一个检查事项，频次按信用风险等级填写。")

    static let departments = SheetSpec(zh: "执法部门", key: "departments", aliases: ["部门"], shape: .table, required: true, columns: [
        ColumnSpec(zh: "部门编号", key: "id", aliases: ["编号"], kind: .id, required: true, note: "唯一编号（如 SCJG）。"),
        ColumnSpec(zh: "部门名称", key: "name", aliases: ["名称"], kind: .text, note: "部门全称。"),
        ColumnSpec(zh: "联系方式", key: "extensions.contact", aliases: ["联系人", "contact"], kind: .text, note: "企业就检查联系本部门的人及电话，印在检查通知书上（extensions.contact）。"),
    ], note: "参加联合检查的执法部门。")

    static let towns = SheetSpec(zh: "街道", key: "towns", aliases: ["街道乡镇", "乡镇"], shape: .table, required: true, columns: [
        ColumnSpec(zh: "街道编号", key: "id", aliases: ["编号"], kind: .id, required: true, note: "唯一编号。"),
        ColumnSpec(zh: "街道名称", key: "name", aliases: ["名称"], kind: .text, note: "街道或乡镇名称。"),
    ], note: "街道与乡镇；相互之间的路程分钟见“路程时间”表。")

    static let travel = SheetSpec(zh: "路程时间", key: "travel", aliases: ["路程", "路程矩阵"], shape: .matrix, columns: [
        ColumnSpec(zh: "出发街道", key: "from", aliases: ["街道编号"], kind: .reference, required: true, note: "第一列为街道编号，第一行为目的街道编号；格中为分钟。两处都填时取较小值，空格用“参数”表的跨街道路程分钟。"),
    ], note: "街道之间的路程分钟（矩阵）。")

    static let calendar = SheetSpec(zh: "日历", key: "calendar", aliases: ["工作日历", "检查周期", "horizon"], shape: .keyValue, required: true, columns: [
        ColumnSpec(zh: "计划名称", key: "name", aliases: ["名称"], kind: .text, note: "本计划的名称。"),
        ColumnSpec(zh: "开始日期", key: "start", kind: .date, required: true, note: "计划期第一天。"),
        ColumnSpec(zh: "结束日期", key: "end", kind: .date, required: true, note: "计划期最后一天（含）。"),
        ColumnSpec(zh: "工作日", key: "workdays", aliases: ["每周工作日"], kind: .weekdays, note: "每周工作的星期（1=周一 … 7=周日），如 1-5 或 1、2、3、4、5。"),
        ColumnSpec(zh: "节假日", key: "holidays", aliases: ["法定节假日"], kind: .dateList, note: "放假的日期或区间，多个用“、”分隔。"),
        ColumnSpec(zh: "调休上班日", key: "extraWorkdays", aliases: ["调休"], kind: .dateList, note: "周末调休上班的日期。"),
        ColumnSpec(zh: "每日开始", key: "dayStart", aliases: ["上班时间"], kind: .time, note: "检查最早开始时间 HH:MM。"),
        ColumnSpec(zh: "每日结束", key: "dayEnd", aliases: ["下班时间"], kind: .time, note: "检查最晚结束时间 HH:MM。"),
        ColumnSpec(zh: "休息时段", key: "breaks", aliases: ["午休"], kind: .timeSpans, note: "不安排检查的时段，如 12:00-14:00，多个用“、”分隔。"),
        ColumnSpec(zh: "时区", key: "timezone", kind: .text, note: "日历导出的时区，空为 Asia/Shanghai。"),
        ColumnSpec(zh: "发文单位", key: "extensions.noticeIssuer", aliases: ["签发单位", "noticeIssuer"], kind: .text, note: "检查通知书的落款单位（盖章处），也是日历的组织者（extensions.noticeIssuer）。"),
        ColumnSpec(zh: "通知联系方式", key: "extensions.noticeContact", aliases: ["办公室联系方式", "noticeContact"], kind: .text, note: "印在每份检查通知书上的办公室联系方式（extensions.noticeContact）。"),
    ], note: "计划期与工作日历：每行一个项目，值填在“值”列。")

    static let policy = SheetSpec(zh: "参数", key: "policy", aliases: ["检查规则", "规则"], shape: .keyValue, columns: [
        ColumnSpec(zh: "每次检查最少人数", key: "minInspectorsPerVisit", kind: .integer, note: "每次现场检查执法人员不得少于的人数。"),
        ColumnSpec(zh: "每次检查基础分钟", key: "visitBaseMinutes", kind: .integer, note: "每次现场检查的固定用时（出示证件、说明、签字）。"),
        ColumnSpec(zh: "每人每日最多检查次数", key: "maxVisitsPerDay", kind: .integer, note: "人员表未填时的统一值。"),
        ColumnSpec(zh: "同街道路程分钟", key: "travelWithinTownMinutes", kind: .integer, note: "同一街道内两次检查之间的路程。"),
        ColumnSpec(zh: "跨街道路程分钟", key: "travelBetweenTownsMinutes", kind: .integer, note: "“路程时间”表未填时的跨街道路程。"),
        ColumnSpec(zh: "A类现场检查上限", key: "maxOnsiteVisits.A", kind: .integer, note: "本计划期对一家 A 类企业的现场检查次数上限。"),
        ColumnSpec(zh: "B类现场检查上限", key: "maxOnsiteVisits.B", kind: .integer, note: "同上，B 类。"),
        ColumnSpec(zh: "C类现场检查上限", key: "maxOnsiteVisits.C", kind: .integer, note: "同上，C 类。"),
        ColumnSpec(zh: "D类现场检查上限", key: "maxOnsiteVisits.D", kind: .integer, note: "同上，D 类。"),
        ColumnSpec(zh: "白名单每年现场检查上限", key: "whitelistMaxOnsiteVisitsPerYear", kind: .integer, note: "白名单企业全年现场检查次数上限。"),
        ColumnSpec(zh: "A类未完成权重", key: "unmetWeight.A", kind: .number, note: "A 类企业一项检查未完成的权重。"),
        ColumnSpec(zh: "B类未完成权重", key: "unmetWeight.B", kind: .number, note: "同上，B 类。"),
        ColumnSpec(zh: "C类未完成权重", key: "unmetWeight.C", kind: .number, note: "同上，C 类。"),
        ColumnSpec(zh: "D类未完成权重", key: "unmetWeight.D", kind: .number, note: "同上，D 类。"),
        ColumnSpec(zh: "抽样方式", key: "sampling", kind: .sampling, note: "协同（coordinated，各部门抽中对象尽量重合）或 独立（independent）。"),
        ColumnSpec(zh: "检查人员选派", key: "inspectorDispatch", aliases: ["人员选派", "选派方式"], kind: .dispatch, note: "随机选派（random，按公开种子从执法人员名录库随机抽取检查人员，双随机）或 优化指派（optimised，重点监管时由计划指定）。"),
        ColumnSpec(zh: "随机种子", key: "seed", aliases: ["种子"], kind: .seed, note: "公开的随机种子（非负整数），抽取结果可据此复核。"),
    ], note: "检查规则参数：每行一个参数。")

    static let pinned = SheetSpec(zh: "预约检查", key: "pinned", aliases: ["预约"], shape: .table, columns: [
        ColumnSpec(zh: "企业编号", key: "enterprise", aliases: ["企业"], kind: .reference, required: true, note: "已与企业约定检查的企业编号。"),
        ColumnSpec(zh: "日期", key: "date", kind: .date, required: true, note: "约定日期。"),
        ColumnSpec(zh: "开始时间", key: "start", kind: .time, note: "约定开始时间 HH:MM，空为当天任意时间。"),
        ColumnSpec(zh: "执法人员", key: "inspectors", aliases: ["人员"], kind: .list, note: "必须参加的执法人员编号，多个用“、”分隔。"),
        ColumnSpec(zh: "检查事项", key: "items", aliases: ["事项"], kind: .list, note: "必须检查的事项编号，多个用“、”分隔。"),
    ], note: "已与企业约定的检查（预约）。")

    static let notes = SheetSpec(zh: "填写说明", key: "notes", aliases: ["说明"], shape: .notes, note: "本表说明每一列的含义，导入时忽略。")

    /// Every sheet in workbook order.
    static let sheets: [SheetSpec] = [enterprises, lastChecked, inspectors, items, departments, towns, travel, calendar, policy, pinned, notes]

    /// Headers that start with one of these are the office's own columns and are ignored.
    static let ignoredHeaderPrefixes = ["备注", "note", "remark", "#"]

    static let keyHeader = ColumnSpec(zh: "项目", key: "key", aliases: ["参数", "名称"], kind: .text, note: "")
    static let valueHeader = ColumnSpec(zh: "值", key: "value", aliases: ["取值", "内容"], kind: .text, note: "")
    static let noteHeader = "说明"
}
