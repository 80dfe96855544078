import Foundation
import JointPlan
import Spreadsheet

/// Cells read as an office types them. Each function returns nil for a value it cannot read;
/// the importer reports it at the cell.
enum CellText {
    /// Full-width digits, letters and punctuation (a Chinese input method's) as ASCII.
    static func halfWidth(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            if u.value >= 0xFF01 && u.value <= 0xFF5E, let h = Unicode.Scalar(u.value - 0xFEE0) { out.append(h) }
            else if u.value == 0x3000 { out.append(" ") }
            else { out.append(u) }
        }
        return String(out).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `a、b`, `a,b`, `a;b`, `a，b`, `a；b` or one per line.
    static func list(_ s: String) -> [String] {
        s.split(whereSeparator: { "、,，;；\n\r".contains($0) })
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }

    static func tier(_ s: String) -> String? {
        var t = halfWidth(s).uppercased()
        for suffix in ["类企业", "类", "级"] where t.hasSuffix(suffix) { t = String(t.dropLast(suffix.count)) }
        t = t.trimmingCharacters(in: .whitespaces)
        return ["A", "B", "C", "D"].contains(t) ? t : nil
    }

    static func bool(_ s: String) -> Bool? {
        switch halfWidth(s).lowercased() {
        case "是", "y", "yes", "true", "1", "√", "✓", "✔", "有", "对": return true
        case "否", "n", "no", "false", "0", "×", "✗", "✘", "无", "不": return false
        default: return nil
        }
    }

    /// An integer literal: a whole number cell, or digits with a unit an office adds (次, 天, 分钟, 人).
    static func integer(_ c: WorkbookReader.Cell) -> String? {
        switch c {
        case .number(let x, _):
            guard x == x.rounded(), abs(x) < 1e15 else { return nil }
            return String(Int64(x))
        case .text(let s):
            var t = halfWidth(s)
            for unit in ["分钟", "次", "天", "日", "分", "人", "个"] where t.hasSuffix(unit) { t = String(t.dropLast(unit.count)) }
            t = t.trimmingCharacters(in: .whitespaces)
            let digits = t.hasPrefix("-") ? String(t.dropFirst()) : t
            guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            // Leading zeros are not JSON; 0 stays 0.
            let trimmed = String(digits.drop(while: { $0 == "0" }))
            return (t.hasPrefix("-") ? "-" : "") + (trimmed.isEmpty ? "0" : trimmed)
        default: return nil
        }
    }

    static func number(_ c: WorkbookReader.Cell) -> String? {
        switch c {
        case .number(_, let lit): return NumberText.canonical(lit)
        case .text(let s):
            let t = halfWidth(s)
            if t.hasSuffix("%") { return NumberText.percent(String(t.dropLast())) }
            guard let d = Double(t), d.isFinite else { return nil }
            return NumberText.canonical(t.contains("e") || t.contains("E") ? NumberText.of(d) : t)
        default: return nil
        }
    }

    /// `YYYY-MM-DD` from a date cell, a serial number, or text: 2026-02-09, 2026/2/9,
    /// 2026.2.9, 2026年2月9日, 20260209.
    static func date(_ c: WorkbookReader.Cell) -> String? {
        switch c {
        case .date(let y, let m, let d, _):
            return Day(year: y, month: m, day: d)?.description
        case .number(let x, _):
            // A date typed into a cell formatted as a number: Excel's serial day (1900 system).
            guard x == x.rounded(), x >= 61, x < 2_958_466 else { return nil }
            return Day(number: Int(x) - 25569).description
        case .text(let s):
            return dateText(s)
        default: return nil
        }
    }

    static func dateText(_ s: String) -> String? {
        var t = halfWidth(s)
        if t.hasSuffix("日") || t.hasSuffix("号") { t.removeLast() }
        let parts = t.split(whereSeparator: { "-/.年月".contains($0) }).map(String.init)
        if parts.count == 1, t.count == 8, t.allSatisfy({ $0.isASCII && $0.isNumber }) {
            return Day(year: Int(t.prefix(4))!, month: Int(t.dropFirst(4).prefix(2))!, day: Int(t.suffix(2))!)?.description
        }
        guard parts.count == 3, parts[0].count == 4, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return nil }
        return Day(year: y, month: m, day: d)?.description
    }

    /// A date, or a range `a/b`, `a~b`, `a至b`, `a到b` (ends included).
    static func dateSpan(_ s: String) -> String? {
        let t = halfWidth(s)
        for sep in ["至", "到", "~", "～", "—", "–"] where t.contains(sep) {
            let ends = t.components(separatedBy: sep)
            guard ends.count == 2, let a = dateText(ends[0]), let b = dateText(ends[1]) else { return nil }
            return a + "/" + b
        }
        // "/" separates a range only when each side is a whole date (2026/2/9 is one date).
        let slash = t.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if slash.count == 2, let a = dateText(slash[0]), let b = dateText(slash[1]) { return a + "/" + b }
        if slash.count == 6 {
            if let a = dateText(slash[0...2].joined(separator: "/")), let b = dateText(slash[3...5].joined(separator: "/")) { return a + "/" + b }
        }
        return dateText(t)
    }

    /// `HH:MM` from text (9:30, 09:30, 9：30, 9点30) or a time cell (a fraction of a day).
    static func time(_ c: WorkbookReader.Cell) -> String? {
        switch c {
        case .number(let x, _):
            guard x >= 0, x < 1 else { return nil }
            let m = Int((x * 1440).rounded())
            return m < 1440 ? ClockTime.format(m) : nil
        case .date(_, _, _, let f):
            guard f > 0 else { return nil }
            return ClockTime.format(Int((f * 1440).rounded()) % 1440)
        case .text(let s): return timeText(s)
        default: return nil
        }
    }

    static func timeText(_ s: String) -> String? {
        var t = halfWidth(s).replacingOccurrences(of: "点", with: ":").replacingOccurrences(of: "时", with: ":")
        if t.hasSuffix("分") { t.removeLast() }
        if t.hasSuffix(":") { t += "00" }
        let p = t.split(separator: ":", omittingEmptySubsequences: false)
        // 09:30:00 as Excel shows a time cell typed as text.
        guard p.count == 2 || (p.count == 3 && p[2] == "00"), let h = Int(p[0]), let m = Int(p[1]), p[1].count == 2,
              (0...23).contains(h) || (h == 24 && m == 0), (0...59).contains(m) else { return nil }
        return ClockTime.format(h * 60 + m)
    }

    /// `12:00-14:00` (also `~`, `至`, `–`).
    static func timeSpan(_ s: String) -> (String, String)? {
        let t = halfWidth(s)
        for sep in ["-", "~", "～", "至", "到", "–", "—"] where t.contains(sep) {
            let ends = t.components(separatedBy: sep)
            guard ends.count == 2, let a = timeText(ends[0]), let b = timeText(ends[1]) else { return nil }
            return (a, b)
        }
        return nil
    }

    /// ISO weekdays: `1-5`, `1、2、3`, `周一至周五`, `星期一、星期三`.
    static func weekdays(_ s: String) -> [Int]? {
        let names: [Character: Int] = ["一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "日": 7, "天": 7]
        func day(_ x: String) -> Int? {
            var t = halfWidth(x)
            for p in ["星期", "周", "礼拜"] where t.hasPrefix(p) { t = String(t.dropFirst(p.count)) }
            if let n = Int(t), (1...7).contains(n) { return n }
            if t.count == 1, let n = names[t.first!] { return n }
            return nil
        }
        var out: [Int] = []
        for part in list(s) {
            var handled = false
            for sep in ["-", "至", "到", "~", "～", "–"] where part.contains(sep) {
                let ends = part.components(separatedBy: sep)
                guard ends.count == 2, let a = day(ends[0]), let b = day(ends[1]), a <= b else { return nil }
                out += Array(a...b)
                handled = true
                break
            }
            if !handled {
                guard let d = day(part) else { return nil }
                out.append(d)
            }
        }
        return out.isEmpty ? nil : out
    }

    /// A frequency cell: a whole number ≥ 1 (or `2次`) is a count, a fraction below 1 (or `5%`,
    /// `抽查5%`) a sampling rate, kept as the decimal the office wrote.
    static func frequency(_ c: WorkbookReader.Cell) -> JSON? {
        func count(_ lit: String) -> JSON { .object(JSONObject([("count", .number(lit))])) }
        func rate(_ lit: String) -> JSON { .object(JSONObject([("sampleRate", .number(lit))])) }
        switch c {
        case .number(let x, let lit):
            if x == x.rounded() { return count(NumberText.canonical(lit)) }
            return rate(NumberText.canonical(lit))
        case .text(let s):
            var t = halfWidth(s)
            for p in ["抽查", "抽检", "随机抽查", "比例"] where t.hasPrefix(p) { t = String(t.dropFirst(p.count)).trimmingCharacters(in: .whitespaces) }
            if t.hasSuffix("%"), let r = NumberText.percent(String(t.dropLast())) {
                return rate(r)
            }
            if t.hasSuffix("次") || t.hasSuffix("次/季度") {
                return integer(.text(t.replacingOccurrences(of: "/季度", with: ""))).map(count)
            }
            if let n = integer(.text(t)) { return count(n) }
            if let d = Double(t), d.isFinite, d > 0, d < 1 { return rate(NumberText.canonical(t)) }
            return nil
        default: return nil
        }
    }

    /// policy.inspectorDispatch as offices write it; anything else goes through as written,
    /// for the validator to name.
    static func dispatch(_ s: String) -> String {
        switch halfWidth(s).lowercased() {
        case "随机选派", "随机", "随机抽取", "双随机", "random": return "random"
        case "优化指派", "优化", "指派", "指定", "optimised", "optimized": return "optimised"
        default: return s
        }
    }

    static func sampling(_ s: String) -> String {
        switch halfWidth(s).lowercased() {
        case "协同", "协同抽样", "coordinated", "协调": return "coordinated"
        case "独立", "独立抽样", "independent": return "independent"
        default: return s
        }
    }
}
