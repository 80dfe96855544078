import Foundation
import GLPK
import Testing
@testable import JointPlan

/// The window search on two threads (issue 22, item 2): rounds of two windows with disjoint
/// days and enterprises, the second on a GLPK thread of its own, merged in index order. For a
/// given work limit the plan does not depend on the threads' timing — it is the same run
/// again, and the same with the second window solved on the search's own thread — every
/// plan keeps the rules (PlanChecker and check_plan.py), and the thread is gone when the
/// search returns. `--threads 1` is the one-window-at-a-time search.
@Suite("Window search on two threads")
struct WindowRoundsTests {
    static let district = WindowSearchTests.District(enterprises: 300, seed: 31, roster: 2, size: 2...3, staffing: 0.4)

    static func same(_ a: Schedule, _ b: Schedule) -> Bool {
        a.visits == b.visits && a.remote == b.remote && a.unmet == b.unmet
    }

    @Test("rounds of two windows: the same schedule run again and with the second window on this thread; the second thread joined")
    func sameWhateverTheTiming() throws {
        let (s, _) = try Self.district.scenario()
        let sched = WindowSearchTests.start(s)
        let census = GLPKThread.Census()
        var search = WindowSearch()
        search.windows = 24
        search.threads = 2
        search.census = census
        let (a, statsA) = search.run(sched, deadline: .distantFuture)
        #expect(census.started == 1 && census.alive == 0, "search thread: \(census.started) started, \(census.alive) alive")
        let (b, _) = search.run(sched, deadline: .distantFuture)
        var inline = search
        inline.secondOnThisThread = true
        let (c, statsC) = inline.run(sched, deadline: .distantFuture)
        #expect(census.started == 2, "the inline run started a thread")
        #expect(Self.same(a, b), "two runs on two threads differ: \(a.objective) / \(b.objective)")
        #expect(Self.same(a, c), "second window on this thread: \(c.objective) against \(a.objective)")
        #expect(statsA.tried == statsC.tried && statsA.improved == statsC.improved && statsA.carried == statsC.carried)
        #expect(statsA.tried <= 24)
        #expect(!(sched.objective < a.objective), "the search made the plan worse: \(sched.objective) → \(a.objective)")
        // Rule 11: every day as the draw replays it.
        #expect(a.drawMismatches(onDays: 0..<a.context.dayCount) == 0)
    }

    @Test("two windows of a round share no day and no enterprise")
    func disjointWindows() {
        let a = Window(kind: .loss, days: [1, 2], enterprises: [3, 4])
        #expect(WindowSearch.disjoint(a, Window(kind: .minutes, days: [3, 4], enterprises: [5])))
        #expect(!WindowSearch.disjoint(a, Window(kind: .minutes, days: [2, 5], enterprises: [5])))
        #expect(!WindowSearch.disjoint(a, Window(kind: .minutes, days: [6], enterprises: [4])))
    }

    @Test("a solve on two threads with --windows 30: byte-identical twice, valid for PlanChecker and check_plan.py, no thread left; one thread is the old search")
    func solveOnTwoThreads() throws {
        let input = try SolverFixtures.generated(400, seed: 7, staffing: 0.4)
        var options = SolveOptions()
        options.timeLimitSeconds = 900
        options.windows = 30
        options.threads = 2
        let census = GLPKThread.Census()
        options.threadCensus = census
        let first = Solver.solve(input.scenario, scenarioData: input.data, options: options)
        #expect(census.alive == 0, "\(census.alive) GLPK threads alive after solve")
        #expect(census.started >= 1)
        let again = Solver.solve(input.scenario, scenarioData: input.data, options: options)
        let bytes = try first.encoded(timings: false)
        #expect(bytes == (try again.encoded(timings: false)), "two runs differ in \(SolverFixtures.firstDifference(bytes, try again.encoded(timings: false)))")
        try SolverFixtures.expectValid(first, input, "two threads, 30 windows")
        let search = first.solver.stages.first { $0.name == "search" }?.note ?? ""
        if !search.isEmpty { #expect(search.contains("rounds of two"), "\(search)") }
        options.threads = 1
        let one = Solver.solve(input.scenario, scenarioData: input.data, options: options)
        try SolverFixtures.expectValid(one, input, "one thread, 30 windows")
        let oneSearch = one.solver.stages.first { $0.name == "search" }?.note ?? ""
        #expect(!oneSearch.contains("rounds of two"), "\(oneSearch)")
    }
}
