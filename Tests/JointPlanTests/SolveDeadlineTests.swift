import Foundation
import Testing
@testable import JointPlan

/// Issue 21, item 4: the deadline a solve works to. No wall-clock asserts on how long anything
/// takes: only what the deadline is, computed from the options and this process's pace.
struct SolveDeadlineTests {
    @Test("without a process start the deadline is the limit less 7 % and 0.05 s and the writing reserve, from now")
    func fromNow() {
        var o = SolveOptions()
        o.timeLimitSeconds = 10
        let before = Date()
        let d = SolveDeadline.of(o, reserveCPU: 0.3)
        let after = Date()
        #expect(d >= before.addingTimeInterval(9.3 - 0.05 - 0.3 - 1e-6))
        #expect(d <= after.addingTimeInterval(9.3 - 0.05 - 0.3 + 1e-6))
    }

    @Test("counted from the process start, a process that ran far slower than its CPU time keeps a larger reserve (at most 10 times)")
    func slowMachineKeepsMore() {
        var o = SolveOptions()
        o.timeLimitSeconds = 1000
        // A start long ago: wall / CPU is far above 10 for this process, so the factor is 10.
        let start = Date().addingTimeInterval(-100_000)
        o.startedAt = start
        #expect(SolveDeadline.slowdown(since: start) == 10)
        let d = SolveDeadline.of(o, reserveCPU: 2)
        #expect(abs(d.timeIntervalSince(start) - (930 - 0.05 - 20)) < 1e-6)
        // Too early to tell: factor 1.
        #expect(SolveDeadline.slowdown(since: Date()) == 1)
    }

    @Test("a limit smaller than the reserve still leaves a deadline after the start (the first start is then cut short)")
    func neverBeforeTheStart() {
        var o = SolveOptions()
        o.timeLimitSeconds = 0.1
        let start = Date()
        o.startedAt = start
        #expect(SolveDeadline.of(o, reserveCPU: 5).timeIntervalSince(start) >= 0.05 - 1e-6)
        #expect(SolveDeadline.writingCPU(checks: 16_000) > 0.3)
    }

    @Test("the optional work after a solve (grid, summary tables) ends at 97 % of the limit less 0.05 s less the file's CPU at this pace; none without a process start")
    func optionalWorkEnd() {
        var o = SolveOptions()
        o.timeLimitSeconds = 1000
        #expect(SolveDeadline.optionalWork(o, checks: 10_000) == nil)
        let start = Date().addingTimeInterval(-100_000)
        o.startedAt = start
        // Slowdown 10 (a start long ago): 970 - 0.05 - 6e-6 * 10,000 * 10.
        let end = SolveDeadline.optionalWork(o, checks: 10_000)
        #expect(end.map { abs($0.timeIntervalSince(start) - (970 - 0.05 - 0.6)) < 1e-6 } == true)
        // Later than the solve's own deadline, which keeps the whole writing reserve.
        #expect(end.map { $0 > SolveDeadline.of(o, reserveCPU: SolveDeadline.writingCPU(checks: 10_000)) } == true)
    }
}
