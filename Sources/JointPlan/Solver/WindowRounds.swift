import Foundation
import GLPK

/// The window search on two cores (issue 22, item 2): rounds of two windows proposed from the
/// same incumbent, with disjoint days and disjoint enterprises, each solved on its own GLPK
/// thread — the first on the search's own thread, the second on a `GLPKThread` the round
/// hands it to — and judged in index order:
/// - the first as the one-thread search judges a window: kept when the whole plan, replayed
///   under rule 11 on the days it changed (`Redraw.run(_:changedFrom:)`), is better;
/// - the second, when the first was not kept, the same way (it was solved from the plan as it
///   still is); when the first was kept, its window is built again from the new plan, and
///   GLPK's answer is used only if that program is the one GLPK solved (the same MathProg
///   data and warm start): rebuilt through the roster on the new plan, replayed under rule 11
///   and kept when better. Otherwise it goes back to the head of the queue and is solved
///   again from the new plan in the next round.
///
/// What a worker computes is a function of (incumbent, window, work limits) alone, and the
/// merge order is fixed, so for a given `--windows N` the plan does not depend on which
/// thread finishes first; run with no second thread (`pthread_create` refused) it computes
/// the same attempts one after the other and gives the same plan. The thread is joined before
/// `run` returns.
extension WindowSearch {
    /// One window solved from `incumbent`: the candidate plan (rebuilt, drawn, replayed on the
    /// days it changed) and what is needed to use GLPK's answer on another incumbent.
    struct Attempt: Sendable {
        var window: Window
        /// The window's program as MathProg data and GLPK's first solution (the warm start):
        /// GLPK's answer holds for another incumbent whose program is the same.
        var fingerprint: String?
        var warm: [Double]?
        var values: [Double]?
        var candidate: Schedule?
        var solved: Bool { values != nil }
    }

    func attempt(_ incumbent: Schedule, _ window: Window, deadline: Date) -> Attempt {
        var out = Attempt(window: window)
        guard let built = WindowBuilder(incumbent, window).build() else { return out }
        out.fingerprint = built.model.mathProgData()
        guard let (result, layout) = solve(built, deadline: deadline) else { return out }
        out.values = result.values
        if warmStart { out.warm = built.warmStart(layout, columns: result.values.count) }
        let rebuilt = Solver.drawTeams(built.rebuild(result.values, layout))
        out.candidate = Redraw().run(rebuilt, changedFrom: incumbent).schedule
        return out
    }

    /// `attempt`'s candidate carried over to `incumbent` (another plan than the one it was
    /// solved from): nil when the window's program there is not the one GLPK solved.
    func carry(_ a: Attempt, to incumbent: Schedule) -> Schedule? {
        guard let values = a.values, let built = WindowBuilder(incumbent, a.window).build(),
              built.model.mathProgData() == a.fingerprint else { return nil }
        let (model, layout) = built.model.linearModel()
        guard model.columns.count == values.count else { return nil }
        if warmStart, built.warmStart(layout, columns: model.columns.count) != a.warm { return nil }
        let rebuilt = Solver.drawTeams(built.rebuild(values, layout))
        return Redraw().run(rebuilt, changedFrom: incumbent).schedule
    }

    /// Whether two windows may be solved side by side: no day and no enterprise in common.
    static func disjoint(_ a: Window, _ b: Window) -> Bool {
        Set(a.days).isDisjoint(with: b.days) && Set(a.enterprises).isDisjoint(with: b.enterprises)
    }

    /// `run` with `threads` ≥ 2 (see the extension's comment).
    func runInRounds(_ input: Schedule, deadline: Date, stop: (Schedule) -> Bool,
                     progress: (Int, Objective) -> Void) -> (Schedule, Stats) {
        var best = input
        var stats = Stats()
        let t0 = Date()
        var stale = 0
        var generator = WindowGenerator(prices: prices)
        // Windows proposed but not yet solved (a second window that shared a day or an
        // enterprise with the first, or whose program changed under it), oldest first.
        var queue: [Window] = []
        // No thread (refused, or `secondOnThisThread`): the same attempts one after the other.
        let worker = secondOnThisThread ? nil : try? GLPKThread(name: "search-2", census: census)
        defer { worker?.join() }
        var k = 0
        @discardableResult
        func judge(_ candidate: Schedule?, _ window: Window) -> Bool {
            defer {
                progress(k, best.objective)
                k += 1
            }
            stats.tried += 1
            stats.byKind[window.kind, default: (0, 0)].tried += 1
            if let candidate, candidate.objective < best.objective {
                best = candidate
                stats.improved += 1
                stats.byKind[window.kind, default: (0, 0)].improved += 1
                stale = 0
                return true
            }
            stale += 1
            return false
        }
        while k < windows {
            let wait = best.unmet.isEmpty ? min(patience, quietPatience) : patience
            if Date() >= deadline || stale >= wait || stop(best) { break }
            guard let first = queue.isEmpty ? generator.next(best, maxColumns: maxColumns) : queue.removeFirst() else { break }
            var second: Window?
            if k + 1 < windows {
                if let i = queue.firstIndex(where: { Self.disjoint(first, $0) }) {
                    second = queue.remove(at: i)
                } else {
                    // A few new proposals at most; those that overlap wait their turn.
                    for _ in 0..<3 where queue.count < Self.queueLimit {
                        guard let w = generator.next(best, maxColumns: maxColumns) else { break }
                        if Self.disjoint(first, w) { second = w; break }
                        queue.append(w)
                    }
                }
            }
            let from = best
            let search = self
            let pending = second.map { w in
                Handoff<Attempt>(on: worker) { search.attempt(from, w, deadline: deadline) }
            }
            let a = attempt(from, first, deadline: deadline)
            if a.solved { stats.solved += 1 }
            let firstKept = judge(a.candidate, first)
            guard let pending, let w = second else { continue }
            let b = pending.value()
            if b.solved { stats.solved += 1 }
            if !firstKept {
                judge(b.candidate, w)
            } else if b.solved, let carried = carry(b, to: best) {
                stats.carried += 1
                judge(carried, w)
            } else if b.solved {
                // Its program changed under it: solved again from the new plan next round.
                stats.requeued += 1
                queue.insert(w, at: 0)
            } else {
                judge(nil, w)
            }
        }
        stats.seconds = Date().timeIntervalSince(t0)
        return (best, stats)
    }

    /// Windows waiting for a round at most.
    static let queueLimit = 4
}

/// Work handed to a GLPK thread, or done right here when there is none, and its value.
/// `@unchecked Sendable`: `result` is written once by the thread that ran the work, before
/// the semaphore is signalled, and read only after waiting on it.
final class Handoff<T: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: T?
    private var inline: (@Sendable () -> T)?

    init(on thread: GLPKThread?, _ work: @escaping @Sendable () -> T) {
        guard let thread else {
            inline = work
            return
        }
        thread.submit { [self] in
            result = work()
            done.signal()
        }
    }

    /// The work's value: waits for the thread, or runs the work now when there was none.
    func value() -> T {
        if let inline {
            self.inline = nil
            result = inline()
            return result!
        }
        done.wait()
        done.signal()
        return result!
    }
}
