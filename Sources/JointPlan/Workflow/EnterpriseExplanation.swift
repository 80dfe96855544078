import Foundation

/// Everything a planner needs to justify a plan to one enterprise (issue 5, Explain): its
/// facts from the scenario, its duties with the draw values that selected them (spec 2.1,
/// auditable from the published seed), its visits with team and items, why it has that
/// many visits, and for each check the plan does not perform the constraint that bound.
/// Built by `Explainer.enterprise(_:)`; rendered as text or JSON.
public struct EnterpriseExplanation: Sendable {
    /// How one sampled item's draw treated the enterprise (spec 2.1).
    public struct DrawFacts: Sendable {
        public var rate: String
        public var sampling: Sampling
        /// N: the tier's enterprises the item applies to.
        public var population: Int
        /// n = floor(r·N + 1/2).
        public var size: Int
        /// The enterprise's random number: the 64-bit numerator and u = numerator / 2^64.
        public var numerator: UInt64
        public var u: Double { Draw.unit(numerator) }
        /// 1-based position of the enterprise among the population sorted by (u, id).
        public var rank: Int
        /// The largest u drawn (the n-th smallest); nil when n = 0.
        public var cutoff: UInt64?
        public var drawn: Bool { rank <= size }
    }

    /// Where one required occurrence of an item went.
    public enum Outcome: Sendable {
        case onsite(visit: String, date: Day, inspector: String)
        case remote(date: Day, inspector: String)
        case unmet(UnmetReason)
    }

    /// One item that applies to the enterprise: why it is (or is not) a duty, and where each
    /// of its required occurrences went.
    public struct DutyFacts: Sendable {
        public var item: String
        public var itemName: String
        public var department: String
        /// "count 2", "sampleRate 0.05" or "no frequency for tier A".
        public var frequency: String
        public var draw: DrawFacts?
        /// Required checks of this item (0 when not drawn or no frequency).
        public var checks: Int
        public var minSpacingDays: Int
        public var lastChecked: Day?
        public var remoteAllowed: Bool
        public var delegable: Bool
        public var outcomes: [(occurrence: Int, outcome: Outcome)] = []
    }

    /// One on-site visit as the team sees it.
    public struct VisitFacts: Sendable {
        public var id: String
        public var date: Day
        public var start: Int
        public var end: Int
        public var team: [(inspector: String, name: String, department: String)]
        public var checks: [(item: String, occurrence: Int, inspector: String)]
        public var departments: [String]
        /// `pinned[i]` when the visit holds a pin (spec rule 9).
        public var pins: [Int]
    }

    /// A required check the plan does not perform, and the constraint that bound, in words
    /// from the scenario's facts.
    public struct UnmetFacts: Sendable {
        public var item: String
        public var occurrence: Int
        public var reason: UnmetReason
        public var because: [String]
    }

    public var id: String
    public var name: String
    public var tier: Tier
    public var categories: [String]
    public var town: String
    public var townName: String
    /// `policy.maxOnsiteVisits[tier]`.
    public var tierCap: Int
    public var whitelisted: Bool
    public var whitelistMaxPerYear: Int
    public var onsiteVisitsThisYear: Int
    /// The cap that holds in this horizon (spec rule 8).
    public var cap: Int
    public var blackout: [DateSpan]
    public var lastChecked: [(item: String, date: Day)]
    public var seed: UInt64
    public var duties: [DutyFacts]
    public var visits: [VisitFacts]
    public var remoteChecks: [RemoteCheck]
    /// Why the enterprise has as many visits as it has.
    public var visitReasons: [String]
    /// For checks unmet for `staffing`: the visit they needed and which department bound.
    public var staffing: [String]
    public var unmet: [UnmetFacts]

    public var requiredChecks: Int { duties.reduce(0) { $0 + $1.checks } }

    public var json: JSON {
        func drawJSON(_ d: DrawFacts) -> JSON {
            var o = JSONObject([
                ("sampleRate", .number(d.rate)), ("sampling", .string(d.sampling.rawValue)),
                ("population", .int(d.population)), ("size", .int(d.size)),
                ("u", .double(d.u)), ("uNumerator", .number(String(d.numerator))), ("rank", .int(d.rank)),
            ])
            o["cutoffU"] = d.cutoff.map { .double(Draw.unit($0)) } ?? .null
            o["cutoffNumerator"] = d.cutoff.map { .number(String($0)) } ?? .null
            o["drawn"] = .bool(d.drawn)
            return .object(o)
        }
        func outcomeJSON(_ occurrence: Int, _ o: Outcome) -> JSON {
            var x = JSONObject([("occurrence", .int(occurrence))])
            switch o {
            case let .onsite(visit, date, inspector):
                x["onsite"] = .object(JSONObject([("visit", .string(visit)), ("date", .string(date.description)), ("inspector", .string(inspector))]))
            case let .remote(date, inspector):
                x["remote"] = .object(JSONObject([("date", .string(date.description)), ("inspector", .string(inspector))]))
            case let .unmet(reason):
                x["unmet"] = .string(reason.rawValue)
            }
            return .object(x)
        }
        var o = JSONObject()
        o["enterprise"] = .string(id)
        o["name"] = .string(name)
        o["tier"] = .string(tier.rawValue)
        o["categories"] = .array(categories.map { .string($0) })
        o["town"] = .object(JSONObject([("id", .string(town)), ("name", .string(townName))]))
        o["caps"] = .object(JSONObject([
            ("tierCap", .int(tierCap)), ("whitelisted", .bool(whitelisted)),
            ("whitelistMaxOnsiteVisitsPerYear", .int(whitelistMaxPerYear)),
            ("onsiteVisitsThisYear", .int(onsiteVisitsThisYear)), ("cap", .int(cap)),
        ]))
        o["blackout"] = .array(blackout.map { .string($0.description) })
        o["lastChecked"] = .object(JSONObject(lastChecked.map { ($0.item, .string($0.date.description)) }))
        o["seed"] = .number(String(seed))
        o["requiredChecks"] = .int(requiredChecks)
        o["duties"] = .array(duties.map { d in
            var x = JSONObject([("item", .string(d.item)), ("name", .string(d.itemName)), ("department", .string(d.department)),
                                ("frequency", .string(d.frequency)), ("checks", .int(d.checks))])
            if let dr = d.draw { x["draw"] = drawJSON(dr) }
            x["minSpacingDays"] = .int(d.minSpacingDays)
            if let lc = d.lastChecked { x["lastChecked"] = .string(lc.description) }
            x["remoteAllowed"] = .bool(d.remoteAllowed)
            x["delegable"] = .bool(d.delegable)
            x["occurrences"] = .array(d.outcomes.map { outcomeJSON($0.occurrence, $0.outcome) })
            return .object(x)
        })
        o["visits"] = .array(visits.map { v in
            .object(JSONObject([
                ("id", .string(v.id)), ("date", .string(v.date.description)),
                ("start", .string(ClockTime.format(v.start))), ("end", .string(ClockTime.format(v.end))),
                ("team", .array(v.team.map { .object(JSONObject([("inspector", .string($0.inspector)), ("name", .string($0.name)), ("department", .string($0.department))])) })),
                ("checks", .array(v.checks.map { .object(JSONObject([("item", .string($0.item)), ("occurrence", .int($0.occurrence)), ("inspector", .string($0.inspector))])) })),
                ("departments", .array(v.departments.map { .string($0) })),
                ("pinned", .array(v.pins.map { .int($0) })),
            ]))
        })
        o["remoteChecks"] = .array(remoteChecks.map { r in
            .object(JSONObject([("item", .string(r.item)), ("occurrence", .int(r.occurrence)),
                                ("date", .string(r.date.description)), ("inspector", .string(r.inspector))]))
        })
        o["visitReasons"] = .array(visitReasons.map { .string($0) })
        o["unmet"] = .array(unmet.map { u in
            .object(JSONObject([("item", .string(u.item)), ("occurrence", .int(u.occurrence)), ("reason", .string(u.reason.rawValue)),
                                ("because", .array(u.because.map { .string($0) }))]))
        })
        o["staffing"] = .array(staffing.map { .string($0) })
        return .object(o)
    }

    /// The explanation for a person: facts, duties, visits, reasons, unmet checks (English).
    public var text: String { text(.en) }

    /// The explanation in `language`. The reasons were worded by the `Explainer` (give it the
    /// same language).
    public func text(_ language: Language) -> String {
        let t = Catalogue(language)
        func n(_ key: String, _ count: Int, _ arguments: CustomStringConvertible...) -> String {
            t.format(key + (count == 1 ? ".one" : ".other"), arguments.map(\.description))
        }
        var out = t("explain.facts", id, name, tier.rawValue, town + (townName.isEmpty ? "" : " \(townName)"), categories.joined(separator: ", ")) + "\n"
        var capLine = t("explain.capLine", cap, tier.rawValue, tierCap)
        if whitelisted {
            capLine += t("explain.whiteCap", whitelistMaxPerYear, onsiteVisitsThisYear, max(0, whitelistMaxPerYear - onsiteVisitsThisYear))
        } else {
            capLine += t("explain.notWhite")
        }
        out += capLine + "\n"
        out += t("explain.blackoutLine", blackout.isEmpty ? t("explain.none") : blackout.map(\.description).joined(separator: ", ")) + "\n"
        out += t("explain.lastChecked", lastChecked.isEmpty ? t("explain.noneBefore") : lastChecked.map { "\($0.item) \($0.date)" }.joined(separator: ", ")) + "\n"

        out += "\n" + n("explain.duties", requiredChecks, seed, requiredChecks) + "\n"
        for d in duties {
            var line = "  \(d.item) (\(d.department)"
            if !d.itemName.isEmpty { line += ", \(d.itemName)" }
            line += "): \(d.frequency)"
            if let dr = d.draw {
                line += t("explain.draw", dr.population, dr.size, String(format: "%.8f", dr.u), dr.rank,
                          dr.cutoff.map { String(format: "%.8f", Draw.unit($0)) } ?? t("explain.noCutoff"))
                line += dr.drawn ? t("explain.drawn") : t("explain.notDrawn")
            }
            line += d.checks > 0 ? n("explain.checks", d.checks, d.checks) : ""
            if d.minSpacingDays > 0 { line += t("explain.apartDays", d.minSpacingDays) }
            if let lc = d.lastChecked { line += t("explain.lastCheckedOn", lc) }
            out += line + "\n"
            for (occ, o) in d.outcomes {
                switch o {
                case let .onsite(v, date, p): out += t("explain.onsiteBy", occ, v, date, p) + "\n"
                case let .remote(date, p): out += t("explain.remoteBy", occ, date, p) + "\n"
                case let .unmet(r): out += t("explain.unmetAs", occ, language == .en ? r.rawValue : t("reason.\(r.rawValue)")) + "\n"
                }
            }
        }

        out += "\n" + t("explain.visits", visits.count) + "\n"
        if visits.isEmpty { out += t("explain.noneIndent") + "\n" }
        for v in visits {
            out += "  \(v.id)  \(v.date) \(ClockTime.format(v.start))–\(ClockTime.format(v.end))  " + t("explain.team").dropFirst(2)
            out += v.team.map { "\($0.inspector)\($0.name.isEmpty ? "" : " \($0.name)") (\($0.department))" }.joined(separator: ", ")
            if !v.pins.isEmpty { out += "  [pinned[\(v.pins.map(String.init).joined(separator: "], pinned["))]]" }
            out += "\n"
            for p in v.team.map(\.inspector) {
                let mine = v.checks.filter { $0.inspector == p }
                guard !mine.isEmpty else { continue }
                out += t("explain.checksBy", p) + mine.map { "\($0.item) #\($0.occurrence)" }.joined(separator: ", ") + "\n"
            }
        }
        if !remoteChecks.isEmpty {
            out += "\n" + t("explain.remoteHeading", remoteChecks.count) + "\n"
            for r in remoteChecks { out += t("explain.remoteLine", r.item, r.occurrence, r.date, r.inspector) + "\n" }
        }
        out += "\n" + n("explain.why", visits.count, visits.count) + "\n"
        for r in visitReasons { out += "  - \(r)\n" }
        if !unmet.isEmpty {
            out += "\n" + t("explain.unmetHeading", unmet.count) + "\n"
            for u in unmet {
                out += "  \(u.item) #\(u.occurrence): \(language == .en ? u.reason.rawValue : t("reason.\(u.reason.rawValue)"))\n"
                for b in u.because { out += "    - \(b)\n" }
            }
        }
        if !staffing.isEmpty {
            out += "\n" + t("explain.staffingHeading") + "\n"
            for l in staffing { out += "  - \(l)\n" }
        }
        return out
    }
}
