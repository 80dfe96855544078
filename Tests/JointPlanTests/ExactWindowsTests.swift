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

    static func generated(_ enterprises: Int, seed: UInt64, staffing: Double, roster: Int, sizes: ClosedRange<Int>? = nil,
                          _ dispatch: InspectorDispatch) throws -> F.Input {
        var p = DistrictParameters(enterprises: enterprises, seed: seed)
        p.staffing = staffing
        p.rosterDays = roster
        p.departmentSize = sizes
        p.pins = 0
        p.dispatch = dispatch
        return try F.written(DistrictGenerator.fileText(try DistrictGenerator(p).generate().scenario), name: "exact-\(enterprises)-\(seed)-\(dispatch.rawValue).json")
    }

    /// docs/bench-exact.md's s150-61 (`generate --enterprises 150 --seed 61 --staffing 0.3
    /// --roster 2 --pins 0`): a tier-A restaurant in a far town needs SCJG, XF and ZHZF (one
    /// inspector each); all three are on duty on two days, where XF's inspector (two visits a
    /// day) is taken by visits that can go elsewhere. Before this step every plan was 33/33
    /// against the exact bound's 32 (visits ≥ 34 at 32).
    @Test("s150-61 (optimised): the plan reaches the exact bound — unmet 32 and its visit minimum 34 — proven on both")
    func shortDistrictProven() throws {
        let input = try Self.generated(150, seed: 61, staffing: 0.3, roster: 2, .optimised)
        let plan = Solver.solve(input.scenario, scenarioData: input.data, options: F.workLimited(windows: 60))
        try F.expectValid(plan, input, "s150-61")
        let notes = plan.solver.stages.map { "\($0.0): \($0.2)" }
        let s = input.scenario.inspectorsInIdOrder()
        let exact = ExactBound(scenario: s, duties: Duties(scenario: input.scenario), calendar: WorkCalendar(s.horizon))
            .solve(deadline: Date().addingTimeInterval(300), stop: { false })
        #expect(exact.unmetOptimal && exact.unmet == 32 && exact.visits == 34, "\(exact.note)")
        #expect(plan.objective.unmetWeighted == 32 && plan.objective.onsiteVisits == 34, "\(notes)")
        #expect(plan.solver.bestBound == 32 && plan.solver.boundSource == .proof)
    }

    /// docs/bench-exact.md's u100-81 (`--staffing 0.15 --roster 1 --department-size 1-2`): a
    /// tier-B restaurant needs SCJG, XF and ZHZF, all on duty on two days only, where ZHZF's
    /// inspector (two visits a day) is taken. Before this step 2/24 (fire-general of E00026
    /// undone); the whole-quarter window moves a tier-D enterprise's visit apart: 1/25.
    @Test("u100-81, both dispatch modes: the whole-quarter window leaves less undone (2 → 1), the plan valid (rule 11 under the draw)",
          arguments: [InspectorDispatch.optimised, .random])
    func shortDistrictImproves(dispatch: InspectorDispatch) throws {
        let input = try Self.generated(100, seed: 81, staffing: 0.15, roster: 1, sizes: 1...2, dispatch)
        let plan = Solver.solve(input.scenario, scenarioData: input.data, options: F.workLimited(windows: 60))
        try F.expectValid(plan, input, "u100-81 \(dispatch)")
        #expect(plan.objective.unmetWeighted <= 1, "\(plan.solver.stages.map { "\($0.0): \($0.2)" })")
        #expect(plan.solver.bestBound <= plan.objective.unmetWeighted)
    }

    @Test("the step never makes a plan worse and keeps it valid on small random districts, both dispatch modes",
          arguments: [(60, UInt64(41), 0.3, InspectorDispatch.optimised), (80, 42, 0.2, .random), (90, 93, 0.15, .optimised), (70, 94, 0.2, .random)])
    func neverWorse(enterprises: Int, seed: UInt64, staffing: Double, dispatch: InspectorDispatch) throws {
        let input = try Self.generated(enterprises, seed: seed, staffing: staffing, roster: 2, dispatch)
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

    /// A work-limited solve's plan must not depend on the clock (issue 21, item 3): its step
    /// starts windows whatever time is left before the deadline, while an anytime solve keeps
    /// its reserves. 14 s left is under the 15 s reserve, and far more than one window needs here.
    @Test("the reserves are for anytime solves: with 14 s left a work-limited solve still runs the step, an anytime one does not")
    func workLimitedIgnoresTheReserves() throws {
        let input = try Self.generated(150, seed: 61, staffing: 0.3, roster: 2, .optimised)
        let options = F.workLimited(windows: 60)
        let duties = Duties(scenario: input.scenario, seed: options.seed)
        let run = Solver.PlanningInput(scenario: input.scenario, planning: input.scenario.inspectorsInIdOrder(), duties: duties, toPlan: duties)
        let cal = WorkCalendar(run.planning.horizon)
        let ctx = PlanningContext(run.planning, cal, duties: run.toPlan, capUsed: run.capUsed, remaining: run.remaining)
        // The first start: it leaves more undone than the step's optimum (32).
        let start = try #require(Solver.firstStart(run, calendar: cal, context: ctx, scenarioData: nil, deadline: .distantFuture, cancel: nil))
        try #require(start.plan.objective.unmetWeighted > 32, "\(Solver.format(start.plan.objective))")
        let anytime = Solver.exactWindows(run, calendar: cal, context: ctx, start: start, anytime: true,
                                          deadline: Date().addingTimeInterval(14), cancel: nil)
        #expect(anytime.candidate == nil && anytime.note.hasPrefix("0 whole-quarter windows"), "\(anytime.note)")
        let limited = Solver.exactWindows(run, calendar: cal, context: ctx, start: start, anytime: false,
                                          deadline: Date().addingTimeInterval(14), cancel: nil)
        let better = try #require(limited.candidate, "\(limited.note)")
        #expect(better.plan.objective < start.plan.objective)
        try F.expectValid(better.plan, input, "s150-61 work-limited step", python: false)
    }
}
