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
            visits. Exit 0 whether or not the plans differ; exit 1 when a plan was made for another scenario (scenario.sha256), unless --force. \
            A re-plan with changes has its own scenario (`replan --scenario-output`): give that one as SCENARIO and the base \
            plan's with --base-scenario, so each plan is checked against its own.
            """)

    @OptionGroup var language: LanguageOption
    @Argument(help: "The scenario file (jointplan.scenario/1).") var scenario: String
    @Argument(help: "The first plan (jointplan.plan/1).") var planA: String
    @Argument(help: "The second plan.") var planB: String
    @Flag(help: "Print one JSON object instead of text.") var json = false
    @Option(name: .customLong("base-scenario"), help: "The scenario the first plan was made for, when it is not SCENARIO (the base of a re-plan with changes).")
    var baseScenario: String?
    @OptionGroup var force: ForceOption

    func run() throws {
        let (sc, data) = try CommandIO.loadScenario(scenario)
        let a = try CommandIO.loadPlan(planA)
        let b = try CommandIO.loadPlan(planB)
        // Plans of two scenarios (a what-if variant, a re-plan with changes) are compared only
        // with --force; the KPIs are then recomputed with this scenario's weights and staff.
        // With --base-scenario, the first plan is checked against its own scenario (issue 24:
        // `diff` across a re-plan with changes, as README shows it).
        let base = try baseScenario.map { ($0, try CommandIO.readFile($0)) }
        try force.require(a, planA, matches: base?.1 ?? data, base?.0 ?? scenario, language.text)
        try force.require(b, planB, matches: data, scenario, language.text)
        // Why each visit of A moved, changed or went, judged against B's scenario (issue 21).
        let diff = PlanDiff.compare(scenario: sc, a: a, b: b).explained(by: ReplanReasons(scenario: sc, seed: b.seed))
        if json {
            print(JSONWriter.pretty(diff.json), terminator: "")
        } else {
            print(diff.text(nameA: planA, nameB: planB, language: language.language), terminator: "")
        }
    }
}
