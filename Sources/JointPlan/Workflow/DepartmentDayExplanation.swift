import Foundation

/// One department's load on one date (issue 5, Explain `--department ID --date D`): for each of
/// its inspectors the visits, minutes on site, travel between consecutive visits and remote
/// minutes the plan gives them (spec 3.1 rule 4), and what is left of their day. Built by
/// `Explainer.department(_:on:)`.
public struct DepartmentDayExplanation: Sendable {
    /// One of the day's visits as one inspector does it.
    public struct VisitLine: Sendable {
        public var visit: String
        public var enterprise: String
        public var town: String
        public var start: Int
        public var end: Int
        /// Items this inspector checks in the visit.
        public var items: [String]
        /// Travel minutes from the previous visit's town (0 for the first visit).
        public var travelBefore: Int
    }

    /// One inspector of the department that day.
    public struct InspectorDay: Sendable {
        public var id: String
        public var name: String
        public var certified: Bool
        /// The leave span covering the date, if any.
        public var leave: DateSpan?
        public var maxVisits: Int
        public var visits: [VisitLine]
        public var visitMinutes: Int
        public var travelMinutes: Int
        public var remoteChecks: [RemoteCheck]
        public var remoteMinutes: Int
        public var available: Bool { certified && leave == nil }
        public var used: Int { visitMinutes + travelMinutes + remoteMinutes }
    }

    public var department: String
    public var departmentName: String
    public var date: Day
    public var isWorkingDay: Bool
    /// Why the date is not a working day, when it is not.
    public var notWorking: String?
    /// dayEnd − dayStart − breaks.
    public var workingMinutes: Int
    public var inspectors: [InspectorDay]

    public func free(_ p: InspectorDay) -> Int { p.available && isWorkingDay ? max(0, workingMinutes - p.used) : 0 }
    public func visitsLeft(_ p: InspectorDay) -> Int { p.available && isWorkingDay ? max(0, p.maxVisits - p.visits.count) : 0 }

    public var json: JSON {
        var o = JSONObject([("department", .string(department)), ("name", .string(departmentName)),
                            ("date", .string(date.description)), ("workingDay", .bool(isWorkingDay))])
        if let n = notWorking { o["notWorking"] = .string(n) }
        o["workingMinutes"] = .int(workingMinutes)
        o["inspectors"] = .array(inspectors.map { p in
            var x = JSONObject([("id", .string(p.id)), ("name", .string(p.name)), ("certified", .bool(p.certified)),
                                ("available", .bool(p.available))])
            if let l = p.leave { x["leave"] = .string(l.description) }
            x["visits"] = .array(p.visits.map { v in
                .object(JSONObject([("visit", .string(v.visit)), ("enterprise", .string(v.enterprise)), ("town", .string(v.town)),
                                    ("start", .string(ClockTime.format(v.start))), ("end", .string(ClockTime.format(v.end))),
                                    ("items", .array(v.items.map { .string($0) })), ("travelBefore", .int(v.travelBefore))]))
            })
            x["visitMinutes"] = .int(p.visitMinutes)
            x["travelMinutes"] = .int(p.travelMinutes)
            x["remoteChecks"] = .array(p.remoteChecks.map { r in
                .object(JSONObject([("enterprise", .string(r.enterprise)), ("item", .string(r.item)), ("occurrence", .int(r.occurrence))]))
            })
            x["remoteMinutes"] = .int(p.remoteMinutes)
            x["usedMinutes"] = .int(p.used)
            x["freeMinutes"] = .int(free(p))
            x["maxVisits"] = .int(p.maxVisits)
            x["visitsLeft"] = .int(visitsLeft(p))
            return .object(x)
        })
        o["totals"] = .object(JSONObject([
            ("visits", .int(Set(inspectors.flatMap { $0.visits.map(\.visit) }).count)),
            ("inspectorVisits", .int(inspectors.reduce(0) { $0 + $1.visits.count })),
            ("visitMinutes", .int(inspectors.reduce(0) { $0 + $1.visitMinutes })),
            ("travelMinutes", .int(inspectors.reduce(0) { $0 + $1.travelMinutes })),
            ("remoteMinutes", .int(inspectors.reduce(0) { $0 + $1.remoteMinutes })),
            ("freeMinutes", .int(inspectors.reduce(0) { $0 + free($1) })),
            ("visitsLeft", .int(inspectors.reduce(0) { $0 + visitsLeft($1) })),
            ("availableInspectors", .int(inspectors.filter(\.available).count)),
        ]))
        return .object(o)
    }

    public var text: String { text(.en) }

    /// The day in `language` (English: the words it always had).
    public func text(_ language: Language) -> String {
        let t = Catalogue(language)
        func n(_ key: String, _ count: Int, _ arguments: CustomStringConvertible...) -> String {
            t.format(key + (count == 1 ? ".one" : ".other"), arguments.map(\.description))
        }
        var out = t("day.head", department + (departmentName.isEmpty ? "" : " \(departmentName)"), date)
        guard isWorkingDay else { return out + t("day.notWorking", notWorking ?? "") + "\n" }
        out += n("day.inspectors", inspectors.count, inspectors.count, workingMinutes) + "\n"
        for p in inspectors {
            out += "  \(p.id)\(p.name.isEmpty ? "" : " \(p.name)"): "
            if !p.certified { out += t("day.notCertified") + "\n"; continue }
            if let l = p.leave { out += t("day.leave", l) + "\n"; continue }
            out += t("day.load", p.visits.count, p.maxVisits, p.visitMinutes, p.travelMinutes, p.remoteMinutes, p.used, free(p)) + "\n"
            for v in p.visits {
                out += "      \(ClockTime.format(v.start))–\(ClockTime.format(v.end))  \(v.visit)  \(v.enterprise) (\(v.town))"
                if v.travelBefore > 0 { out += t("day.after", v.travelBefore) }
                out += v.items.isEmpty ? t("day.memberOnly") + "\n" : "  " + v.items.joined(separator: ", ") + "\n"
            }
            for r in p.remoteChecks { out += t("day.remote", r.enterprise, r.item, r.occurrence) + "\n" }
        }
        let avail = inspectors.filter(\.available)
        out += n("day.capacity", avail.count, avail.reduce(0) { $0 + visitsLeft($1) }, avail.reduce(0) { $0 + free($1) }, avail.count) + "\n"
        return out
    }
}
