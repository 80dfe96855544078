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
        // Windows proposed but not yet solved (one that shared a day or an enterprise with
        // the round's others, or whose program changed under it), oldest first.
        var queue: [Window] = []
        // No thread (refused, or `secondOnThisThread`): the same attempts one after the other
        // on this thread. Otherwise `threads − 1` workers beside this thread.
        let workers: [GLPKThread] = secondOnThisThread ? [] : (1..<max(2, threads)).compactMap { n in
            try? GLPKThread(name: "search-\(n + 1)", census: census)
        }
        defer { for w in workers { w.join() } }
        // The prices' LP (`pricing`), when the search is to solve it: on the first worker
        // beside the first round, which proposes only windows that do not read the prices (the
        // generator's first two); the generator gets them before its third window, whichever
        // thread finished first. Without a worker it runs here after the first round: the
        // same prices at the same point of the window sequence.
        var pendingPrices = pricing.map { p in
            Handoff<(prices: DayPrices?, note: String, cpu: Double)>(on: workers.first) {
                let c0 = Self.threadCPU()
                let (prices, note) = p()
                return (prices, note, Self.threadCPU() - c0)
            }
        }
        let loopCPU0 = Self.threadCPU()
        var proposed = 0
        func propose() -> Window? {
            if pendingPrices != nil && proposed >= Self.windowsBeforePrices { return nil }
            proposed += 1
            return generator.next(best, maxColumns: maxColumns)
        }
        func takePrices() {
            guard let p = pendingPrices else { return }
            pendingPrices = nil
            let (prices, note, cpu) = p.value()
            generator.prices = prices
            stats.prices = (prices, note)
            stats.cpu.prices = cpu
        }
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
        let width = max(2, min(roundWidth, Self.queueLimit))
        while k < windows {
            let wait = best.unmet.isEmpty ? min(patience, quietPatience) : patience
            if Date() >= deadline || stale >= wait || stop(best) { break }
            guard let first = queue.isEmpty ? propose() : queue.removeFirst() else {
                if pendingPrices != nil {
                    takePrices()
                    continue
                }
                break
            }
            // The round: windows with no day and no enterprise in common, from the queue
            // first, else a few new proposals at most (those that overlap wait their turn).
            var round = [first]
            while round.count < width && k + round.count < windows {
                if let i = queue.firstIndex(where: { w in round.allSatisfy { Self.disjoint($0, w) } }) {
                    round.append(queue.remove(at: i))
                    continue
                }
                var found: Window?
                for _ in 0..<3 where queue.count < Self.queueLimit {
                    guard let w = propose() else { break }
                    if round.allSatisfy({ Self.disjoint($0, w) }) { found = w; break }
                    queue.append(w)
                }
                guard let found else { break }
                round.append(found)
            }
            let (attempts, cpu) = solveRound(best, round, workers: workers, deadline: deadline)
            stats.cpu.rounds += 1
            stats.cpu.windows += cpu.reduce(0, +)
            stats.cpu.mainWindows += cpu[0]
            // The first round's worker also solved the prices' LP before it took a window.
            // The first round's first worker solved the prices' LP before it took a window.
            let pricedFirst = stats.cpu.rounds == 1 && pendingPrices != nil && !workers.isEmpty
            stats.cpu.critical += max(cpu[0], (cpu.count > 1 ? cpu[1] : 0) + (pricedFirst ? pendingPrices!.value().cpu : 0), cpu.dropFirst(2).max() ?? 0)
            // Judged in index order: each window solved from the plan as it was when the round
            // began; once one is kept, the later ones' answers are carried to the new plan when
            // their programs there are the ones GLPK solved, else they are solved again.
            var changed = false
            var requeue: [Window] = []
            for (a, w) in zip(attempts, round) {
                if a.solved { stats.solved += 1 }
                if !changed {
                    changed = judge(a.candidate, w)
                } else if a.solved, let carried = carry(a, to: best) {
                    stats.carried += 1
                    judge(carried, w)
                } else if a.solved {
                    stats.requeued += 1
                    requeue.append(w)
                } else {
                    judge(nil, w)
                }
            }
            queue.insert(contentsOf: requeue, at: 0)
            takePrices()
        }
        takePrices()
        stats.cpu.serial = Self.threadCPU() - loopCPU0 - stats.cpu.mainWindows
        stats.seconds = Date().timeIntervalSince(t0)
        return (best, stats)
    }

    /// A round's windows solved from `from`: this thread and every worker take the next
    /// unsolved window until none is left, so a long window does not hold the others up;
    /// each attempt is a function of (`from`, window) alone, stored at the window's index.
    /// Also the CPU seconds each thread spent on the round's windows (this thread first).
    func solveRound(_ from: Schedule, _ round: [Window], workers: [GLPKThread], deadline: Date) -> ([Attempt], cpu: [Double]) {
        let pool = RoundPool(round.map { Attempt(window: $0) })
        let search = self
        let helpers = workers.prefix(round.count - 1).map { worker in
            Handoff<Double>(on: worker) {
                let c0 = Self.threadCPU()
                while let i = pool.take() { pool.put(i, search.attempt(from, round[i], deadline: deadline)) }
                return Self.threadCPU() - c0
            }
        }
        let c0 = Self.threadCPU()
        while let i = pool.take() { pool.put(i, attempt(from, round[i], deadline: deadline)) }
        let mine = Self.threadCPU() - c0
        // Every helper done before the results are read.
        let theirs = helpers.map { $0.value() }
        return (pool.results, [mine] + theirs)
    }

    /// CPU seconds of the calling thread (measurement only: never decides anything).
    static func threadCPU() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    /// Windows a round holds at most with two threads or more (`roundWidth`): three keep
    /// both threads busy when one window takes much longer than another.
    static let defaultRoundWidth = 3
    /// Windows the generator proposes before it must have the prices (its third reads them).
    static let windowsBeforePrices = 2

    /// Windows waiting for a round at most.
    static let queueLimit = 4
}

/// The attempts of one round, each taken once by whichever thread asks first.
/// `@unchecked Sendable`: every field is read and written with `lock` held.
final class RoundPool: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private var slots: [WindowSearch.Attempt]
    init(_ slots: [WindowSearch.Attempt]) { self.slots = slots }
    /// The index of a window no thread has taken yet, or nil.
    func take() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < slots.count else { return nil }
        next += 1
        return next - 1
    }
    func put(_ i: Int, _ a: WindowSearch.Attempt) {
        lock.lock()
        slots[i] = a
        lock.unlock()
    }
    var results: [WindowSearch.Attempt] {
        lock.lock()
        defer { lock.unlock() }
        return slots
    }
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
