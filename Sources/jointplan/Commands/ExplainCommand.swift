import ArgumentParser
import Foundation
import JointPlan
import JointPlanRegisters

/// `jointplan explain SCENARIO PLAN --enterprise ID | --department ID --date D [--json]`:
/// justifies a plan to an enterprise (duties and draw values, visits, why that many, why a
/// check is unmet) or shows a department's load on one date (issue 5, Explain).
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain a plan for one enterprise, or one department's load on one date.",
        discussion: """
            --enterprise ID: its tier, caps, blackout and last checks; each applicable item with \
            its count or its draw (sampling rate, N, n, the enterprise's u and rank, the draw's \
            cutoff u) so the selection can be audited from the plan's seed; its visits with team \
            and who checks what; why it has that many visits; remote checks; and for each unmet \
            check the constraint that bound, from the scenario's facts. \
            --department ID --date YYYY-MM-DD: each inspector's visits, minutes on site, travel, \
            remote minutes and free capacity that day.
            """)

    @OptionGroup var language: LanguageOption
    @Argument(help: "The scenario file (jointplan.scenario/1).") var scenario: String
    @Argument(help: "The plan file (jointplan.plan/1).") var plan: String
    @Option(help: "Enterprise id to explain.") var enterprise: String?
    @Option(help: "Visit id: its team, and for each member the inspectors ranked before them in the draw (rule 11) and why each was passed over.") var visit: String?
    @Option(help: "Department id whose day to show (with --date).") var department: String?
    @Option(help: "Date (YYYY-MM-DD) for --department.") var date: String?
    @Flag(help: "Print one JSON object instead of text.") var json = false
    @OptionGroup var force: ForceOption

    func validate() throws {
        if visit != nil {
            guard enterprise == nil, department == nil, date == nil else { throw ValidationError("--visit excludes --enterprise, --department and --date") }
            return
        }
        switch (enterprise, department, date) {
        case (_?, nil, nil): break
        case (nil, _?, let d?):
            guard Day(d) != nil else { throw ValidationError("--date must be YYYY-MM-DD, got \(d)") }
        case (nil, _?, nil): throw ValidationError("--department needs --date")
        case (nil, nil, _?): throw ValidationError("--date goes with --department")
        case (nil, nil, nil): throw ValidationError("give --enterprise ID, --visit ID, or --department ID --date YYYY-MM-DD")
        default: throw ValidationError("--enterprise excludes --department and --date")
        }
    }

    func run() throws {
        let (sc, data) = try CommandIO.loadScenario(scenario)
        let p = try CommandIO.loadPlan(plan)
        try force.require(p, plan, matches: data, scenario, language.text)
        let explainer = Explainer(scenario: sc, plan: p, language: language.language)
        do {
            if let id = visit {
                guard let v = p.visits.first(where: { $0.id == id }) else {
                    CommandIO.stderr("--visit: the plan has no visit \(JSONWriter.quote(id))")
                    throw ExitCode(1)
                }
                let audit = DrawText.audit(p, scenario: sc, visit: id, language: language.language)
                // 补查 checks on the visit (issue 23): whose check each carries over.
                let t = language.text
                let carried = v.checks.compactMap { c -> String? in
                    guard let it = sc.item(c.item), let of = it.carryOverOf else { return nil }
                    return "\(c.item) #\(c.occurrence): " + t("explain.carryOver", of, it.carryOverFrom ?? "?")
                }
                if json {
                    print(JSONWriter.pretty(.object(JSONObject([
                        ("visit", .string(v.id)), ("enterprise", .string(v.enterprise)), ("date", .string(v.date.description)),
                        ("start", .string(ClockTime.format(v.start))), ("end", .string(ClockTime.format(v.end))),
                        ("inspectors", .array(v.inspectors.map { .string($0) })),
                        ("draw", .array(audit.map { .string($0) })),
                        ("carriedOver", .array(carried.map { .string($0) })),
                    ]))), terminator: "")
                } else {
                    print("\(v.id) \(v.enterprise) \(v.date) \(ClockTime.format(v.start))-\(ClockTime.format(v.end)): \(v.inspectors.joined(separator: ", "))")
                    print(audit.joined(separator: "\n"))
                    if !carried.isEmpty { print(carried.joined(separator: "\n")) }
                }
            } else if let id = enterprise {
                let x = try explainer.enterprise(id)
                // Checks a rollover carried over (required last quarter, not done): the policy of
                // docs/decisions.md, from the scenario's extensions.
                let document = try JSONParser.parse(data)
                let carried = Rollover.explanation(document: document, enterprise: id, plan: p)
                let carriedText = Rollover.explanation(document: document, enterprise: id, plan: p, language: language.language)
                if json {
                    var o = x.json.objectValue ?? JSONObject()
                    if !carried.isEmpty { o["carriedOver"] = .array(carried.map { .string($0) }) }
                    print(JSONWriter.pretty(.object(o)), terminator: "")
                } else {
                    print(x.text(language.language), terminator: "")
                    // Rule 11: who was drawn for each visit, and who was passed over and why.
                    let ids = p.visits.filter { $0.enterprise == id }.map(\.id)
                    let audits = DrawText.audits(p, scenario: sc, visits: Set(ids), language: language.language)
                    for v in ids { print("\n\(v)\n" + (audits[v] ?? []).joined(separator: "\n")) }
                    if !carriedText.isEmpty { print("\n" + carriedText.joined(separator: "\n")) }
                }
            } else if let id = department, let d = date.flatMap(Day.init) {
                let x = try explainer.department(id, on: d)
                print(json ? JSONWriter.pretty(x.json) : x.text(language.language), terminator: "")
            }
        } catch let e as InputProblems {
            CommandIO.printProblems(e.problems, file: scenario)
            throw ExitCode(1)
        }
    }
}
