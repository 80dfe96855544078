import Crypto
import Foundation
import JointPlan

/// One notice to an enterprise (检查通知书): a printable HTML page for one visit.
public struct NoticeFile: Sendable {
    public var visit: String
    public var enterprise: String
    /// `notice-V00001.html` (anything outside `[A-Za-z0-9._-]` in the id becomes `_`).
    public var fileName: String
    public var html: String
    public var data: Data { Data(html.utf8) }
}

/// The notices the office sends before a visit (issue 14, item 2): one self-contained A4 HTML
/// page per visit — no script, no network, inline CSS with CJK fonts — that prints as it is or
/// through headless Chromium (`--print-to-pdf`).
///
/// A notice names the enterprise and its address, the date and time window, the team (names
/// and departments; they show their credentials), the items to be checked with the materials to
/// prepare, and whom to call. The spec leaves materials and contact to `extensions`
/// (docs/decisions.md, Notices): an item's `extensions.materials` (a string or an array of
/// strings; else the licences, rules and records that every check starts from), a department's
/// `extensions.contact` (one line per department on the team), and the scenario's top-level
/// `extensions.noticeContact` (the office) and `extensions.noticeIssuer` (who signs).
public struct NoticeExporter: Sendable {
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

    /// Every visit's notice, in calendar order.
    public var notices: [NoticeFile] {
        Labels.chronological(plan.visits).map(notice)
    }

    /// `notice-V001.html`. An id with characters a file name should not hold (`V/1`, `检-1`)
    /// has them replaced and gets 8 hex digits of its SHA-256, so that two ids never share a
    /// file (issue 25: `V/1` and `V_1` both became `notice-V_1.html`, 19 notices for 20 visits).
    public static func fileName(_ visit: String) -> String {
        var changed = false
        let safe = String(String.UnicodeScalarView(visit.unicodeScalars.map { u in
            if u.isASCII && (u.properties.isAlphabetic || ("0"..."9").contains(u) || u == "-" || u == "_") { return u }
            changed = true
            return "_"
        }))
        guard changed || safe.isEmpty else { return "notice-\(safe).html" }
        let digest = SHA256.hash(data: Data(visit.utf8)).prefix(4).map { String(format: "%02x", $0) }.joined()
        return "notice-\(safe)-\(digest).html"
    }

    public func notice(_ v: Visit) -> NoticeFile {
        let e = HTMLText.escape
        let departments = labels.departments(of: v)
        let enterprise = scenario.enterprise(v.enterprise)
        let c = v.date.civil
        let date = t("date.long", c.year, c.month, c.day)
        let town = labels.town(ofEnterprise: v.enterprise)
        var h = "<!DOCTYPE html>\n<html lang=\"\(language == .zh ? "zh-CN" : "en")\">\n<head>\n<meta charset=\"utf-8\">\n"
        h += "<title>\(e(t("notice.title"))) · \(e(labels.enterpriseName(v.enterprise)))</title>\n<style>\n\(NoticeExporter.css)</style>\n</head>\n<body>\n"
        h += "<main class=\"page\">\n"
        h += "<h1>\(e(t("notice.title")))</h1>\n"
        h += "<p class=\"number\">\(e(t("notice.number", v.id)))</p>\n"
        h += "<p class=\"to\">\(e(t("notice.to", labels.enterpriseName(v.enterprise))))</p>\n"
        let who = departments.isEmpty ? t("ics.noticeTeam") : departments.map(labels.departmentName).joined(separator: t("list.separator"))
        h += "<p class=\"body\">\(e(t(departments.count >= 2 ? "notice.bodyJoint" : "notice.body", who, date, weekday(v.date), ClockTime.format(v.start), ClockTime.format(v.end))))</p>\n"

        h += "<table class=\"facts\">\n"
        h += row(t("notice.enterprise"), "\(labels.enterpriseName(v.enterprise))（\(v.enterprise)）")
        let address = enterprise?.address ?? ""
        let place = [address, town.isEmpty ? "" : labels.townName(town)].filter { !$0.isEmpty }.joined(separator: " · ")
        h += row(t("notice.place"), place.isEmpty ? "—" : place)
        if let contact = enterprise?.contact, !contact.isEmpty { h += row(t("notice.enterpriseContact"), contact) }
        h += row(t("notice.time"), "\(date)（\(weekday(v.date))）\(ClockTime.format(v.start))–\(ClockTime.format(v.end))")
        let team = v.inspectors.map { p -> String in
            let d = labels.department(ofInspector: p)
            return d.isEmpty ? labels.inspectorName(p) : t("notice.member", labels.inspectorName(p), labels.departmentName(d))
        }
        h += row(t("notice.team", v.inspectors.count), team.joined(separator: t("list.separator")))
        h += "</table>\n"
        // Rule 11: the enterprise is told its inspectors were drawn, and from which seed.
        if scenario.policy.inspectorDispatch == .random && !TeamDraw.isPinned(v, scenario: scenario) {
            let issuer = scenario.noticeIssuer.isEmpty ? t("notice.defaultIssuer") : scenario.noticeIssuer
            h += "<p class=\"drawn\">\(e(t("draw.noticeLine", issuer, plan.seed)))</p>\n"
        }

        h += "<h2>\(e(t("notice.itemsHeading")))</h2>\n<table class=\"items\">\n<thead><tr><th>\(e(t("notice.no")))</th><th>\(e(t("notice.item")))</th>"
        h += "<th>\(e(t("notice.department")))</th><th>\(e(t("notice.materials")))</th></tr></thead>\n<tbody>\n"
        var seen = Set<String>()
        var n = 0
        for ch in labels.orderedChecks(of: v) where seen.insert(ch.item).inserted {
            n += 1
            let dept = labels.department(ofItem: ch.item)
            let materials = scenario.item(ch.item)?.materials ?? []
            h += "<tr><td class=\"n\">\(n)</td><td>\(e(labels.itemName(ch.item)))</td><td>\(e(dept.isEmpty ? "—" : labels.departmentName(dept)))</td>"
            h += "<td>\(materials.isEmpty ? e(t("notice.defaultMaterials")) : "<ul>" + materials.map { "<li>\(e($0))</li>" }.joined() + "</ul>")</td></tr>\n"
        }
        h += "</tbody>\n</table>\n"

        h += "<h2>\(e(t("notice.notesHeading")))</h2>\n<ol class=\"notes\">\n"
        h += "<li>\(e(t("notice.note1")))</li>\n<li>\(e(t("notice.note2")))</li>\n<li>\(e(t("notice.note3")))</li>\n</ol>\n"

        // Contacts, issuer and seal stay together: a long notice breaks before them, never
        // between the signature and its seal (issue 24).
        h += "<div class=\"closing\">\n"
        h += "<h2>\(e(t("notice.contactHeading")))</h2>\n<ul class=\"contact\">\n"
        var contacts = labels.sortedDepartments(departments + labels.teamDepartments(of: v)).compactMap { d -> String? in
            let c = scenario.department(d)?.contact ?? ""
            return c.isEmpty ? nil : "\(labels.departmentName(d))\(t("list.colon"))\(c)"
        }
        if !scenario.noticeContact.isEmpty { contacts.append(scenario.noticeContact) }
        if contacts.isEmpty { contacts = [t("notice.defaultContact")] }
        for c in contacts { h += "<li>\(e(c))</li>\n" }
        h += "</ul>\n"

        let issuer = scenario.noticeIssuer.isEmpty ? t("notice.defaultIssuer") : scenario.noticeIssuer
        h += "<div class=\"sign\"><p>\(e(issuer))</p><p class=\"seal\">\(e(t("notice.seal")))</p></div>\n</div>\n"
        h += "<footer>\(e(t("notice.footer", scenario.name, v.id)))</footer>\n"
        h += "</main>\n</body>\n</html>\n"
        return NoticeFile(visit: v.id, enterprise: v.enterprise, fileName: NoticeExporter.fileName(v.id), html: h)
    }

    /// How notices are combined into one printable document (`export --pdf --combine`).
    public enum Grouping: String, Sendable, CaseIterable { case town, day }

    /// The notices of a plan in groups (per town or per day), each group one HTML document in
    /// which every notice starts a new page: the office prints a town's or a day's notices as
    /// one batch. File names `notices-town-T01.html`, `notices-day-2026-01-05.html`.
    public func combined(by grouping: Grouping, from written: [NoticeFile]? = nil) -> [NoticeFile] {
        // The notices already made (`notices`) are reused, not rendered a second time.
        let made = Dictionary((written ?? []).map { ($0.visit, $0.html) }, uniquingKeysWith: { a, _ in a })
        var groups: [String: [Visit]] = [:]
        for v in Labels.chronological(plan.visits) {
            let key = grouping == .town ? labels.town(ofEnterprise: v.enterprise) : v.date.description
            groups[key, default: []].append(v)
        }
        return groups.keys.sorted().map { key in
            let visits = groups[key]!
            let safe = NoticeExporter.fileName(key.isEmpty ? "none" : key).dropFirst("notice-".count).dropLast(".html".count)
            let title = grouping == .town ? labels.townName(key) : key
            return NoticeFile(visit: visits.map(\.id).joined(separator: ","), enterprise: "", fileName: "notices-\(grouping.rawValue)-\(safe).html",
                              html: combined(visits, title: "\(t("notice.title")) · \(title)", made: made))
        }
    }

    /// Several notices as one document, each on its own page(s).
    public func combined(_ visits: [Visit], title: String, made: [String: String] = [:]) -> String {
        var h = "<!DOCTYPE html>\n<html lang=\"\(language == .zh ? "zh-CN" : "en")\">\n<head>\n<meta charset=\"utf-8\">\n"
        h += "<title>\(HTMLText.escape(title))</title>\n<style>\n\(NoticeExporter.css).page + .page { break-before: page; page-break-before: always; }\n</style>\n</head>\n<body>\n"
        for v in visits {
            let one = made[v.id] ?? notice(v).html
            if let a = one.range(of: "<main class=\"page\">"), let b = one.range(of: "</main>\n", range: a.upperBound..<one.endIndex) {
                h += one[a.lowerBound..<b.upperBound]
            }
        }
        return h + "</body>\n</html>\n"
    }

    private func weekday(_ d: Day) -> String { t("weekday.\(d.isoWeekday)") }

    private func row(_ label: String, _ value: String) -> String {
        "<tr><th>\(HTMLText.escape(label))</th><td>\(HTMLText.escape(value))</td></tr>\n"
    }

    static let css = """
    @page { size: A4; margin: 18mm 20mm; }
    * { box-sizing: border-box; }
    body { margin: 0; color: #111; background: #fff;
      font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", "Source Han Serif SC", "SimSun", "Songti SC", "PingFang SC",
        "Microsoft YaHei", serif; font-size: 15px; line-height: 1.7; }
    .page { max-width: 170mm; margin: 0 auto; padding: 8mm 0; }
    h1 { text-align: center; font-size: 28px; letter-spacing: 0.3em; margin: 0 0 4px; }
    h2 { font-size: 16px; margin: 18px 0 6px; }
    .number { text-align: right; color: #444; margin: 0 0 14px; font-size: 13px; }
    .to { font-weight: 700; margin: 0; }
    .body { text-indent: 2em; margin: 4px 0 12px; }
    table { border-collapse: collapse; width: 100%; }
    th, td { border: 1px solid #555; padding: 5px 8px; vertical-align: top; text-align: left; }
    .facts th { width: 26%; background: #f3f4f6; font-weight: 600; }
    .items th { background: #f3f4f6; }
    td.n { text-align: center; }
    .items th:first-child { width: 3.6em; white-space: nowrap; }
    .items th:nth-child(3) { width: 8em; }
    ul { margin: 0; padding-left: 1.2em; }
    .notes { margin: 0; padding-left: 1.5em; }
    .contact { padding-left: 1.2em; }
    .sign { margin-top: 28px; text-align: right; }
    .sign p { margin: 2px 0; }
    .seal { color: #666; }
    footer { margin-top: 24px; color: #888; font-size: 11px; border-top: 1px solid #ddd; padding-top: 4px; }
    .closing { break-inside: avoid; page-break-inside: avoid; }
    h2 { break-after: avoid; page-break-after: avoid; }
    thead { display: table-header-group; }
    tr { break-inside: avoid; page-break-inside: avoid; }
    /* Printed: up to 12 items, seal included, on one A4 page (issue 24); a longer notice
       repeats the items' header row on every page and keeps the seal with the signature. */
    @media print {
      @page { size: A4; margin: 12mm 16mm; }
      body { font-size: 12px; line-height: 1.42; }
      .page { max-width: none; padding: 0; }
      h1 { font-size: 22px; }
      h2 { font-size: 13px; margin: 8px 0 3px; }
      .number { margin: 0 0 6px; font-size: 11px; }
      .body { margin: 2px 0 6px; }
      th, td { padding: 2px 6px; }
      /* Materials run on as one list per item (a；b；c) rather than one line each. */
      .items td ul { padding-left: 0; list-style: none; }
      .items td li { display: inline; }
      .items td li + li::before { content: "；"; }
      .contact li { display: inline; }
      .contact li + li::before { content: "　"; }
      .contact { padding-left: 0; list-style: none; }
      .sign { margin-top: 10px; }
      footer { margin-top: 8px; font-size: 9px; }
    }

    """
}
