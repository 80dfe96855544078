import Foundation
import JointPlan

/// The VTIMEZONE component for the horizon's time zone (RFC 5545 3.6.5). Outlook shifts or
/// rejects events whose TZID has no VTIMEZONE in the file (conventions.md, Calendars).
///
/// - Asia/Shanghai (the default): one STANDARD observance, +0800, TZNAME CST, from
///   1970-01-01 — China has had no daylight saving time since 1991.
/// - Any other zone is built from Foundation's `TimeZone` over the window the calendar covers:
///   a fixed-offset zone (UTC, Etc/GMT-3, Asia/Kolkata …) gets one STANDARD observance with its
///   offset; a zone with daylight saving time gets one observance per transition that falls in
///   the window (DAYLIGHT when the new offset is daylight time, STANDARD otherwise), each with
///   its explicit DTSTART and no RRULE, plus the observance in force at the window's start.
///   That is exact for every date in the window, which is all the file's events need; it does
///   not describe the zone outside it.
public struct ICalendarTimeZone: Sendable {
    public let identifier: String
    /// The content lines BEGIN:VTIMEZONE … END:VTIMEZONE.
    let component: ContentLines

    /// Builds the component for `identifier` covering `first`…`last` (civil dates).
    /// Throws `ExportError.unknownTimeZone` for an identifier Foundation does not know.
    public init(identifier: String, from first: Day, through last: Day) throws {
        self.identifier = identifier
        var c = ContentLines()
        c.begin("VTIMEZONE")
        c.text("TZID", identifier)
        if identifier == "Asia/Shanghai" || identifier == "PRC" {
            ICalendarTimeZone.observance(&c, kind: "STANDARD", start: "19700101T000000",
                                         from: 8 * 3600, to: 8 * 3600, name: "CST")
        } else {
            guard let tz = TimeZone(identifier: identifier) else {
                throw ExportError.unknownTimeZone(identifier)
            }
            // The window in UTC, widened by a day on each side for the zone's offset.
            let windowStart = Date(timeIntervalSince1970: Double((first.number - 1) * 86400))
            let windowEnd = Date(timeIntervalSince1970: Double((last.number + 2) * 86400))
            // The observance in force at the window's start, from the zone's own offset then.
            let offset0 = tz.secondsFromGMT(for: windowStart)
            let transitions = ICalendarTimeZone.transitions(of: tz, from: windowStart, to: windowEnd)
            let dst0 = tz.isDaylightSavingTime(for: windowStart)
            let previousOffset = ICalendarTimeZone.offsetBefore(tz, windowStart) ?? offset0
            ICalendarTimeZone.observance(&c, kind: dst0 ? "DAYLIGHT" : "STANDARD",
                                         start: ICalendarTimeZone.localStamp(windowStart, offset: offset0, floorToDay: true),
                                         from: previousOffset, to: offset0,
                                         name: tz.abbreviation(for: windowStart) ?? identifier)
            var offset = offset0
            for t in transitions {
                let after = tz.secondsFromGMT(for: t)
                // DTSTART of an observance is the local time before the change (RFC 5545 3.6.5:
                // "expressed in local time using the TZOFFSETFROM offset").
                ICalendarTimeZone.observance(&c, kind: tz.isDaylightSavingTime(for: t) ? "DAYLIGHT" : "STANDARD",
                                             start: ICalendarTimeZone.localStamp(t, offset: offset, floorToDay: false),
                                             from: offset, to: after, name: tz.abbreviation(for: t) ?? identifier)
                offset = after
            }
        }
        c.end("VTIMEZONE")
        component = c
    }

    private static func observance(_ c: inout ContentLines, kind: String, start: String, from: Int, to: Int, name: String) {
        c.begin(kind)
        c.raw("DTSTART", start)
        c.raw("TZOFFSETFROM", utcOffset(from))
        c.raw("TZOFFSETTO", utcOffset(to))
        c.text("TZNAME", name)
        c.end(kind)
    }

    /// `+0800`, `-0330`, `+053000` (UTC-OFFSET, RFC 5545 3.3.14; seconds only when non-zero).
    static func utcOffset(_ seconds: Int) -> String {
        let sign = seconds < 0 ? "-" : "+"
        let a = abs(seconds)
        let s = sign + String(format: "%02d%02d", a / 3600, a / 60 % 60)
        return a % 60 == 0 ? s : s + String(format: "%02d", a % 60)
    }

    /// The zone's transitions in `[from, to)`, in order.
    private static func transitions(of tz: TimeZone, from: Date, to: Date) -> [Date] {
        var out: [Date] = []
        var t = from
        while let next = tz.nextDaylightSavingTimeTransition(after: t), next < to, out.count < 64 {
            out.append(next)
            t = next
        }
        return out
    }

    /// The offset in force just before the last transition at or before `date` (for the first
    /// observance's TZOFFSETFROM); nil when the zone has no transition in the preceding year.
    private static func offsetBefore(_ tz: TimeZone, _ date: Date) -> Int? {
        let yearBefore = date.addingTimeInterval(-366 * 86400)
        guard let last = transitions(of: tz, from: yearBefore, to: date.addingTimeInterval(1)).last else { return nil }
        return tz.secondsFromGMT(for: last.addingTimeInterval(-1))
    }

    /// A local date-time `YYYYMMDDTHHMMSS` for an instant at a given UTC offset.
    private static func localStamp(_ date: Date, offset: Int, floorToDay: Bool) -> String {
        var seconds = Int(date.timeIntervalSince1970.rounded(.down)) + offset
        if floorToDay { seconds -= ((seconds % 86400) + 86400) % 86400 }
        let dayNumber = Int((Double(seconds) / 86400).rounded(.down))
        let rest = seconds - dayNumber * 86400
        return Day(number: dayNumber).compact + String(format: "T%02d%02d%02d", rest / 3600, rest / 60 % 60, rest % 60)
    }
}

/// Why an export cannot be written.
public enum ExportError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `horizon.timezone` names a zone this system's time zone database does not know.
    case unknownTimeZone(String)

    public var description: String {
        switch self {
        case .unknownTimeZone(let id): return "horizon.timezone: unknown time zone \"\(id)\""
        }
    }
}
