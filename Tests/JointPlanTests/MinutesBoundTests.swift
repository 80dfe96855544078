import Foundation
import Testing
@testable import JointPlan

/// The lower bound on inspector minutes (issue 11, item 4: minutes benched against it): what
/// it counts on hand-made districts where the optimum is known, and that it is never above a
/// valid plan — the solver's, the baselines' (here) and the first-fit peer's (the robustness
/// suite, 80 districts).
@Suite("Minutes bound")
struct MinutesBoundTests {
    /// One enterprise in one town; `items` as (id, department, minutes, remote minutes or nil,
    /// delegable, count); two inspectors in each of three departments.
    static func district(_ items: [(String, String, Int, Int?, Bool, Int)], minInspectors: Int = 2) throws -> SolverFixtures.Input {
        let itemJSON = items.map { i in
            let remote = i.3.map { #", "remote": {"allowed": true, "minutes": \#($0)}"# } ?? ""
            return #"{"id": "\#(i.0)", "name": "\#(i.0)", "department": "\#(i.1)", "categories": ["shop"], "minutes": \#(i.2)\#(remote), "delegable": \#(i.4), "frequency": {"C": {"count": \#(i.5)}}, "minSpacingDays": 7}"#
        }.joined(separator: ",\n")
        let text = """
        {"format": "jointplan.scenario/1", "name": "minutes bound",
         "horizon": {"start": "2026-04-01", "end": "2026-06-30", "dayStart": "09:00", "dayEnd": "17:00"},
         "towns": [{"id": "T1", "name": "T1"}],
         "departments": [{"id": "A", "name": "A"}, {"id": "B", "name": "B"}, {"id": "C", "name": "C"}],
         "inspectors": [{"id": "a1", "name": "a1", "department": "A"}, {"id": "a2", "name": "a2", "department": "A"},
                        {"id": "b1", "name": "b1", "department": "B"}, {"id": "b2", "name": "b2", "department": "B"},
                        {"id": "c1", "name": "c1", "department": "C"}, {"id": "c2", "name": "c2", "department": "C"}],
         "items": [\(itemJSON)],
         "enterprises": [{"id": "E1", "name": "E1", "town": "T1", "categories": ["shop"], "tier": "C"}],
         "policy": {"minInspectorsPerVisit": \(minInspectors), "visitBaseMinutes": 10, "maxOnsiteVisits": {"A": 3, "B": 3, "C": 3, "D": 3}}}
        """
        return try SolverFixtures.written(text, name: "minutes-bound-\(UUID().uuidString).json")
    }

    @Test("two departments' checks in one visit: two members for base + the longer check, which is the optimum")
    func oneJointVisit() throws {
        let input = try Self.district([("x", "A", 30, nil, false, 1), ("y", "B", 20, nil, false, 1)])
        let plan = Solver.solve(input.scenario, scenarioData: input.data)
        try SolverFixtures.expectValid(plan, input, "one joint visit")
        #expect(MinutesBound.lowerBound(input.scenario, plan) == 2 * (10 + 30))
        #expect(plan.objective == Objective(unmetWeighted: 0, onsiteVisits: 1, inspectorMinutes: 80))
        #expect(plan.status == .optimal, "nothing unmet, visits and minutes at their bounds: \(plan.status)")
    }

    @Test("three departments' checks need three members; short checks add up beyond the longest")
    func departmentsAndSums() throws {
        // A:10, B:10, C:10 non-delegable → ≥ 3 members: 3·10 base + max(30, 2·10) = 60.
        let three = try Self.district([("x", "A", 10, nil, false, 1), ("y", "B", 10, nil, false, 1), ("z", "C", 10, nil, false, 1)])
        let p3 = Solver.solve(three.scenario, scenarioData: three.data)
        try SolverFixtures.expectValid(p3, three, "three departments")
        #expect(MinutesBound.lowerBound(three.scenario, p3) == 60)
        #expect(p3.objective.inspectorMinutes == 60, "one visit of 3 for 20 minutes: \(p3.objective)")
        // Delegable checks of one department: one member's 40 minutes could be shared, so only
        // the sum counts: 2·10 + max(10+15+15, 2·15) = 60 (the plan: 2 members × (10 + 25)).
        let shared = try Self.district([("x", "A", 10, nil, true, 1), ("y", "A", 15, nil, true, 1), ("z", "A", 15, nil, true, 1)])
        let ps = Solver.solve(shared.scenario, scenarioData: shared.data)
        try SolverFixtures.expectValid(ps, shared, "delegable")
        #expect(MinutesBound.lowerBound(shared.scenario, ps) == 60)
        #expect(ps.objective.inspectorMinutes >= 60)
    }

    @Test("a check allowed remotely counts at its cheaper way, and alone it needs no visit")
    func remote() throws {
        let input = try Self.district([("x", "A", 30, 5, false, 1)])
        let plan = Solver.solve(input.scenario, scenarioData: input.data)
        try SolverFixtures.expectValid(plan, input, "remote")
        #expect(MinutesBound.lowerBound(input.scenario, plan) == 5)
        #expect(plan.objective == Objective(unmetWeighted: 0, onsiteVisits: 0, inspectorMinutes: 5), "\(plan.objective)")
        // Two occurrences of an on-site-only item: two visits of two members.
        let twice = try Self.district([("x", "A", 30, 5, false, 1), ("y", "B", 20, nil, false, 2)])
        let p2 = Solver.solve(twice.scenario, scenarioData: twice.data)
        try SolverFixtures.expectValid(p2, twice, "twice")
        #expect(MinutesBound.lowerBound(twice.scenario, p2) == 2 * 2 * 10 + max(5 + 40, 2 * 20))
        #expect(p2.objective.onsiteVisits == 2 && p2.objective.inspectorMinutes >= 2 * 2 * 10 + 45)
    }

    @Test("the visit bound counts a pinned visit on a day one of the enterprise's departments is away")
    func pinnedVisitBound() throws {
        // B's inspectors are away on 2026-04-08, the pinned date of a visit for A's check: B's
        // check needs a visit of its own, though one item occurs once (spec KPI: 1 visit).
        let text = """
        {"format": "jointplan.scenario/1", "name": "pin apart",
         "horizon": {"start": "2026-04-01", "end": "2026-06-30", "dayStart": "09:00", "dayEnd": "17:00"},
         "towns": [{"id": "T1", "name": "T1"}],
         "departments": [{"id": "A", "name": "A"}, {"id": "B", "name": "B"}],
         "inspectors": [{"id": "a1", "name": "a1", "department": "A"}, {"id": "a2", "name": "a2", "department": "A"},
                        {"id": "b1", "name": "b1", "department": "B", "unavailable": ["2026-04-08"]},
                        {"id": "b2", "name": "b2", "department": "B", "unavailable": ["2026-04-08"]}],
         "items": [{"id": "x", "name": "x", "department": "A", "categories": ["shop"], "minutes": 30, "frequency": {"C": {"count": 1}}},
                   {"id": "y", "name": "y", "department": "B", "categories": ["shop"], "minutes": 20, "frequency": {"C": {"count": 1}}}],
         "enterprises": [{"id": "E1", "name": "E1", "town": "T1", "categories": ["shop"], "tier": "C"}],
         "policy": {"minInspectorsPerVisit": 2, "maxOnsiteVisits": {"A": 3, "B": 3, "C": 3, "D": 3}},
         "pinned": [{"enterprise": "E1", "date": "2026-04-08", "items": ["x"]}]}
        """
        let input = try SolverFixtures.written(text, name: "pin-apart.json")
        let plan = Solver.solve(input.scenario, scenarioData: input.data)
        try SolverFixtures.expectValid(plan, input, "pin apart")
        #expect(plan.kpis.visitLowerBound == 1)
        #expect(plan.objective.onsiteVisits == 2 && plan.solver.visitBound == 2, "\(plan.objective), bound \(plan.solver.visitBound)")
        // Without the pin one joint visit does: the bound is the KPI's again.
        var unpinned = input.scenario
        unpinned.pinned = []
        let free = Solver.solve(unpinned)
        #expect(free.objective.onsiteVisits == 1 && free.solver.visitBound == 1, "\(free.objective), bound \(free.solver.visitBound)")
    }

    static let districts: [DayGroupBoundTests.Case] = [
        .roster(enterprises: 120, seed: 31, roster: 3, size: 2...4, staffing: 1),
        .roster(enterprises: 150, seed: 32, roster: 2, size: 2...3, staffing: 0.5),
        .random(enterprises: 150, seed: 33),
        .random(enterprises: 120, seed: 34),
        .fixture("Scenarios/demo.json"),
        .fixture("Tests/JointPlanTests/Fixtures/small-valid-scenario.json"),
    ]

    @Test("never above the minutes of a valid plan: jointplan's and both baselines'", arguments: MinutesBoundTests.districts)
    func belowPlans(_ c: DayGroupBoundTests.Case) throws {
        let input = try c.input()
        let s = input.scenario
        for method in Solver.Method.allCases {
            let plan = Solver.solve(s, scenarioData: input.data, method: method)
            let report = PlanChecker.check(scenario: s, plan: plan, scenarioData: input.data)
            try #require(report.violations.filter { $0.rule != 9 }.isEmpty, "\(c) \(method): \(report.violationCounts)")
            let b = MinutesBound.lowerBound(s, plan)
            #expect(b <= plan.objective.inspectorMinutes, "\(c) \(method): bound \(b) above \(plan.objective.inspectorMinutes)")
            #expect(b > 0 || plan.visits.isEmpty, "\(c) \(method): a zero bound says nothing")
        }
    }
}
