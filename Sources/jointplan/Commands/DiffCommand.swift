import ArgumentParser
import Foundation
import JointPlan

/// `jointplan diff SCENARIO PLAN_A PLAN_B [--json]`: visits added, removed, moved and changed
/// between two plans of one scenario, and the objective and KPI deltas (spec 4, CLI; issue 5).
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two plans of a scenario: visits added, removed, moved, changed; KPI deltas.",
        discussion: """
            Visits are matched by enterprise and the set of (item, occurrence) they hold, then \
            by enterprise and date. A matched visit is moved when its date or start differs, \
            changed when only its team, checks or end differ. Remote and unmet checks held \
            differently are listed too. Objective and KPIs are recomputed from each plan's \
            visits. Exit 0 whether or not the plans differ; exit 1 when a plan was made for another scenario (scenario.sha256), unless --force.
            """)

    @OptionGroup var language: LanguageOption
    @Argument(help: "The scenario file (jointplan.scenario/1).") var scenario: String
    @Argument(help: "The first plan (jointplan.plan/1).") var planA: String
    @Argument(help: "The second plan.") var planB: String
    @Flag(help: "Print one JSON object instead of text.") var json = false
    @OptionGroup var force: ForceOption

    func run() throws {
        let (sc, data) = try CommandIO.loadScenario(scenario)
        let a = try CommandIO.loadPlan(planA)
        let b = try CommandIO.loadPlan(planB)
        // Plans of two scenarios (a what-if variant, a re-plan with changes) are compared only
        // with --force; the KPIs are then recomputed with this scenario's weights and staff.
        for (p, path) in [(a, planA), (b, planB)] { try force.require(p, path, matches: data, scenario, language.text) }
        let diff = PlanDiff.compare(scenario: sc, a: a, b: b)
        if json {
            print(JSONWriter.pretty(diff.json), terminator: "")
        } else {
            print(diff.text(nameA: planA, nameB: planB, language: language.language), terminator: "")
        }
    }
}
