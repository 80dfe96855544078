import Foundation
import GLPK
import Testing
@testable import JointPlan

/// The window search's rounds with more than two windows and the prices' LP on a worker
/// (issue 22, item 2, helper "both cores"): for a given work limit the schedule is a function
/// of the work alone — the same run again, the same with every window and the LP solved on the
/// search's own thread, at every round width — every schedule keeps rule 11's draw, and no
/// GLPK thread is left once the search returns. No clock is asserted.
@Suite("Window search: wider rounds and the prices beside them")
struct WindowPoolTests {
    static let district = WindowSearchTests.District(enterprises: 300, seed: 31, roster: 2, size: 2...3, staffing: 0.4)

    static func same(_ a: Schedule, _ b: Schedule) -> Bool {
        a.visits == b.visits && a.remote == b.remote && a.unmet == b.unmet
    }

    @Test("rounds of 2, 3 and 4 windows, overlapping or not, with the prices on a worker: the same schedule twice and with no worker; threads joined",
          arguments: [2, 3, 4], [true, false])
    func sameWhateverTheTiming(width: Int, pipelined: Bool) throws {
        let (s, _) = try Self.district.scenario()
        let sched = WindowSearchTests.start(s)
        let census = GLPKThread.Census()
        var search = WindowSearch()
        search.windows = 20
        search.threads = 2
        search.roundWidth = width
        search.pipelined = pipelined
        search.census = census
        search.pricing = { DayPrices.of(DayGroupBound(scenario: s, duties: Duties(scenario: s), calendar: WorkCalendar(s.horizon))) }
        let (a, statsA) = search.run(sched, deadline: .distantFuture)
        #expect(census.alive == 0, "\(census.alive) GLPK threads alive after the search")
        #expect(census.started == 1, "\(census.started) threads for two threads")
        let (b, statsB) = search.run(sched, deadline: .distantFuture)
        var inline = search
        inline.secondOnThisThread = true
        let (c, statsC) = inline.run(sched, deadline: .distantFuture)
        #expect(census.started == 2, "the run without a worker started a thread")
        #expect(Self.same(a, b), "two runs differ: \(a.objective) / \(b.objective)")
        #expect(Self.same(a, c), "no worker: \(c.objective) against \(a.objective)")
        #expect(statsA.tried == statsB.tried && statsA.tried == statsC.tried && statsA.improved == statsC.improved)
        #expect(statsA.solved == statsB.solved && statsA.solved == statsC.solved, "windows solved: \(statsA.solved), \(statsB.solved), \(statsC.solved)")
        #expect(statsA.carried == statsC.carried && statsA.requeued == statsC.requeued)
        #expect(statsA.prices?.note == statsC.prices?.note && statsA.prices?.prices == statsC.prices?.prices)
        #expect(statsA.prices != nil, "the search did not take the prices it was given")
        #expect(statsA.tried <= 20)
        #expect(!(sched.objective < a.objective), "the search made the plan worse: \(sched.objective) → \(a.objective)")
        #expect(a.drawMismatches(onDays: 0..<a.context.dayCount) == 0)
    }

    @Test("three threads: two workers beside the search's thread give the same schedule as none")
    func threeThreads() throws {
        let (s, _) = try Self.district.scenario()
        let sched = WindowSearchTests.start(s)
        let census = GLPKThread.Census()
        var search = WindowSearch()
        search.windows = 16
        search.threads = 3
        search.roundWidth = 4
        search.census = census
        let (a, _) = search.run(sched, deadline: .distantFuture)
        #expect(census.started == 2 && census.alive == 0, "\(census.started) started, \(census.alive) alive")
        var inline = search
        inline.secondOnThisThread = true
        let (c, _) = inline.run(sched, deadline: .distantFuture)
        #expect(Self.same(a, c), "no worker: \(c.objective) against \(a.objective)")
    }

    @Test("a solve on two threads, 24 windows: byte-identical twice and valid for PlanChecker and check_plan.py")
    func solveTwice() throws {
        let input = try SolverFixtures.generated(400, seed: 5, staffing: 0.35)
        var options = SolveOptions()
        options.timeLimitSeconds = 900
        options.windows = 24
        options.threads = 2
        let census = GLPKThread.Census()
        options.threadCensus = census
        let first = Solver.solve(input.scenario, scenarioData: input.data, options: options)
        #expect(census.alive == 0, "\(census.alive) GLPK threads alive after solve")
        let again = Solver.solve(input.scenario, scenarioData: input.data, options: options)
        let bytes = try first.encoded(timings: false)
        #expect(bytes == (try again.encoded(timings: false)), "two runs differ in \(SolverFixtures.firstDifference(bytes, try again.encoded(timings: false)))")
        try SolverFixtures.expectValid(first, input, "two threads, 24 windows")
    }
}
