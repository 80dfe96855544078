import Foundation

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
    /// When set, every subproblem's MathProg data file is written here for glpsol.
    public var writeModelsDirectory: String?
    public init() {}
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
    public init() {}
    public func cancel() { flag.set(true) }
    public var isCancelled: Bool { flag.current }
}
