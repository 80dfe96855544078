import Foundation
import GLPK

/// The lower bounds of one solve (spec 3.2, `bestBound`): the capacity relaxation
/// (`BoundModel`, with the structural losses), the day-grouped LP (`DayGroupBound`) and, on
/// small districts, the same program in integers after it on its thread (`ExactBound`, with
/// a visit minimum at its unmet optimum); the largest kept.
///
/// With `options.threads` ≥ 2 each gets a `GLPKThread` of its own from the start of the
/// solve, so neither depends on what the clock leaves after the search (issue 22, item 1);
/// with 1 they run one after the other on the solve's thread after the search. `finish`
/// waits for them until the deadline, then stops what still runs — the capacity search polls
/// a stop flag from GLPK's callback, the day-grouped LP's simplex has GLPK's `tm_lim` from
/// what is left and is not started once stopped — and joins the threads: nothing started
/// here outlives the solve (issue 22, item 2). What a bound proved before it was stopped
/// stands (a search's best node, any duals' `dualBound`).
final class LowerBounds {
    let box = BoundBox()
    private let stop: Cancellation
    private var threads: [GLPKThread] = []
    private let group = DispatchGroup()
    private var inline: [@Sendable () -> Void] = []
    private var finished = false

    init(scenario: Scenario, duties: Duties, calendar cal: WorkCalendar, capUsed: [Int: Int], options: SolveOptions,
         deadline: Date, cancel: Cancellation?, report: @escaping @Sendable (String, Double?, String) -> Void) {
        let stop = Cancellation(following: cancel)
        self.stop = stop
        let box = box
        let threaded = options.threads >= 2
        // The capacity relaxation's search: 40 % of the limit, at most 20 s.
        let budget = max(0.5, min(20, options.timeLimitSeconds * 0.4))
        // The interior point cannot be stopped: it is given a third of the limit at most
        // (`DayGroupBound.solve`) — the limit, not the clock, so that the same limit decides
        // the same way every run.
        let limit = options.timeLimitSeconds > 0 ? options.timeLimitSeconds : 1e9
        let writeData = options.writeModelsDirectory != nil
        let capacity: @Sendable () -> Void = {
            let model = BoundModel(scenario, duties, cal, capUsed: capUsed)
            // Its root LP has no callback: GLPK's tm_lim, from what is left, is what stops it.
            let left = min(budget, deadline.timeIntervalSinceNow)
            guard left > 0.05 && !stop.isCancelled else {
                box.setCapacity(.init(structural: model.structural, bound: 0, status: .noSolution,
                                      note: "not run: no time left", data: writeData ? model.mathProgData() : nil))
                return
            }
            let r = model.solve(timeLimit: left, cancel: stop) { p in
                report("bound", p.bound.map { $0 + model.structural }, "capacity relaxation: \(p.nodes) nodes")
            }
            box.setCapacity(.init(structural: model.structural, bound: r.bound, status: r.status, note: r.note,
                                  data: writeData ? model.mathProgData() : nil))
        }
        let dayGrouped: @Sendable () -> Void = {
            if stop.isCancelled || deadline.timeIntervalSinceNow < 0.05 {
                box.setDayGrouped(.init(bound: 0, note: "day-grouped LP: not run, no time left"))
                return
            }
            let day = DayGroupBound.finest(scenario: scenario, duties: duties, calendar: cal, capUsed: capUsed, maxRows: DayGroupBound.finestRows)
            if let dir = options.writeModelsDirectory {
                // Written here, where the LP is built: glpsol -m daygroup.mod -d daygroup.dat.
                try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                try? Data(day.mathProgData().utf8).write(to: URL(fileURLWithPath: dir).appendingPathComponent("daygroup.dat"))
            }
            let r = day.solve(deadline: deadline, interiorBudget: threaded ? limit : deadline.timeIntervalSinceNow,
                              stop: { stop.isCancelled })
            box.setDayGrouped(.init(bound: r.bound, note: r.note))
            report("bound", r.bound, "day-grouped LP")
            // Small districts: the same program with integer counts, then the fewest visits
            // at its optimum (issue 22, item 4), on this thread while time is left.
            if ExactBound.applies(scenario) && !stop.isCancelled && deadline.timeIntervalSinceNow > 0.05 {
                let program = ExactBound(scenario: scenario, duties: duties, calendar: cal, capUsed: capUsed)
                if let dir = options.writeModelsDirectory {
                    // glpsol -m daygroup.mod -d daygroup-exact.dat (declare the counts integer).
                    try? Data(program.day.mathProgData().utf8).write(to: URL(fileURLWithPath: dir).appendingPathComponent("daygroup-exact.dat"))
                }
                let exact = program.solve(deadline: deadline, stop: { stop.isCancelled })
                box.setExact(exact)
                report("bound", exact.unmet, "exact integer program")
            }
        }
        if threaded {
            for (name, work) in [("bound-capacity", capacity), ("bound-daygroup", dayGrouped)] {
                guard let thread = try? GLPKThread(name: name, census: options.threadCensus) else {
                    // No thread to be had: this one runs it after the search.
                    inline.append(work)
                    continue
                }
                group.enter()
                let group = group
                thread.submit {
                    work()
                    group.leave()
                }
                threads.append(thread)
            }
        } else {
            inline = [capacity, dayGrouped]
        }
    }

    /// Waits for the bounds until `deadline` (running on this thread those it runs itself,
    /// while time is left), then stops what still runs and joins the threads. Once; later
    /// calls return at once.
    func finish(deadline: Date) {
        guard !finished else { return }
        finished = true
        for work in inline where Date() < deadline && !stop.isCancelled { work() }
        _ = group.wait(timeout: .now() + max(0, deadline.timeIntervalSinceNow))
        stop.cancel()
        for thread in threads { thread.join() }
        threads = []
    }
}

/// The bounds found so far: written by the bound threads, read by the search (progress) and
/// by the solve once they are joined.
final class BoundBox: Sendable {
    struct Capacity: Sendable {
        /// Weighted unmet work no plan can avoid (spec 3.2).
        var structural: Double
        /// The capacity relaxation's bound on the rest.
        var bound: Double
        var status: SearchStatus
        var note: String
        var data: String?
    }
    struct DayGrouped: Sendable {
        /// A bound on the whole weighted unmet work.
        var bound: Double
        var note: String
    }
    struct Result: Sendable {
        var capacity: Capacity?
        var dayGrouped: DayGrouped?
        /// Small districts: the day-grouped program in integers (`ExactBound`).
        var exact: ExactBound.Result?
        var structural: Double { capacity?.structural ?? 0 }
        /// Every bound is valid; the largest holds.
        var total: Double { max((capacity?.structural ?? 0) + (capacity?.bound ?? 0), dayGrouped?.bound ?? 0, exact?.unmet ?? 0) }

        /// A lower bound on the on-site visits of a plan with weighted unmet work `unmet`,
        /// when the exact bound proved `unmet` optimal (nil otherwise).
        func visitBound(unmet: Double) -> Int? {
            guard let e = exact, e.unmetOptimal, let v = e.visits, abs(unmet - e.unmet) <= 1e-6 else { return nil }
            return v
        }

        /// Which bound gave `total`, against the plan's weighted unmet work `plan`: a proof
        /// when the plan reaches it.
        func source(plan: Double) -> BoundSource {
            let capacityTotal = (capacity?.structural ?? 0) + (capacity?.bound ?? 0)
            if total >= plan - 1e-6 { return .proof }
            if let e = exact?.unmet, e >= total - 1e-9, e > max(capacityTotal, dayGrouped?.bound ?? 0) + 1e-9 { return .exactIP }
            if let day = dayGrouped?.bound, day > capacityTotal + 1e-9 { return .dayGroupedLP }
            if (capacity?.bound ?? 0) > 1e-9 { return .capacity }
            return .structural
        }
    }
    private let state = Locked(Result())
    var result: Result { state.current }
    /// Whether a bound is in (for the search's progress line).
    var isFinished: Bool { state.withLock { $0.capacity != nil || $0.dayGrouped != nil } }
    var total: Double { state.current.total }
    func setCapacity(_ c: Capacity) { state.withLock { $0.capacity = c } }
    func setDayGrouped(_ d: DayGrouped) { state.withLock { $0.dayGrouped = d } }
    func setExact(_ e: ExactBound.Result) { state.withLock { $0.exact = e } }
}
