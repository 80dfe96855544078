import Foundation

/// Reads and validates a `jointplan.scenario/1` document (spec 2) into a `Scenario` with every
/// default applied, or reports **all** of its problems, each with its JSON path
/// (`enterprises[12].town: unknown town "T9"`).
///
/// It accepts what check_plan.py's `parse_scenario` accepts and rejects what it rejects
/// (readings A1–A7, A21), with the same paths and messages, and adds a few rules of its own so
/// that nothing downstream can trap, allocate without bound or hang:
/// - files larger than 128 MiB (`maxFileBytes`) are refused before parsing; JSON nesting is
///   limited to 256 levels by `JSONParser`;
/// - integers must fit the domain: minutes and visits per day at most 1440, other counts, caps
///   and days at most 100,000, unmet weights at most 1,000,000, the seed a non-negative
///   integer that fits 64 bits;
/// - the horizon is at most 1096 days long (three years; the product plans quarters) and
///   has at least one working day; breaks lie inside `[dayStart, dayEnd]` and leave some
///   working time;
/// - keys repeated inside `extensions` are errors too (A3).
///
/// The first 10,000 problems are listed in full; a last one counts the others, so that a
/// file with millions of mistakes still gets a short, fast answer.
///
/// Date lists (holidays, extra workdays, leave, blackout) are stored clipped to the horizon
/// and merged into disjoint sorted spans, and breaks as their union: only dates inside the
/// horizon have a meaning, and this keeps every calendar lookup bounded by the horizon's
/// length and the day's minutes, however many entries the file has.
public enum ScenarioReader {
    /// Files larger than this (128 MiB) are refused up front.
    public static let maxFileBytes = ScenarioLimits.maxFileBytes

    /// The validated scenario; throws `InputProblems` with every problem found.
    public static func read(_ data: Data) throws -> Scenario {
        let (scenario, findings) = evaluate(data)
        guard let scenario else { throw InputProblems(findings.map(\.problem)) }
        return scenario
    }

    /// The validated scenario of an already parsed document (e.g. a JSON-RPC parameter).
    public static func read(json: JSON) throws -> Scenario {
        let (scenario, findings) = evaluate(json: json)
        guard let scenario else { throw InputProblems(findings.map(\.problem)) }
        return scenario
    }

    /// Every problem of a scenario file; empty when it is valid.
    public static func problems(_ data: Data) -> [InputProblem] {
        evaluate(data).findings.map(\.problem)
    }

    /// Every problem of a parsed scenario document; empty when it is valid.
    public static func problems(json: JSON) -> [InputProblem] {
        evaluate(json: json).findings.map(\.problem)
    }

    /// The problem with a file of this size, if it is larger than `maxFileBytes`; lets a
    /// caller refuse a file before reading it into memory.
    public static func sizeProblem(byteCount: Int) -> InputProblem? {
        guard byteCount > maxFileBytes else { return nil }
        let mib = String(format: "%.1f", Double(byteCount) / 1_048_576)
        return InputProblem(path: "(file)", message: "the file has \(mib) MiB; scenarios larger than 128 MiB are refused")
    }

    // MARK: -

    static func evaluate(_ data: Data) -> (scenario: Scenario?, findings: [ScenarioFinding]) {
        if let tooLarge = sizeProblem(byteCount: data.count) {
            return (nil, [ScenarioFinding(problem: tooLarge, beyondChecker: true)])
        }
        let doc: JSON
        do {
            doc = try JSONParser.parse(data)
        } catch let e as JSONParseError {
            // Python's json reads deeper nesting, longer number literals and lone surrogate
            // escapes; our parser refuses them to stay safe.
            let stricter = ["nested more than", "number literal too long", "unpaired surrogate"].contains { e.message.hasPrefix($0) }
            return (nil, [ScenarioFinding(problem: InputProblem(path: "(file)", message: "not valid JSON: \(e)"), beyondChecker: stricter)])
        } catch {
            return (nil, [ScenarioFinding(problem: InputProblem(path: "(file)", message: "not valid JSON: \(error)"), beyondChecker: false)])
        }
        return evaluate(json: doc)
    }

    static func evaluate(json doc: JSON) -> (scenario: Scenario?, findings: [ScenarioFinding]) {
        var reading = ScenarioReading()
        let scenario = reading.read(doc)
        return (reading.fields.hasProblems ? nil : scenario, reading.fields.findings)
    }
}

/// Keys of each kind of object (spec 2); anything else is an unknown key.
enum ScenarioKeys {
    static let top: Set = ["format", "name", "horizon", "towns", "departments", "inspectors", "items",
                           "enterprises", "policy", "pinned"]
    static let horizon: Set = ["start", "end", "workdays", "holidays", "extraWorkdays", "dayStart", "dayEnd",
                               "breaks", "timezone"]
    static let policy: Set = ["minInspectorsPerVisit", "visitBaseMinutes", "maxVisitsPerDay",
                              "travelWithinTownMinutes", "travelBetweenTownsMinutes", "maxOnsiteVisits",
                              "whitelistMaxOnsiteVisitsPerYear", "unmetWeight", "sampling", "seed",
                              "inspectorDispatch"]
    static let breakSpan: Set = ["start", "end"]
    static let town: Set = ["id", "name", "travel"]
    static let department: Set = ["id", "name"]
    static let inspector: Set = ["id", "name", "department", "certified", "unavailable", "maxVisitsPerDay", "recusals"]
    static let item: Set = ["id", "name", "department", "categories", "minutes", "remote", "delegable",
                            "frequency", "minSpacingDays"]
    static let remote: Set = ["allowed", "minutes"]
    static let frequency: Set = ["count", "sampleRate"]
    static let enterprise: Set = ["id", "name", "town", "categories", "tier", "whitelisted", "blackout",
                                  "onsiteVisitsThisYear", "lastChecked", "address"]
    static let pin: Set = ["enterprise", "date", "start", "inspectors", "items"]
    static let tiers: Set = ["A", "B", "C", "D"]
}

/// One pass over a scenario document, in check_plan.py's order: top level, policy, horizon,
/// ids of every list, towns, departments, items, enterprises, inspectors, pinned.
struct ScenarioReading {
    var fields = ScenarioFields()

    /// The scenario built from the valid parts; meaningful only when no problem was found.
    mutating func read(_ doc: JSON) -> Scenario {
        var scenario = Scenario(horizon: Horizon(start: Day(number: 0), end: Day(number: 0)))
        // A document that does not say it is a scenario is not read any further, and its
        // `format` is not repeated: a service reading any file named by a request must not
        // report the values of a file that is not a scenario (issue 12: a demo leaked
        // `"format": "SECRET-TOKEN-abc123"` and the values at other known keys).
        if let o = doc.objectValue {
            switch o["format"] {
            case nil:
                fields.report("format", "is required but missing: this is not a \(Scenario.format) document, so nothing else in it was read")
                return scenario
            case .string(Scenario.format)?:
                break
            case .some:
                fields.report("format", "must be \(JSONWriter.quote(Scenario.format)): this is not a scenario, so nothing else in it was read")
                return scenario
            }
        }
        guard let top = fields.object(doc, "", keys: ScenarioKeys.top) else { return scenario }
        scenario.name = fields.string(top, "name", of: "", nonEmpty: false) ?? ""
        scenario.noticeIssuer = Extensions.text(top, "noticeIssuer")
        scenario.noticeContact = Extensions.text(top, "noticeContact")
        scenario.policy = readPolicy(top)
        scenario.horizon = readHorizon(top)

        var lists: [String: [JSON]] = [:]
        for name in ["towns", "departments", "items", "enterprises", "inspectors"] {
            lists[name] = fields.list(top, name, of: "", required: true) ?? []
        }
        let pinned = fields.list(top, "pinned", of: "") ?? []
        var ids: [String: [String: Int]] = [:]
        for name in ["towns", "departments", "items", "enterprises", "inspectors"] {
            ids[name] = fields.collectIDs(lists[name]!, name)
        }
        let known = KnownIDs(towns: ids["towns"]!, departments: ids["departments"]!, items: ids["items"]!,
                             enterprises: ids["enterprises"]!, inspectors: ids["inspectors"]!)

        scenario.towns = readTowns(lists["towns"]!, known)
        scenario.departments = readDepartments(lists["departments"]!, known)
        scenario.items = readItems(lists["items"]!, known)
        // Leave and blackout are kept a horizon's maximum length either side, so the plan
        // checker still names leave on a (wrongly) out-of-horizon visit date as check_plan.py
        // does, while hostile spans stay bounded.
        let window = DateSpan(scenario.horizon.start - 1096, scenario.horizon.end + 1096)
        scenario.enterprises = readEnterprises(lists["enterprises"]!, known, window: window)
        scenario.inspectors = readInspectors(lists["inspectors"]!, known, window: window)
        scenario.pinned = readPinned(pinned, known)
        scenario.index()
        return scenario
    }

    struct KnownIDs {
        var towns, departments, items, enterprises, inspectors: [String: Int]
    }

    // MARK: policy (spec 2, policy; A1, A2, A4)

    private mutating func readPolicy(_ top: JSONObject) -> Policy {
        var policy = Policy()
        let p = "policy"
        let o = fields.object(top, "policy", of: "", keys: ScenarioKeys.policy)
        if let v = fields.integer(o, "minInspectorsPerVisit", of: p, .count(min: 1)) { policy.minInspectorsPerVisit = v }
        if let v = fields.integer(o, "visitBaseMinutes", of: p, .minutes(min: 0)) { policy.visitBaseMinutes = v }
        if let v = fields.integer(o, "maxVisitsPerDay", of: p, .visitsPerDay) { policy.maxVisitsPerDay = v }
        if let v = fields.integer(o, "travelWithinTownMinutes", of: p, .minutes(min: 0)) { policy.travelWithinTownMinutes = v }
        if let v = fields.integer(o, "travelBetweenTownsMinutes", of: p, .minutes(min: 0)) { policy.travelBetweenTownsMinutes = v }
        readTierMap(o, "maxOnsiteVisits", into: &policy.maxOnsiteVisits) { f, x, path in f.integer(x, path, .count(min: 0)) }
        if let v = fields.integer(o, "whitelistMaxOnsiteVisitsPerYear", of: p, .count(min: 0)) { policy.whitelistMaxOnsiteVisitsPerYear = v }
        readTierMap(o, "unmetWeight", into: &policy.unmetWeight) { f, x, path in
            guard let w = f.number(x, path, min: 0) else { return nil }
            guard w <= ScenarioLimits.maxWeight else {
                f.report(path, "must be <= \(JSON.format(ScenarioLimits.maxWeight)), got \(x.short)", beyondChecker: true)
                return nil
            }
            return w
        }
        if let s = fields.string(o, "sampling", of: p) {
            if let sampling = Sampling(rawValue: s) { policy.sampling = sampling }
            else { fields.report("policy.sampling", "must be \"coordinated\" or \"independent\", got \(JSONWriter.quote(s))") }
        }
        if let s = fields.string(o, "inspectorDispatch", of: p) {
            if let mode = InspectorDispatch(rawValue: s) { policy.inspectorDispatch = mode }
            else { fields.report("policy.inspectorDispatch", "must be \"random\" or \"optimised\", got \(JSONWriter.quote(s))") }
        }
        if let x = fields.member(o, "seed", of: p, required: false) { policy.seed = readSeed(x, "policy.seed") ?? 0 }
        // KPI targets (issue 23), under extensions: check_plan.py does not know them (A3).
        if let x = o?["extensions"]?["targets"] {
            let (targets, problems) = KPITargets.read(x, path: "policy.extensions.targets")
            policy.targets = targets
            for pr in problems { fields.report(pr.path, pr.message, beyondChecker: true) }
        }
        return policy
    }

    /// The seed is written in decimal into the draw's hash input (spec 2.1), so it must be a
    /// non-negative integer; it must also fit the 64 bits the plan records.
    private mutating func readSeed(_ x: JSON, _ p: String) -> UInt64? {
        guard case .number(let lit) = x, ScenarioFields.isIntegerLiteral(lit) else {
            fields.report(p, "must be an integer, got \(x.short)")
            return nil
        }
        if lit.hasPrefix("-") {
            if lit == "-0" { return 0 }
            fields.report(p, "must be a non-negative integer, got \(lit)", beyondChecker: true)
            return nil
        }
        guard let v = UInt64(lit) else {
            fields.report(p, "must be <= \(UInt64.max) (64 bits), got \(lit)", beyondChecker: true)
            return nil
        }
        return v
    }

    /// A per-tier object (A2): may be partial, keys A–D; a missing or invalid tier keeps its
    /// default.
    private mutating func readTierMap<V>(_ o: JSONObject?, _ key: String, into out: inout PerTier<V>,
                                         _ check: (inout ScenarioFields, JSON, String) -> V?) {
        guard let m = fields.object(o, key, of: "policy", keys: ScenarioKeys.tiers) else { return }
        let p = JSONPath.key("policy", key)
        for t in Tier.allCases {
            if let x = m[t.rawValue], let v = check(&fields, x, JSONPath.key(p, t.rawValue)) { out[t] = v }
        }
    }

    // MARK: horizon (spec 2, horizon; A5–A7)

    private mutating func readHorizon(_ top: JSONObject) -> Horizon {
        let p = "horizon"
        let o = fields.object(top, "horizon", of: "", required: true, keys: ScenarioKeys.horizon)
        let start = fields.date(o, "start", of: p, required: true)
        let end = fields.date(o, "end", of: p, required: true)
        var h = Horizon(start: start ?? Day(number: 0), end: end ?? Day(number: 0))
        var lengthOK = false
        if let start, let end {
            if start > end {
                fields.report("horizon.end", "\(end) is before horizon.start \(start)")
            } else if end - start + 1 > ScenarioLimits.maxHorizonDays {
                fields.report("horizon.end", "the horizon is longer than \(ScenarioLimits.maxHorizonDays) days (\(start)..\(end) has \(end - start + 1)); plan at most three years at a time",
                              beyondChecker: true)
            } else {
                lengthOK = true
            }
        }
        let window = DateSpan(h.start, h.end)
        if let days = fields.list(o, "workdays", of: p) {
            h.workdays = []
            for (i, w) in days.enumerated() {
                if let v = fields.integer(w, JSONPath.index("horizon.workdays", i), .isoWeekday) { h.workdays.insert(v) }
            }
        }
        let holidays = fields.spans(o, "holidays", of: p)
        let extra = fields.spans(o, "extraWorkdays", of: p)
        h.dayStart = fields.time(o, "dayStart", of: p) ?? h.dayStart
        h.dayEnd = fields.time(o, "dayEnd", of: p) ?? h.dayEnd
        let dayOK = h.dayStart < h.dayEnd
        if !dayOK {
            fields.report("horizon.dayEnd", "\(ClockTime.format(h.dayEnd)) is not after dayStart \(ClockTime.format(h.dayStart))")
        }
        var breaksOK = true
        for (i, b) in (fields.list(o, "breaks", of: p) ?? []).enumerated() {
            let bp = JSONPath.index("horizon.breaks", i)
            guard let bo = fields.object(b, bp, keys: ScenarioKeys.breakSpan) else { breaksOK = false; continue }
            let bs = fields.time(bo, "start", of: bp, required: true)
            let be = fields.time(bo, "end", of: bp, required: true)
            guard let bs, let be else { breaksOK = false; continue }
            if bs >= be {
                fields.report(JSONPath.key(bp, "end"), "\(ClockTime.format(be)) is not after the break's start \(ClockTime.format(bs))")
                breaksOK = false
            } else if dayOK && (bs < h.dayStart || be > h.dayEnd) {
                fields.report(bp, "the break \(ClockTime.format(bs))-\(ClockTime.format(be)) is not inside the working day \(ClockTime.format(h.dayStart))-\(ClockTime.format(h.dayEnd))",
                              beyondChecker: true)
                breaksOK = false
            } else {
                h.breaks.append(TimeSpan(start: bs, end: be))
            }
        }
        if let tz = fields.string(o, "timezone", of: p) {
            h.timezone = tz
            // Beyond the checker: calendars are exported in this zone (spec 2, horizon).
            if TimeZone(identifier: tz) == nil {
                fields.report(JSONPath.key(p, "timezone"), "unknown time zone \(JSONWriter.quote(tz)) (an IANA name such as \"Asia/Shanghai\")", beyondChecker: true)
            }
        }
        h.holidays = (holidays ?? []).merged(within: window)
        h.extraWorkdays = (extra ?? []).merged(within: window)
        h.breaks = ScenarioReading.union(h.breaks)

        // Beyond the checker: a horizon in which nothing can be planned is a mistake in the file.
        if dayOK && breaksOK && h.breaks.reduce(0, { $0 + $1.end - $1.start }) >= h.dayEnd - h.dayStart {
            fields.report("horizon.breaks", "the breaks cover the whole working day \(ClockTime.format(h.dayStart))-\(ClockTime.format(h.dayEnd))",
                          beyondChecker: true)
        }
        if lengthOK && WorkCalendar(h).days.isEmpty {
            fields.report("horizon", "the horizon \(h.start)..\(h.end) has no working day (workdays \(h.workdays.sorted().map(String.init).joined(separator: ",")), minus holidays, plus extraWorkdays)",
                          beyondChecker: true)
        }
        return h
    }

    /// The union of the breaks as sorted, disjoint, non-touching spans: the same minutes
    /// (A7: working minutes subtract the union; a visit overlaps it exactly when it overlaps
    /// one of the breaks), and at most 720 spans however many the file lists.
    static func union(_ breaks: [TimeSpan]) -> [TimeSpan] {
        var out: [TimeSpan] = []
        for b in breaks.sorted(by: { $0.start < $1.start }) {
            if let last = out.last, b.start <= last.end {
                out[out.count - 1].end = max(last.end, b.end)
            } else {
                out.append(b)
            }
        }
        return out
    }

    // MARK: lists (spec 2; A4, A21)

    private mutating func readTowns(_ list: [JSON], _ known: KnownIDs) -> [Town] {
        var towns: [Town] = []
        towns.reserveCapacity(list.count)
        for (i, x) in list.enumerated() {
            let p = JSONPath.index("towns", i)
            guard let o = fields.object(x, p, keys: ScenarioKeys.town) else { continue }
            let id = fields.string(o, "id", of: p, required: true)
            let name = fields.string(o, "name", of: p, nonEmpty: false) ?? ""
            let travel = fields.object(o, "travel", of: p, keys: nil)
            // As in the checker, the travel entries of a town without a usable id are not read.
            guard let id, known.towns[id] == i else { continue }
            var town = Town(id: id)
            town.name = name
            for (other, minutes) in travel?.pairs ?? [] {
                func op() -> String { JSONPath.key(JSONPath.key(p, "travel"), other) }
                guard known.towns[other] != nil else {
                    fields.report(op(), "unknown town \(JSONWriter.quote(other))")
                    continue
                }
                // A town's entry to itself is ignored (A21); `Scenario.index()` skips it.
                if let m = fields.integer(minutes, op(), .minutes(min: 0)) { town.travel[other] = m }
            }
            towns.append(town)
        }
        return towns
    }

    private mutating func readDepartments(_ list: [JSON], _ known: KnownIDs) -> [Department] {
        var departments: [Department] = []
        for (i, x) in list.enumerated() {
            let p = JSONPath.index("departments", i)
            guard let o = fields.object(x, p, keys: ScenarioKeys.department) else { continue }
            let id = fields.string(o, "id", of: p, required: true)
            let name = fields.string(o, "name", of: p, nonEmpty: false) ?? ""
            guard let id, known.departments[id] == i else { continue }
            var d = Department(id: id)
            d.name = name
            d.contact = Extensions.text(o, "contact")
            departments.append(d)
        }
        return departments
    }

    private mutating func readItems(_ list: [JSON], _ known: KnownIDs) -> [Item] {
        var items: [Item] = []
        items.reserveCapacity(list.count)
        for (i, x) in list.enumerated() {
            let p = JSONPath.index("items", i)
            guard let o = fields.object(x, p, keys: ScenarioKeys.item) else { continue }
            let id = fields.string(o, "id", of: p, required: true)
            let name = fields.string(o, "name", of: p, nonEmpty: false) ?? ""
            let department = fields.string(o, "department", of: p, required: true)
            if let department, known.departments[department] == nil {
                fields.report(JSONPath.key(p, "department"), "unknown department \(JSONWriter.quote(department))")
            }
            let categories = fields.strings(o, "categories", of: p, required: true) ?? []
            let minutes = fields.integer(o, "minutes", of: p, required: true, .minutes(min: 1))
            let remote = fields.object(o, "remote", of: p, keys: ScenarioKeys.remote)
            let rp = JSONPath.key(p, "remote")
            let remoteAllowed = fields.bool(remote, "allowed", of: rp) ?? false
            let remoteMinutes = fields.integer(remote, "minutes", of: rp, .minutes(min: 0)) ?? 0
            let delegable = fields.bool(o, "delegable", of: p) ?? false
            let spacing = fields.integer(o, "minSpacingDays", of: p, .count(min: 0)) ?? 0
            let frequency = readFrequency(o, p)
            guard let id, known.items[id] == i, let department, let minutes else { continue }
            var item = Item(id: id, department: department, minutes: minutes)
            item.name = name
            item.categories = categories
            item.remoteAllowed = remoteAllowed
            item.remoteMinutes = remoteMinutes
            item.delegable = delegable
            item.frequency = frequency
            item.minSpacingDays = spacing
            item.materials = Extensions.texts(o, "materials")
            let carried = Extensions.text(o, "carryOverOf")
            if !carried.isEmpty {
                item.carryOverOf = carried
                item.carryOverFrom = Extensions.text(o, "carryOverFrom")
            }
            items.append(item)
        }
        return items
    }

    /// `frequency`: per tier exactly one of `count` (integer ≥ 1) and `sampleRate` (0 < r < 1),
    /// the rate keeping its decimal literal for the exact draw size (spec 2.1, A4, A8).
    private mutating func readFrequency(_ o: JSONObject, _ p: String) -> [Tier: Frequency] {
        var out: [Tier: Frequency] = [:]
        guard let fr = fields.object(o, "frequency", of: p, keys: ScenarioKeys.tiers) else { return out }
        let fp = JSONPath.key(p, "frequency")
        for t in Tier.allCases {
            guard let x = fr[t.rawValue] else { continue }
            let tp = JSONPath.key(fp, t.rawValue)
            guard let fo = fields.object(x, tp, keys: ScenarioKeys.frequency) else { continue }
            switch (fo["count"], fo["sampleRate"]) {
            case (let c?, nil):
                if let k = fields.integer(c, JSONPath.key(tp, "count"), .count(min: 1)) { out[t] = .count(k) }
            case (nil, let r?):
                if fields.number(r, JSONPath.key(tp, "sampleRate"), above: 0, below: 1) != nil,
                   case .number(let lit) = r, let rate = SampleRate(literal: lit) {
                    out[t] = .sampleRate(rate)
                }
            default:
                fields.report(tp, "must have exactly one of \"count\" and \"sampleRate\"")
            }
        }
        return out
    }

    private mutating func readEnterprises(_ list: [JSON], _ known: KnownIDs, window: DateSpan) -> [Enterprise] {
        var enterprises: [Enterprise] = []
        enterprises.reserveCapacity(list.count)
        for (i, x) in list.enumerated() {
            let p = JSONPath.index("enterprises", i)
            guard let o = fields.object(x, p, keys: ScenarioKeys.enterprise) else { continue }
            let id = fields.string(o, "id", of: p, required: true)
            let name = fields.string(o, "name", of: p, nonEmpty: false) ?? ""
            // Spec 2: `address` [""] (calendar LOCATION, notices); check_plan.py reads it too.
            _ = fields.string(o, "address", of: p, nonEmpty: false)
            let town = fields.string(o, "town", of: p, required: true)
            if let town, known.towns[town] == nil {
                fields.report(JSONPath.key(p, "town"), "unknown town \(JSONWriter.quote(town))")
            }
            let categories = fields.strings(o, "categories", of: p, required: true) ?? []
            var tier: Tier?
            if let t = fields.string(o, "tier", of: p, required: true) {
                tier = Tier(rawValue: t)
                if tier == nil { fields.report(JSONPath.key(p, "tier"), "must be one of \"A\", \"B\", \"C\", \"D\", got \(JSONWriter.quote(t))") }
            }
            let whitelisted = fields.bool(o, "whitelisted", of: p) ?? false
            let blackout = fields.spans(o, "blackout", of: p) ?? []
            let onsite = fields.integer(o, "onsiteVisitsThisYear", of: p, .count(min: 0)) ?? 0
            let address = fields.string(o, "address", of: p, nonEmpty: false) ?? ""
            var lastChecked: [String: Day] = [:]
            for (item, date) in fields.object(o, "lastChecked", of: p, keys: nil)?.pairs ?? [] {
                func ip() -> String { JSONPath.key(JSONPath.key(p, "lastChecked"), item) }
                guard known.items[item] != nil else {
                    fields.report(ip(), "unknown item \(JSONWriter.quote(item))")
                    continue
                }
                if let d = fields.date(date, ip()) { lastChecked[item] = d }
            }
            guard let id, known.enterprises[id] == i, let town, let tier else { continue }
            var e = Enterprise(id: id, town: town, tier: tier)
            e.name = name
            e.categories = categories
            e.whitelisted = whitelisted
            e.blackout = blackout.merged(within: window)
            e.onsiteVisitsThisYear = onsite
            e.lastChecked = lastChecked
            e.address = address
            e.contact = Extensions.text(o, "contact")
            enterprises.append(e)
        }
        return enterprises
    }

    private mutating func readInspectors(_ list: [JSON], _ known: KnownIDs, window: DateSpan) -> [Inspector] {
        var inspectors: [Inspector] = []
        inspectors.reserveCapacity(list.count)
        for (i, x) in list.enumerated() {
            let p = JSONPath.index("inspectors", i)
            guard let o = fields.object(x, p, keys: ScenarioKeys.inspector) else { continue }
            let id = fields.string(o, "id", of: p, required: true)
            let name = fields.string(o, "name", of: p, nonEmpty: false) ?? ""
            let department = fields.string(o, "department", of: p, required: true)
            if let department, known.departments[department] == nil {
                fields.report(JSONPath.key(p, "department"), "unknown department \(JSONWriter.quote(department))")
            }
            let certified = fields.bool(o, "certified", of: p) ?? true
            let unavailable = fields.spans(o, "unavailable", of: p) ?? []
            // Absent: the policy's value applies (kept nil so a what-if on the policy reaches it).
            let maxVisits = fields.integer(o, "maxVisitsPerDay", of: p, .visitsPerDay)
            var recusals = Set<String>()
            for (j, r) in (fields.list(o, "recusals", of: p) ?? []).enumerated() {
                func jp() -> String { JSONPath.index(JSONPath.key(p, "recusals"), j) }
                guard let e = fields.string(r, jp()) else { continue }
                if known.enterprises[e] == nil { fields.report(jp(), "unknown enterprise \(JSONWriter.quote(e))") }
                recusals.insert(e)
            }
            guard let id, known.inspectors[id] == i, let department else { continue }
            var ins = Inspector(id: id, department: department)
            ins.name = name
            ins.certified = certified
            ins.unavailable = unavailable.merged(within: window)
            ins.maxVisitsPerDay = maxVisits
            ins.recusals = recusals
            ins.email = Extensions.text(o, "email")
            inspectors.append(ins)
        }
        return inspectors
    }

    private mutating func readPinned(_ list: [JSON], _ known: KnownIDs) -> [Pin] {
        var pins: [Pin] = []
        for (i, x) in list.enumerated() {
            let p = JSONPath.index("pinned", i)
            guard let o = fields.object(x, p, keys: ScenarioKeys.pin) else { continue }
            let enterprise = fields.string(o, "enterprise", of: p, required: true)
            if let enterprise, known.enterprises[enterprise] == nil {
                fields.report(JSONPath.key(p, "enterprise"), "unknown enterprise \(JSONWriter.quote(enterprise))")
            }
            let date = fields.date(o, "date", of: p, required: true)
            let start = fields.time(o, "start", of: p)
            // Paths name the entry's index in the file (check_plan.py counts only the valid strings).
            let inspectors = fields.indexedStrings(o, "inspectors", of: p) ?? []
            for (j, x) in inspectors where known.inspectors[x] == nil {
                fields.report(JSONPath.index(JSONPath.key(p, "inspectors"), j), "unknown inspector \(JSONWriter.quote(x))")
            }
            let items = fields.indexedStrings(o, "items", of: p) ?? []
            for (j, x) in items where known.items[x] == nil {
                fields.report(JSONPath.index(JSONPath.key(p, "items"), j), "unknown item \(JSONWriter.quote(x))")
            }
            guard let enterprise, let date else { continue }
            var pin = Pin(index: i, enterprise: enterprise, date: date)
            pin.start = start
            pin.inspectors = inspectors.map(\.value)
            pin.items = items.map(\.value)
            pins.append(pin)
        }
        return pins
    }
}

/// The few `extensions` keys jointplan reads (docs/decisions.md, Notices). Their content is free
/// (spec 2, A3), so a value of another type is ignored, not an error: the checker accepts it.
enum Extensions {
    /// `extensions.<key>` as a string; "" when absent or not a string.
    static func text(_ o: JSONObject, _ key: String) -> String {
        o["extensions"]?[key]?.stringValue ?? ""
    }

    /// `extensions.<key>` as a list of non-empty strings: one string, or an array (its
    /// non-string entries skipped).
    static func texts(_ o: JSONObject, _ key: String) -> [String] {
        guard let v = o["extensions"]?[key] else { return [] }
        if let s = v.stringValue { return s.isEmpty ? [] : [s] }
        return (v.arrayValue ?? []).compactMap(\.stringValue).filter { !$0.isEmpty }
    }
}
