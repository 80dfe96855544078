import Foundation
import JointPlan

/// Escaping for HTML text and attribute values: every string from a scenario or a plan goes
/// through here before it reaches the report (an enterprise may be called `<script>…`).
public enum HTMLText {
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Control characters other than TAB/LF/CR are not allowed in HTML text.
                if (u.value < 0x20 && u != "\t" && u != "\n" && u != "\r") || u.value == 0x7F { out += "\u{FFFD}" }
                else { out.unicodeScalars.append(u) }
            }
        }
        return out
    }
}

/// Inline SVG charts for the report: no script, no external resource; text inherits the page's
/// font stack (CJK included). Every mark carries a `<title>` so hovering shows the value.
enum SVGChart {
    static let ink = "#374151"
    static let faint = "#9ca3af"
    static let heatShades = ["#d7efe9", "#a6dacd", "#63bba8", "#2b917f", "#0d6657"]
    static let visitShades = ["#e5e7eb", "#bfdbfe", "#60a5fa", "#2563eb", "#1e3a8a", "#0b1a4a", "#050b24"]

    static func number(_ v: Double) -> String {
        let r = (v * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(format: "%.1f", r)
    }

    static func svg(width: Double, height: Double, label: String, body: String) -> String {
        // No xmlns: inline SVG in HTML5 needs none, and the report then holds no URL at all.
        "<svg viewBox=\"0 0 \(number(width)) \(number(height))\" "
            + "width=\"\(number(width))\" height=\"\(number(height))\" role=\"img\" aria-label=\"\(HTMLText.escape(label))\" "
            + "style=\"max-width:100%;height:auto\">\n<title>\(HTMLText.escape(label))</title>\n\(body)</svg>\n"
    }

    static func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, stroke: String? = nil,
                     rx: Double = 0, title: String? = nil) -> String {
        var s = "<rect x=\"\(number(x))\" y=\"\(number(y))\" width=\"\(number(max(0, w)))\" height=\"\(number(max(0, h)))\" fill=\"\(fill)\""
        if let stroke { s += " stroke=\"\(stroke)\"" }
        if rx > 0 { s += " rx=\"\(number(rx))\"" }
        if let title { return s + "><title>\(HTMLText.escape(title))</title></rect>\n" }
        return s + "/>\n"
    }

    static func text(_ x: Double, _ y: Double, _ s: String, anchor: String = "start", size: Double = 12,
                     fill: String = ink, weight: String? = nil) -> String {
        var t = "<text x=\"\(number(x))\" y=\"\(number(y))\" font-size=\"\(number(size))\" fill=\"\(fill)\" text-anchor=\"\(anchor)\""
        if let weight { t += " font-weight=\"\(weight)\"" }
        return t + ">\(HTMLText.escape(s))</text>\n"
    }

    // MARK: - Calendar heat map

    /// Visits per day: one column per week, one row per weekday (Monday on top); non-working
    /// days are outlined, working days shaded by their number of visits.
    static func heatMap(_ f: ReportFigures, _ t: Catalogue = Catalogue(.zh)) -> String {
        let cell = 22.0, gap = 4.0, left = 48.0, top = 26.0
        let h = f.calendar.horizon
        let maxCount = max(1, f.visitsPerDay.values.max() ?? 0)
        var body = ""
        let weekdays = (1...7).map { t("rpt.wd\($0)") }
        for (r, name) in weekdays.enumerated() {
            body += text(left - 8, top + Double(r) * (cell + gap) + cell - 4, name, anchor: "end", size: 11, fill: faint)
        }
        var lastMonth = -1
        for (k, monday) in f.weeks.enumerated() {
            let x = left + Double(k) * (cell + gap)
            let firstInHorizon = max(monday, h.start)
            let month = firstInHorizon.civil.month
            if month != lastMonth && firstInHorizon <= h.end {
                body += text(x, top - 9, t("rpt.month", month), size: 11, fill: faint)
                lastMonth = month
            }
            for r in 0..<7 {
                let d = monday + r
                guard d >= h.start, d <= h.end else { continue }
                let y = top + Double(r) * (cell + gap)
                let count = f.visitsPerDay[d] ?? 0
                let working = f.calendar.isWorking(d)
                let label = t("rpt.dayVisits", d, t("weekday.\(d.isoWeekday)"), count) + (working ? "" : t("rpt.nonWorkingTag"))
                if !working && count == 0 {
                    body += rect(x + 0.5, y + 0.5, cell - 1, cell - 1, fill: "#ffffff", stroke: "#d1d5db", rx: 3, title: label)
                } else {
                    let fill = count == 0 ? "#eef0f3" : heatShades[min(heatShades.count - 1, (count * heatShades.count - 1) / maxCount)]
                    body += rect(x, y, cell, cell, fill: fill, stroke: working ? nil : "#dc2626", rx: 3, title: label)
                }
            }
        }
        // Legend.
        let ly = top + 7 * (cell + gap) + 14
        body += text(left, ly + 11, t("rpt.few"), size: 11, fill: faint)
        for (k, shade) in (["#eef0f3"] + heatShades).enumerated() {
            body += rect(left + 18 + Double(k) * (cell + 2), ly, cell, cell, fill: shade, rx: 3)
        }
        let afterShades = left + 18 + Double(heatShades.count + 1) * (cell + 2) + 4
        body += text(afterShades, ly + 11, t("rpt.many", maxCount), size: 11, fill: faint)
        body += rect(afterShades + 150, ly + 0.5, cell - 1, cell - 1, fill: "#ffffff", stroke: "#d1d5db", rx: 3)
        body += text(afterShades + 150 + cell + 6, ly + 11, t("rpt.nonWorking"), size: 11, fill: faint)
        let width = max(left + Double(f.weeks.count) * (cell + gap) + 10, afterShades + 240)
        return svg(width: width, height: ly + cell + 6, label: t("rpt.heatLabel"), body: body)
    }

    // MARK: - Weekly load against capacity

    /// One department: bars of inspector hours per week, the capacity as a stepped line.
    static func weeklyLoad(department: String, weeks: [ReportFigures.WeekLoad], _ t: Catalogue = Catalogue(.zh)) -> String {
        let width = 380.0, height = 150.0, left = 40.0, right = 8.0, top = 10.0, bottom = 24.0
        let plotW = width - left - right, plotH = height - top - bottom
        let peak = max(1, weeks.map { max($0.used, $0.capacity) }.max() ?? 0)
        let scale = plotH / Double(peak)
        let slot = plotW / Double(max(1, weeks.count))
        var body = ""
        // Axis: 0 and the peak in hours.
        body += "<line x1=\"\(number(left))\" y1=\"\(number(top + plotH))\" x2=\"\(number(width - right))\" y2=\"\(number(top + plotH))\" stroke=\"#d1d5db\"/>\n"
        body += text(left - 4, top + plotH + 4, "0", anchor: "end", size: 10, fill: faint)
        body += text(left - 4, top + 8, "\(number(Double(peak) / 60))h", anchor: "end", size: 10, fill: faint)
        var step = ""
        for (k, w) in weeks.enumerated() {
            let x = left + Double(k) * slot
            let bh = Double(w.used) * scale
            let over = w.used > w.capacity
            let pct = w.capacity > 0 ? " (\(number(100 * Double(w.used) / Double(w.capacity)))%)" : ""
            body += rect(x + slot * 0.15, top + plotH - bh, slot * 0.7, bh, fill: over ? "#dc2626" : "#3b82f6",
                         title: t("rpt.weekTitle", department, w.monday, number(Double(w.used) / 60), number(Double(w.capacity) / 60)) + pct)
            let cy = top + plotH - Double(w.capacity) * scale
            step += (k == 0 ? "M" : "L") + "\(number(x)),\(number(cy)) L\(number(x + slot)),\(number(cy)) "
            if k % max(1, Int((Double(weeks.count) / 6).rounded(.up))) == 0 {
                let c = w.monday.civil
                body += text(x + slot / 2, height - 8, "\(c.month)/\(c.day)", anchor: "middle", size: 10, fill: faint)
            }
        }
        if !weeks.isEmpty {
            body += "<path d=\"\(step)\" fill=\"none\" stroke=\"#f59e0b\" stroke-width=\"2\" stroke-dasharray=\"4 3\"><title>\(HTMLText.escape(t("rpt.capacityLine")))</title></path>\n"
        }
        return svg(width: width, height: height, label: t("rpt.weeklyLabel", department), body: body)
    }

    // MARK: - Horizontal bars

    /// Labelled horizontal bars (visits per town).
    static func bars(_ rows: [(label: String, value: Int, title: String)], label: String) -> String {
        let labelW = 150.0, barW = 460.0, rowH = 24.0
        let peak = max(1, rows.map(\.value).max() ?? 0)
        var body = ""
        for (k, r) in rows.enumerated() {
            let y = Double(k) * rowH
            body += text(labelW - 8, y + 16, r.label, anchor: "end")
            let w = barW * Double(r.value) / Double(peak)
            body += rect(labelW, y + 4, w, rowH - 8, fill: "#0d9488", rx: 2, title: r.title)
            body += text(labelW + w + 6, y + 16, String(r.value), size: 11)
        }
        return svg(width: labelW + barW + 50, height: max(rowH, Double(rows.count) * rowH), label: label, body: body)
    }

    /// Per tier, a 100 % stacked bar of enterprises by number of on-site visits.
    static func tierStacks(_ f: ReportFigures, _ t: Catalogue = Catalogue(.zh)) -> String {
        let labelW = 110.0, barW = 520.0, rowH = 34.0
        let buckets = f.enterprisesByVisits.first?.counts.count ?? 4
        var body = ""
        for (k, row) in f.enterprisesByVisits.enumerated() {
            let y = Double(k) * rowH
            let total = row.counts.reduce(0, +)
            body += text(labelW - 8, y + 21, t("rpt.tierRow", row.tier.rawValue, total), anchor: "end")
            guard total > 0 else {
                body += text(labelW, y + 21, t("rpt.noEnterprise"), size: 11, fill: faint)
                continue
            }
            var x = labelW
            for (visits, n) in row.counts.enumerated() where n > 0 {
                let w = barW * Double(n) / Double(total)
                let shade = visitShades[min(visits, visitShades.count - 1)]
                body += rect(x, y + 6, w, rowH - 12, fill: shade,
                             title: t("rpt.tierTitle", row.tier.rawValue, n, visits, number(100 * Double(n) / Double(total))))
                if w >= 26 {
                    body += text(x + w / 2, y + 21, String(n), anchor: "middle", size: 11, fill: visits >= 2 ? "#ffffff" : ink)
                }
                x += w
            }
        }
        let ly = Double(f.enterprisesByVisits.count) * rowH + 8
        for v in 0..<buckets {
            let x = labelW + Double(v) * 72
            body += rect(x, ly, 14, 14, fill: visitShades[min(v, visitShades.count - 1)], rx: 2)
            body += text(x + 19, ly + 12, t("rpt.times", v), size: 11)
        }
        return svg(width: labelW + barW + 20, height: ly + 22, label: t("rpt.tierLabel"), body: body)
    }
}
