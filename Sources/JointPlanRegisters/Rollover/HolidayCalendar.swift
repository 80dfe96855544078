import Foundation
import JointPlan

/// China's working-day calendar: the public holidays and make-up working days (调休上班) that
/// the State Council's General Office announces each year, as data.
///
/// The bundled years are `HolidayCalendar.bundledText`, in the same format as a file given
/// with `--holidays FILE` (`jointplan.holidays/1`), so a later year's notice is added without
/// a new release:
///
///     {"format": "jointplan.holidays/1",
///      "years": [{"year": 2027, "source": "国务院办公厅关于2027年部分节假日安排的通知",
///                 "holidays": ["2027-01-01", "…/…"], "extraWorkdays": ["…"]}]}
public struct HolidayCalendar: Sendable {
    public struct Year: Sendable {
        public var year: Int
        /// The notice the dates come from.
        public var source: String
        public var holidays: [DateSpan]
        public var extraWorkdays: [Day]
    }

    public static let format = "jointplan.holidays/1"
    public private(set) var years: [Int: Year] = [:]

    public init(years: [Year]) { for y in years { self.years[y.year] = y } }

    /// The bundled calendar (the notices for 2025 and 2026).
    public static let bundled: HolidayCalendar = try! HolidayCalendar(json: JSONParser.parse(Data(bundledText.utf8)))

    /// The bundled years, then those of `file` (a later file's year replaces a bundled one).
    public static func load(file: String?) throws -> HolidayCalendar {
        var cal = bundled
        guard let file else { return cal }
        guard let data = FileManager.default.contents(atPath: file) else { throw RegisterError("cannot read \(file)") }
        let extra: HolidayCalendar
        do { extra = try HolidayCalendar(json: JSONParser.parse(data)) } catch let e as InputProblems {
            throw RegisterError("\(file): " + e.problems.map(\.description).joined(separator: "; "))
        } catch { throw RegisterError("\(file): not valid JSON: \(error)") }
        for (y, v) in extra.years { cal.years[y] = v }
        return cal
    }

    public init(json: JSON) throws {
        var problems: [InputProblem] = []
        guard let top = json.objectValue else { throw InputProblems([InputProblem(path: "", message: "must be an object")]) }
        if top["format"]?.stringValue != HolidayCalendar.format {
            problems.append(InputProblem(path: "format", message: "must be \"\(HolidayCalendar.format)\""))
        }
        for (i, y) in (top["years"]?.arrayValue ?? []).enumerated() {
            let p = JSONPath.index("years", i)
            guard let year = y["year"]?.intValue else { problems.append(InputProblem(path: JSONPath.key(p, "year"), message: "must be a year")); continue }
            var spans: [DateSpan] = [], extra: [Day] = []
            for (k, h) in (y["holidays"]?.arrayValue ?? []).enumerated() {
                if let s = h.stringValue.flatMap(DateSpan.init), s.start <= s.end { spans.append(s) }
                else { problems.append(InputProblem(path: JSONPath.index(JSONPath.key(p, "holidays"), k), message: "must be a date or a range YYYY-MM-DD/YYYY-MM-DD")) }
            }
            for (k, h) in (y["extraWorkdays"]?.arrayValue ?? []).enumerated() {
                if let d = h.stringValue.flatMap(Day.init) { extra.append(d) }
                else { problems.append(InputProblem(path: JSONPath.index(JSONPath.key(p, "extraWorkdays"), k), message: "must be a date YYYY-MM-DD")) }
            }
            years[year] = Year(year: year, source: y["source"]?.stringValue ?? "", holidays: spans, extraWorkdays: extra)
        }
        if !problems.isEmpty { throw InputProblems(problems) }
    }

    /// The holidays and make-up days that fall in `[start, end]`, each clipped to it; nil when
    /// a year of the span is not in the calendar.
    public func days(from start: Day, to end: Day) -> (holidays: [DateSpan], extraWorkdays: [Day], sources: [String])? {
        var holidays: [DateSpan] = [], extra: [Day] = [], sources: [String] = []
        for year in start.civil.year...end.civil.year {
            guard let y = years[year] else { return nil }
            sources.append(y.source)
            for h in y.holidays where h.end >= start && h.start <= end {
                holidays.append(DateSpan(max(h.start, start), min(h.end, end)))
            }
            extra += y.extraWorkdays.filter { start <= $0 && $0 <= end }
        }
        return (holidays, extra, sources)
    }

    /// Notices of the State Council's General Office (国务院办公厅), as published on gov.cn.
    static let bundledText = """
    {"format": "jointplan.holidays/1",
     "years": [
      {"year": 2025, "source": "国务院办公厅关于2025年部分节假日安排的通知（2024年11月12日）",
       "holidays": ["2025-01-01", "2025-01-28/2025-02-04", "2025-04-04/2025-04-06", "2025-05-01/2025-05-05",
                    "2025-05-31/2025-06-02", "2025-10-01/2025-10-08"],
       "extraWorkdays": ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"]},
      {"year": 2026, "source": "国务院办公厅关于2026年部分节假日安排的通知",
       "holidays": ["2026-01-01/2026-01-03", "2026-02-15/2026-02-23", "2026-04-04/2026-04-06", "2026-05-01/2026-05-05",
                    "2026-06-19/2026-06-21", "2026-09-25/2026-09-27", "2026-10-01/2026-10-07"],
       "extraWorkdays": ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]}
     ]}
    """
}
