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
    public let language: Language
    public static let productID = "-//jointplan//jointplan 1.0//ZH"

    private let labels: Labels
    private let t: Catalogue
    private let timeZone: ICalendarTimeZone
    private let visitUIDs: [String: String]
    private let remoteUIDs: [Int: String]
    /// The plan the calendars were last exported from (`--previous`), with its UIDs.
    private let previous: Plan?
    private let previousVisitUIDs: [String: String]
    private let previousRemoteUIDs: [Int: String]
    /// SEQUENCE of each UID as last published (read from the files being replaced).
    private let publishedSequences: [String: Int]
    /// UIDs of the new plan's visits that differ from the previous plan's visit of that UID.
    private let changedUIDs: Set<String>

    /// Throws `ExportError.unknownTimeZone` when `horizon.timezone` is not a known zone.
    ///
    /// With `previous` (the plan the calendars were last exported from) the files follow a
    /// re-plan (RFC 5545 3.8.7.4, 3.8.1.11). The visits are matched as `PlanDiff` (and
    /// `jointplan diff`) matches them; a matched visit keeps the UID its old visit was published
    /// under (`published.visitUIDs`, read from the old files, else its `EventUID`), and gets
    /// SEQUENCE one above what was published when diff calls it moved or changed; a visit of
    /// `previous` that is not in a calendar any more (removed, or its team no longer has that
    /// inspector) is written there with STATUS:CANCELLED and a raised SEQUENCE, so calendar
    /// programs remove it on re-import. An added visit gets its `EventUID`, or — when that UID
    /// was already used by an old visit — one that also names its date and start.
    public init(scenario: Scenario, plan: Plan, now: Date = Date(), language: Language = .zh,
                previous: Plan? = nil, published: PublishedEvents = PublishedEvents()) throws {
        self.scenario = scenario
        self.plan = plan
        self.now = now
        self.language = language
        t = Catalogue(language)
        labels = Labels(scenario: scenario)
        let dates = plan.visits.map(\.date) + plan.remoteChecks.map(\.date)
            + (previous?.visits.map(\.date) ?? []) + (previous?.remoteChecks.map(\.date) ?? [])
        let first = min(scenario.horizon.start, dates.min() ?? scenario.horizon.start)
        let last = max(scenario.horizon.end, dates.max() ?? scenario.horizon.end)
        timeZone = try ICalendarTimeZone(identifier: scenario.horizon.timezone, from: first, through: last)
        var uids = EventUID.visitUIDs(scenario: scenario.name, plan: plan)
        remoteUIDs = ICalendarExporter.remoteUIDs(scenario: scenario.name, plan: plan)
        self.previous = previous
        publishedSequences = published.sequences
        if let previous {
            var old = EventUID.visitUIDs(scenario: scenario.name, plan: previous)
            for v in previous.visits { if let u = published.visitUIDs[v.id] { old[v.id] = u } }
            previousVisitUIDs = old
            previousRemoteUIDs = ICalendarExporter.remoteUIDs(scenario: scenario.name, plan: previous)
            let diff = PlanDiff.compare(scenario: scenario, a: previous, b: plan)
            var changed = Set<String>(), inherited = Set<String>(), paired = Set<String>()
            for (pairs, moved) in [(diff.unchanged, false), (diff.moved, true), (diff.changed, true)] {
                for p in pairs {
                    guard let u = old[p.a.id] else { continue }
                    uids[p.b.id] = u
                    inherited.insert(u)
                    paired.insert(p.b.id)
                    if moved { changed.insert(u) }
                }
            }
            let taken = Set(old.values).union(inherited)
            for v in plan.visits where !paired.contains(v.id) {
                guard let u = uids[v.id], taken.contains(u) else { continue }
                uids[v.id] = EventUID.uid(["jointplan/visit-replanned", scenario.name, v.enterprise,
                                           EventUID.anchor(of: v).map { "\($0.item)#\($0.occurrence)" } ?? "",
                                           v.date.description, ClockTime.format(v.start), v.id])
            }
            changedUIDs = changed
        } else {
            previousVisitUIDs = [:]
            previousRemoteUIDs = [:]
            changedUIDs = []
        }
        visitUIDs = uids
    }

    private static func remoteUIDs(scenario: String, plan: Plan) -> [Int: String] {
        var remote: [Int: String] = [:]
        var seen: [String: Int] = [:]
        for (k, r) in plan.remoteChecks.enumerated() {
            let base = EventUID.remote(scenario: scenario, check: r)
            let n = (seen[base] ?? 0) + 1
            seen[base] = n
            remote[k] = n == 1 ? base : base.replacingOccurrences(of: "@", with: "-\(n)@")
        }
        return remote
    }

    /// The SEQUENCE of every event's UID in a calendar file (the highest when a UID repeats).
    public static func sequences(in text: String) -> [String: Int] { PublishedEvents(text).sequences }

    /// How many events of the new plan changed against `previous`, and how many of its visits
    /// are gone (cancelled in every calendar that showed them).
    public var changeCounts: (changed: Int, cancelled: Int) {
        let now = Set(visitUIDs.values)
        return (changedUIDs.count, Set(previousVisitUIDs.values).subtracting(now).count)
    }

    /// The STATUS:CANCELLED events of `files` and how many files hold one (issue 24: a visit
    /// moved to another inspector is cancelled in the old inspector's calendar though it is
    /// still in the plan, so `changeCounts.cancelled` alone said "0 cancelled").
    public static func cancelledEvents(in files: [ICalendarFile]) -> (events: Int, calendars: Int) {
        var events = 0, calendars = 0
        for f in files {
            let n = f.text.components(separatedBy: "\r\nSTATUS:CANCELLED\r\n").count - 1
            events += n
            if n > 0 { calendars += 1 }
        }
        return (events, calendars)
    }

    private func sequence(of uid: String, changed: Bool) -> Int {
        (publishedSequences[uid] ?? 0) + (changed ? 1 : 0)
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
        var cancelledOf: [String: [(Visit, String)]] = [:]
        var cancelledRemoteOf: [String: [(RemoteCheck, String)]] = [:]
        if let previous {
            var shown: [String: Set<String>] = [:]   // key -> UIDs the new calendar shows
            for v in plan.visits { for key in keys(showing: v, in: grouping) { shown[key, default: []].insert(visitUIDs[v.id]!) } }
            for (k, r) in plan.remoteChecks.enumerated() {
                for key in keys(showing: r, in: grouping) { shown[key, default: []].insert(remoteUIDs[k]!) }
            }
            for v in previous.visits {
                guard let u = previousVisitUIDs[v.id] else { continue }
                for key in keys(showing: v, in: grouping) where !(shown[key]?.contains(u) ?? false) {
                    cancelledOf[key, default: []].append((v, u))
                }
            }
            for (k, r) in previous.remoteChecks.enumerated() {
                guard let u = previousRemoteUIDs[k] else { continue }
                for key in keys(showing: r, in: grouping) where !(shown[key]?.contains(u) ?? false) {
                    cancelledRemoteOf[key, default: []].append((r, u))
                }
            }
        }
        return keys(of: grouping).compactMap { key in
            file(grouping, key, visits: visitsOf[key] ?? [], remote: remoteOf[key] ?? [],
                 cancelled: cancelledOf[key] ?? [], cancelledRemote: cancelledRemoteOf[key] ?? [])
        }
    }

    /// The calendar of one inspector, department, town or enterprise; nil when it has no event.
    public func calendar(by grouping: CalendarGrouping, key: String) -> ICalendarFile? {
        file(grouping, key, visits: plan.visits.filter { keys(showing: $0, in: grouping).contains(key) },
             remote: plan.remoteChecks.enumerated().filter { keys(showing: $0.element, in: grouping).contains(key) }
                .map { ($0.offset, $0.element) })
    }

    private func file(_ grouping: CalendarGrouping, _ key: String, visits unsorted: [Visit],
                      remote unsortedRemote: [(Int, RemoteCheck)],
                      cancelled: [(Visit, String)] = [], cancelledRemote: [(RemoteCheck, String)] = []) -> ICalendarFile? {
        guard !unsorted.isEmpty || !unsortedRemote.isEmpty || !cancelled.isEmpty || !cancelledRemote.isEmpty else { return nil }
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
            c.append(event(for: v, uid: uid, notice: grouping == .enterprise, status: "CONFIRMED",
                           sequence: sequence(of: uid, changed: changedUIDs.contains(uid))))
        }
        for (k, r) in remote {
            let uid = remoteUIDs[k]!
            uids.append(uid)
            c.append(event(for: r, uid: uid, status: "CONFIRMED", sequence: sequence(of: uid, changed: false)))
        }
        for (v, uid) in cancelled.sorted(by: { ($0.0.date, $0.0.start, $0.1) < ($1.0.date, $1.0.start, $1.1) }) {
            uids.append(uid)
            c.append(event(for: v, uid: uid, notice: false, status: "CANCELLED", sequence: sequence(of: uid, changed: true)))
        }
        for (r, uid) in cancelledRemote.sorted(by: { ($0.0.date, $0.1) < ($1.0.date, $1.1) }) {
            uids.append(uid)
            c.append(event(for: r, uid: uid, status: "CANCELLED", sequence: sequence(of: uid, changed: true)))
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

    /// LOCATION: the enterprise's address with its town, else the town (spec 2, address).
    func location(ofEnterprise id: String) -> String {
        let town = labels.town(ofEnterprise: id)
        let address = scenario.enterprise(id)?.address ?? ""
        if address.isEmpty { return town.isEmpty ? "" : labels.townName(town) }
        return town.isEmpty ? address : t("ics.location", address, labels.townName(town))
    }

    private func event(for v: Visit, uid: String, notice: Bool, status: String, sequence: Int) -> ContentLines {
        let departments = labels.departments(of: v)
        let departmentNames = departments.map(labels.departmentName)
        let enterprise = labels.enterpriseName(v.enterprise)
        let kind = departments.count >= 2 ? t("ics.joint") : t("ics.onsite")
        let cancelled = status == "CANCELLED"
        var c = ContentLines()
        c.begin("VEVENT")
        c.text("UID", uid)
        c.raw("DTSTAMP", ICalendarText.utcDateTime(now))
        c.raw("DTSTART", ICalendarText.localDateTime(v.date, minutes: v.start), parameters: [("TZID", timeZone.identifier)])
        c.raw("DTEND", ICalendarText.localDateTime(v.date, minutes: v.end), parameters: [("TZID", timeZone.identifier)])
        if sequence > 0 { c.raw("SEQUENCE", String(sequence)) }
        let summary = "\(enterprise) \(kind)" + (departmentNames.isEmpty ? "" : t("ics.departmentsSuffix", departmentNames.joined(separator: t("list.separator"))))
        c.text("SUMMARY", cancelled ? t("ics.cancelledPrefix", summary) : summary)
        let location = location(ofEnterprise: v.enterprise)
        if !location.isEmpty { c.text("LOCATION", location) }
        let description = notice ? advanceNotice(v) : visitDescription(v)
        c.text("DESCRIPTION", cancelled ? t("ics.cancelledNote") + "\n" + description : description)
        if !departmentNames.isEmpty { c.textList("CATEGORIES", departmentNames) }
        // Who organises and who goes (issue 24): the issuing office, and each team member by
        // name (CN, quoted when RFC 5545 3.2 requires it), at their mail when the register
        // has it, else at a URN naming the inspector (a cal-address must be a URI).
        c.raw("ORGANIZER", "urn:x-jointplan:office", parameters: [("CN", scenario.noticeIssuer.isEmpty ? t("notice.defaultIssuer") : scenario.noticeIssuer)])
        for p in v.inspectors {
            let mail = scenario.inspector(p)?.email ?? ""
            c.raw("ATTENDEE", ICalendarExporter.calAddress(mail: mail, inspector: p),
                  parameters: [("CN", labels.inspectorName(p)), ("ROLE", "REQ-PARTICIPANT"), ("CUTYPE", "INDIVIDUAL")])
        }
        c.raw("STATUS", status)
        c.raw("TRANSP", cancelled ? "TRANSPARENT" : "OPAQUE")
        c.text("X-JOINTPLAN-VISIT", v.id)
        c.end("VEVENT")
        return c
    }

    /// `mailto:` the inspector's mail, else `urn:x-jointplan:inspector:ID` (ids percent-encoded).
    static func calAddress(mail: String, inspector id: String) -> String {
        let trimmed = mail.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty, trimmed.contains("@"), !trimmed.contains(where: { $0 == " " || $0 == "," || $0 == ";" || $0 == ":" }) { return "mailto:" + trimmed }
        let safe = id.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? id
        return "urn:x-jointplan:inspector:" + safe
    }

    private func event(for r: RemoteCheck, uid: String, status: String, sequence: Int) -> ContentLines {
        let department = labels.department(ofItem: r.item)
        let minutes = scenario.item(r.item)?.remoteMinutes ?? 0
        var c = ContentLines()
        c.begin("VEVENT")
        c.text("UID", uid)
        c.raw("DTSTAMP", ICalendarText.utcDateTime(now))
        c.raw("DTSTART", r.date.compact, parameters: [("VALUE", "DATE")])
        c.raw("DTEND", (r.date + 1).compact, parameters: [("VALUE", "DATE")])
        if sequence > 0 { c.raw("SEQUENCE", String(sequence)) }
        let summary = t("ics.remoteSummary", labels.enterpriseName(r.enterprise), labels.itemName(r.item))
        c.text("SUMMARY", status == "CANCELLED" ? t("ics.cancelledPrefix", summary) : summary)
        var d = t("ics.remoteHeading") + "\n"
        d += t("ics.object", labels.enterpriseName(r.enterprise), r.enterprise) + "\n"
        let town = labels.town(ofEnterprise: r.enterprise)
        if !town.isEmpty { d += t("ics.town", labels.townName(town)) + "\n" }
        d += t("ics.remoteItem", labels.itemName(r.item) + (department.isEmpty ? "" : t("ics.paren", labels.departmentName(department))), r.occurrence) + "\n"
        d += t("ics.inspector", labels.inspectorWithDepartment(r.inspector)) + "\n"
        d += t("ics.remoteDate", r.date, minutes) + "\n"
        d += t("ics.plan", scenario.name)
        c.text("DESCRIPTION", d)
        c.textList("CATEGORIES", (department.isEmpty ? [] : [labels.departmentName(department)]) + [t("ics.remoteCategory")])
        c.raw("STATUS", status)
        c.raw("TRANSP", "TRANSPARENT")
        c.end("VEVENT")
        return c
    }

    /// The description the office, the inspectors and the towns read: where, when, who, what.
    private func visitDescription(_ v: Visit) -> String {
        let town = labels.town(ofEnterprise: v.enterprise)
        var d = t("ics.object", labels.enterpriseName(v.enterprise), v.enterprise) + "\n"
        if !town.isEmpty { d += t("ics.town", labels.townName(town)) + "\n" }
        if let address = scenario.enterprise(v.enterprise)?.address, !address.isEmpty { d += t("ics.address", address) + "\n" }
        d += t("ics.time", v.date, weekdayName(v.date), ClockTime.format(v.start), ClockTime.format(v.end), v.minutes) + "\n"
        d += t("ics.team", v.inspectors.count) + "\n"
        for p in v.inspectors {
            d += t("ics.member", labels.inspectorWithDepartment(p), p) + "\n"
        }
        d += t("ics.items", v.checks.count) + "\n"
        for ch in labels.orderedChecks(of: v) {
            let dept = labels.department(ofItem: ch.item)
            d += "· \(labels.itemName(ch.item))"
            if !dept.isEmpty { d += t("ics.paren", labels.departmentName(dept)) }
            if ch.occurrence > 1 { d += t("ics.occurrence", ch.occurrence) }
            d += t("ics.checkedBy", labels.inspectorName(ch.inspector)) + "\n"
        }
        d += t("ics.planAndVisit", scenario.name, v.id)
        return d
    }

    /// The advance notice (检查预告) an enterprise receives: date, time, team size, items, and
    /// what to have ready for each item: the item's `extensions.materials` when the scenario
    /// gives them, else its licences, rules and records — the documents every on-site check
    /// starts from.
    private func advanceNotice(_ v: Visit) -> String {
        let departments = labels.departments(of: v).map(labels.departmentName)
        let c = v.date.civil
        var d = t("ics.noticeHeading") + "\n"
        d += t("ics.noticeTo", labels.enterpriseName(v.enterprise)) + "\n"
        d += t(departments.count >= 2 ? "ics.noticeBodyJoint" : "ics.noticeBody",
               departments.isEmpty ? t("ics.noticeTeam") : departments.joined(separator: t("list.separator")),
               t("date.long", c.year, c.month, c.day), weekdayName(v.date),
               ClockTime.format(v.start), ClockTime.format(v.end)) + "\n"
        let teamDepartments = labels.teamDepartments(of: v)
        let perDepartment = teamDepartments.map { dept in
            t("ics.perDepartment", labels.departmentName(dept), v.inspectors.filter { labels.department(ofInspector: $0) == dept }.count)
        }
        d += t("ics.teamSize", v.inspectors.count, perDepartment.isEmpty ? "" : t("ics.paren", perDepartment.joined(separator: t("list.separator")))) + "\n"
        let checks = labels.orderedChecks(of: v)
        d += t("ics.items", checks.count) + "\n"
        for (k, ch) in checks.enumerated() {
            let dept = labels.department(ofItem: ch.item)
            d += "\(k + 1). \(labels.itemName(ch.item))" + (dept.isEmpty ? "" : t("ics.paren", labels.departmentName(dept))) + "\n"
        }
        d += t("ics.prepare") + "\n"
        var seenItems = Set<String>()
        var n = 0
        for ch in checks where seenItems.insert(ch.item).inserted {
            n += 1
            let materials = scenario.item(ch.item)?.materials ?? []
            d += "\(n). \(labels.itemName(ch.item))\(t("list.colon"))"
                + (materials.isEmpty ? t("notice.defaultMaterials") : materials.joined(separator: t("list.separator"))) + "\n"
        }
        d += scenario.noticeContact.isEmpty ? t("ics.noticeQuestions") : t("notice.contactLine", scenario.noticeContact)
        return d
    }

    private func calendarTitle(_ grouping: CalendarGrouping, _ key: String) -> String {
        let whose: String
        switch grouping {
        case .inspector: whose = labels.inspectorWithDepartment(key)
        case .department: whose = labels.departmentName(key)
        case .town: whose = labels.townName(key)
        case .enterprise: return t("ics.enterpriseTitle", labels.enterpriseName(key), scenario.name)
        }
        return t("ics.title", whose, scenario.name)
    }

    func weekdayName(_ d: Day) -> String { t("weekday.\(d.isoWeekday)") }

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

/// What calendar files already published, for the next export of a re-plan: each UID's
/// SEQUENCE and, for visits (X-JOINTPLAN-VISIT) not cancelled, the UID of each visit id.
public struct PublishedEvents: Sendable {
    public var sequences: [String: Int] = [:]
    public var visitUIDs: [String: String] = [:]
    public init() {}

    /// Reads one calendar file (unfolded, RFC 5545 3.1, then VEVENT by VEVENT).
    public init(_ text: String) {
        merge(text)
    }

    public mutating func merge(_ text: String) {
        var uid: String?, visit: String?, sequence = 0, cancelled = false
        let unfolded = text.replacingOccurrences(of: "\r\n ", with: "").replacingOccurrences(of: "\r\n\t", with: "")
        for line in unfolded.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\r\n" || $0 == "\n" }) {
            if line == "BEGIN:VEVENT" { uid = nil; visit = nil; sequence = 0; cancelled = false }
            else if line.hasPrefix("UID:") { uid = ICalendarText.unescapeText(String(line.dropFirst(4))) }
            else if line.hasPrefix("SEQUENCE:") { sequence = Int(line.dropFirst(9)) ?? 0 }
            else if line == "STATUS:CANCELLED" { cancelled = true }
            else if line.hasPrefix("X-JOINTPLAN-VISIT:") { visit = ICalendarText.unescapeText(String(line.dropFirst(18))) }
            else if line == "END:VEVENT", let u = uid {
                sequences[u] = max(sequences[u] ?? 0, sequence)
                // A cancelled event names a visit of the plan before the previous one.
                if let visit, !cancelled { visitUIDs[visit] = u }
            }
        }
    }
}
