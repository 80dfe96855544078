import Foundation
import JointPlan

/// The report's bottleneck section (issue 14, item 6): per department, the weighted unmet
/// checks as bars, and visit-slot use beside minute use, so a department limited by its visits
/// per day (not by its minutes) shows as such; then the table the CLI prints.
enum ReportBottleneck {
    static func section(scenario: Scenario, plan: Plan, _ t: Catalogue) -> String {
        let b = Bottleneck(scenario: scenario, plan: plan)
        guard !b.departments.isEmpty else { return "" }
        let labels = Labels(scenario: scenario)
        let e = HTMLText.escape
        var h = "<section id=\"bottleneck\">\n<h2>\(e(t("report.bottleneckHeading")))</h2>\n"
        h += "<p class=\"note\">\(e(t("report.bottleneckNote")))</p>\n"
        h += "<div class=\"chart\">\(chart(b, labels, t))</div>\n"
        let head = t("report.bottleneckTable").split(separator: ",").map(String.init)
        h += "<table>\n<thead><tr>" + head.enumerated().map { i, c in "<th\(i > 0 ? " class=\"n\"" : "")>\(e(c))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for d in b.departments {
            h += "<tr data-department=\"\(e(d.department))\"><td>\(e(labels.departmentName(d.department)))</td>"
            h += "<td class=\"n\">\(d.unmetChecks)</td><td class=\"n\">\(e(JSON.format(d.unmetWeight)))</td>"
            h += "<td class=\"n\">\(HTMLReport.percent(100 * d.slotUse)) (\(d.slotsUsed)/\(d.slotsAvailable))</td>"
            h += "<td class=\"n\">\(HTMLReport.percent(100 * d.minuteUse))</td><td class=\"n\">\(d.extraInspectorDays)</td></tr>\n"
        }
        h += "</tbody>\n</table>\n</section>\n"
        return h
    }

    static func chart(_ b: Bottleneck, _ labels: Labels, _ t: Catalogue) -> String {
        let labelW = 150.0, weightW = 260.0, gapW = 70.0, useW = 300.0, rowH = 30.0
        let peak = max(1, b.departments.map(\.unmetWeight).max() ?? 0)
        var body = ""
        for (k, d) in b.departments.enumerated() {
            let y = Double(k) * rowH
            let name = labels.departmentName(d.department)
            body += SVGChart.text(labelW - 8, y + 19, name, anchor: "end")
            let w = weightW * d.unmetWeight / peak
            body += SVGChart.rect(labelW, y + 6, w, rowH - 12, fill: "#b91c1c", rx: 2,
                                  title: t("report.unmetWeight", name, JSON.format(d.unmetWeight)))
            body += SVGChart.text(labelW + w + 6, y + 19, JSON.format(d.unmetWeight), size: 11)
            let x0 = labelW + weightW + gapW
            body += SVGChart.rect(x0, y + 5, useW, 9, fill: "#f1f5f9")
            body += SVGChart.rect(x0, y + 5, useW * min(1, d.slotUse), 9, fill: "#1d4ed8",
                                  title: t("report.slotUse", HTMLReport.percent(100 * d.slotUse)))
            body += SVGChart.rect(x0, y + 16, useW, 9, fill: "#f1f5f9")
            body += SVGChart.rect(x0, y + 16, useW * min(1, d.minuteUse), 9, fill: "#93c5fd",
                                  title: t("report.minuteUse", HTMLReport.percent(100 * d.minuteUse)))
            body += SVGChart.text(x0 + useW + 6, y + 13, t("report.slotUse", HTMLReport.percent(100 * d.slotUse)), size: 10)
            body += SVGChart.text(x0 + useW + 6, y + 25, t("report.minuteUse", HTMLReport.percent(100 * d.minuteUse)), size: 10)
        }
        return SVGChart.svg(width: labelW + weightW + gapW + useW + 90, height: max(rowH, Double(b.departments.count) * rowH),
                            label: t("report.bottleneckHeading"), body: body)
    }
}
