import Foundation
import Testing
@testable import JointPlan

/// What each solver stage promises, tested on its own: pins hold whenever they can together
/// (and are named when they cannot), the construction puts an enterprise's checks on the
/// visit it already has, reinsertion only adds checks, the minutes descent only lowers
/// minutes, and a plan survives the trip through a schedule unchanged in value.
@Suite("Solver stages")
struct SolverStageTests {
    typealias Input = SolverFixtures.Input

    static func context(_ input: Input) -> PlanningContext {
        let s = input.scenario
        return PlanningContext(s, WorkCalendar(s.horizon), duties: Duties(scenario: s))
    }

    /// Two enterprises of department S pinned at 13:30 the same day: pin 0 names S1, pin 1
    /// names O1 (a member of O) and needs an S inspector too. Taking S2 as pin 0's second
    /// member (its own department, the natural filler) leaves pin 1 without an S inspector;
    /// both hold only if pin 0 takes O2. Without O2 they cannot hold together.
    static func sharedPins(withO2: Bool) -> String {
        let o2 = withO2 ? ", {\"id\": \"O2\", \"department\": \"O\"}" : ""
        return ShortStaffingTests.week(
            inspectors: """
            [{"id": "S1", "department": "S"}, {"id": "S2", "department": "S"}, {"id": "O1", "department": "O"}\(o2)]
            """,
            items: """
            [{"id": "s-item", "department": "S", "categories": ["shop"], "minutes": 30, "frequency": {"D": {"count": 1}}}]
            """,
            enterprises: "[" + ShortStaffingTests.shops(2, tier: "D").joined(separator: ", ") + "]",
            policy: """
            {"seed": 1}, "pinned": [{"enterprise": "E001", "date": "2026-03-03", "start": "13:30", "inspectors": ["S1"], "items": ["s-item"]},
                                   {"enterprise": "E002", "date": "2026-03-03", "start": "13:30", "inspectors": ["O1"], "items": ["s-item"]}]
            """)
    }

    @Test("pins that share a day hold together when some choice of teams allows it: the exact pin model finds it where the greedy filler would block the second pin")
    func pinsHoldTogetherWhenTheyCan() throws {
        let input = try SolverFixtures.written(Self.sharedPins(withO2: true), name: "shared-pins.json")
        let ctx = Self.context(input)
        let placed = PinPlacement.place(ctx)
        #expect(placed.messages.isEmpty, "\(placed.messages)")
        #expect(placed.visits.count == 2)
        let teams = placed.visits.map { Set($0.team.map { input.scenario.inspectors[$0].id }) }
        #expect(teams.contains(["S1", "O2"]) && teams.contains(["O1", "S2"]), "\(teams)")
        let plan = Solver.solve(input.scenario, scenarioData: input.data)
        #expect(plan.status != .infeasible, "\(plan.messages)")
        try SolverFixtures.expectValid(plan, input, "shared pins")
    }

    @Test("pins that cannot hold together are named as a smallest conflicting set, and the others still hold")
    func pinsThatCannotHoldAreNamed() throws {
        let input = try SolverFixtures.written(Self.sharedPins(withO2: false), name: "shared-pins-short.json")
        let placed = PinPlacement.place(Self.context(input))
        #expect(placed.messages.count == 1)
        let text = placed.messages.joined()
        #expect(text.contains("pinned[0]") && text.contains("pinned[1]"), "\(text)")
        #expect(placed.visits.count == 1, "the pin left out is the only one missing")
        let plan = Solver.solve(input.scenario, scenarioData: input.data)
        #expect(plan.status == .infeasible)
        let report = PlanChecker.check(scenario: input.scenario, plan: plan, scenarioData: input.data)
        #expect(report.brokenRules.subtracting([9]).isEmpty, "\(report.violations.prefix(3).map(\.message))")
        #expect(report.violations(rule: 9).count == 1)
    }

    @Test("the construction puts an enterprise's other checks on its pinned visit (one visit, not two), adding the department they need")
    func constructionJoinsThePinnedVisit() throws {
        let text = ShortStaffingTests.week(
            inspectors: """
            [{"id": "S1", "department": "S"}, {"id": "S2", "department": "S"}, {"id": "F1", "department": "F"}]
            """,
            items: """
            [{"id": "s-item", "department": "S", "categories": ["shop"], "minutes": 30, "frequency": {"C": {"count": 1}}},
             {"id": "f-item", "department": "F", "categories": ["shop"], "minutes": 20, "frequency": {"C": {"count": 1}}}]
            """,
            enterprises: "[" + ShortStaffingTests.shops(1, tier: "C").joined(separator: ", ") + "]",
            policy: """
            {"seed": 1}, "pinned": [{"enterprise": "E001", "date": "2026-03-04", "start": "10:00", "inspectors": ["S1"], "items": ["s-item"]}]
            """)
        let input = try SolverFixtures.written(text, name: "join-pin.json")
        let ctx = Self.context(input)
        let built = Construction().run(ctx, pins: PinPlacement.place(ctx), deadline: .distantFuture)
        let visits = built.schedule.liveVisits.map(\.visit)
        #expect(visits.count == 1, "\(visits.map { ($0.day, $0.checks.map(\.item)) })")
        #expect(Set(visits[0].checks.map(\.item)).count == 2)
        #expect(visits[0].team.contains(input.scenario.inspectorIndex["F1"]!))
        #expect(built.schedule.unmet.isEmpty)
    }

    /// demo.json's plan with one check of a two-check visit taken out and called unmet.
    static func planWithACheckTakenOut() throws -> (Input, Plan, taken: UnmetCheck) {
        let input = try SolverFixtures.read(SolverFixtures.scenarios.appendingPathComponent("demo.json"))
        var plan = Solver.solve(input.scenario, scenarioData: input.data)
        let onSiteOnly = { (c: Check) in input.scenario.item(c.item)?.remoteAllowed == false }
        let k = try #require(plan.visits.firstIndex { $0.checks.count >= 2 && $0.checks.contains(where: onSiteOnly) })
        let c = try #require(plan.visits[k].checks.lastIndex(where: onSiteOnly))
        let check = plan.visits[k].checks.remove(at: c)
        let taken = UnmetCheck(enterprise: plan.visits[k].enterprise, item: check.item, occurrence: check.occurrence, reason: .staffing)
        plan.unmet.append(taken)
        Evaluation(scenario: input.scenario).finish(&plan, requiredChecks: Duties(scenario: input.scenario).totalChecks)
        return (input, plan, taken)
    }

    @Test("reinsertion gives an unmet check back its place (here: the visit it came from) and changes nothing else for the worse")
    func reinsertionOnlyAdds() throws {
        let (input, plan, taken) = try Self.planWithACheckTakenOut()
        let ctx = Self.context(input)
        let before = Schedule(ctx, plan: plan)
        let after = Reinsertion().run(before, deadline: .distantFuture)
        #expect(after.unmet.isEmpty, "\(after.unmet)")
        #expect(after.objective.onsiteVisits == before.objective.onsiteVisits, "joined, no new visit")
        #expect(after.objective < before.objective)
        var out = plan
        after.write(into: &out, frozenVisits: [], frozenRemote: [])
        Evaluation(scenario: input.scenario).finish(&out, requiredChecks: Duties(scenario: input.scenario).totalChecks)
        #expect(out.visits.contains { $0.enterprise == taken.enterprise && $0.checks.contains { $0.item == taken.item } })
        try SolverFixtures.expectValid(out, input, "reinsertion")
    }

    @Test("the minutes descent lowers inspector minutes (or keeps them) and leaves unmet work and visits as they were; the plan stays valid",
          arguments: ["medium.json", "tight.json"])
    func minutesDescentOnlyLowersMinutes(_ name: String) throws {
        let input = try SolverFixtures.read(SolverFixtures.scenarios.appendingPathComponent(name))
        let ctx = Self.context(input)
        let first = Construction().run(ctx, pins: PinPlacement.place(ctx), deadline: .distantFuture).schedule
        let after = MinutesDescent(passes: 1).run(first, deadline: .distantFuture)
        #expect(after.objective.unmetWeighted == first.objective.unmetWeighted)
        #expect(after.objective.onsiteVisits == first.objective.onsiteVisits)
        #expect(after.objective.inspectorMinutes < first.objective.inspectorMinutes, "a first-fit always leaves travel to save")
        // A visit moved may free a candidate ranked before a later visit's member: the solver
        // draws the teams again after the stage (rule 11, `Redraw`), and so does this test.
        let drawn = Redraw().run(after)
        var plan = Plan()
        plan.seed = input.scenario.policy.seed
        drawn.schedule.write(into: &plan, frozenVisits: [], frozenRemote: [])
        Evaluation(scenario: input.scenario).finish(&plan, requiredChecks: Duties(scenario: input.scenario).totalChecks)
        #expect(plan.objective == drawn.schedule.objective, "the schedule's objective is the plan's")
        try SolverFixtures.expectValid(plan, input, "\(name) after the minutes descent", python: false)
    }

    @Test("a plan through a schedule and back keeps its objective and stays valid (occurrences renumbered in date order)",
          arguments: ["demo.json", "tight.json"])
    func scheduleRoundTrip(_ name: String) throws {
        let input = try SolverFixtures.read(SolverFixtures.scenarios.appendingPathComponent(name))
        let plan = Solver.solve(input.scenario, scenarioData: input.data)
        let sched = Schedule(Self.context(input), plan: plan)
        #expect(sched.objective == plan.objective)
        var back = plan
        sched.write(into: &back, frozenVisits: [], frozenRemote: [])
        Evaluation(scenario: input.scenario).finish(&back, requiredChecks: Duties(scenario: input.scenario).totalChecks)
        #expect(back.objective == plan.objective)
        #expect(back.visits.count == plan.visits.count)
        try SolverFixtures.expectValid(back, input, "\(name) round trip", python: false)
    }

    @Test("a solve cut short at once still returns a valid plan, with what it left undone unmet for timeLimit")
    func cutSolveIsValid() throws {
        let input = try SolverFixtures.read(SolverFixtures.scenarios.appendingPathComponent("medium.json"))
        var options = SolveOptions()
        options.timeLimitSeconds = 1
        options.startedAt = Date().addingTimeInterval(-10)
        let plan = Solver.solve(input.scenario, scenarioData: input.data, options: options)
        #expect(plan.status == .timeLimit)
        #expect(plan.unmet.contains { $0.reason == .timeLimit })
        let report = PlanChecker.check(scenario: input.scenario, plan: plan, scenarioData: input.data)
        #expect(report.brokenRules.subtracting([9]).isEmpty, "\(report.violations.prefix(3).map(\.message))")
    }

    @Test("the same scenario, seed and work limit give the same plan")
    func workLimitIsDeterministic() throws {
        let input = try SolverFixtures.read(SolverFixtures.scenarios.appendingPathComponent("tight.json"))
        var options = SolveOptions()
        options.iterations = 1
        options.windows = 40
        // The work limits bind, not the clock (a debug build on a loaded machine is slow).
        options.timeLimitSeconds = 900
        let a = Solver.solve(input.scenario, scenarioData: input.data, options: options)
        options.threads = 1
        let b = Solver.solve(input.scenario, scenarioData: input.data, options: options)
        #expect(a.visits == b.visits && a.remoteChecks == b.remoteChecks && a.unmet == b.unmet)
    }
}
