import Foundation

/// The horizon's working days and the minutes of a working day (spec 2, horizon; A6, A7).
public struct WorkCalendar: Sendable {
    /// Working days in date order.
    public let days: [Day]
    private let position: [Int: Int]
    /// dayEnd − dayStart − the union of the breaks clipped to the day window.
    public let workingMinutes: Int
    public let horizon: Horizon
    /// Rule 1's time of day (`DayWindow`), made once.
    public let window: DayWindow

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
        window = DayWindow(dayStart: h.dayStart, dayEnd: h.dayEnd, breaks: h.breaks)
        workingMinutes = window.workingMinutes
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
        !window.allowsBreaks(start: start, end: end)
    }

    /// The earliest start ≥ `t` at which a visit of `length` minutes fits in the day without
    /// touching a break; nil if none.
    public func earliestStart(atOrAfter t: Int, length: Int) -> Int? {
        window.earliestStart(atOrAfter: t, length: length)
    }
}
