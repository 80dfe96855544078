import Foundation
import JointPlan
import Testing

/// Issue 24, item 3: under `--lang zh` no English reaches a person. Every command an office
/// runs is run on the demo district in Chinese, and every Latin word of what it prints must be
/// an id or name of the scenario, a file name, or a code on the allow-list (JSON keys shown
/// beside their Chinese label, statuses and reasons as the plan spells them, RFC words).
@Suite(.enabled(if: CommandLine14.available, "the jointplan binary is not built"), .serialized)
struct ChineseOutputTests {
    /// Codes, units and format words that stay as they are in Chinese text.
    static let allowed: Set<String> = [
        // the product, formats and standards
        "jointplan", "JSON", "CSV", "PDF", "XLSX", "HTML", "ICS", "UTC", "RFC", "STATUS", "CANCELLED", "SEQUENCE", "HH", "MM",
        "YYYY", "DD", "ID", "GLPK", "LP", "Chromium", "CST", "Asia", "Shanghai", "sha", "xlsx", "json", "csv", "sqlite", "html",
        // symbols of the published draw (spec 2.1)
        "N", "n", "u", "u64",
        // plan statuses, methods, unmet reasons, KPI and objective keys (shown beside their labels)
        "optimal", "feasible", "timeLimit", "infeasible", "departmentAlone", "firstFit",
        "staffing", "visitCap", "whitelist", "blackout", "spacing", "noInspector", "recusal",
        "requiredChecks", "onsiteChecks", "remoteChecks", "unmetChecks", "unmetByReason", "baselineVisits",
        "visitReductionPct", "visitLowerBound", "jointVisitRate", "maxVisitsPerEnterprise", "utilization",
        "unmetWeighted", "onsiteVisits", "inspectorMinutes", "minSpacingDays", "maxVisitsPerDay", "lastChecked",
        "maxOnsiteVisits", "coordinated", "independent",
        // JSON paths (the location of a problem in a JSON file, as validate prints it)
        "enterprises", "items", "inspectors", "departments", "towns", "pinned", "horizon", "policy", "categories",
        "department", "town", "enterprise", "item", "inspector", "date", "start",
        // tiers and weekday letters
        "A", "B", "C", "D", "Q", "s",
    ]

    /// Latin words of `text` that are none of the above, the scenario's ids and names, or paths.
    static func english(_ text: String, scenario: Scenario, paths: [String]) -> Set<String> {
        var known = allowed
        for id in scenario.enterprises.map(\.id) + scenario.items.map(\.id) + scenario.inspectors.map(\.id)
            + scenario.departments.map(\.id) + scenario.towns.map(\.id) + scenario.items.flatMap(\.categories) {
            known.formUnion(id.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init))
        }
        // File names and what the person typed (ids, variant names from file names) are theirs.
        for p in paths { known.formUnion(p.split(whereSeparator: { !($0.isASCII && ($0.isLetter || $0.isNumber)) }).map(String.init)) }
        var rest = text
        for p in paths { rest = rest.replacingOccurrences(of: p, with: " ") }
        // A path the product made (p-visits.csv beside p.csv) is a file name too.
        rest = rest.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "（" || $0 == "(" || $0 == "，" || $0 == "," })
            .filter { !$0.contains("/") }.joined(separator: " ")
        let words = rest.split(whereSeparator: { !($0.isASCII && ($0.isLetter || $0.isNumber)) }).map(String.init)
            .filter { $0.first!.isLetter }
        return Set(words.filter { !known.contains($0) })
    }

    @Test func noEnglishReachesAPersonUnderLangZh() throws {
        let dir = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let d = dir.path
        let scenarioPath = "Scenarios/demo.json"
        let scenario = try ScenarioReader.read(Data(contentsOf: PythonOracle.repository.appendingPathComponent(scenarioPath)))
        let runs: [[String]] = [
            ["validate", scenarioPath],
            ["solve", scenarioPath, "-o", "\(d)/p.json", "--db", "\(d)/r.sqlite", "--time-limit", "10"],
            ["check", scenarioPath, "\(d)/p.json"],
            ["draw", scenarioPath],
            ["runs", "list", "--db", "\(d)/r.sqlite"],
            ["export", scenarioPath, "\(d)/p.json", "--actuals", "\(d)/a.xlsx", "--csv", "\(d)/p.csv", "--notices", "\(d)/n", "--ics", "\(d)/ics"],
            ["change", "leave", "P004", "2026-02-09/2026-02-13", "-o", "\(d)/leave.json"],
            ["change", "leave", "P999", "2026-02-09", "--base", scenarioPath],
            ["change", "staffing", "NOPE", "0.5", "--base", scenarioPath],
            ["replan", scenarioPath, "\(d)/p.json", "--from", "2026-02-02", "--changes", "\(d)/leave.json", "-o", "\(d)/p2.json", "--time-limit", "10"],
            ["explain", scenarioPath, "\(d)/p.json", "--enterprise", "E00005"],
            ["whatif", scenarioPath, "Scenarios/whatif/independent-draw.json", "--time-limit", "10"],
        ]
        var found: [String: Set<String>] = [:]
        for args in runs {
            let r = try CommandLine14.run(args + ["--lang", "zh"], environment: ["LANG": "zh_CN.UTF-8"])
            let words = Self.english(r.stdout + "\n" + r.stderr, scenario: scenario, paths: [d, scenarioPath, "Scenarios/whatif/independent-draw.json"] + args)
            if !words.isEmpty { found[args.prefix(2).joined(separator: " ")] = words }
        }
        // The actuals summary: the sheet as exported (nothing reported yet) recorded for the run.
        try FileManager.default.copyItem(atPath: "\(d)/a.xlsx", toPath: "\(d)/af.xlsx")
        let a = try CommandLine14.run(["actuals", scenarioPath, "\(d)/p.json", "\(d)/af.xlsx", "--db", "\(d)/r.sqlite", "--lang", "zh"])
        #expect(a.status == 0, "\(a.stderr)")
        let words = Self.english(a.stdout + a.stderr, scenario: scenario, paths: [d, scenarioPath])
        if !words.isEmpty { found["actuals"] = words }
        #expect(found.isEmpty, "English under --lang zh: \(found.map { "\($0.key): \($0.value.sorted())" }.sorted().joined(separator: "\n"))")
    }
}
