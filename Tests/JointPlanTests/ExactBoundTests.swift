import Foundation
import GLPK
import Testing
@testable import JointPlan

/// The exact bound of small districts (issue 22, item 4): the day-grouped program in
/// integers. It must never exceed the true optimum — checked where the optimum is known by
/// hand, and against the solver's valid plans — and it must see what the LP cannot.
@Suite("Exact bound of small districts")
struct ExactBoundTests {
    /// One working day, one department of three inspectors with one visit a day each, teams
    /// of two, three enterprises needing one check each (tiers A, B, C: weights 1, 2, 4).
    /// Only one visit fits the day (three visit slots, two per visit), so the optimum visits
    /// the C enterprise: weighted unmet work 1 + 2 = 3, one visit. The LP without the day's
    /// visit row (`DayGroupBound.dayVisits`, issue 22, a closer bound) sent half a visit more
    /// (1.5 visits) and left 2; with it the LP reaches 3 too.
    static let oneVisitDay = """
    {"format": "jointplan.scenario/1", "name": "one visit fits the day",
     "horizon": {"start": "2026-01-05", "end": "2026-01-05", "dayStart": "09:00", "dayEnd": "17:30"},
     "towns": [{"id": "T1", "name": "T1"}],
     "departments": [{"id": "D1", "name": "D1"}],
     "inspectors": [{"id": "P1", "name": "P1", "department": "D1", "maxVisitsPerDay": 1},
                    {"id": "P2", "name": "P2", "department": "D1", "maxVisitsPerDay": 1},
                    {"id": "P3", "name": "P3", "department": "D1", "maxVisitsPerDay": 1}],
     "items": [{"id": "x", "name": "x", "department": "D1", "categories": ["shop"], "minutes": 20,
                "frequency": {"A": {"count": 1}, "B": {"count": 1}, "C": {"count": 1}, "D": {"count": 1}}}],
     "enterprises": [{"id": "E1", "name": "E1", "town": "T1", "categories": ["shop"], "tier": "A"},
                     {"id": "E2", "name": "E2", "town": "T1", "categories": ["shop"], "tier": "B"},
                     {"id": "E3", "name": "E3", "town": "T1", "categories": ["shop"], "tier": "C"}],
     "policy": {"inspectorDispatch": "optimised"}}
    """

    @Test("where the optimum is known by hand (3 weighted unmet, 1 visit), the exact bound and the LP with its day's visit row reach it, and the solve is proven optimal")
    func knownOptimum() throws {
        let input = try SolverFixtures.written(Self.oneVisitDay, name: "one-visit-day.json")
        let s = input.scenario
        let duties = Duties(scenario: s), cal = WorkCalendar(s.horizon)
        let lp = DayGroupBound(scenario: s, duties: duties, calendar: cal).solve(timeLimit: 30, cancel: nil)
        let exact = ExactBound(scenario: s, duties: duties, calendar: cal).solve(deadline: Date().addingTimeInterval(60), stop: { false })
        #expect(lp.bound <= 3, "the LP bound \(lp.bound) is above the optimum 3: invalid; \(lp.note)")
        #expect(lp.bound == 3, "the day's visit row allows one visit, not 1.5: \(lp.note)")
        #expect(exact.unmet == 3 && exact.unmetOptimal, "\(exact.note)")
        #expect(exact.visits == 1, "\(exact.note)")
        var options = SolveOptions()
        options.timeLimitSeconds = 60
        options.windows = 20
        let plan = Solver.solve(s, scenarioData: input.data, options: options)
        try SolverFixtures.expectValid(plan, input, "one visit fits the day")
        #expect(plan.objective.unmetWeighted == 3 && plan.objective.onsiteVisits == 1)
        #expect(plan.solver.bestBound == 3 && plan.solver.boundSource == .proof)
        #expect(plan.status == .optimal, "unmet and visits at their proven bounds: \(plan.solver.stages.map { $0.2 })")
    }

    static let generatedCases: [(Int, UInt64, Double)] = [(60, 41, 0.3), (80, 42, 0.35), (120, 43, 0.3)]

    @Test("on small short-staffed districts the exact bound never exceeds the weighted unmet work of a valid plan, nor its visit bound the plan's visits at that work",
          arguments: ExactBoundTests.generatedCases)
    func belowValidPlans(enterprises: Int, seed: UInt64, staffing: Double) throws {
        let input = try SolverFixtures.generated(enterprises, seed: seed, staffing: staffing)
        let s = input.scenario.inspectorsInIdOrder()
        var options = SolveOptions()
        options.timeLimitSeconds = 120
        options.windows = 30
        let plan = Solver.solve(input.scenario, scenarioData: input.data, options: options)
        try SolverFixtures.expectValid(plan, input, "generated \(enterprises)", python: false)
        let exact = ExactBound(scenario: s, duties: Duties(scenario: input.scenario, seed: options.seed), calendar: WorkCalendar(s.horizon))
            .solve(deadline: Date().addingTimeInterval(60), stop: { false })
        let lp = DayGroupBound(scenario: s, duties: Duties(scenario: input.scenario, seed: options.seed), calendar: WorkCalendar(s.horizon))
            .solve(timeLimit: 60, cancel: nil)
        let u = plan.objective.unmetWeighted
        #expect(exact.unmet <= u + 1e-6, "exact bound \(exact.unmet) above a valid plan's \(u): invalid; \(exact.note)")
        #expect(exact.unmet >= lp.bound - 1e-6 || !exact.unmetOptimal, "integers only tighten the LP: \(exact.unmet) < \(lp.bound)")
        if let v = exact.visits, abs(u - exact.unmet) <= 1e-6 {
            #expect(plan.objective.onsiteVisits >= v, "visit bound \(v) above the plan's \(plan.objective.onsiteVisits) at the same unmet work")
        }
        #expect(plan.solver.bestBound <= u + 1e-6)
    }
}
