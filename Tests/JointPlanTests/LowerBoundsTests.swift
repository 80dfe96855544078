import Foundation
import GLPK
import Testing
@testable import JointPlan

/// The lower bounds of a solve (issue 22): each on a GLPK thread of its own from the start,
/// every one of them joined before `solve` returns, and the plan saying which bound it used.
@Suite("Lower bounds of a solve")
struct LowerBoundsTests {
    static func options(_ census: GLPKThread.Census?) -> SolveOptions {
        var o = SolveOptions()
        // A limit that does not bind: the work limits decide.
        o.timeLimitSeconds = 300
        o.windows = 10
        o.threadCensus = census
        return o
    }

    @Test("a solve starts the capacity relaxation and the day-grouped LP on GLPK threads and none is alive once it returns")
    func nothingOutlivesTheSolve() throws {
        let input = try SolverFixtures.generated(200, seed: 22, staffing: 0.4)
        let census = GLPKThread.Census()
        let plan = Solver.solve(input.scenario, scenarioData: input.data, options: Self.options(census))
        // One thread per bound, and the window search's second thread when the search ran.
        let searched = plan.solver.stages.contains { $0.name == "search" && $0.note.contains("rounds of two") }
        #expect(census.started == (searched ? 3 : 2), "one thread per bound (+1 for the search: \(searched))")
        #expect(census.alive == 0, "\(census.alive) GLPK thread(s) still alive after solve returned")
        #expect(plan.solver.boundSource != nil)
        try SolverFixtures.expectValid(plan, input, "generated 200", python: false)
    }

    @Test("cancelled at its first progress report, a solve still stops and joins its bound threads before it returns")
    func cancelledSolveJoins() throws {
        let input = try SolverFixtures.generated(200, seed: 23, staffing: 0.4)
        let census = GLPKThread.Census()
        let cancel = Cancellation()
        let plan = Solver.solve(input.scenario, scenarioData: input.data, options: Self.options(census),
                                progress: { _ in cancel.cancel() }, cancel: cancel)
        // Cancelled at once: the search never runs, so no thread of its own.
        #expect(census.started == 2)
        #expect(census.alive == 0)
        #expect(plan.solver.boundSource != nil, "what the bounds proved before they were stopped stands")
    }

    @Test("one thread: no GLPK thread is started, and the bound is the same as with two")
    func oneThread() throws {
        let input = try SolverFixtures.generated(200, seed: 22, staffing: 0.4)
        let census = GLPKThread.Census()
        var one = Self.options(census)
        one.threads = 1
        let a = Solver.solve(input.scenario, scenarioData: input.data, options: one)
        #expect(census.started == 0)
        let b = Solver.solve(input.scenario, scenarioData: input.data, options: Self.options(nil))
        #expect(a.solver.bestBound == b.solver.bestBound)
        #expect(a.solver.boundSource == b.solver.boundSource)
    }

    @Test("the plan's bound is at least the day-grouped LP's, names the bound that gave it, and the plan file keeps the name",
          arguments: [(300, UInt64(31), 0.35), (250, UInt64(32), 0.5)])
    func boundNamed(enterprises: Int, seed: UInt64, staffing: Double) throws {
        let input = try SolverFixtures.generated(enterprises, seed: seed, staffing: staffing)
        let options = Self.options(nil)
        let plan = Solver.solve(input.scenario, scenarioData: input.data, options: options)
        let source = try #require(plan.solver.boundSource)
        // The LP the solve ran, run again here: the same model and budget give the same bound.
        let planning = input.scenario.inspectorsInIdOrder()
        let day = DayGroupBound.finest(scenario: planning, duties: Duties(scenario: input.scenario, seed: options.seed),
                                       calendar: WorkCalendar(planning.horizon), maxRows: DayGroupBound.finestRows)
            .solve(deadline: Date().addingTimeInterval(options.timeLimitSeconds), interiorBudget: options.timeLimitSeconds, stop: { false })
        let u = plan.objective.unmetWeighted
        #expect(plan.solver.bestBound >= min(day.bound, u) - 1e-9, "bound \(plan.solver.bestBound) below the day-grouped LP's \(day.bound)")
        switch source {
        case .proof: #expect(plan.solver.bestBound >= u - 1e-6)
        case .dayGroupedLP: #expect(plan.solver.bestBound == day.bound && day.bound < u)
        case .exactIP: #expect(plan.solver.bestBound >= day.bound && plan.solver.bestBound < u)
        case .capacity, .structural: #expect(plan.solver.bestBound >= day.bound && plan.solver.bestBound < u)
        }
        let text = String(decoding: plan.encoded(), as: UTF8.self)
        #expect(text.contains("\"bound\": \"\(source.rawValue)\""))
        #expect(try PlanReader.read(plan.encoded()).solver.boundSource == source)
    }

    @Test("the day-grouped LP with a budget too small for the interior point: the dual simplex alone, stopped at the deadline, still a valid bound")
    func interiorLeftOut() throws {
        let input = try SolverFixtures.generated(150, seed: 24, staffing: 0.4)
        let s = input.scenario
        let bound = DayGroupBound(scenario: s, duties: Duties(scenario: s), calendar: WorkCalendar(s.horizon))
        var p = SearchParameters()
        p.relaxationOnly = true
        p.timeLimit = 120
        let z = try #require(try GLPKSolver.solve(bound.linearModel(), p).objective)
        let r = bound.solve(deadline: Date().addingTimeInterval(120), interiorBudget: 0, stop: { false })
        #expect(r.note.contains("interior point left out"), "\(r.note)")
        #expect(r.bound >= 0 && r.bound <= (z + 1e-6 * max(1, abs(z))).rounded(.up), "\(r.bound) against the optimum \(z)")
        let stopped = bound.solve(deadline: Date().addingTimeInterval(120), interiorBudget: 0, stop: { true })
        #expect(stopped.bound == 0 && stopped.note.contains("cancelled"))
    }
}
