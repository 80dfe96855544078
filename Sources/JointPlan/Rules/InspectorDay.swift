/// Spec 3.1 rule 4: one inspector's working day — visits in time order, each at least the
/// travel minutes after the previous one ends, at most `maxVisitsPerDay`, and visit minutes +
/// travel between consecutive visits + remote minutes within the day's working minutes.
/// The one home of the rule for the solver's stages.
public struct InspectorDay: Sendable, Equatable {
    public struct Slot: Sendable, Equatable {
        public var start: Int
        public var end: Int
        public var town: Int
        /// The visit's index in its schedule.
        public var visit: Int
    }

    public private(set) var slots: [Slot] = []
    public private(set) var remoteMinutes = 0
    /// Visit minutes + travel between consecutive visits + remote minutes.
    public private(set) var used = 0

    public init() {}

    /// The minutes a visit `[start, start+length)` in `town` would add to the day (its length
    /// plus the travel it adds), or nil when it breaks rule 4.
    public func cost(start: Int, length: Int, town: Int, maxVisits: Int, budget: Int, travel: [[Int]]) -> Int? {
        guard slots.count < maxVisits else { return nil }
        let k = slots.firstIndex { $0.start > start } ?? slots.count
        var add = length
        if k > 0 {
            let p = slots[k - 1]
            if p.end + travel[p.town][town] > start { return nil }
            add += travel[p.town][town]
        }
        if k < slots.count {
            let n = slots[k]
            if start + length + travel[town][n.town] > n.start { return nil }
            add += travel[town][n.town]
            if k > 0 { add -= travel[slots[k - 1].town][n.town] }
        }
        return used + add <= budget ? add : nil
    }

    /// Why a visit `[start, start+length)` in `town` would break rule 4 in this day, or nil.
    public enum Conflict: Sendable, Equatable {
        /// It overlaps the held visit `visit` (`start`–`end`) with the travel between them.
        case overlaps(visit: Int, start: Int, end: Int, travel: Int)
        /// The day holds `visits` already, the inspector's maxVisitsPerDay.
        case full(visits: Int)
        /// Its minutes would take the day to `total` of `budget`.
        case minutes(total: Int, budget: Int)
    }

    public func conflict(start: Int, length: Int, town: Int, maxVisits: Int, budget: Int, travel: [[Int]]) -> Conflict? {
        guard slots.count < maxVisits else { return .full(visits: slots.count) }
        let k = slots.firstIndex { $0.start > start } ?? slots.count
        var add = length
        if k > 0 {
            let p = slots[k - 1]
            let t = travel[p.town][town]
            if p.end + t > start { return .overlaps(visit: p.visit, start: p.start, end: p.end, travel: t) }
            add += t
        }
        if k < slots.count {
            let n = slots[k]
            let t = travel[town][n.town]
            if start + length + t > n.start { return .overlaps(visit: n.visit, start: n.start, end: n.end, travel: t) }
            add += t
            if k > 0 { add -= travel[slots[k - 1].town][n.town] }
        }
        return used + add <= budget ? nil : .minutes(total: used + add, budget: budget)
    }

    /// The earliest start ≥ `from` at which a visit of `length` minutes in `town` fits this day
    /// (rule 4) inside the day's window (rule 1), gap by gap in time order, or nil.
    public func earliestStart(from: Int, length: Int, town: Int, maxVisits: Int, window: DayWindow, travel: [[Int]]) -> Int? {
        guard slots.count < maxVisits, used + length <= window.workingMinutes else { return nil }
        let n = slots.count
        for k in 0...n {
            let prev = k > 0 ? slots[k - 1] : nil
            let next = k < n ? slots[k] : nil
            var s = from
            if let pv = prev { s = max(s, pv.end + travel[pv.town][town]) }
            guard let t = window.earliestStart(atOrAfter: s, length: length) else { return nil }
            // Later gaps start later; try them.
            if let nx = next, t + length + travel[town][nx.town] > nx.start { continue }
            // Minutes of the day after the insertion: visits + travel + remote.
            var extra = 0
            if let pv = prev { extra += travel[pv.town][town] }
            if let nx = next { extra += travel[town][nx.town] }
            if let pv = prev, let nx = next { extra -= travel[pv.town][nx.town] }
            if used + length + extra > window.workingMinutes { continue }
            return max(t, from)
        }
        return nil
    }

    public mutating func insert(_ slot: Slot, travel: [[Int]]) {
        let k = slots.firstIndex { $0.start > slot.start } ?? slots.count
        slots.insert(slot, at: k)
        recount(travel)
    }

    public mutating func remove(visit: Int, travel: [[Int]]) {
        slots.removeAll { $0.visit == visit }
        recount(travel)
    }

    public func canAddRemote(_ minutes: Int, budget: Int) -> Bool { used + minutes <= budget }

    public mutating func addRemote(_ minutes: Int) {
        remoteMinutes += minutes
        used += minutes
    }

    public mutating func removeRemote(_ minutes: Int) {
        remoteMinutes -= minutes
        used -= minutes
    }

    private mutating func recount(_ travel: [[Int]]) {
        var u = remoteMinutes
        for (k, s) in slots.enumerated() {
            u += s.end - s.start
            if k > 0 { u += travel[slots[k - 1].town][s.town] }
        }
        used = u
    }
}

/// Spec 3.1 rule 1, the time of day: a visit lies in `[dayStart, dayEnd]` and overlaps no break.
public struct DayWindow: Sendable {
    public let dayStart: Int
    public let dayEnd: Int
    public let breaks: [TimeSpan]
    /// dayEnd − dayStart − breaks (rule 4's budget).
    public let workingMinutes: Int

    public init(_ cal: WorkCalendar) {
        self.init(dayStart: cal.horizon.dayStart, dayEnd: cal.horizon.dayEnd, breaks: cal.horizon.breaks)
    }

    public init(dayStart: Int, dayEnd: Int, breaks: [TimeSpan]) {
        self.dayStart = dayStart
        self.dayEnd = dayEnd
        self.breaks = breaks.sorted { $0.start < $1.start }
        workingMinutes = DayWindow.workingMinutes(dayStart: dayStart, dayEnd: dayEnd, breaks: breaks)
    }

    /// dayEnd − dayStart − the breaks (clipped to the day, overlaps counted once): rule 4's budget.
    public static func workingMinutes(dayStart: Int, dayEnd: Int, breaks: [TimeSpan]) -> Int {
        let clipped = breaks.map { (max($0.start, dayStart), min($0.end, dayEnd)) }
            .filter { $0.0 < $0.1 }.sorted { $0.0 < $1.0 }
        var total = 0
        var cur: (Int, Int)?
        for b in clipped {
            if let c = cur, b.0 <= c.1 { cur = (c.0, max(c.1, b.1)) }
            else { if let c = cur { total += c.1 - c.0 }; cur = b }
        }
        if let c = cur { total += c.1 - c.0 }
        return dayEnd - dayStart - total
    }

    public func allows(start: Int, length: Int) -> Bool {
        start >= dayStart && start + length <= dayEnd && allowsBreaks(start: start, end: start + length)
    }

    /// `[start, end)` touches no break.
    public func allowsBreaks(start: Int, end: Int) -> Bool {
        !breaks.contains { start < $0.end && $0.start < end }
    }

    /// The earliest start ≥ `t` that `allows`, or nil.
    public func earliestStart(atOrAfter t: Int, length: Int) -> Int? {
        var s = max(t, dayStart)
        var moved = true
        while moved {
            moved = false
            for b in breaks where s < b.end && b.start < s + length {
                s = b.end
                moved = true
            }
        }
        return s + length <= dayEnd ? s : nil
    }

    /// The longest visit that fits in one stretch between breaks.
    public var longestStretch: Int {
        var edges = [dayStart]
        for b in breaks { edges.append(b.start); edges.append(b.end) }
        edges.append(dayEnd)
        var best = 0
        var k = 0
        while k + 1 < edges.count {
            best = max(best, min(edges[k + 1], dayEnd) - max(edges[k], dayStart))
            k += 2
        }
        return best
    }

    /// Where a stretch of the day begins: the day start and every break's end.
    public var stretchStarts: [Int] { [dayStart] + breaks.map(\.end).filter { $0 < dayEnd } }
}
