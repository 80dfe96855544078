import Foundation

/// What a generated district is made from: its size, the random seed and the staffing.
public struct DistrictParameters: Sendable, Equatable {
    public var enterprises: Int
    /// The generator's seed (not the draw's: that is `policy.seed`, the quarter's first day).
    public var seed: UInt64
    /// How many departments, taken in `DistrictCatalog.departments` order (1…13).
    public var departments = 7
    /// How many streets and towns (1…30).
    public var towns = 16
    /// Inspectors before the staffing factor; nil: enterprises/100 (at least 8), raised where
    /// needed so that every department has three times the visit slots its checks need.
    public var inspectors: Int?
    public var quarter = Quarter(year: 2026, number: 1)!
    /// Multiplies the inspectors: 1 is comfortable, about 0.35 is clearly short.
    public var staffing = 1.0
    /// Duty rosters: each inspector is on planned-inspection duty on 1…`rosterDays` days a
    /// week — the district's joint days (Tuesday, Thursday) when drawn, else days of their
    /// own — and the other working days are listed under `unavailable`. nil: every day.
    public var rosterDays: Int?
    /// Inspectors per department drawn from this range (tiny departments); nil: by need.
    public var departmentSize: ClosedRange<Int>?
    /// `policy.minInspectorsPerVisit` (2; 3 gives three-person teams).
    public var minTeam = 2
    /// Multiplies travel between towns (long travel in a rural district).
    public var travelScale = 1.0
    /// Pinned visits; nil: a few by size. With `pinsShareInspectors`, pins may name the same
    /// inspectors on the same days (whether they can all hold is then for the solver to say).
    public var pins: Int?
    public var pinsShareInspectors = false
    /// Share of A-tier enterprises on the white list (0.05 by default; a Q2 list is longer).
    public var whitelistShare = 0.05
    /// Share of enterprises with a declared blackout (a peak season of one or two weeks,
    /// `enterprises[].blackout`); 0.03 by default.
    public var blackoutShare = 0.03
    /// `policy.inspectorDispatch` (rule 11): drawn at random by default.
    public var dispatch = InspectorDispatch.random

    public init(enterprises: Int, seed: UInt64) {
        self.enterprises = enterprises
        self.seed = seed
    }

    /// What is wrong with these parameters, one sentence each; empty when they can be used.
    public var problems: [String] {
        var out: [String] = []
        if !(1...999_999).contains(enterprises) { out.append("enterprises must be 1…999999, got \(enterprises)") }
        let maxDept = DistrictCatalog.departments.count
        if !(1...maxDept).contains(departments) { out.append("departments must be 1…\(maxDept), got \(departments)") }
        let maxTowns = DistrictCatalog.towns.count
        if !(1...maxTowns).contains(towns) { out.append("towns must be 1…\(maxTowns), got \(towns)") }
        if let m = inspectors, !(1...99_999).contains(m) { out.append("inspectors must be 1…99999, got \(m)") }
        if !ChinaHolidays.years.contains(quarter.year) {
            out.append("quarter \(quarter) is outside \(ChinaHolidays.years.lowerBound)–\(ChinaHolidays.years.upperBound), the years whose official holiday calendar is known")
        }
        if !(staffing.isFinite && staffing > 0 && staffing <= 100) { out.append("staffing must be a factor > 0 and ≤ 100, got \(staffing)") }
        if let r = rosterDays, !(1...5).contains(r) { out.append("roster days must be 1…5 a week, got \(r)") }
        if let d = departmentSize, !(d.lowerBound >= 1 && d.upperBound <= 999) { out.append("department size must be within 1…999, got \(d)") }
        if !(1...5).contains(minTeam) { out.append("minimum team must be 1…5, got \(minTeam)") }
        if !(travelScale.isFinite && travelScale > 0 && travelScale <= 10) { out.append("travel scale must be > 0 and ≤ 10, got \(travelScale)") }
        if let n = pins, !(0...500).contains(n) { out.append("pins must be 0…500, got \(n)") }
        if !(whitelistShare >= 0 && whitelistShare <= 1) { out.append("white-list share must be 0…1, got \(whitelistShare)") }
        if !(blackoutShare >= 0 && blackoutShare <= 1) { out.append("blackout share must be 0…1, got \(blackoutShare)") }
        return out
    }

    /// A district of varied shape drawn from `seed`: rosters of 1–3 duty days a week or none,
    /// departments of 2–6 inspectors or by need, two- or three-person teams, normal or long
    /// travel, pins that may share inspectors, short or long white lists, comfortable or short
    /// staffing. What the robustness suite solves.
    public static func random(enterprises: Int, seed: UInt64) -> DistrictParameters {
        var rng = SeededRandom(seed: seed, stream: "random-district")
        var p = DistrictParameters(enterprises: enterprises, seed: seed)
        p.departments = rng.int(2...9)
        p.towns = rng.int(2...16)
        if rng.chance(0.7) { p.rosterDays = rng.int(1...3) }
        if rng.chance(0.6) {
            let low = rng.int(2...3)
            p.departmentSize = low...(low + rng.int(0...3))
        }
        p.minTeam = rng.chance(0.2) ? 3 : 2
        p.travelScale = rng.chance(0.25) ? 2.5 : 1
        p.pins = rng.int(0...8)
        p.pinsShareInspectors = rng.chance(0.5)
        p.whitelistShare = rng.chance(0.3) ? 0.3 : 0.05
        p.staffing = rng.chance(0.5) ? 1 : [0.3, 0.5, 0.7][rng.int(0...2)]
        p.quarter = Quarter(year: 2026, number: rng.int(1...4))!
        return p
    }
}

/// A generated district and the figures that say how it was sized.
public struct GeneratedDistrict: Sendable {
    /// The `jointplan.scenario/1` document.
    public var scenario: JSON
    public var summary: DistrictSummary
}

/// How a generated district is sized: the expected workload and staffing per department.
public struct DistrictSummary: Sendable {
    public struct DepartmentLoad: Sendable {
        public var department: String
        public var inspectors: Int
        /// Expected on-site visits of this department had it gone alone, its staffing
        /// workload: per enterprise the largest expected number of checks of one of its items
        /// that are not remote-allowed (delegable ones count: departments staff for their own
        /// duties, though a joint team may share them).
        public var visitsNeeded: Double
        /// Σ over its certified inspectors of maxVisitsPerDay × working days not on leave.
        public var visitSlots: Int
        /// visitSlots ÷ visitsNeeded (∞ with no need); ≥ 3 is comfortable.
        public var slack: Double { visitsNeeded > 0 ? Double(visitSlots) / visitsNeeded : .infinity }
    }

    public var enterprises: Int
    public var tiers: [Tier: Int]
    public var whitelisted: Int
    public var blackouts: Int
    public var withHistory: Int
    public var items: Int
    public var pinned: Int
    public var workingDays: Int
    /// Expected number of required checks (counts plus the expected draws).
    public var expectedChecks: Double
    /// Expected on-site visits if every enterprise's checks were merged as far as spacing
    /// allows: per enterprise the largest expected number of checks of one on-site item.
    /// Each needs a team of `minInspectorsPerVisit` (2).
    public var expectedVisits: Double
    public var departments: [DepartmentLoad]
    public var inspectors: Int { departments.reduce(0) { $0 + $1.inspectors } }
    public var visitSlots: Int { departments.reduce(0) { $0 + $1.visitSlots } }
}

/// Generates realistic district scenarios (`jointplan generate`, the bundled Scenarios/):
/// enterprises of typical trades with the real credit-tier mix, inspection items of the
/// enforcement departments with published sampling rates, inspectors with leave, recusals and
/// certification, China's working-day calendar for the quarter, and a few agreed (pinned)
/// visits that a plan can honour.
///
/// The result is a `JSON` document, so every generated file goes through the real reader.
/// The same parameters and seed give the same bytes (`SeededRandom`, no hashed iteration).
public struct DistrictGenerator: Sendable {
    /// Parameters that cannot make a district.
    public struct ParameterError: Error, CustomStringConvertible, Sendable {
        public var problems: [String]
        public var description: String { problems.joined(separator: "; ") }
    }

    public let parameters: DistrictParameters

    public init(_ parameters: DistrictParameters) throws {
        let problems = parameters.problems
        guard problems.isEmpty else { throw ParameterError(problems: problems) }
        self.parameters = parameters
    }

    /// Working-day layout of every generated district (most Chinese offices: 08:30–12:00,
    /// 14:00–17:30, i.e. 420 working minutes).
    static let dayStart = 8 * 60 + 30, dayEnd = 17 * 60 + 30
    static let lunch = TimeSpan(start: 12 * 60, end: 14 * 60)
    /// A joint team plans about three enterprises a day once travel, the briefing and the
    /// signed records are counted (the spec's default is 4). It is also what makes
    /// enterprises/100 inspectors comfortable without being lavish: at four a day, a district
    /// of 20,000 with a third of its 200 inspectors would still do every check.
    static let maxVisitsPerDay = 3

    public func scenario() -> JSON { generate().scenario }

    public func generate() -> GeneratedDistrict {
        var b = Builder(parameters)
        return b.build()
    }

    /// The scenario as a file: one line per town, inspector, item, enterprise and pin (so
    /// files stay readable and diff well even with 20,000 enterprises), UTF-8, final newline.
    public static func fileText(_ scenario: JSON) -> String {
        guard case .object(let top) = scenario else { return JSONWriter.pretty(scenario) }
        var out = "{\n"
        for (k, (key, value)) in top.pairs.enumerated() {
            out += "  " + JSONWriter.quote(key) + ": "
            if case .array(let list) = value, !list.isEmpty {
                out += "[\n"
                for (j, element) in list.enumerated() {
                    out += "    " + JSONWriter.compact(element) + (j + 1 < list.count ? ",\n" : "\n")
                }
                out += "  ]"
            } else {
                out += JSONWriter.compact(value)
            }
            out += k + 1 < top.count ? ",\n" : "\n"
        }
        out += "}\n"
        return out
    }
}

// MARK: - Building

/// One generation run: the streams of random numbers and what has been made so far.
private struct Builder {
    typealias Catalog = DistrictCatalog

    let p: DistrictParameters
    let calendar: WorkCalendar
    let departments: [(id: String, name: String)]
    let items: [Catalog.ItemSpec]
    /// Indexes into `items` of the items applying to each catalog category id.
    let itemsOfCategory: [String: [Int]]
    /// Each item's frequency per tier (by `Tier.index`), and its expected checks: k for a
    /// count, r for a sampling rate.
    let rates: [[Catalog.Rate?]]
    let expectation: [[Double]]
    /// Applicable items of each combination of categories met so far.
    var applicableCache: [[String]: [Int]] = [:]

    var towns: [GenTown] = []
    var enterprises: [GenEnterprise] = []
    var inspectors: [GenInspector] = []
    var pins: [GenPin] = []

    init(_ p: DistrictParameters) {
        self.p = p
        var h = Horizon(start: p.quarter.start, end: p.quarter.end)
        h.holidays = ChinaHolidays.holidays(in: p.quarter.year).filter { $0.end >= h.start && $0.start <= h.end }
        h.extraWorkdays = ChinaHolidays.makeUpDays(in: p.quarter.year).filter { h.start <= $0 && $0 <= h.end }.map { DateSpan($0, $0) }
        h.dayStart = DistrictGenerator.dayStart
        h.dayEnd = DistrictGenerator.dayEnd
        h.breaks = [DistrictGenerator.lunch]
        calendar = WorkCalendar(h)
        departments = Array(Catalog.departments.prefix(p.departments))
        let deptIds = Set(departments.map(\.id))
        items = Catalog.items.filter { deptIds.contains($0.department) }
        var byCat: [String: [Int]] = [:]
        for (k, it) in items.enumerated() { for c in it.categories { byCat[c, default: []].append(k) } }
        itemsOfCategory = byCat
        rates = items.map { it in Tier.allCases.map { t in it.profile.frequency.first { $0.0 == t }?.1 } }
        expectation = rates.map { perTier in
            perTier.map { r -> Double in
                switch r {
                case .count(let k)?: return Double(k)
                case .rate(let lit)?: return Double(lit) ?? 0
                case nil: return 0
                }
            }
        }
    }

    mutating func build() -> GeneratedDistrict {
        makeTowns()
        makeEnterprises()
        let loads = makeInspectors()
        makePins()
        var tiers: [Tier: Int] = [:]
        for e in enterprises { tiers[e.tier, default: 0] += 1 }
        let summary = DistrictSummary(
            enterprises: enterprises.count, tiers: tiers,
            whitelisted: enterprises.filter(\.whitelisted).count,
            blackouts: enterprises.filter { $0.blackout != nil }.count,
            withHistory: enterprises.filter { !$0.lastChecked.isEmpty }.count,
            items: items.count, pinned: pins.count, workingDays: calendar.days.count,
            expectedChecks: expectedChecks(), expectedVisits: expectedVisits(), departments: loads)
        return GeneratedDistrict(scenario: document(), summary: summary)
    }

    // MARK: towns

    struct GenTown {
        var id: String
        var name: String
        var x: Double, y: Double
        var travel: [(String, Int)] = []
        /// Relative number of enterprises: the urban streets are denser.
        var weight: Double
    }

    mutating func makeTowns() {
        var rng = SeededRandom(seed: p.seed, stream: "towns")
        let width = max(2, String(p.towns).count)
        for k in 0..<p.towns {
            let street = k < Catalog.streetCount
            // Streets ring the centre at 2–5 km, towns lie 9–18 km out.
            let r = street ? 2 + 3 * rng.unit() : 9 + 9 * rng.unit()
            let angle = 2 * Double.pi * (Double(k) / Double(street ? min(p.towns, Catalog.streetCount) : max(1, p.towns - Catalog.streetCount))) + rng.unit()
            towns.append(GenTown(id: "T" + pad(k + 1, width), name: Catalog.towns[k],
                                 x: r * cos(angle), y: r * sin(angle),
                                 weight: (street ? 2.5 : 1.0) * (0.6 + 0.8 * rng.unit())))
        }
        // Travel by road at about 25 km/h plus 8 minutes to park and find the door; only
        // pairs that differ from the policy's 40-minute default are written.
        for a in 0..<towns.count {
            for b in (a + 1)..<towns.count {
                let km = hypot(towns[a].x - towns[b].x, towns[a].y - towns[b].y) * 1.3
                let minutes = Int(((8 + km * 60 / 25) * p.travelScale).rounded())
                if abs(minutes - 40) >= 5 { towns[a].travel.append((towns[b].id, minutes)) }
            }
        }
    }

    // MARK: enterprises

    struct GenEnterprise {
        var id: String
        var name: String
        var town: Int
        var categories: [String]
        var tier: Tier
        var whitelisted = false
        var onsiteVisitsThisYear = 0
        var blackout: DateSpan?
        var lastChecked: [(String, Day)] = []
        /// Items (indexes into `items`) that apply here, in item order.
        var applicable: [Int] = []
    }

    /// Items (indexes into `items`) that apply to an enterprise of these categories, in item order.
    mutating func applicable(_ categories: [String]) -> [Int] {
        if let known = applicableCache[categories] { return known }
        var set = Set<Int>()
        for c in categories { set.formUnion(itemsOfCategory[c] ?? []) }
        let list = set.sorted()
        applicableCache[categories] = list
        return list
    }

    mutating func makeEnterprises() {
        let n = p.enterprises
        // The tier mix exactly (largest remainder), in random order.
        var tierList: [Tier] = []
        var rngTier = SeededRandom(seed: p.seed, stream: "tiers")
        let exact = Catalog.tierShares.map { Double(n) * $0.1 }
        var counts = exact.map { Int($0.rounded(.down)) }
        let order = exact.indices.sorted { (exact[$0] - Double(counts[$0]), -$0) > (exact[$1] - Double(counts[$1]), -$1) }
        for k in order.prefix(n - counts.reduce(0, +)) { counts[k] += 1 }
        for (k, (t, _)) in Catalog.tierShares.enumerated() { tierList += Array(repeating: t, count: counts[k]) }
        rngTier.shuffle(&tierList)

        var rng = SeededRandom(seed: p.seed, stream: "enterprises")
        let categoryWeights = Catalog.categories.map(\.share)
        let townWeights = towns.map(\.weight)
        let width = max(5, String(n).count)
        let start = calendar.horizon.start, end = calendar.horizon.end
        let horizonDays = end - start + 1
        // About 5 % of all enterprises are white-listed; the list holds A-tier ones only.
        let whitelistChance = min(1, p.whitelistShare / Catalog.tierShares[0].1)
        for k in 0..<n {
            let cat = Catalog.categories[rng.weighted(categoryWeights)]
            var cats = [cat.id]
            if !cat.alsoWith.isEmpty, rng.chance(0.12) { cats.append(rng.pick(cat.alsoWith)) }
            let town = rng.weighted(townWeights)
            var trade = rng.pick(Catalog.tradeNames)
            if rng.chance(0.4) {
                // Many names carry the place: 凤凰鑫源便利店.
                trade = String(Catalog.towns[town].dropLast(Catalog.towns[town].hasSuffix("街道") ? 2 : 1)) + trade
            }
            let name = trade + rng.pick(cat.names)
            var e = GenEnterprise(id: "E" + pad(k + 1, width), name: name, town: town, categories: cats, tier: tierList[k])
            e.applicable = applicable(cats)
            if e.tier == .A, rng.chance(whitelistChance) {
                e.whitelisted = true
                // Visits earlier in the year use up the yearly allowance (none yet in Q1).
                if p.quarter.number > 1, rng.chance(0.2) { e.onsiteVisitsThisYear = 1 }
            }
            if rng.chance(p.blackoutShare) {
                // A declared peak season of one or two weeks (无事不扰).
                let length = rng.chance(0.5) ? 7 : 14
                let first = start + rng.below(max(1, horizonDays - length + 1))
                e.blackout = DateSpan(first, min(end, first + length - 1))
            }
            if rng.chance(0.2) {
                let app = e.applicable
                if !app.isEmpty {
                    let picks = rng.sample(min(app.count, rng.int(1...2)), of: app.count)
                    for j in picks { e.lastChecked.append((items[app[j]].id, start - rng.int(3...120))) }
                }
            }
            enterprises.append(e)
        }
    }

    // MARK: inspectors

    struct GenInspector {
        var id: String
        var name: String
        var department: Int
        var certified = true
        var unavailable: [DateSpan] = []
        var maxVisitsPerDay: Int?
        var recusals: [Int] = []

        func isAvailable(_ d: Day) -> Bool { !unavailable.contains(day: d) }
    }

    func frequency(_ item: Int, _ tier: Tier) -> Catalog.Rate? { rates[item][tier.index] }

    func expectedChecks() -> Double {
        var total = 0.0
        for e in enterprises {
            for i in e.applicable { total += expectation[i][e.tier.index] }
        }
        return total
    }

    func expectedVisits() -> Double {
        var total = 0.0
        for e in enterprises {
            var best = 0.0
            for i in e.applicable where items[i].remoteMinutes == nil {
                best = max(best, expectation[i][e.tier.index])
            }
            total += best
        }
        return total
    }

    /// Expected visits needing a seat of each department (see `DepartmentLoad.visitsNeeded`).
    func visitsNeeded() -> [Double] {
        let deptIndex = Dictionary(uniqueKeysWithValues: departments.enumerated().map { ($1.id, $0) })
        var need = Array(repeating: 0.0, count: departments.count)
        for e in enterprises {
            var best = Array(repeating: 0.0, count: departments.count)
            for i in e.applicable where items[i].remoteMinutes == nil {
                let d = deptIndex[items[i].department]!
                best[d] = max(best[d], expectation[i][e.tier.index])
            }
            for d in best.indices { need[d] += best[d] }
        }
        return need
    }

    mutating func makeInspectors() -> [DistrictSummary.DepartmentLoad] {
        let need = visitsNeeded()
        let days = calendar.days.count
        // A typical inspector's visit slots in the quarter after leave, shorter days and the
        // odd uncertified colleague.
        let slotsEach = Double(days * DistrictGenerator.maxVisitsPerDay) * 0.9
        // Inspectors each department needs for three visit slots per expected visit.
        let comfortable = need.map { max(2, Int((3 * $0 / slotsEach).rounded(.up))) }
        let base = p.inspectors ?? max(Int((Double(p.enterprises) / 100).rounded()), 8, comfortable.reduce(0, +))
        let total = max(1, Int((Double(base) * p.staffing).rounded()))
        var perDept = allocate(total, by: need, comfortable: comfortable)
        if let size = p.departmentSize {
            var sizeRng = SeededRandom(seed: p.seed, stream: "department-sizes")
            perDept = perDept.map { _ in max(p.minTeam > 2 ? 1 : 1, sizeRng.int(size)) }
        }

        // Each department draws from its own stream, so topping one up leaves the others.
        var staff: [[GenInspector]] = []
        for (d, count) in perDept.enumerated() {
            var rng = SeededRandom(seed: p.seed, stream: "inspectors/" + departments[d].id)
            var mine: [GenInspector] = []
            for _ in 0..<count { mine.append(makeInspector(department: d, certifiedSoFar: mine.filter(\.certified).count, rng: &rng)) }
            // Leave, training and uncertified colleagues vary; at the default staffing every
            // department is topped up to three visit slots per visit of its own.
            if p.inspectors == nil, p.staffing >= 1, p.departmentSize == nil {
                while mine.reduce(0, { $0 + slots($1) }) < Int((3 * need[d]).rounded(.up)) {
                    mine.append(makeInspector(department: d, certifiedSoFar: mine.filter(\.certified).count, rng: &rng))
                }
            }
            staff.append(mine)
        }
        inspectors = staff.flatMap { $0 }
        let width = max(3, String(inspectors.count).count)
        for k in inspectors.indices { inspectors[k].id = "P" + pad(k + 1, width) }
        return departments.indices.map { d in
            DistrictSummary.DepartmentLoad(department: departments[d].id, inspectors: staff[d].count,
                                           visitsNeeded: need[d], visitSlots: staff[d].reduce(0) { $0 + slots($1) })
        }
    }

    /// Visits an inspector can make in the quarter: maxVisitsPerDay on every working day not
    /// on leave; none without a certificate.
    func slots(_ ins: GenInspector) -> Int {
        guard ins.certified else { return 0 }
        return (ins.maxVisitsPerDay ?? DistrictGenerator.maxVisitsPerDay) * calendar.days.filter(ins.isAvailable).count
    }

    func makeInspector(department d: Int, certifiedSoFar: Int, rng: inout SeededRandom) -> GenInspector {
        let workDays = calendar.days
        var ins = GenInspector(id: "", name: rng.pick(Catalog.surnames) + rng.pick(Catalog.givenNames), department: d)
        // A few newly hired inspectors await their enforcement certificate (持证上岗); the
        // first two of every department are certified, so it can always form a team.
        if certifiedSoFar >= 2, rng.chance(0.04) { ins.certified = false }
        // Team leaders and part-timers with other duties.
        if rng.chance(0.1) { ins.maxVisitsPerDay = DistrictGenerator.maxVisitsPerDay - 1 }
        if rng.chance(0.35), !workDays.isEmpty {
            // Annual leave of one to five working days.
            let from = rng.below(workDays.count)
            let to = min(workDays.count - 1, from + rng.int(0...4))
            ins.unavailable.append(DateSpan(workDays[from], workDays[to]))
        }
        if rng.chance(0.05), !workDays.isEmpty {
            // A two-week training course.
            let first = workDays[rng.below(workDays.count)]
            let span = DateSpan(first, min(calendar.horizon.end, first + 13))
            if !ins.unavailable.contains(where: { $0.start <= span.end && span.start <= $0.end }) {
                ins.unavailable.append(span)
                ins.unavailable.sort { $0.start < $1.start }
            }
        }
        if let k = p.rosterDays, !workDays.isEmpty { ins.unavailable = rosterLeave(ins.unavailable, daysAWeek: k, rng: &rng) }
        if rng.chance(0.04), !enterprises.isEmpty {
            // Relatives or former employers (回避).
            ins.recusals = rng.sample(min(enterprises.count, rng.int(1...2)), of: enterprises.count)
        }
        return ins
    }

    /// A duty roster: 1…k duty days in every ISO week — a joint day of the district
    /// (Tuesday or Thursday) drawn first with even odds, then days of the inspector's own —
    /// and every other working day off, merged with the leave already drawn into spans of
    /// consecutive working days.
    func rosterLeave(_ leave: [DateSpan], daysAWeek k: Int, rng: inout SeededRandom) -> [DateSpan] {
        let workDays = calendar.days
        var weeks: [[Int]] = []
        var lastWeek = Int.min
        for (n, d) in workDays.enumerated() {
            let week = (d.number - d.isoWeekday + 1)
            if week != lastWeek { weeks.append([]); lastWeek = week }
            weeks[weeks.count - 1].append(n)
        }
        var onDuty = Set<Int>()
        for week in weeks {
            let want = rng.int(1...k)
            var pick: [Int] = []
            let joint = week.filter { [2, 4].contains(workDays[$0].isoWeekday) }
            if !joint.isEmpty, rng.chance(0.5) { pick.append(rng.pick(joint)) }
            var rest = week.filter { !pick.contains($0) }
            rng.shuffle(&rest)
            pick += rest.prefix(max(0, want - pick.count))
            onDuty.formUnion(pick)
        }
        var off: [Int] = []
        for n in workDays.indices where !onDuty.contains(n) || leave.contains(day: workDays[n]) { off.append(n) }
        var spans: [DateSpan] = []
        var k0 = 0
        while k0 < off.count {
            var k1 = k0
            while k1 + 1 < off.count && off[k1 + 1] == off[k1] + 1 { k1 += 1 }
            spans.append(DateSpan(workDays[off[k0]], workDays[off[k1]]))
            k0 = k1 + 1
        }
        return spans
    }

    /// `total` inspectors over the departments: when there are enough, each department first
    /// gets its comfortable number (three visit slots per expected visit); else two each
    /// where possible (a department can then form a team of its own), else one each for the
    /// busiest. The rest go in proportion to the visits each needs (largest remainder, ties
    /// to the earlier department).
    func allocate(_ total: Int, by need: [Double], comfortable: [Int]) -> [Int] {
        let n = need.count
        var out: [Int]
        if total >= comfortable.reduce(0, +) {
            out = comfortable
        } else if total >= 2 * n {
            out = Array(repeating: 2, count: n)
        } else if total >= n {
            out = Array(repeating: 1, count: n)
        } else {
            out = Array(repeating: 0, count: n)
            for d in need.indices.sorted(by: { (need[$0], -$0) > (need[$1], -$1) }).prefix(total) { out[d] = 1 }
            return out
        }
        var rest = total - out.reduce(0, +)
        guard rest > 0 else { return out }
        let sum = need.reduce(0, +)
        let shares = need.map { sum > 0 ? Double(rest) * $0 / sum : Double(rest) / Double(n) }
        for d in 0..<n {
            let whole = Int(shares[d].rounded(.down))
            out[d] += whole
            rest -= whole
        }
        let order = need.indices.sorted { (shares[$0] - shares[$0].rounded(.down), -$0) > (shares[$1] - shares[$1].rounded(.down), -$1) }
        for d in order.prefix(rest) { out[d] += 1 }
        return out
    }

    // MARK: pinned visits

    struct GenPin {
        var enterprise: Int
        var date: Day
        var start: Int?
        var inspectors: [Int]
        var items: [Int]
    }

    /// A few visits already agreed with enterprises (预约), each one a plan can honour: on a
    /// working day outside the enterprise's blackout, with items that are required there
    /// whatever the draw (a `count` frequency), inspectors of those items' departments who are
    /// certified, available and not recused, and no inspector or date shared with another pin.
    mutating func makePins() {
        let wanted = p.pins ?? min(12, max(3, p.enterprises / 1500))
        var rng = SeededRandom(seed: p.seed, stream: "pins")
        let deptIndex = Dictionary(uniqueKeysWithValues: departments.enumerated().map { ($1.id, $0) })
        var candidates = enterprises.indices.filter { k in
            let e = enterprises[k]
            return !e.whitelisted && e.lastChecked.isEmpty && (e.tier == .C || e.tier == .D)
        }
        rng.shuffle(&candidates)
        var usedDates = Set<Day>()
        var usedInspectors = Set<Int>()
        let recused = Set(inspectors.indices.flatMap { i in inspectors[i].recusals.map { $0 * inspectors.count + i } })
        let starts = [nil, nil, 9 * 60, 9 * 60 + 30, 10 * 60, 14 * 60 + 30, 15 * 60]
        for k in candidates where pins.count < wanted {
            let e = enterprises[k]
            // Count items applying here, grouped by department in department order.
            var byDept: [Int: [Int]] = [:]
            for i in e.applicable {
                if case .count? = frequency(i, e.tier) { byDept[deptIndex[items[i].department]!, default: []].append(i) }
            }
            let depts = byDept.keys.sorted()
            guard !depts.isEmpty else { continue }
            let days = calendar.days.filter { (p.pinsShareInspectors || !usedDates.contains($0)) && !(e.blackout?.contains($0) ?? false) }
            guard !days.isEmpty else { continue }
            let shared = days.filter(usedDates.contains)
            let date = p.pinsShareInspectors && !shared.isEmpty && rng.chance(0.6) ? rng.pick(shared) : rng.pick(days)
            var chosenDepts = [rng.pick(depts)]
            if depts.count > 1, rng.chance(0.5) {
                let other = depts.filter { $0 != chosenDepts[0] }
                chosenDepts.append(rng.pick(other))
                chosenDepts.sort()
            }
            var team: [Int] = [], pinItems: [Int] = []
            for d in chosenDepts {
                let able = inspectors.indices.filter { i in
                    let ins = inspectors[i]
                    return ins.department == d && ins.certified && ins.isAvailable(date)
                        && (p.pinsShareInspectors || !usedInspectors.contains(i)) && !recused.contains(k * inspectors.count + i)
                }
                guard !able.isEmpty else { continue }
                let again = able.filter(usedInspectors.contains)
                team.append(p.pinsShareInspectors && !again.isEmpty && rng.chance(0.7) ? rng.pick(again) : rng.pick(able))
                pinItems.append(rng.pick(byDept[d]!))
            }
            guard !team.isEmpty else { continue }
            usedDates.insert(date)
            usedInspectors.formUnion(team)
            pins.append(GenPin(enterprise: k, date: date, start: rng.pick(starts), inspectors: team, items: pinItems.sorted()))
        }
        pins.sort { ($0.date, $0.enterprise) < ($1.date, $1.enterprise) }
    }

    // MARK: the document

    func document() -> JSON {
        let h = calendar.horizon
        var horizon = JSONObject()
        horizon["start"] = .string(h.start.description)
        horizon["end"] = .string(h.end.description)
        horizon["workdays"] = .array([1, 2, 3, 4, 5].map(JSON.int))
        horizon["holidays"] = .array(h.holidays.map { .string($0.description) })
        horizon["extraWorkdays"] = .array(h.extraWorkdays.map { .string($0.description) })
        horizon["dayStart"] = .string(ClockTime.format(h.dayStart))
        horizon["dayEnd"] = .string(ClockTime.format(h.dayEnd))
        horizon["breaks"] = .array(h.breaks.map {
            .object(JSONObject([("start", .string(ClockTime.format($0.start))), ("end", .string(ClockTime.format($0.end)))]))
        })
        horizon["timezone"] = .string("Asia/Shanghai")

        let townsJSON: [JSON] = towns.map { t in
            var o = JSONObject([("id", .string(t.id)), ("name", .string(t.name))])
            if !t.travel.isEmpty { o["travel"] = .object(JSONObject(t.travel.map { ($0.0, JSON.int($0.1)) })) }
            return .object(o)
        }
        let deptJSON: [JSON] = departments.map { .object(JSONObject([("id", .string($0.id)), ("name", .string($0.name))])) }
        let inspJSON: [JSON] = inspectors.map { ins in
            var o = JSONObject([("id", .string(ins.id)), ("name", .string(ins.name)),
                                ("department", .string(departments[ins.department].id))])
            if !ins.certified { o["certified"] = .bool(false) }
            if !ins.unavailable.isEmpty { o["unavailable"] = .array(ins.unavailable.map { .string($0.description) }) }
            if let m = ins.maxVisitsPerDay { o["maxVisitsPerDay"] = .int(m) }
            if !ins.recusals.isEmpty { o["recusals"] = .array(ins.recusals.map { .string(enterprises[$0].id) }) }
            return .object(o)
        }
        let itemJSON: [JSON] = items.map { it in
            var o = JSONObject([("id", .string(it.id)), ("name", .string(it.name)), ("department", .string(it.department)),
                                ("categories", .array(it.categories.map(JSON.string))), ("minutes", .int(it.minutes))])
            if let m = it.remoteMinutes { o["remote"] = .object(JSONObject([("allowed", .bool(true)), ("minutes", .int(m))])) }
            if it.delegable { o["delegable"] = .bool(true) }
            var freq = JSONObject()
            var twice = false
            for (t, r) in it.profile.frequency {
                switch r {
                case .count(let k): freq[t.rawValue] = .object(JSONObject([("count", .int(k))])); twice = twice || k >= 2
                case .rate(let lit): freq[t.rawValue] = .object(JSONObject([("sampleRate", .number(lit))]))
                }
            }
            o["frequency"] = .object(freq)
            // Two checks in one quarter are spread at least a month apart.
            if twice { o["minSpacingDays"] = .int(30) }
            return .object(o)
        }
        let entJSON: [JSON] = enterprises.map { e in
            var o = JSONObject([("id", .string(e.id)), ("name", .string(e.name)), ("town", .string(towns[e.town].id)),
                                ("categories", .array(e.categories.map(JSON.string))), ("tier", .string(e.tier.rawValue))])
            if e.whitelisted {
                o["whitelisted"] = .bool(true)
                o["onsiteVisitsThisYear"] = .int(e.onsiteVisitsThisYear)
            }
            if let b = e.blackout { o["blackout"] = .array([.string(b.description)]) }
            if !e.lastChecked.isEmpty {
                o["lastChecked"] = .object(JSONObject(e.lastChecked.map { ($0.0, JSON.string($0.1.description)) }))
            }
            return .object(o)
        }
        var policy = JSONObject()
        policy["minInspectorsPerVisit"] = .int(p.minTeam)
        policy["visitBaseMinutes"] = .int(10)
        policy["maxVisitsPerDay"] = .int(DistrictGenerator.maxVisitsPerDay)
        policy["travelWithinTownMinutes"] = .int(15)
        policy["travelBetweenTownsMinutes"] = .int(40)
        policy["maxOnsiteVisits"] = .object(JSONObject([("A", .int(1)), ("B", .int(1)), ("C", .int(2)), ("D", .int(3))]))
        policy["whitelistMaxOnsiteVisitsPerYear"] = .int(1)
        policy["unmetWeight"] = .object(JSONObject([("A", .int(1)), ("B", .int(2)), ("C", .int(4)), ("D", .int(8))]))
        policy["sampling"] = .string("coordinated")
        policy["inspectorDispatch"] = .string(p.dispatch.rawValue)
        // The published draw seed: the quarter's first day as a number (20260101).
        policy["seed"] = .number(h.start.compact)
        let pinJSON: [JSON] = pins.map { pin in
            var o = JSONObject([("enterprise", .string(enterprises[pin.enterprise].id)), ("date", .string(pin.date.description))])
            if let s = pin.start { o["start"] = .string(ClockTime.format(s)) }
            o["inspectors"] = .array(pin.inspectors.map { .string(inspectors[$0].id) })
            o["items"] = .array(pin.items.map { .string(items[$0].id) })
            return .object(o)
        }

        var top = JSONObject()
        top["format"] = .string(Scenario.format)
        top["name"] = .string("南湖区 \(p.quarter.chineseName)联合检查（生成：\(p.enterprises) 家企业，种子 \(p.seed)，人员系数 \(JSON.format(p.staffing))）")
        top["horizon"] = .object(horizon)
        top["towns"] = .array(townsJSON)
        top["departments"] = .array(deptJSON)
        top["inspectors"] = .array(inspJSON)
        top["items"] = .array(itemJSON)
        top["enterprises"] = .array(entJSON)
        top["policy"] = .object(policy)
        top["pinned"] = .array(pinJSON)
        return .object(top)
    }
}

private func pad(_ n: Int, _ width: Int) -> String {
    let s = String(n)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}
