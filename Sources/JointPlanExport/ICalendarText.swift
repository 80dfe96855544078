import Foundation
import JointPlan

/// The lexical layer of RFC 5545: escaping TEXT values, quoting parameter values, folding
/// content lines at 75 octets, and the date-time forms the calendars use.
///
/// Kept apart from `ICalendarExporter` so that the rules Outlook and Google are strict about
/// (CRLF, folding on character boundaries, escaping) are tested on their own.
public enum ICalendarText {
    /// RFC 5545 3.1: lines longer than 75 octets (excluding the CRLF) are folded.
    public static let maxLineOctets = 75

    /// Escapes a TEXT value (RFC 5545 3.3.11): `\` `;` `,` get a backslash, any line break
    /// (CRLF, LF or CR) becomes `\n`. Other control characters are not allowed in TEXT and
    /// are replaced by a space, so a stray control character in a scenario name cannot break
    /// the file.
    public static func escapeText(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        var previousWasCR = false
        for u in s.unicodeScalars {
            defer { previousWasCR = (u == "\r") }
            switch u {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\r": out += "\\n"
            case "\n": if !previousWasCR { out += "\\n" }
            case "\t": out.unicodeScalars.append(u)
            default:
                if u.value < 0x20 || u.value == 0x7F { out += " " } else { out.unicodeScalars.append(u) }
            }
        }
        return out
    }

    /// Undoes `escapeText` (for tests and for reading back a value).
    public static func unescapeText(_ s: String) -> String {
        var out = ""
        var escaping = false
        for ch in s {
            if escaping {
                switch ch {
                case "n", "N": out += "\n"
                default: out.append(ch)
                }
                escaping = false
            } else if ch == "\\" {
                escaping = true
            } else {
                out.append(ch)
            }
        }
        return out
    }

    /// A parameter value (RFC 5545 3.2): quoted when it holds `:` `;` or `,`; DQUOTE and
    /// control characters cannot appear in one at all and are dropped.
    public static func parameterValue(_ s: String) -> String {
        let clean = String(String.UnicodeScalarView(s.unicodeScalars.filter { $0 != "\"" && $0.value >= 0x20 && $0.value != 0x7F }))
        return clean.contains(where: { $0 == ":" || $0 == ";" || $0 == "," }) ? "\"\(clean)\"" : clean
    }

    /// Folds one content line (without its CRLF) into physical lines of at most 75 octets:
    /// the first line holds up to 75 octets, every continuation line is a space plus up to 74
    /// octets (RFC 5545 3.1). Breaks only between Unicode scalars, so a Chinese character
    /// (3 octets in UTF-8) is never split and each physical line is valid UTF-8 on its own.
    public static func fold(_ line: String) -> [String] {
        var lines: [String] = []
        var current = String.UnicodeScalarView()
        var octets = 0
        var limit = maxLineOctets
        for u in line.unicodeScalars {
            let n = UTF8.width(u)
            if octets + n > limit {
                lines.append(String(current))
                current = String.UnicodeScalarView([" "])
                octets = 1
                limit = maxLineOctets
            }
            current.append(u)
            octets += n
        }
        lines.append(String(current))
        return lines
    }

    /// Joins physical lines back into content lines (RFC 5545 3.1 unfolding): a CRLF followed by
    /// a space or tab is removed.
    public static func unfold(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n ", with: "").replacingOccurrences(of: "\r\n\t", with: "")
    }

    /// `20260112T093000`: a local date-time (FORM #3, with a TZID parameter).
    public static func localDateTime(_ day: Day, minutes: Int) -> String {
        // 24:00 (the end of the day, ClockTime) is written as 00:00 of the next day.
        let d = day + minutes / 1440
        let m = minutes % 1440
        return d.compact + String(format: "T%02d%02d00", m / 60, m % 60)
    }

    /// `20260101T080000Z`: a UTC date-time (FORM #2), as DTSTAMP requires.
    public static func utcDateTime(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let dayNumber = Int((Double(seconds) / 86400).rounded(.down))
        let rest = seconds - dayNumber * 86400
        return Day(number: dayNumber).compact + String(format: "T%02d%02d%02dZ", rest / 3600, rest / 60 % 60, rest % 60)
    }
}

/// Builds the content lines of one iCalendar object and writes them folded, CRLF-terminated.
struct ContentLines {
    private(set) var lines: [String] = []

    /// `NAME;PARAMS:value` with the value written as given (already in its value type's form).
    mutating func raw(_ name: String, _ value: String, parameters: [(String, String)] = []) {
        var line = name
        for (k, v) in parameters { line += ";\(k)=\(ICalendarText.parameterValue(v))" }
        lines.append(line + ":" + value)
    }

    /// A TEXT property, escaped.
    mutating func text(_ name: String, _ value: String) {
        raw(name, ICalendarText.escapeText(value))
    }

    /// A TEXT list property (CATEGORIES): each value escaped, separated by unescaped commas.
    mutating func textList(_ name: String, _ values: [String]) {
        raw(name, values.map(ICalendarText.escapeText).joined(separator: ","))
    }

    mutating func begin(_ component: String) { raw("BEGIN", component) }
    mutating func end(_ component: String) { raw("END", component) }
    mutating func append(_ other: ContentLines) { lines += other.lines }

    /// The folded text with CRLF after every physical line, the last one included.
    var rendered: String {
        var out = ""
        for line in lines {
            for physical in ICalendarText.fold(line) { out += physical + "\r\n" }
        }
        return out
    }
}
