import Foundation
import GLPK

/// Options of one solve (spec 4: `--time-limit`, `--gap`, `--seed`; service `options`).
public struct SolveOptions: Sendable {
    /// Wall-clock budget for the whole solve; stages share it.
    public var timeLimitSeconds: Double = 60
    /// Relative MIP gap at which a subproblem's search stops.
    public var mipGap: Double = 0.005
    /// Overrides `policy.seed` for the draw; the plan records the seed used.
    public var seed: UInt64?
    /// Threads for independent subproblems: the lower bound runs on its own thread beside
    /// the schedule when this is 2 or more (GLPK problems live on one thread each).
    public var threads: Int = 2
    /// When the time limit starts counting (the CLI passes the process start); nil: the solve's.
    public var startedAt: Date?
    /// A deterministic work limit for the improvement stages: passes of the minutes descent,
    /// the starts' and the last one after the window search; nil: 2 for the starts, 4 for the
    /// last. Same scenario, seed and work limits give the same plan.
    public var iterations: Int?
    /// Windows of the large-neighbourhood search at most (a deterministic work limit; 0: no
    /// search; the search also ends after 60 windows in a row without gain, 20 when nothing is
    /// unmet). nil: anytime — no cap, the search ends on the time limit, on a proof (weighted
    /// unmet work and visits at their bounds) or after those windows without gain (issue 22).
    public var windows: Int?
    /// Give GLPK the incumbent's window visits as its first solution in every window
    /// (`--no-warm-start` turns it off; measured about even either way, docs/decisions.md).
    public var warmStart = true
    /// When set, every subproblem's MathProg data file is written here for glpsol.
    public var writeModelsDirectory: String?
    /// Counts the GLPK threads the solve starts (tests: none is alive once it returns).
    var threadCensus: GLPKThread.Census?
    public init() {}
    /// The longest time limit the CLI and the service accept (a day).
    public static let maxTimeLimitSeconds = 86_400.0
    /// The work limits the CLI (`--iterations`, `--windows`) and the service (`options.iterations`,
    /// `options.windows`) accept.
    public static let iterationsRange = 0...1000
    public static let windowsRange = 0...100_000
}

/// When this process started (Linux: from /proc/self/stat and /proc/uptime), so that a
/// time limit counts from the moment the user ran the command; now, where that is unknown.
public enum ProcessStart {
    public static let date: Date = {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
              let uptime = try? String(contentsOfFile: "/proc/uptime", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return Date() }
        // Field 22 (starttime, clock ticks since boot); fields after the command name start at 3.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19, let ticks = Double(fields[19]), let up = Double(uptime.split(separator: " ").first ?? "") else { return Date() }
        let hz = Double(sysconf(Int32(_SC_CLK_TCK)))
        let age = up - ticks / (hz > 0 ? hz : 100)
        return Date().addingTimeInterval(-max(0, min(age, 3600)))
    }()
}

/// When a solve stops working so that its time limit holds, wall-clock from the start of the
/// process, on a busy machine too (issue 21, item 4): the limit less 7 % and 0.05 s, less
/// the time writing the plan will take — its CPU seconds (`reserveCPU`) times how much slower
/// than its own CPU time this process has been running so far (`slowdown`: on two cores
/// beside two busy processes about 1.5; 1 when the solve is not counted from the process
/// start). Reading and validating the scenario are counted: what they took is gone from the
/// limit, and their pace tells how fast writing will be. Only the stopping point depends on
/// the clock; a plan whose time limit does not bind is the same whatever the machine does.
public enum SolveDeadline {
    public static func of(_ options: SolveOptions, reserveCPU: Double) -> Date {
        let started = options.startedAt ?? Date()
        let limit = options.timeLimitSeconds > 0 ? options.timeLimitSeconds : 1e9
        let slow = options.startedAt.map { slowdown(since: $0) } ?? 1
        return started.addingTimeInterval(max(0.05, limit * 0.93 - 0.05 - reserveCPU * slow))
    }

    /// Wall seconds per CPU second of this process since `start` (1…10; 1 when too early to tell).
    public static func slowdown(since start: Date) -> Double {
        let wall = Date().timeIntervalSince(start)
        var usage = rusage()
        guard wall > 0.05, getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage) == 0 else { return 1 }
        let cpu = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        guard cpu > 0.01 else { return 1 }
        return min(10, max(1, wall / cpu))
    }

    /// When the optional work after the solve stops (the start-time grid, the summary's
    /// bottleneck table and targets), so that what must still be done — encoding and writing
    /// the plan, about `fileCPU` a check — ends within the limit (issue 21, item 4): the
    /// solve's deadline without its reserve, less the file's CPU seconds at this process's
    /// pace. nil without a time limit counted from a known start.
    public static func optionalWork(_ options: SolveOptions, checks: Int) -> Date? {
        guard let started = options.startedAt, options.timeLimitSeconds > 0 else { return nil }
        let reserve = fileCPU(checks: checks) * slowdown(since: started)
        return started.addingTimeInterval(max(0.05, options.timeLimitSeconds * 0.97 - 0.05 - reserve))
    }

    /// CPU seconds encoding and writing the plan file of `checks` required checks takes:
    /// about 6 µs a check with the byte writer (0.1 s at 20,000 enterprises).
    public static func fileCPU(checks: Int) -> Double { 6e-6 * Double(checks) }

    /// CPU seconds writing a plan of `checks` required checks takes after the solve (the
    /// start-time grid, the file, the summary): about 20 µs a check, measured at 20,000
    /// enterprises (0.3 s).
    public static func writingCPU(checks: Int) -> Double { 2e-5 * Double(checks) }
}

/// A progress report: which stage, how far, and the search's incumbent, bound and gap.
public struct SolveProgress: Sendable {
    public var stage: String
    public var elapsed: Double
    /// 0…1 over the whole solve.
    public var fraction: Double
    public var incumbent: Double?
    public var bound: Double?
    public var gap: Double?
    public var message: String
    public init(stage: String, elapsed: Double, fraction: Double, incumbent: Double? = nil, bound: Double? = nil, gap: Double? = nil, message: String = "") {
        self.stage = stage; self.elapsed = elapsed; self.fraction = fraction
        self.incumbent = incumbent; self.bound = bound; self.gap = gap; self.message = message
    }
}

/// A flag another thread sets to stop a solve; GLPK searches poll it from their callback
/// and stop with `glp_ios_terminate`. A cancelled solve still returns a valid plan
/// (what is not planned is unmet with reason `timeLimit`) unless the caller discards it.
public final class Cancellation: Sendable {
    private let flag = Locked(false)
    private let parent: Cancellation?
    /// A flag of its own that also reads as set once `parent` is (a solve stops its bounds
    /// without cancelling its caller's flag).
    public init(following parent: Cancellation? = nil) { self.parent = parent }
    public func cancel() { flag.set(true) }
    public var isCancelled: Bool { flag.current || parent?.isCancelled == true }
}
