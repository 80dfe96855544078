import Foundation

/// A calendar quarter written `2026Q1`: the horizon of a generated district.
public struct Quarter: Hashable, Sendable, CustomStringConvertible {
    public let year: Int
    /// 1…4.
    public let number: Int

    public init?(year: Int, number: Int) {
        guard (1...4).contains(number), (1...9999).contains(year) else { return nil }
        self.year = year
        self.number = number
    }

    /// Parses `YYYYQn` (case-insensitive Q).
    public init?(_ text: String) {
        let u = Array(text.utf8)
        guard u.count == 6, u[4] == UInt8(ascii: "Q") || u[4] == UInt8(ascii: "q"),
              let y = Int(String(decoding: u[0..<4], as: UTF8.self)),
              u[5] >= UInt8(ascii: "1"), u[5] <= UInt8(ascii: "4") else { return nil }
        self.init(year: y, number: Int(u[5] - UInt8(ascii: "0")))
    }

    public var start: Day { Day(year: year, month: 3 * number - 2, day: 1)! }
    public var end: Day {
        let m = 3 * number
        return Day(year: year, month: m, day: Day.daysIn(month: m, year: year))!
    }

    public var description: String { "\(year)Q\(number)" }

    /// 第一季度 … 第四季度, for scenario names.
    var chineseName: String { "\(year)年第\(["一", "二", "三", "四"][number - 1])季度" }
}

/// China's official working-day calendar (State Council notices): public holidays and the
/// make-up working days (调休) that go with them. Source: shared/notes/conventions.md.
public enum ChinaHolidays {
    /// Years whose notice is known; a generated district's quarter must lie in one of them.
    public static let years: ClosedRange<Int> = 2025...2026

    /// Days off (ranges as the notices state them, weekends inside included).
    public static func holidays(in year: Int) -> [DateSpan] {
        let spans: [(String, String)]
        switch year {
        case 2025:
            spans = [("01-01", "01-01"), ("01-28", "02-04"), ("04-04", "04-06"), ("05-01", "05-05"),
                     ("05-31", "06-02"), ("10-01", "10-08")]
        case 2026:
            spans = [("01-01", "01-03"), ("02-15", "02-23"), ("04-04", "04-06"), ("05-01", "05-05"),
                     ("06-19", "06-21"), ("09-25", "09-27"), ("10-01", "10-07")]
        default:
            spans = []
        }
        return spans.map { DateSpan(Day("\(year)-\($0.0)")!, Day("\(year)-\($0.1)")!) }
    }

    /// Weekend days that are working days (调休上班).
    public static func makeUpDays(in year: Int) -> [Day] {
        let days: [String]
        switch year {
        case 2025: days = ["01-26", "02-08", "04-27", "09-28", "10-11"]
        case 2026: days = ["01-04", "02-14", "02-28", "05-09", "09-20", "10-10"]
        default: days = []
        }
        return days.map { Day("\(year)-\($0)")! }
    }
}
