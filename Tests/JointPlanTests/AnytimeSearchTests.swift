import Foundation
import GLPK
import Testing
@testable import JointPlan

/// The window search's loop control under issue 22, item 3: without `--windows` it is
/// anytime (no cap; it ends on the time limit, on a proof, or when windows stop improving);
/// with `--windows N` it is a work limit and never stops on the bound, which arrives from its
/// own threads whenever it is done.
@Suite("Anytime window search")
struct AnytimeSearchTests {
    /// demo.json solved once with a work limit, and what the search needs around it.
    static func solved() throws -> (Solver.PlanningInput, WorkCalendar, Solver.Candidate) {
        let input = try SolverFixtures.read(SolverFixtures.scenarios.appendingPathComponent("demo.json"))
        var options = SolveOptions()
        options.timeLimitSeconds = 300
        options.windows = 40
        let plan = Solver.solve(input.scenario, scenarioData: input.data, options: options)
        let duties = Duties(scenario: input.scenario, seed: plan.seed)
        let planning = Solver.PlanningInput(scenario: input.scenario, planning: input.scenario.inspectorsInIdOrder(),
                                            duties: duties, toPlan: duties)
        let cal = WorkCalendar(input.scenario.horizon)
        return (planning, cal, Solver.Candidate(name: Solver.StartName(origin: .firstFit), plan: plan, pinsMissed: 0, pinMessages: []))
    }

    @Test("anytime, a start whose weighted unmet work and visits are at their bounds ends the search on a proof before any window")
    func proofEndsTheAnytimeSearch() throws {
        let (input, cal, start) = try Self.solved()
        let plan = start.plan
        try #require(plan.objective.unmetWeighted == 0 && plan.objective.onsiteVisits == plan.solver.visitBound,
                     "demo.json's plan is expected at its bounds: \(plan.objective), visit bound \(plan.solver.visitBound)")
        let box = BoundBox()
        box.setDayGrouped(.init(bound: 0, note: "test"))
        let anytime = Solver.windowSearch(input, calendar: cal, start: start, windows: Int.max, anytime: true, deadline: .distantFuture,
                                          boundBox: box, cancel: nil) { _, _, _ in }
        #expect(anytime.note.hasPrefix("0 windows"), "\(anytime.note)")
        #expect(anytime.note.contains("ended on a proof"), "\(anytime.note)")
        // A work limit does not stop on the bound: its windows are tried.
        let limited = Solver.windowSearch(input, calendar: cal, start: start, windows: 3, anytime: false, deadline: .distantFuture,
                                          boundBox: box, cancel: nil) { _, _, _ in }
        #expect(!limited.note.contains("proof"), "\(limited.note)")
        #expect(!limited.note.hasPrefix("0 windows"), "\(limited.note)")
    }

    @Test("anytime without a bound yet: no proof, the search runs its windows")
    func noBoundNoProof() throws {
        let (input, cal, start) = try Self.solved()
        let box = BoundBox()
        let r = Solver.windowSearch(input, calendar: cal, start: start, windows: 3, anytime: true, deadline: .distantFuture,
                                    boundBox: box, cancel: nil) { _, _, _ in }
        #expect(!r.note.contains("proof") && !r.note.hasPrefix("0 windows"), "\(r.note)")
    }

    @Test("anytime, the exact bound's fewest visits at the unmet optimum prove visits the structural bound cannot")
    func exactVisitBoundEndsTheSearch() throws {
        let (input, cal, start) = try Self.solved()
        // The start with one joint visit split in two (same day, the second after the first):
        // one visit more than demo.json's plan, so the visit bound for its checks does not meet it.
        var split = start.plan
        let k = try #require(split.visits.firstIndex { $0.checks.count >= 2 })
        var second = split.visits[k]
        second.id = "V99999"
        second.checks = [split.visits[k].checks.removeLast()]
        second.start = split.visits[k].end + 60
        second.end = second.start + (split.visits[k].end - split.visits[k].start)
        split.visits.append(second)
        let splitStart = Solver.Candidate(name: start.name, plan: split, pinsMissed: 0, pinMessages: [])
        let visits = try #require(Schedule(PlanningContext(input.planning, cal, duties: input.toPlan), plan: split, frozen: []).objective.onsiteVisits as Int?)
        try #require(visits == start.plan.objective.onsiteVisits + 1)
        let box = BoundBox()
        box.setDayGrouped(.init(bound: 0, note: "test"))
        let withoutExact = Solver.windowSearch(input, calendar: cal, start: splitStart, windows: 2, anytime: true, deadline: .distantFuture,
                                               boundBox: box, cancel: nil) { _, _, _ in }
        // Without it the start is not proven: windows are tried (one merges the split back).
        #expect(!withoutExact.note.hasPrefix("0 windows"), "\(withoutExact.note)")
        // The exact bound says no plan doing all the work has fewer visits than this one: proven.
        box.setExact(ExactBound.Result(unmet: 0, unmetOptimal: true, visits: visits, note: "test"))
        let withExact = Solver.windowSearch(input, calendar: cal, start: splitStart, windows: Int.max, anytime: true, deadline: .distantFuture,
                                            boundBox: box, cancel: nil) { _, _, _ in }
        #expect(withExact.note.hasPrefix("0 windows"), "\(withExact.note)")
        #expect(withExact.note.contains("ended on a proof"), "\(withExact.note)")
    }
}
