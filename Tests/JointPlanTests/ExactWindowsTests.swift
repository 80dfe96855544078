import Foundation
import GLPK
import Testing
@testable import JointPlan

/// The whole-quarter windows of small districts (issue 22, item 4; `ExactWindows`): on short
/// roster districts the check left undone needs a day where all its departments are on duty,
/// every such day is taken, and the visit that must make room can only go to a day the
/// search's two-day windows do not hold. These districts' optima are known from the exact
/// bound (`ExactBound`: the day-grouped program in integers, a relaxation of every plan).
@Suite("Whole-quarter windows of small districts")
struct ExactWindowsTests {
    typealias F = SolverFixtures

    /// docs/bench-exact.md's u100-81: `generate --enterprises 100 --seed 81 --staffing 0.15
    /// --roster 1 --department-size 1-2 --pins 0`. A tier-B restaurant needs SCJG, XF and
    /// ZHZF; all three are on duty on two days, where ZHZF's one inspector (two visits a day)
    /// is taken by three restaurants' visits and a tier-D one's two. Before this step every
    /// plan left its fire-general check undone (weighted 2) while the exact bound is 0.
    static func u100(_ dispatch: InspectorDispatch) throws -> F.Input {
        var p = DistrictParameters(enterprises: 100, seed: 81)
        p.staffing = 0.15
        p.rosterDays = 1
        p.departmentSize = 1...2
        p.pins = 0
        p.dispatch = dispatch
        return try F.written(DistrictGenerator.fileText(try DistrictGenerator(p).generate().scenario), name: "u100-81-\(dispatch.rawValue).json")
    }

    @Test("u100-81 (optimised): the plan reaches the exact bound's unmet optimum 0, proven, and its visit minimum")
    func shortDistrictReachesOptimum() throws {
        let input = try Self.u100(.optimised)
        let plan = Solver.solve(input.scenario, scenarioData: input.data, options: F.workLimited(windows: 60))
        try F.expectValid(plan, input, "u100-81")
        let notes = plan.solver.stages.map { "\($0.0): \($0.2)" }
        #expect(plan.objective.unmetWeighted == 0, "the optimum is 0 weighted unmet: \(notes)")
        #expect(plan.solver.bestBound == 0 && plan.solver.boundSource == .proof)
        let s = input.scenario.inspectorsInIdOrder()
        let exact = ExactBound(scenario: s, duties: Duties(scenario: input.scenario), calendar: WorkCalendar(s.horizon))
            .solve(deadline: Date().addingTimeInterval(120), stop: { false })
        #expect(exact.unmetOptimal && exact.unmet == 0, "\(exact.note)")
        if let v = exact.visits {
            #expect(plan.objective.onsiteVisits >= v, "a valid plan below the visit bound: \(exact.note)")
        }
    }

    @Test("u100-81 under the draw (rule 11): a valid plan, no worse than the optimised optimum's unmet work where the draw allows it")
    func shortDistrictUnderTheDraw() throws {
        let input = try Self.u100(.random)
        let plan = Solver.solve(input.scenario, scenarioData: input.data, options: F.workLimited(windows: 60))
        try F.expectValid(plan, input, "u100-81 random")
        #expect(plan.objective.unmetWeighted == 0, "\(plan.solver.stages.map { "\($0.0): \($0.2)" })")
    }

    @Test("the step never makes a plan worse and keeps it valid on small random districts, both dispatch modes",
          arguments: [(60, UInt64(41), 0.3, InspectorDispatch.optimised), (80, 42, 0.2, .random), (90, 93, 0.15, .optimised), (70, 94, 0.2, .random)])
    func neverWorse(enterprises: Int, seed: UInt64, staffing: Double, dispatch: InspectorDispatch) throws {
        var p = DistrictParameters(enterprises: enterprises, seed: seed)
        p.staffing = staffing
        p.rosterDays = 2
        p.pins = 0
        p.dispatch = dispatch
        let input = try F.written(DistrictGenerator.fileText(try DistrictGenerator(p).generate().scenario), name: "exact-\(enterprises)-\(seed).json")
        let options = F.workLimited(windows: 20)
        let plan = Solver.solve(input.scenario, scenarioData: input.data, options: options)
        try F.expectValid(plan, input, "generated \(enterprises)/\(seed)", python: false)
        // The step alone on the solve's own plan: checked, and never worse.
        let duties = Duties(scenario: input.scenario, seed: options.seed)
        let run = Solver.PlanningInput(scenario: input.scenario, planning: input.scenario.inspectorsInIdOrder(), duties: duties, toPlan: duties)
        let cal = WorkCalendar(run.planning.horizon)
        let ctx = PlanningContext(run.planning, cal, duties: run.toPlan, capUsed: run.capUsed, remaining: run.remaining)
        let start = Solver.Candidate(name: Solver.StartName(origin: .firstFit), plan: plan, pinsMissed: 0, pinMessages: [])
        let out = Solver.exactWindows(run, calendar: cal, context: ctx, start: start, deadline: Date().addingTimeInterval(600), cancel: nil)
        if let better = out.candidate {
            #expect(better.plan.objective < plan.objective)
            try F.expectValid(better.plan, input, "after the step", python: false)
        }
        #expect(plan.solver.bestBound <= plan.objective.unmetWeighted + 1e-6)
    }
}
