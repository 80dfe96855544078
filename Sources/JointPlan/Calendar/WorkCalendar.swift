import Foundation

/// The horizon's working days and the minutes of a working day (spec 2, horizon; A6, A7).
public struct WorkCalendar: Sendable {
    /// Working days in date order.
    public let days: [Day]
    private let position: [Int: Int]
    /// dayEnd − dayStart − the union of the breaks clipped to the day window.
    public let workingMinutes: Int
    public let horizon: Horizon

    public init(_ h: Horizon) {
        horizon = h
        var holiday = Set<Int>()
        for s in h.holidays where s.end >= h.start && s.start <= h.end {
            for n in max(s.start, h.start).number...min(s.end, h.end).number { holiday.insert(n) }
        }
        var extra = Set<Int>()
        for s in h.extraWorkdays where s.end >= h.start && s.start <= h.end {
            for n in max(s.start, h.start).number...min(s.end, h.end).number { extra.insert(n) }
        }
        var out: [Day] = []
        if h.start <= h.end {
            for n in h.start.number...h.end.number {
                let d = Day(number: n)
                // A make-up day wins over a holiday (A6).
                if extra.contains(n) || (h.workdays.contains(d.isoWeekday) && !holiday.contains(n)) { out.append(d) }
            }
        }
        days = out
        position = Dictionary(uniqueKeysWithValues: out.enumerated().map { ($1.number, $0) })
        let clipped = h.breaks.map { (max($0.start, h.dayStart), min($0.end, h.dayEnd)) }
            .filter { $0.0 < $0.1 }.sorted { $0.0 < $1.0 }
        var total = 0
        var cur: (Int, Int)?
        for b in clipped {
            if let c = cur, b.0 <= c.1 { cur = (c.0, max(c.1, b.1)) }
            else { if let c = cur { total += c.1 - c.0 }; cur = b }
        }
        if let c = cur { total += c.1 - c.0 }
        workingMinutes = h.dayEnd - h.dayStart - total
    }

    public func isWorking(_ d: Day) -> Bool { position[d.number] != nil }
    /// Index of a working day in `days`.
    public func indexOf(_ d: Day) -> Int? { position[d.number] }

    /// Why a date is not a working day, for messages.
    public func whyNotWorking(_ d: Day) -> String {
        if d < horizon.start || d > horizon.end { return "outside the horizon \(horizon.start)..\(horizon.end)" }
        if !horizon.workdays.contains(d.isoWeekday) { return "ISO weekday \(d.isoWeekday) is not in horizon.workdays" }
        return "a holiday"
    }

    /// Does `[start, end)` overlap a break (A7)?
    public func overlapsBreak(start: Int, end: Int) -> Bool {
        horizon.breaks.contains { start < $0.end && $0.start < end }
    }

    /// The earliest start ≥ `t` at which a visit of `length` minutes fits in the day without
    /// touching a break; nil if none.
    public func earliestStart(atOrAfter t: Int, length: Int) -> Int? {
        var s = max(t, horizon.dayStart)
        var moved = true
        while moved {
            moved = false
            for b in horizon.breaks where s < b.end && b.start < s + length {
                s = b.end
                moved = true
            }
        }
        return s + length <= horizon.dayEnd ? s : nil
    }
}
