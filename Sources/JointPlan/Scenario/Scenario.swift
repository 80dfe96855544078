import Foundation

/// Credit-risk tier of an enterprise: A low risk … D high risk.
public enum Tier: String, CaseIterable, Sendable, Comparable, Codable {
    case A, B, C, D
    public var index: Int { Tier.allCases.firstIndex(of: self)! }
    public static func < (a: Tier, b: Tier) -> Bool { a.index < b.index }
}

/// A value per tier (caps, weights), with every tier present.
public struct PerTier<Value: Sendable>: Sendable {
    public var values: [Value]
    public init(A: Value, B: Value, C: Value, D: Value) { values = [A, B, C, D] }
    public subscript(t: Tier) -> Value {
        get { values[t.index] }
        set { values[t.index] = newValue }
    }
}

/// How often an item is checked on enterprises of one tier (spec 2, items.frequency).
public enum Frequency: Sendable, Equatable {
    /// Every applicable enterprise needs `k` checks in the horizon.
    case count(Int)
    /// A random draw (双随机) of the tier's applicable enterprises; the literal keeps the decimal
    /// as written so the draw size is computed exactly (spec 2.1).
    case sampleRate(SampleRate)
}

/// A sampling rate 0 < r < 1 with its decimal literal.
public struct SampleRate: Sendable, Equatable, CustomStringConvertible {
    public let literal: String
    public let value: Double
    public init?(literal: String) {
        guard let v = Double(literal), v.isFinite else { return nil }
        self.literal = literal
        self.value = v
    }
    public var description: String { literal }
}

public struct Horizon: Sendable {
    public var start: Day
    public var end: Day
    public var workdays: Set<Int> = [1, 2, 3, 4, 5]
    public var holidays: [DateSpan] = []
    public var extraWorkdays: [DateSpan] = []
    public var dayStart = 9 * 60
    public var dayEnd = 17 * 60 + 30
    public var breaks: [TimeSpan] = []
    public var timezone = "Asia/Shanghai"

    public init(start: Day, end: Day) { self.start = start; self.end = end }
}

/// A span of the day in minutes since midnight, `[start, end)`.
public struct TimeSpan: Hashable, Sendable {
    public var start: Int
    public var end: Int
    public init(start: Int, end: Int) { self.start = start; self.end = end }
}

public struct Town: Sendable {
    public var id: String
    public var name: String = ""
    /// Travel minutes to other towns as written on this town (symmetry is resolved by `Scenario`).
    public var travel: [String: Int] = [:]
    public init(id: String) { self.id = id }
}

public struct Department: Sendable {
    public var id: String
    public var name: String = ""
    /// Who an enterprise calls about a visit of this department: `extensions.contact` (free
    /// text, e.g. "市场监管局 王科长 0573-12345678"), "" when not given. Used by the notices.
    public var contact: String = ""
    public init(id: String) { self.id = id }
}

public struct Inspector: Sendable {
    public var id: String
    public var name: String = ""
    public var department: String
    public var certified = true
    public var unavailable: [DateSpan] = []
    /// nil: the policy's value.
    public var maxVisitsPerDay: Int?
    public var recusals: Set<String> = []
    /// The inspector's mail: `extensions.email` (the register's 邮箱 column); the calendars'
    /// ATTENDEE address when given (issue 24).
    public var email = ""
    public init(id: String, department: String) { self.id = id; self.department = department }
}

public struct Item: Sendable {
    public var id: String
    public var name: String = ""
    public var department: String
    public var categories: [String] = []
    public var minutes: Int
    public var remoteAllowed = false
    public var remoteMinutes = 0
    public var delegable = false
    public var frequency: [Tier: Frequency] = [:]
    public var minSpacingDays = 0
    /// What the enterprise prepares for a check of this item: `extensions.materials` (a string
    /// or an array of strings); empty when not given. Used by the notices.
    public var materials: [String] = []
    /// A 补查 item (issue 23, carry-over): `extensions.carryOverOf` names the item whose checks
    /// were required last quarter and not done, and `extensions.carryOverFrom` that quarter
    /// (`2026Q1`). `rollover` writes such items; nil for every other item.
    public var carryOverOf: String?
    public var carryOverFrom: String?
    public init(id: String, department: String, minutes: Int) {
        self.id = id; self.department = department; self.minutes = minutes
    }
}

/// An enterprise of the register (spec 2, enterprises).
///
/// Its fields live in one shared box, copied on write: the solver and the draw copy
/// enterprises out of `Scenario.enterprises` in many loops, and a copy of eleven fields
/// (strings, arrays, a dictionary) retained eleven references where a box takes one (a tenth
/// of a `--time-limit 1` run on 20,000 enterprises: issue 21, item 4). A value type all the same.
public struct Enterprise: Sendable {
    private final class Box: @unchecked Sendable {
        var id: String
        var name: String
        var town: String
        var categories: [String]
        var tier: Tier
        var whitelisted: Bool
        var blackout: [DateSpan]
        var onsiteVisitsThisYear: Int
        var lastChecked: [String: Day]
        var address: String
        var contact: String
        init(id: String, town: String, tier: Tier) {
            self.id = id; self.town = town; self.tier = tier
            name = ""; categories = []; whitelisted = false; blackout = []; onsiteVisitsThisYear = 0
            lastChecked = [:]; address = ""; contact = ""
        }
        init(copying b: Box) {
            id = b.id; name = b.name; town = b.town; categories = b.categories; tier = b.tier; whitelisted = b.whitelisted
            blackout = b.blackout; onsiteVisitsThisYear = b.onsiteVisitsThisYear; lastChecked = b.lastChecked; address = b.address; contact = b.contact
        }
    }
    private var box: Box

    private mutating func unique() {
        if !isKnownUniquelyReferenced(&box) { box = Box(copying: box) }
    }

    public var id: String {
        get { box.id }
        set { unique(); box.id = newValue }
        _modify { unique(); yield &box.id }
    }
    public var name: String {
        get { box.name }
        set { unique(); box.name = newValue }
        _modify { unique(); yield &box.name }
    }
    public var town: String {
        get { box.town }
        set { unique(); box.town = newValue }
        _modify { unique(); yield &box.town }
    }
    public var categories: [String] {
        get { box.categories }
        set { unique(); box.categories = newValue }
        _modify { unique(); yield &box.categories }
    }
    public var tier: Tier {
        get { box.tier }
        set { unique(); box.tier = newValue }
        _modify { unique(); yield &box.tier }
    }
    public var whitelisted: Bool {
        get { box.whitelisted }
        set { unique(); box.whitelisted = newValue }
        _modify { unique(); yield &box.whitelisted }
    }
    public var blackout: [DateSpan] {
        get { box.blackout }
        set { unique(); box.blackout = newValue }
        _modify { unique(); yield &box.blackout }
    }
    public var onsiteVisitsThisYear: Int {
        get { box.onsiteVisitsThisYear }
        set { unique(); box.onsiteVisitsThisYear = newValue }
        _modify { unique(); yield &box.onsiteVisitsThisYear }
    }
    public var lastChecked: [String: Day] {
        get { box.lastChecked }
        set { unique(); box.lastChecked = newValue }
        _modify { unique(); yield &box.lastChecked }
    }
    /// Where the team goes (spec 2, enterprises.address [""]): calendar LOCATION, notices.
    public var address: String {
        get { box.address }
        set { unique(); box.address = newValue }
        _modify { unique(); yield &box.address }
    }
    /// Whom the team asks for at the enterprise: `extensions.contact` (the register's 联系人
    /// column); printed on its notices (issue 24).
    public var contact: String {
        get { box.contact }
        set { unique(); box.contact = newValue }
        _modify { unique(); yield &box.contact }
    }
    public init(id: String, town: String, tier: Tier) { box = Box(id: id, town: town, tier: tier) }
}

public enum Sampling: String, Sendable { case coordinated, independent }

/// Who chooses a visit's members (spec 2, policy.inspectorDispatch; rule 11): the published
/// seed (随机选派, the default) or the planner (优化指派, for key supervision).
public enum InspectorDispatch: String, Sendable, CaseIterable { case random, optimised }

public struct Policy: Sendable {
    public var minInspectorsPerVisit = 2
    public var visitBaseMinutes = 10
    public var maxVisitsPerDay = 4
    public var travelWithinTownMinutes = 15
    public var travelBetweenTownsMinutes = 40
    public var maxOnsiteVisits = PerTier(A: 1, B: 1, C: 2, D: 3)
    public var whitelistMaxOnsiteVisitsPerYear = 1
    public var unmetWeight = PerTier<Double>(A: 1, B: 2, C: 4, D: 8)
    public var sampling = Sampling.coordinated
    /// Rule 11: inspectors drawn from the seed unless "optimised".
    public var inspectorDispatch = InspectorDispatch.random
    /// A non-negative integer, written in decimal in the draw's hash input.
    public var seed: UInt64 = 0
    /// KPI targets, `policy.extensions.targets` (issue 23); the reform documents' defaults.
    public var targets = KPITargets()
    public init() {}
}

/// A visit already agreed with the enterprise (预约): spec 2, pinned; rule 9.
public struct Pin: Sendable {
    public var index: Int
    public var enterprise: String
    public var date: Day
    public var start: Int?
    public var inspectors: [String] = []
    public var items: [String] = []
    public init(index: Int, enterprise: String, date: Day) {
        self.index = index; self.enterprise = enterprise; self.date = date
    }
}

/// A validated `jointplan.scenario/1` with every default applied and lookups by id.
///
/// Built by `ScenarioReader` (which reports every problem with its JSON path); the solver,
/// checker and exporters only ever see a valid scenario.
public struct Scenario: Sendable {
    public static let format = "jointplan.scenario/1"

    public var name = ""
    /// The office that signs the notices to enterprises: top-level `extensions.noticeIssuer`
    /// ("" when not given: the notice says 综合行政执法联合检查组).
    public var noticeIssuer = ""
    /// The office's contact printed on every notice: top-level `extensions.noticeContact`.
    public var noticeContact = ""
    public var horizon: Horizon
    public var towns: [Town] = []
    public var departments: [Department] = []
    public var inspectors: [Inspector] = []
    public var items: [Item] = []
    public var enterprises: [Enterprise] = []
    public var policy = Policy()
    public var pinned: [Pin] = []

    public init(horizon: Horizon) { self.horizon = horizon }

    // MARK: lookups (rebuilt by `index()`)
    public private(set) var townIndex: [String: Int] = [:]
    public private(set) var departmentIndex: [String: Int] = [:]
    public private(set) var inspectorIndex: [String: Int] = [:]
    public private(set) var itemIndex: [String: Int] = [:]
    public private(set) var enterpriseIndex: [String: Int] = [:]
    private var travelPairs: [String: Int] = [:]

    /// Rebuilds the id lookups and the symmetric travel table; call after editing lists.
    public mutating func index() {
        townIndex = Dictionary(towns.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        departmentIndex = Dictionary(departments.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        inspectorIndex = Dictionary(inspectors.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        itemIndex = Dictionary(items.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        enterpriseIndex = Dictionary(enterprises.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        travelPairs = [:]
        for t in towns {
            for (other, m) in t.travel where other != t.id {
                let key = Scenario.pairKey(t.id, other)
                if let old = travelPairs[key], old <= m { continue }
                travelPairs[key] = m
            }
        }
    }

    private static func pairKey(_ a: String, _ b: String) -> String {
        a < b ? a + "\u{0}" + b : b + "\u{0}" + a
    }

    /// Travel minutes between two towns (spec 2, towns): within one town the policy's value;
    /// else the smaller of the values given on either town, else the policy's default.
    public func travel(_ a: String, _ b: String) -> Int {
        if a == b { return policy.travelWithinTownMinutes }
        return travelPairs[Scenario.pairKey(a, b)] ?? policy.travelBetweenTownsMinutes
    }

    public func inspector(_ id: String) -> Inspector? { inspectorIndex[id].map { inspectors[$0] } }
    public func item(_ id: String) -> Item? { itemIndex[id].map { items[$0] } }
    public func enterprise(_ id: String) -> Enterprise? { enterpriseIndex[id].map { enterprises[$0] } }
    public func town(_ id: String) -> Town? { townIndex[id].map { towns[$0] } }
    public func department(_ id: String) -> Department? { departmentIndex[id].map { departments[$0] } }

    public func maxVisitsPerDay(of p: Inspector) -> Int { p.maxVisitsPerDay ?? policy.maxVisitsPerDay }

    /// The on-site visit cap of an enterprise in this horizon: its tier's cap, and for a
    /// white-listed enterprise also what is left of the yearly allowance (spec rule 8).
    public func onsiteCap(of e: Enterprise) -> Int {
        var cap = policy.maxOnsiteVisits[e.tier]
        if e.whitelisted { cap = min(cap, max(0, policy.whitelistMaxOnsiteVisitsPerYear - e.onsiteVisitsThisYear)) }
        return cap
    }

    /// An item applies to an enterprise that has at least one of its categories.
    public func applies(_ item: Item, to e: Enterprise) -> Bool {
        item.categories.contains { e.categories.contains($0) }
    }
}
