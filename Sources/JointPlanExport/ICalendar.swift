import Crypto
import Foundation
import JointPlan

/// Whose calendar a file is: one `.ics` per inspector, department, town or enterprise.
public enum CalendarGrouping: String, CaseIterable, Sendable {
    /// The visits the inspector is on, and the inspector's remote checks.
    case inspector
    /// The visits with a team member of the department or a check of one of its items, and
    /// the remote checks of its items.
    case department
    /// The visits to the town's enterprises.
    case town
    /// The visits to one enterprise, written as its advance notice (检查预告).
    case enterprise
}

/// One exported calendar file.
public struct ICalendarFile: Sendable {
    public var grouping: CalendarGrouping
    /// The inspector, department, town or enterprise id.
    public var key: String
    /// A file name safe on every file system: `inspector-P001.ics`.
    public var fileName: String
    /// X-WR-CALNAME, the name calendar programs show.
    public var title: String
    /// The whole VCALENDAR, CRLF line ends, folded.
    public var text: String
    /// The UIDs of the events, in file order.
    public var uids: [String]
    public var data: Data { Data(text.utf8) }
}

/// Writes a plan as iCalendar files (RFC 5545; spec 4, Exports; conventions.md, Calendars)
/// that inspectors, departments, towns and enterprises import into Outlook, Google or a phone.
///
/// Each file is a VCALENDAR (VERSION 2.0, PRODID, CALSCALE GREGORIAN, METHOD PUBLISH,
/// X-WR-CALNAME) with a VTIMEZONE for the horizon's time zone and one VEVENT per visit:
/// UID from `EventUID`, DTSTAMP in UTC (`now`), DTSTART/DTEND with the TZID, SUMMARY
/// (enterprise + 联合检查 or 现场检查 + the departments), LOCATION (the town), DESCRIPTION
/// (team, items and who checks them; for an enterprise the advance notice instead), CATEGORIES
/// (the departments). Teams go in DESCRIPTION, not ATTENDEE: this is a published calendar, not
/// an invitation.
///
/// Remote checks (非现场监管) have a date but no time of day (spec 3, remoteChecks), so in the
/// inspector and department calendars each is an all-day VEVENT (DTSTART;VALUE=DATE, DTEND the
/// next day, TRANSP:TRANSPARENT so it does not block the day). VTODO was not chosen: Google
/// Calendar and most phone calendars ignore VTODO. Town and enterprise calendars hold on-site
/// visits only: nobody comes for a remote check.
///
/// A calendar is written only for a key with at least one event.
public struct ICalendarExporter: Sendable {
    public let scenario: Scenario
    public let plan: Plan
    /// DTSTAMP of every event: when the file was written (fixed in tests).
    public let now: Date
    public static let productID = "-//jointplan//jointplan 1.0//ZH"

    private let labels: Labels
    private let timeZone: ICalendarTimeZone
    private let visitUIDs: [String: String]
    private let remoteUIDs: [Int: String]

    /// Throws `ExportError.unknownTimeZone` when `horizon.timezone` is not a known zone.
    public init(scenario: Scenario, plan: Plan, now: Date = Date()) throws {
        self.scenario = scenario
        self.plan = plan
        self.now = now
        labels = Labels(scenario: scenario)
        let dates = plan.visits.map(\.date) + plan.remoteChecks.map(\.date)
        let first = min(scenario.horizon.start, dates.min() ?? scenario.horizon.start)
        let last = max(scenario.horizon.end, dates.max() ?? scenario.horizon.end)
        timeZone = try ICalendarTimeZone(identifier: scenario.horizon.timezone, from: first, through: last)
        visitUIDs = EventUID.visitUIDs(scenario: scenario.name, plan: plan)
        var remote: [Int: String] = [:]
        var seen: [String: Int] = [:]
        for (k, r) in plan.remoteChecks.enumerated() {
            let base = EventUID.remote(scenario: scenario.name, check: r)
            let n = (seen[base] ?? 0) + 1
            seen[base] = n
            remote[k] = n == 1 ? base : base.replacingOccurrences(of: "@", with: "-\(n)@")
        }
        remoteUIDs = remote
    }

    /// The UID of a visit's events (the same in every calendar that shows the visit).
    public func uid(ofVisit id: String) -> String? { visitUIDs[id] }

    /// Every calendar of one grouping, in scenario order of the keys (unknown ids last).
    public func calendars(by grouping: CalendarGrouping) -> [ICalendarFile] {
        // One pass over the plan, not one per key: a district has tens of thousands of
        // enterprises.
        var visitsOf: [String: [Visit]] = [:]
        for v in plan.visits { for key in keys(showing: v, in: grouping) { visitsOf[key, default: []].append(v) } }
        var remoteOf: [String: [(Int, RemoteCheck)]] = [:]
        for (k, r) in plan.remoteChecks.enumerated() {
            for key in keys(showing: r, in: grouping) { remoteOf[key, default: []].append((k, r)) }
        }
        return keys(of: grouping).compactMap { key in
            file(grouping, key, visits: visitsOf[key] ?? [], remote: remoteOf[key] ?? [])
        }
    }

    /// The calendar of one inspector, department, town or enterprise; nil when it has no event.
    public func calendar(by grouping: CalendarGrouping, key: String) -> ICalendarFile? {
        file(grouping, key, visits: plan.visits.filter { keys(showing: $0, in: grouping).contains(key) },
             remote: plan.remoteChecks.enumerated().filter { keys(showing: $0.element, in: grouping).contains(key) }
                .map { ($0.offset, $0.element) })
    }

    private func file(_ grouping: CalendarGrouping, _ key: String, visits unsorted: [Visit],
                      remote unsortedRemote: [(Int, RemoteCheck)]) -> ICalendarFile? {
        guard !unsorted.isEmpty || !unsortedRemote.isEmpty else { return nil }
        let visits = Labels.chronological(unsorted)
        let remote = unsortedRemote.sorted { a, b in
            (a.1.date, a.1.enterprise, a.1.item, a.1.occurrence, a.0) < (b.1.date, b.1.enterprise, b.1.item, b.1.occurrence, b.0)
        }

        let title = calendarTitle(grouping, key)
        var c = ContentLines()
        c.begin("VCALENDAR")
        c.raw("VERSION", "2.0")
        c.text("PRODID", ICalendarExporter.productID)
        c.raw("CALSCALE", "GREGORIAN")
        c.raw("METHOD", "PUBLISH")
        c.text("X-WR-CALNAME", title)
        c.text("X-WR-TIMEZONE", timeZone.identifier)
        // Which calendar this is, for scripts/check-exports and for the office's own tooling.
        c.text("X-JOINTPLAN-CALENDAR", grouping.rawValue)
        c.text("X-JOINTPLAN-KEY", key)
        c.append(timeZone.component)
        var uids: [String] = []
        for v in visits {
            let uid = visitUIDs[v.id]!
            uids.append(uid)
            c.append(event(for: v, uid: uid, notice: grouping == .enterprise))
        }
        for (k, r) in remote {
            let uid = remoteUIDs[k]!
            uids.append(uid)
            c.append(event(for: r, uid: uid))
        }
        c.end("VCALENDAR")
        return ICalendarFile(grouping: grouping, key: key, fileName: ICalendarExporter.fileName(grouping, key),
                             title: title, text: c.rendered, uids: uids)
    }

    // MARK: - Who sees what

    /// The calendars a visit appears in, for one grouping.
    private func keys(showing v: Visit, in grouping: CalendarGrouping) -> Set<String> {
        switch grouping {
        case .inspector: return Set(v.inspectors)
        case .department:
            return Set(v.inspectors.map { labels.department(ofInspector: $0) } + v.checks.map { labels.department(ofItem: $0.item) })
                .subtracting([""])
        case .town:
            let t = labels.town(ofEnterprise: v.enterprise)
            return t.isEmpty ? [] : [t]
        case .enterprise: return [v.enterprise]
        }
    }

    /// The calendars a remote check appears in: its inspector's and its department's.
    private func keys(showing r: RemoteCheck, in grouping: CalendarGrouping) -> Set<String> {
        switch grouping {
        case .inspector: return [r.inspector]
        case .department: return Set([labels.department(ofItem: r.item), labels.department(ofInspector: r.inspector)]).subtracting([""])
        case .town, .enterprise: return []
        }
    }

    /// The keys that can have a calendar: the scenario's ids in scenario order, then ids the
    /// plan uses that the scenario does not know, sorted.
    private func keys(of grouping: CalendarGrouping) -> [String] {
        let known: [String]
        var used: [String] = []
        switch grouping {
        case .inspector:
            known = scenario.inspectors.map(\.id)
            used = plan.visits.flatMap(\.inspectors) + plan.remoteChecks.map(\.inspector)
        case .department:
            known = scenario.departments.map(\.id)
        case .town:
            known = scenario.towns.map(\.id)
        case .enterprise:
            known = scenario.enterprises.map(\.id)
            used = plan.visits.map(\.enterprise)
        }
        let knownSet = Set(known)
        return known + Array(Set(used).subtracting(knownSet)).sorted()
    }

    // MARK: - Events

    private func event(for v: Visit, uid: String, notice: Bool) -> ContentLines {
        let departments = labels.departments(of: v)
        let departmentNames = departments.map(labels.departmentName)
        let enterprise = labels.enterpriseName(v.enterprise)
        let town = labels.town(ofEnterprise: v.enterprise)
        let kind = departments.count >= 2 ? "联合检查" : "现场检查"
        var c = ContentLines()
        c.begin("VEVENT")
        c.text("UID", uid)
        c.raw("DTSTAMP", ICalendarText.utcDateTime(now))
        c.raw("DTSTART", ICalendarText.localDateTime(v.date, minutes: v.start), parameters: [("TZID", timeZone.identifier)])
        c.raw("DTEND", ICalendarText.localDateTime(v.date, minutes: v.end), parameters: [("TZID", timeZone.identifier)])
        c.text("SUMMARY", "\(enterprise) \(kind)" + (departmentNames.isEmpty ? "" : "（\(departmentNames.joined(separator: "、"))）"))
        if !town.isEmpty { c.text("LOCATION", labels.townName(town)) }
        c.text("DESCRIPTION", notice ? advanceNotice(v) : visitDescription(v))
        if !departmentNames.isEmpty { c.textList("CATEGORIES", departmentNames) }
        c.raw("STATUS", "CONFIRMED")
        c.raw("TRANSP", "OPAQUE")
        c.text("X-JOINTPLAN-VISIT", v.id)
        c.end("VEVENT")
        return c
    }

    private func event(for r: RemoteCheck, uid: String) -> ContentLines {
        let department = labels.department(ofItem: r.item)
        let minutes = scenario.item(r.item)?.remoteMinutes ?? 0
        var c = ContentLines()
        c.begin("VEVENT")
        c.text("UID", uid)
        c.raw("DTSTAMP", ICalendarText.utcDateTime(now))
        c.raw("DTSTART", r.date.compact, parameters: [("VALUE", "DATE")])
        c.raw("DTEND", (r.date + 1).compact, parameters: [("VALUE", "DATE")])
        c.text("SUMMARY", "非现场检查：\(labels.enterpriseName(r.enterprise)) · \(labels.itemName(r.item))")
        var d = "非现场检查（不到企业现场）\n"
        d += "检查对象：\(labels.enterpriseName(r.enterprise))（\(r.enterprise)）\n"
        let town = labels.town(ofEnterprise: r.enterprise)
        if !town.isEmpty { d += "所在镇街：\(labels.townName(town))\n" }
        d += "检查事项：\(labels.itemName(r.item))"
        if !department.isEmpty { d += "（\(labels.departmentName(department))）" }
        d += "，第\(r.occurrence)次\n"
        d += "检查人员：\(labels.inspectorWithDepartment(r.inspector))\n"
        d += "日期：\(r.date)，预计用时\(minutes)分钟（当天任意时间完成）\n"
        d += "计划：\(scenario.name)"
        c.text("DESCRIPTION", d)
        c.textList("CATEGORIES", (department.isEmpty ? [] : [labels.departmentName(department)]) + ["非现场检查"])
        c.raw("STATUS", "CONFIRMED")
        c.raw("TRANSP", "TRANSPARENT")
        c.end("VEVENT")
        return c
    }

    /// The description the office, the inspectors and the towns read: where, when, who, what.
    private func visitDescription(_ v: Visit) -> String {
        let town = labels.town(ofEnterprise: v.enterprise)
        var d = "检查对象：\(labels.enterpriseName(v.enterprise))（\(v.enterprise)）\n"
        if !town.isEmpty { d += "所在镇街：\(labels.townName(town))\n" }
        d += "时间：\(v.date)（\(ICalendarExporter.weekdayName(v.date))）\(ClockTime.format(v.start))–\(ClockTime.format(v.end))，\(v.minutes)分钟\n"
        d += "检查组（\(v.inspectors.count)人）：\n"
        for p in v.inspectors {
            d += "· \(labels.inspectorWithDepartment(p))，\(p)\n"
        }
        d += "检查事项（\(v.checks.count)项）：\n"
        for ch in labels.orderedChecks(of: v) {
            let dept = labels.department(ofItem: ch.item)
            d += "· \(labels.itemName(ch.item))"
            if !dept.isEmpty { d += "（\(labels.departmentName(dept))）" }
            if ch.occurrence > 1 { d += "第\(ch.occurrence)次" }
            d += " — 检查人：\(labels.inspectorName(ch.inspector))\n"
        }
        d += "计划：\(scenario.name)；检查编号：\(v.id)"
        return d
    }

    /// The advance notice (检查预告) an enterprise receives: date, time, team size, items, and
    /// what to have ready for each item. The scenario format has no field for an item's
    /// documents, so the materials line names the item and asks for its licences, rules and
    /// records — the documents every on-site check starts from.
    private func advanceNotice(_ v: Visit) -> String {
        let departments = labels.departments(of: v).map(labels.departmentName)
        let c = v.date.civil
        var d = "检查预告\n"
        d += "\(labels.enterpriseName(v.enterprise))：\n"
        d += "按照“综合查一次”安排，\(departments.isEmpty ? "检查组" : departments.joined(separator: "、"))"
        d += "将于\(c.year)年\(c.month)月\(c.day)日（\(ICalendarExporter.weekdayName(v.date))）"
        d += "\(ClockTime.format(v.start))–\(ClockTime.format(v.end))到贵单位开展\(departments.count >= 2 ? "联合" : "")检查，一次进门、查多项事。\n"
        let teamDepartments = labels.teamDepartments(of: v)
        let perDepartment = teamDepartments.map { dept in
            "\(labels.departmentName(dept))\(v.inspectors.filter { labels.department(ofInspector: $0) == dept }.count)人"
        }
        d += "检查组人数：\(v.inspectors.count)人" + (perDepartment.isEmpty ? "" : "（\(perDepartment.joined(separator: "、"))）") + "，检查人员将出示执法证件。\n"
        let checks = labels.orderedChecks(of: v)
        d += "检查事项（\(checks.count)项）：\n"
        for (k, ch) in checks.enumerated() {
            let dept = labels.department(ofItem: ch.item)
            d += "\(k + 1). \(labels.itemName(ch.item))" + (dept.isEmpty ? "" : "（\(labels.departmentName(dept))）") + "\n"
        }
        d += "请提前准备以下材料：\n"
        var seenItems = Set<String>()
        var n = 0
        for ch in checks where seenItems.insert(ch.item).inserted {
            n += 1
            d += "\(n). \(labels.itemName(ch.item))：与该事项有关的许可证照、管理制度、台账和记录\n"
        }
        d += "如有疑问，请联系所在镇街综合执法办公室。"
        return d
    }

    private func calendarTitle(_ grouping: CalendarGrouping, _ key: String) -> String {
        let whose: String
        switch grouping {
        case .inspector: whose = labels.inspectorWithDepartment(key)
        case .department: whose = labels.departmentName(key)
        case .town: whose = labels.townName(key)
        case .enterprise: return "检查预告 · \(labels.enterpriseName(key)) · \(scenario.name)"
        }
        return "联合检查 · \(whose) · \(scenario.name)"
    }

    static func weekdayName(_ d: Day) -> String {
        ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"][d.isoWeekday - 1]
    }

    /// `inspector-P001.ics`. Ids are arbitrary strings (spec 2): anything outside
    /// `[A-Za-z0-9._-]` becomes `_`, and then 8 hex digits of the id's SHA-256 keep two such
    /// ids apart (`enterprise-___-3f2a9c01.ics`).
    public static func fileName(_ grouping: CalendarGrouping, _ key: String) -> String {
        var safe = ""
        var changed = false
        for u in key.unicodeScalars {
            if u.isASCII, u.properties.isAlphabetic || ("0"..."9").contains(u) || u == "-" || u == "_" || u == "." {
                safe.unicodeScalars.append(u)
            } else {
                safe += "_"
                changed = true
            }
        }
        if safe.hasPrefix(".") { safe = "_" + safe.dropFirst(); changed = true }
        if changed {
            let digest = SHA256.hash(data: Data(key.utf8))
            safe += "-" + digest.prefix(4).map { String(format: "%02x", $0) }.joined()
        }
        return "\(grouping.rawValue)-\(safe).ics"
    }
}
