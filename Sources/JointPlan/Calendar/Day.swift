import Foundation

/// A calendar date as a day number (days since 1970-01-01, proleptic Gregorian).
/// Dates in scenarios are civil dates with no time zone; arithmetic on them is exact.
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let number: Int
    public init(number: Int) { self.number = number }

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
              day <= Day.daysIn(month: month, year: year) else { return nil }
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        number = era * 146097 + doe - 719468
    }

    /// Parses `YYYY-MM-DD` strictly.
    public init?(_ s: String) {
        let u = Array(s.utf8)
        guard u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-") else { return nil }
        func num(_ r: Range<Int>) -> Int? {
            var v = 0
            for k in r { guard u[k] >= 48, u[k] <= 57 else { return nil }; v = v * 10 + Int(u[k] - 48) }
            return v
        }
        guard let y = num(0..<4), let m = num(5..<7), let d = num(8..<10) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public var civil: (year: Int, month: Int, day: Int) {
        let z = number + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    /// ISO weekday: Monday 1 … Sunday 7.
    public var isoWeekday: Int { ((number % 7 + 7 + 3) % 7) + 1 }

    public var description: String {
        let c = civil
        return String(format: "%04d-%02d-%02d", c.year, c.month, c.day)
    }

    /// `YYYYMMDD`, for iCalendar.
    public var compact: String {
        let c = civil
        return String(format: "%04d%02d%02d", c.year, c.month, c.day)
    }

    public static func + (d: Day, n: Int) -> Day { Day(number: d.number + n) }
    public static func - (d: Day, n: Int) -> Day { Day(number: d.number - n) }
    public static func - (a: Day, b: Day) -> Int { a.number - b.number }
    public static func < (a: Day, b: Day) -> Bool { a.number < b.number }
}

/// An inclusive range of dates (`"YYYY-MM-DD/YYYY-MM-DD"` or a single date).
public struct DateSpan: Hashable, Sendable, CustomStringConvertible {
    public var start: Day
    public var end: Day
    public init(_ start: Day, _ end: Day) { self.start = start; self.end = end }
    public func contains(_ d: Day) -> Bool { start <= d && d <= end }
    public var description: String { start == end ? "\(start)" : "\(start)/\(end)" }

    /// Parses a date or a `start/end` range; nil when malformed (a reversed range parses,
    /// the validator reports it).
    public init?(_ s: String) {
        if let slash = s.firstIndex(of: "/") {
            guard let a = Day(String(s[..<slash])), let b = Day(String(s[s.index(after: slash)...])) else { return nil }
            self.init(a, b)
        } else {
            guard let d = Day(s) else { return nil }
            self.init(d, d)
        }
    }
}

extension Array where Element == DateSpan {
    public func contains(day: Day) -> Bool { contains { $0.contains(day) } }
}

/// A time of day in minutes since midnight (`HH:MM`; "24:00" is the end of the day).
public enum ClockTime {
    public static func parse(_ s: String) -> Int? {
        let u = Array(s.utf8)
        guard u.count == 5, u[2] == UInt8(ascii: ":"),
              u.enumerated().allSatisfy({ $0.offset == 2 || ($0.element >= 48 && $0.element <= 57) }) else { return nil }
        let h = Int(u[0] - 48) * 10 + Int(u[1] - 48)
        let m = Int(u[3] - 48) * 10 + Int(u[4] - 48)
        if h == 24 && m == 0 { return 1440 }
        guard h <= 23, m <= 59 else { return nil }
        return h * 60 + m
    }

    public static func format(_ minutes: Int) -> String {
        String(format: "%02d:%02d", minutes / 60, minutes % 60)
    }
}
