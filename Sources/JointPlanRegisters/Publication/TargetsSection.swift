import Foundation
import JointPlan

/// The report's section on targets and completion (issue 23): each KPI against its target
/// (met / not met), and 计划按期完成率 overall and per department when actuals are given.
public enum TargetsSection {
    public static func html(scenario: Scenario, plan: Plan, actuals: Actuals?, language: Language) -> String {
        let t = Catalogue(language)
        let completion = actuals?.completion(scenario: scenario)
        var h = "<section id=\"targets\">\n<h2>\(esc(t("target.title")))</h2>\n<table>\n<tbody>\n"
        for c in TargetCheck.assess(scenario: scenario, plan: plan, completion: completion?.overall.rate) {
            let cls = c.met.map { $0 ? "met" : "unmet" } ?? "na"
            h += "<tr class=\"\(cls)\"><th>\(esc(t("target.\(c.key)")))</th><td>\(esc(c.text(t, named: false)))</td></tr>\n"
        }
        h += "</tbody>\n</table>\n"
        if let completion {
            h += "<h3>\(esc(t("completion.title")))</h3>\n<table>\n<tbody>\n"
            func row(_ name: String, _ n: Actuals.Completion.Count) {
                h += "<tr><th>\(esc(name))</th><td>\(esc(t("completion.value", n.onTime, n.planned, Actuals.Completion.percent(n.rate))))</td></tr>\n"
            }
            row(t("completion.overall"), completion.overall)
            for (d, n) in completion.departments { row(scenario.department(d)?.name ?? d, n) }
            h += "</tbody>\n</table>\n"
        }
        h += "<style>#targets tr.met td{color:#15803d}#targets tr.unmet td{color:#b91c1c;font-weight:bold}#targets th{text-align:left;padding-right:1em}</style>\n"
        return h + "</section>\n"
    }

    /// `report` puts the section after the KPI cards (before the bottleneck), or at the end.
    public static func insert(_ section: String, into page: String) -> String {
        for marker in ["<section id=\"bottleneck\"", "<section id=\"calendar\"", "</body>"] {
            if let r = page.range(of: marker) { return page.replacingCharacters(in: r.lowerBound..<r.lowerBound, with: section) }
        }
        return page + section
    }

    static func esc(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
