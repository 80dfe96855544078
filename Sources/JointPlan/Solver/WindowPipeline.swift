import Foundation
import GLPK

/// The window search on two cores without rounds (issue 22, item 2): up to `roundWidth`
/// windows in flight, each solved from the plan as it was when the window was proposed, by
/// whichever thread is free — the search's own thread too, while it waits for the oldest —
/// and judged one after the other in the order proposed:
/// - a window solved from the plan as it still is is judged as on one thread (rebuilt, drawn,
///   replayed under rule 11 on the days it changed, kept when the whole plan is better);
/// - one solved from a plan that a window judged before it has since replaced is carried to
///   the new plan when its program there is the one GLPK solved (`carry`), else it goes back
///   to the head of the queue and is solved again.
/// A new window is proposed (from the plan as it then is) each time one is judged, so a
/// long window keeps one thread while the other solves the windows after it: no thread
/// waits for a round's slowest window.
///
/// Deterministic for a given work limit: what is proposed, from which plan, and the order of
/// judgement depend on the windows' answers alone, never on which thread solved which or
/// when; with no worker (`secondOnThisThread`) this thread solves every window itself and
/// the plan is the same. Every worker is joined before `run` returns.
extension WindowSearch {
    func runPipelined(_ input: Schedule, deadline: Date, stop: (Schedule) -> Bool,
                      progress: (Int, Objective) -> Void) -> (Schedule, Stats) {
        var best = input
        // How many times `best` was replaced: a window solved at another version needs `carry`.
        var version = 0
        var stats = Stats()
        let t0 = Date()
        var stale = 0
        var generator = WindowGenerator(prices: prices)
        var queue: [Window] = []
        let pool = JobPool()
        let workers: [GLPKThread] = secondOnThisThread ? [] : (1..<max(2, threads)).compactMap { n in
            try? GLPKThread(name: "search-\(n + 1)", census: census)
        }
        for w in workers { w.submit { while let job = pool.take(blocking: true) { job.run() } } }
        defer {
            // Windows not started are dropped; those running end, then the workers are joined.
            pool.close()
            for w in workers { w.join() }
        }
        let trace = ProcessInfo.processInfo.environment["JOINTPLAN_ROUND_STATS"] != nil ? PipelineTrace() : nil
        // Measurement: this thread's CPU seconds between events, less the jobs it ran.
        var lastMark = trace.map { _ in WindowSearch.threadCPU() } ?? 0
        var ranHere = 0.0
        func mark(_ event: String) {
            guard let trace else { return }
            let now = WindowSearch.threadCPU()
            trace.note("serial \(now - lastMark - ranHere)")
            trace.note(event)
            lastMark = now
            ranHere = 0
        }
        /// Waits for `job`, solving the windows waiting in the pool meanwhile.
        func finish<T>(_ job: PoolJob<T>) -> T {
            mark("wait \(job.label)")
            while !job.isFinished, let other = pool.take(blocking: false) {
                let c0 = trace.map { _ in WindowSearch.threadCPU() }
                other.run()
                if let c0 { ranHere += WindowSearch.threadCPU() - c0 }
            }
            return job.wait()
        }
        // The prices' LP (`pricing`): the first job, so a worker (or this thread) solves it
        // beside the first windows; the generator gets it before its third window, the
        // first that reads it.
        var pricesJob: PoolJob<(prices: DayPrices?, note: String)>? = pricing.map { p in
            let job = PoolJob(p, trace: trace, label: "prices")
            mark("submit prices")
            pool.add(job)
            return job
        }
        func takePrices() {
            guard let job = pricesJob else { return }
            pricesJob = nil
            let (prices, note) = finish(job)
            generator.prices = prices
            stats.prices = (prices, note)
        }
        var proposed = 0
        func propose() -> Window? {
            if proposed >= Self.windowsBeforePrices { takePrices() }
            proposed += 1
            return generator.next(best, maxColumns: maxColumns)
        }
        var k = 0
        func judge(_ candidate: Schedule?, _ window: Window) {
            defer {
                progress(k, best.objective)
                k += 1
            }
            stats.tried += 1
            stats.byKind[window.kind, default: (0, 0)].tried += 1
            if let candidate, candidate.objective < best.objective {
                best = candidate
                version += 1
                stats.improved += 1
                stats.byKind[window.kind, default: (0, 0)].improved += 1
                stale = 0
                return
            }
            stale += 1
        }
        var flight: [(window: Window, version: Int, job: PoolJob<Attempt>)] = []
        let depth = max(2, min(roundWidth, Self.queueLimit))
        var n = 0
        while k < windows {
            let wait = best.unmet.isEmpty ? min(patience, quietPatience) : patience
            if Date() >= deadline || stale >= wait || stop(best) { break }
            // Up to `depth` windows in flight, no two with a day or an enterprise in common:
            // from the queue first, else a few new proposals (those that overlap wait there).
            while flight.count < depth && k + flight.count < windows {
                var next: Window?
                if let i = queue.firstIndex(where: { w in flight.allSatisfy { Self.disjoint($0.window, w) } }) {
                    next = queue.remove(at: i)
                } else {
                    for _ in 0..<3 where queue.count < Self.queueLimit {
                        guard let w = propose() else { break }
                        if flight.allSatisfy({ Self.disjoint($0.window, w) }) { next = w; break }
                        queue.append(w)
                    }
                }
                guard let w = next else { break }
                let from = best
                let search = self
                let job = PoolJob({ search.attempt(from, w, deadline: deadline) }, trace: trace, label: "w\(n)")
                n += 1
                mark("submit \(job.label)")
                pool.add(job)
                flight.append((w, version, job))
            }
            guard !flight.isEmpty else { break }
            let (w, v, job) = flight.removeFirst()
            let a = finish(job)
            if a.solved { stats.solved += 1 }
            if v == version {
                judge(a.candidate, w)
            } else if a.solved, let carried = carry(a, to: best) {
                stats.carried += 1
                judge(carried, w)
            } else if a.solved {
                stats.requeued += 1
                queue.insert(w, at: 0)
            } else {
                judge(nil, w)
            }
        }
        // A search that ended before its third proposal never read the prices: the LP is
        // dropped if no thread has started it (a worker that has is joined below), and the
        // note does not name it — the same whichever thread got how far.
        stats.seconds = Date().timeIntervalSince(t0)
        mark("end")
        if let trace { FileHandle.standardError.write(Data(trace.text.utf8)) }
        return (best, stats)
    }
}

/// Something a pool's thread runs once.
protocol PoolRunnable: AnyObject, Sendable {
    func run()
}

/// A piece of work for `JobPool` and its value. `@unchecked Sendable`: `work` and `value`
/// are read and written with `condition`'s lock held, and the work runs once.
final class PoolJob<T: Sendable>: PoolRunnable, @unchecked Sendable {
    private let condition = NSCondition()
    private var work: (@Sendable () -> T)?
    private var value: T?
    let label: String
    private let trace: PipelineTrace?
    init(_ work: @escaping @Sendable () -> T, trace: PipelineTrace? = nil, label: String = "") {
        self.work = work
        self.trace = trace
        self.label = label
    }
    func run() {
        condition.lock()
        guard let work else {
            condition.unlock()
            return
        }
        self.work = nil
        condition.unlock()
        let c0 = trace.map { _ in WindowSearch.threadCPU() }
        let v = work()
        if let c0 { trace?.note("cpu \(label) \(WindowSearch.threadCPU() - c0)") }
        condition.lock()
        value = v
        condition.broadcast()
        condition.unlock()
    }
    var isFinished: Bool {
        condition.lock()
        defer { condition.unlock() }
        return value != nil
    }
    func wait() -> T {
        condition.lock()
        defer { condition.unlock() }
        while value == nil { condition.wait() }
        return value!
    }
}

/// Jobs waiting for a thread, oldest first. `@unchecked Sendable`: every field is read and
/// written with `condition`'s lock held.
final class JobPool: @unchecked Sendable {
    private let condition = NSCondition()
    private var waiting: [any PoolRunnable] = []
    private var closed = false
    func add(_ job: any PoolRunnable) {
        condition.lock()
        waiting.append(job)
        condition.signal()
        condition.unlock()
    }
    /// The oldest job not yet taken; `blocking`: waits for one, nil once the pool is closed.
    func take(blocking: Bool) -> (any PoolRunnable)? {
        condition.lock()
        defer { condition.unlock() }
        while blocking && waiting.isEmpty && !closed { condition.wait() }
        guard !closed, !waiting.isEmpty else { return nil }
        return waiting.removeFirst()
    }
    /// No job is taken any more (those waiting are dropped); blocked takers get nil.
    func close() {
        condition.lock()
        closed = true
        waiting = []
        condition.broadcast()
        condition.unlock()
    }
}

/// Measurement only (`JOINTPLAN_ROUND_STATS`): the search's events and the CPU seconds of
/// each job, for `scripts/pipeline-replay` to replay on free cores. Never read by the search.
final class PipelineTrace: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func note(_ s: String) { lock.lock(); lines.append(s); lock.unlock() }
    var text: String { lock.lock(); defer { lock.unlock() }; return lines.map { "pipeline: " + $0 + "\n" }.joined() }
}
