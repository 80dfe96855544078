import Foundation
import Testing
@testable import JointPlan

/// Announceable start times (issue 14, item 4): a post-pass that keeps every plan valid.
struct TimeGridTests {
    @Test("the grid keeps plans valid for both checkers and costs no inspector minute",
          arguments: ["tight.json", "demo.json"])
    func gridKeepsPlansValid(name: String) throws {
        let input = try SolverFixtures.read(SolverFixtures.scenarios.appendingPathComponent(name))
        let solved = Solver.solve(input.scenario, scenarioData: input.data)
        for grid in [5, 15, 30] {
            let (plan, result) = TimeGrid.apply(solved, scenario: input.scenario, minutes: grid)
            _ = try SolverFixtures.expectValid(plan, input, "\(name) grid \(grid)", python: grid == 15)
            let offBefore = solved.visits.filter { $0.start % grid != 0 }.count
            let offAfter = plan.visits.filter { $0.start % grid != 0 }.count
            #expect(result.left == offAfter && result.moved == offBefore - offAfter)
            #expect(offBefore == 0 || result.moved > 0, "\(name) grid \(grid): nothing moved")
            // Visit lengths and every inspector's order are kept: the objective is unchanged.
            #expect(Evaluation(scenario: input.scenario).objective(plan) == solved.objective)
            #expect(zip(plan.visits, solved.visits).allSatisfy { $0.minutes == $1.minutes && $0.id == $1.id })
        }
    }

    @Test func pinsAndRecusalsFixtureStaysValidAndAGridOfOneIsOff() throws {
        let input = try SolverFixtures.read(SolverFixtures.testsDir.appendingPathComponent("Fixtures/small-valid-scenario.json"))
        let s = input.scenario
        let solved = Solver.solve(s, scenarioData: input.data)
        let (gridded, _) = TimeGrid.apply(solved, scenario: s, minutes: 15)
        _ = try SolverFixtures.expectValid(gridded, input, "small grid 15", python: false)
        // A grid of 0 or 1 is off.
        #expect(TimeGrid.apply(solved, scenario: s, minutes: 1).0.visits == solved.visits)
        #expect(TimeGrid.apply(solved, scenario: s, minutes: 0).1.moved == 0)
    }

    @Test func aVisitWithNoRoomStaysAndAPinnedStartIsKept() throws {
        var h = Horizon(start: Day("2026-01-05")!, end: Day("2026-01-09")!)
        h.dayStart = 9 * 60
        h.dayEnd = 17 * 60
        var s = Scenario(horizon: h)
        var t = Town(id: "T1"); t.name = "一镇"
        s.towns = [t]
        s.departments = [Department(id: "D")]
        s.inspectors = [Inspector(id: "P1", department: "D"), Inspector(id: "P2", department: "D")]
        s.enterprises = [Enterprise(id: "E1", town: "T1", tier: .C), Enterprise(id: "E2", town: "T1", tier: .C),
                         Enterprise(id: "E3", town: "T1", tier: .C)]
        var pin = Pin(index: 0, enterprise: "E3", date: Day("2026-01-06")!)
        pin.start = 9 * 60 + 10
        s.pinned = [pin]
        s.index()
        let day = Day("2026-01-05")!
        var p = Plan()
        // One team: 09:07–09:50, 10:05–10:45, 11:00–11:20 (travel 15 within the town), and a
        // pinned 09:10 the next day.
        p.visits = [
            Visit(id: "V1", enterprise: "E1", date: day, start: 9 * 60 + 7, end: 9 * 60 + 50, inspectors: ["P1", "P2"], checks: []),
            Visit(id: "V2", enterprise: "E2", date: day, start: 10 * 60 + 5, end: 10 * 60 + 45, inspectors: ["P1", "P2"], checks: []),
            Visit(id: "V3", enterprise: "E1", date: day, start: 11 * 60, end: 11 * 60 + 20, inspectors: ["P1", "P2"], checks: []),
            Visit(id: "V4", enterprise: "E3", date: Day("2026-01-06")!, start: 9 * 60 + 10, end: 9 * 60 + 40, inspectors: ["P1", "P2"], checks: []),
        ]
        let (q, r) = TimeGrid.apply(p, scenario: s, minutes: 15)
        #expect(q.visits[0].start == 9 * 60 && q.visits[0].end == 9 * 60 + 43)
        // V2 may now start at 09:43 + 15 = 09:58 at the earliest: 10:00 fits (10:40 + 15 ≤ 11:00).
        #expect(q.visits[1].start == 10 * 60 && q.visits[1].end == 10 * 60 + 40)
        #expect(q.visits[2].start == 11 * 60)             // already on the grid
        #expect(q.visits[3].start == 9 * 60 + 10)         // pinned start (rule 9)
        #expect(r.moved == 2 && r.left == 1)
        // Without room: V2 squeezed between V1 and V3 with no slack stays where it is.
        p.visits[1].start = 9 * 60 + 50 + 15 + 1          // 10:06, must end by 10:45
        p.visits[1].end = 10 * 60 + 45
        p.visits[0].start = 9 * 60 + 1                    // 09:01–09:51 → 09:00–09:50
        p.visits[0].end = 9 * 60 + 51
        let (q2, _) = TimeGrid.apply(p, scenario: s, minutes: 15)
        #expect(q2.visits[0].start == 9 * 60)
        // 10:00 would need V1 to end by 09:45; 10:15 would end at 10:54 > 11:00 − 15: V2 stays.
        #expect(q2.visits[1].start == 10 * 60 + 6)
        // A re-plan's frozen part is not touched.
        let (q3, _) = TimeGrid.apply(p, scenario: s, minutes: 15, from: Day("2026-01-06")!)
        #expect(q3.visits[0].start == p.visits[0].start)
    }
}
