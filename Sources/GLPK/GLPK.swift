import CGLPK
import Foundation

/// A linear or mixed-integer program described in plain Swift, checked before GLPK sees it.
///
/// GLPK aborts the process on any invalid argument (bad index, lb > ub, NaN is not even
/// checked), so this module is the only one that touches GLPK and every value passes
/// `validate()` first. Indexes here are 0-based; the 1-based arrays are built internally.
public struct LinearModel: Sendable {
    public enum Sense: Sendable { case minimize, maximize }
    public enum Kind: Sendable { case continuous, integer, binary }

    public struct Column: Sendable {
        public var name: String
        public var lower: Double?
        public var upper: Double?
        public var cost: Double
        public var kind: Kind
    }

    public struct Row: Sendable {
        public var name: String
        public var lower: Double?
        public var upper: Double?
        public var terms: [(column: Int, value: Double)]
    }

    public var name: String
    public var sense: Sense
    public var objectiveConstant = 0.0
    public private(set) var columns: [Column] = []
    public private(set) var rows: [Row] = []

    public init(name: String, sense: Sense) { self.name = name; self.sense = sense }

    /// Adds a column; returns its 0-based index.
    @discardableResult
    public mutating func addColumn(_ name: String, lower: Double? = 0, upper: Double? = nil, cost: Double = 0, kind: Kind = .continuous) -> Int {
        let (lo, up): (Double?, Double?) = kind == .binary ? (0, 1) : (lower, upper)
        columns.append(Column(name: name, lower: lo, upper: up, cost: cost, kind: kind))
        return columns.count - 1
    }

    /// Adds a row `lower ≤ Σ terms ≤ upper`; returns its 0-based index.
    @discardableResult
    public mutating func addRow(_ name: String, _ terms: [(column: Int, value: Double)], lower: Double? = nil, upper: Double? = nil) -> Int {
        rows.append(Row(name: name, lower: lower, upper: upper, terms: terms))
        return rows.count - 1
    }

    public mutating func setCost(_ column: Int, _ cost: Double) { columns[column].cost = cost }

    public var nonZeros: Int { rows.reduce(0) { $0 + $1.terms.count } }
    public var isInteger: Bool { columns.contains { $0.kind != .continuous } }

    /// Everything GLPK would abort on or silently mishandle.
    public func validate() -> [String] {
        var out: [String] = []
        func bad(_ x: Double?) -> Bool { x.map { !$0.isFinite || abs($0) > 1e15 } ?? false }
        if !objectiveConstant.isFinite { out.append("objective constant is not finite") }
        for (j, c) in columns.enumerated() {
            if bad(c.lower) || bad(c.upper) || !c.cost.isFinite || abs(c.cost) > 1e15 {
                out.append("column \(j) (\(c.name)): bound or cost is not a finite number")
            }
            if let l = c.lower, let u = c.upper, l > u { out.append("column \(j) (\(c.name)): lower \(l) > upper \(u)") }
            if c.name.utf8.count > 255 { out.append("column \(j): name longer than 255 bytes") }
        }
        for (i, r) in rows.enumerated() {
            if bad(r.lower) || bad(r.upper) { out.append("row \(i) (\(r.name)): bound is not a finite number") }
            if let l = r.lower, let u = r.upper, l > u { out.append("row \(i) (\(r.name)): lower \(l) > upper \(u)") }
            if r.name.utf8.count > 255 { out.append("row \(i): name longer than 255 bytes") }
            var seen = Set<Int>()
            for t in r.terms {
                if t.column < 0 || t.column >= columns.count { out.append("row \(i) (\(r.name)): column index \(t.column) out of range") }
                if !seen.insert(t.column).inserted { out.append("row \(i) (\(r.name)): column \(t.column) appears twice") }
                if !t.value.isFinite || abs(t.value) > 1e15 { out.append("row \(i) (\(r.name)): coefficient is not a finite number") }
            }
        }
        return out
    }

    /// Whether `values` (one per column) satisfies every bound, row and integrality within
    /// `tolerance` — so that a warm start handed to GLPK is known to be a solution.
    public func isFeasible(_ values: [Double], tolerance: Double = 1e-6) -> Bool {
        guard values.count == columns.count else { return false }
        for (j, c) in columns.enumerated() {
            let v = values[j]
            if let l = c.lower, v < l - tolerance { return false }
            if let u = c.upper, v > u + tolerance { return false }
            if c.kind != .continuous && abs(v - v.rounded()) > tolerance { return false }
        }
        for r in rows {
            let a = r.terms.reduce(0.0) { $0 + $1.value * values[$1.column] }
            if let l = r.lower, a < l - tolerance { return false }
            if let u = r.upper, a > u + tolerance { return false }
        }
        return true
    }

    /// The objective of `values` (one per column).
    public func objective(of values: [Double]) -> Double {
        zip(columns, values).reduce(objectiveConstant) { $0 + $1.0.cost * $1.1 }
    }
}

/// How a search ended.
public enum SearchStatus: String, Sendable {
    /// Proven optimal (within the requested gap).
    case optimal
    /// A solution, not proven optimal (time limit, gap limit or stop).
    case feasible
    /// Proven to have no solution.
    case infeasible
    /// Stopped (time, cancellation) before any solution was found.
    case noSolution
    /// The LP relaxation is unbounded or GLPK failed.
    case failed
}

/// What the search reports while it runs (from GLPK's callback).
public struct SearchProgress: Sendable {
    public var incumbent: Double?
    public var bound: Double?
    public var gap: Double?
    public var nodes: Int
}

public struct SearchParameters: Sendable {
    /// Seconds; 0 or less means no limit.
    public var timeLimit: Double = 10
    /// Relative gap at which the search stops.
    public var relativeGap: Double = 1e-4
    /// Absolute gap at which the search stops (relative gaps mean nothing near 0).
    public var absoluteGap: Double = 0
    /// Solve only the LP relaxation.
    public var relaxationOnly = false
    /// GLPK's MIP presolver (off when an incumbent is given: column indexes must not change).
    public var presolve = true
    public var cuts = true
    /// Scale the problem (glp_scale_prob, GLP_SF_AUTO) before the simplex: rows and columns of
    /// very different magnitudes then do not make the node simplex stall.
    public var scale = false
    /// Pseudo-cost branching (GLP_BR_PCH); off: Driebeck–Tomlin (GLP_BR_DTH), whose node
    /// simplex calls are bounded.
    public var pseudoCostBranching = true
    /// GLPK's feasibility pump heuristic (fp_heur).
    public var feasibilityPump = true
    /// Stop after this many branch-and-bound nodes: unlike a time limit, the same model
    /// then always gives the same answer (GLPK's search is deterministic).
    public var nodeLimit: Int?
    /// A feasible solution to start from (one value per column), injected on GLPK_IHEUR.
    public var incumbent: [Double]?
    /// Polled from the callback; true stops the search (glp_ios_terminate).
    public var shouldStop: (@Sendable () -> Bool)?
    public var progress: (@Sendable (SearchProgress) -> Void)?
    public init() {}
}

public struct SearchResult: Sendable {
    public var status: SearchStatus
    /// Objective of the solution found (nil without one).
    public var objective: Double?
    /// A proven bound on the optimum (lower for minimisation, upper for maximisation).
    public var bound: Double?
    /// Column values of the solution (empty without one).
    public var values: [Double]
    public var nodes: Int
    public var seconds: Double
    /// Why GLPK stopped, in words.
    public var note: String
}

/// Solves `LinearModel`s with GLPK. Each problem is created, solved, read and deleted
/// inside one synchronous call on the calling OS thread (GLPK's environment is
/// thread-local in Debian's build), so callers may run independent solves on threads.
public enum GLPKSolver {
    public static var version: String { String(cString: glp_version()) }

    public enum Failure: Error, CustomStringConvertible {
        case invalidModel([String])
        /// A problem used on a thread other than the one that created it: a programming error
        /// (GLPK would abort on deleting it there), refused before GLPK sees it.
        case wrongThread(created: String, used: String)
        public var description: String {
            switch self {
            case .invalidModel(let p): return "invalid model: " + p.prefix(5).joined(separator: "; ")
            case let .wrongThread(created, used):
                return "GLPK problem created on \(created) used on \(used): a problem belongs to the thread that created it"
            }
        }
    }

    /// Prepares GLPK on this thread: terminal output off, what GLPK prints all the same to
    /// stderr (`GLPKEnvironment.prepareCurrentThread`). Threads started for GLPK are
    /// `GLPKThread`s, which do this themselves.
    public static func silence() { GLPKEnvironment.prepareCurrentThread() }

    public static func solve(_ model: LinearModel, _ params: SearchParameters = SearchParameters()) throws -> SearchResult {
        let problems = model.validate()
        if !problems.isEmpty { throw Failure.invalidModel(problems) }
        silence()
        if model.columns.isEmpty {
            // No columns: every row is 0; it must allow 0.
            if model.rows.contains(where: { ($0.lower ?? 0) > 0 || ($0.upper ?? 0) < 0 }) {
                return SearchResult(status: .infeasible, objective: nil, bound: nil, values: [], nodes: 0, seconds: 0,
                                    note: "a row with no columns excludes 0")
            }
            return SearchResult(status: .optimal, objective: model.objectiveConstant, bound: model.objectiveConstant,
                                values: [], nodes: 0, seconds: 0, note: "empty model")
        }
        return try GLPKProblem(validated: model).solve(params)
    }

    /// Solves `problem` on its owner thread (`GLPKProblem.solve`).
    static func solve(_ problem: GLPKProblem, _ params: SearchParameters) throws -> SearchResult {
        let started = Date()
        let lp = try problem.pointer()
        // GLPK reads one value per column from the incumbent, whatever its length.
        if let x = params.incumbent, x.count != Int(glp_get_num_cols(lp)) || x.contains(where: { !$0.isFinite }) {
            throw Failure.invalidModel(["incumbent has \(x.count) values for \(glp_get_num_cols(lp)) columns, or one is not finite"])
        }
        if params.scale && glp_get_num_rows(lp) > 0 { glp_scale_prob(lp, GLP_SF_AUTO) }
        return run(lp, model: problem.model, params: params, started: started)
    }

    /// A GLPK problem holding `model` (validated by the caller, at least one column); the
    /// caller (`GLPKProblem`) deletes it on this thread.
    static func load(_ model: LinearModel) -> OpaquePointer {
        let lp = glp_create_prob()!
        glp_set_obj_dir(lp, model.sense == .minimize ? GLP_MIN : GLP_MAX)
        glp_set_obj_coef(lp, 0, model.objectiveConstant)
        glp_add_cols(lp, Int32(model.columns.count))
        for (j, c) in model.columns.enumerated() {
            let k = Int32(j + 1)
            setBounds(c.lower, c.upper) { glp_set_col_bnds(lp, k, $0, $1, $2) }
            glp_set_obj_coef(lp, k, c.cost)
            switch c.kind {
            case .continuous: break
            case .integer: glp_set_col_kind(lp, k, GLP_IV)
            case .binary: glp_set_col_kind(lp, k, GLP_BV)
            }
        }
        if !model.rows.isEmpty {
            glp_add_rows(lp, Int32(model.rows.count))
            let nz = model.nonZeros
            var ia = [Int32](repeating: 0, count: nz + 1)
            var ja = [Int32](repeating: 0, count: nz + 1)
            var ar = [Double](repeating: 0, count: nz + 1)
            var n = 0
            for (i, r) in model.rows.enumerated() {
                let k = Int32(i + 1)
                setBounds(r.lower, r.upper) { glp_set_row_bnds(lp, k, $0, $1, $2) }
                for t in r.terms {
                    n += 1
                    ia[n] = k; ja[n] = Int32(t.column + 1); ar[n] = t.value
                }
            }
            if nz > 0 { glp_load_matrix(lp, Int32(nz), &ia, &ja, &ar) }
        }
        return lp
    }

    private static func setBounds(_ lo: Double?, _ up: Double?, _ set: (Int32, Double, Double) -> Void) {
        switch (lo, up) {
        case (nil, nil): set(GLP_FR, 0, 0)
        case (let l?, nil): set(GLP_LO, l, 0)
        case (nil, let u?): set(GLP_UP, 0, u)
        case (let l?, let u?): set(l == u ? GLP_FX : GLP_DB, l, u)
        }
    }

    /// Runs the solver on a built problem (also used for MathProg-built problems).
    static func run(_ lp: OpaquePointer, model: LinearModel?, params: SearchParameters, started: Date) -> SearchResult {
        let ncols = Int(glp_get_num_cols(lp))
        let isMIP = glp_get_num_int(lp) > 0 && !params.relaxationOnly
        let maximize = glp_get_obj_dir(lp) == GLP_MAX
        func limitMs(_ s: Double) -> Int32 {
            // GLPK aborts on a negative tm_lim; Int32(NaN) traps: a limit that is not a finite
            // positive number means none.
            let left = params.timeLimit > 0 && params.timeLimit.isFinite ? params.timeLimit - Date().timeIntervalSince(started) : 1e6
            return Int32(max(1, min(Double(Int32.max / 2), left * 1000)))
        }
        var smcp = glp_smcp()
        glp_init_smcp(&smcp)
        smcp.msg_lev = GLP_MSG_OFF
        smcp.presolve = GLP_OFF
        smcp.tm_lim = limitMs(params.timeLimit)
        let presolve = isMIP && params.presolve && params.incumbent == nil
        if !presolve {
            let rc = glp_simplex(lp, &smcp)
            let st = glp_get_status(lp)
            if rc != 0 && st != GLP_OPT {
                if rc == GLP_ETMLIM {
                    return SearchResult(status: .noSolution, objective: nil, bound: nil, values: [], nodes: 0,
                                        seconds: Date().timeIntervalSince(started), note: "time limit in the LP relaxation")
                }
                return SearchResult(status: .failed, objective: nil, bound: nil, values: [], nodes: 0,
                                    seconds: Date().timeIntervalSince(started), note: "simplex failed (code \(rc))")
            }
            if st == GLP_NOFEAS {
                return SearchResult(status: .infeasible, objective: nil, bound: nil, values: [], nodes: 0,
                                    seconds: Date().timeIntervalSince(started), note: "LP relaxation infeasible")
            }
            if st == GLP_UNBND {
                return SearchResult(status: .failed, objective: nil, bound: nil, values: [], nodes: 0,
                                    seconds: Date().timeIntervalSince(started), note: "LP relaxation unbounded")
            }
            if !isMIP {
                let obj = glp_get_obj_val(lp)
                let vals = (0..<ncols).map { glp_get_col_prim(lp, Int32($0 + 1)) }
                return SearchResult(status: st == GLP_OPT ? .optimal : .feasible, objective: obj, bound: st == GLP_OPT ? obj : nil,
                                    values: vals, nodes: 0, seconds: Date().timeIntervalSince(started), note: "LP")
            }
        }
        let ctx = SearchContext(params: params, maximize: maximize, incumbent: params.incumbent)
        if !presolve { ctx.bound = glp_get_obj_val(lp) }
        var iocp = glp_iocp()
        glp_init_iocp(&iocp)
        iocp.msg_lev = GLP_MSG_OFF
        iocp.presolve = presolve ? GLP_ON : GLP_OFF
        iocp.br_tech = params.pseudoCostBranching ? GLP_BR_PCH : GLP_BR_DTH
        iocp.bt_tech = GLP_BT_BLB
        iocp.mip_gap = max(0, params.relativeGap)
        iocp.tm_lim = limitMs(params.timeLimit)
        iocp.fp_heur = params.feasibilityPump ? GLP_ON : GLP_OFF
        if params.cuts {
            iocp.mir_cuts = GLP_ON; iocp.clq_cuts = GLP_ON
            // Cover cuts abort GLPK 5.0 when its presolver has removed every column
            // (glp_cov_init calls glp_add_cols(P, 0)); use them only without presolve.
            if !presolve { iocp.cov_cuts = GLP_ON }
        }
        iocp.cb_func = searchCallback
        iocp.cb_info = Unmanaged.passUnretained(ctx).toOpaque()
        let rc = withExtendedLifetime(ctx) { glp_intopt(lp, &iocp) }
        let st = glp_mip_status(lp)
        let seconds = Date().timeIntervalSince(started)
        var note: String
        switch rc {
        case 0: note = "search finished"
        case GLP_ETMLIM: note = "time limit"
        case GLP_EMIPGAP: note = "gap reached"
        case GLP_ESTOP: note = ctx.stoppedByGap ? "absolute gap reached" : ctx.stoppedByNodes ? "node limit" : "stopped on request"
        case GLP_ENOPFS: note = "no primal feasible solution"
        case GLP_ENODFS: note = "no dual feasible solution"
        default: note = "GLPK code \(rc)"
        }
        if st == GLP_NOFEAS || rc == GLP_ENOPFS {
            return SearchResult(status: .infeasible, objective: nil, bound: nil, values: [], nodes: ctx.nodes, seconds: seconds, note: note)
        }
        guard st == GLP_OPT || st == GLP_FEAS else {
            return SearchResult(status: rc == 0 ? .failed : .noSolution, objective: nil, bound: ctx.bound, values: [],
                                nodes: ctx.nodes, seconds: seconds, note: note)
        }
        let obj = glp_mip_obj_val(lp)
        let vals = (0..<ncols).map { glp_mip_col_val(lp, Int32($0 + 1)) }
        let proven = (rc == 0 && st == GLP_OPT) || rc == GLP_EMIPGAP || ctx.stoppedByGap
        var bound = ctx.bound
        if rc == 0 && st == GLP_OPT && params.relativeGap <= 1e-9 { bound = obj }
        if let b = bound { bound = maximize ? max(b, obj) : min(b, obj) }
        return SearchResult(status: proven ? .optimal : .feasible, objective: obj, bound: bound, values: vals,
                            nodes: ctx.nodes, seconds: seconds, note: note)
    }
}

/// State shared with GLPK's C callback for one search.
final class SearchContext {
    let params: SearchParameters
    let maximize: Bool
    var incumbent: [Double]?
    var bound: Double?
    var nodes = 0
    var stoppedByGap = false
    var stoppedByNodes = false
    var lastReport = Date.distantPast

    init(params: SearchParameters, maximize: Bool, incumbent: [Double]?) {
        self.params = params
        self.maximize = maximize
        self.incumbent = incumbent
    }
}

private func searchCallback(_ tree: OpaquePointer?, _ info: UnsafeMutableRawPointer?) {
    guard let tree, let info else { return }
    let ctx = Unmanaged<SearchContext>.fromOpaque(info).takeUnretainedValue()
    let reason = glp_ios_reason(tree)
    if reason == GLP_IHEUR, var x = ctx.incumbent {
        ctx.incumbent = nil
        x.insert(0, at: 0)
        _ = glp_ios_heur_sol(tree, &x)
    }
    var a: Int32 = 0, n: Int32 = 0, t: Int32 = 0
    glp_ios_tree_size(tree, &a, &n, &t)
    ctx.nodes = Int(t)
    let best = glp_ios_best_node(tree)
    if best != 0 {
        let b = glp_ios_node_bound(tree, best)
        if b.isFinite && abs(b) < 1e300 {
            // The best node's bound only improves; keep the tightest seen.
            if let old = ctx.bound { ctx.bound = ctx.maximize ? min(old, b) : max(old, b) } else { ctx.bound = b }
        }
    }
    let lp = glp_ios_get_prob(tree)
    let hasIncumbent = glp_mip_status(lp) == GLP_FEAS || glp_mip_status(lp) == GLP_OPT
    let incumbentValue: Double? = hasIncumbent ? glp_mip_obj_val(lp) : nil
    if let inc = incumbentValue, let b = ctx.bound, ctx.params.absoluteGap > 0, abs(inc - b) <= ctx.params.absoluteGap {
        ctx.stoppedByGap = true
        glp_ios_terminate(tree)
        return
    }
    if let limit = ctx.params.nodeLimit, ctx.nodes >= limit, reason == GLP_ISELECT {
        ctx.stoppedByNodes = true
        glp_ios_terminate(tree)
        return
    }
    if let stop = ctx.params.shouldStop, stop() {
        glp_ios_terminate(tree)
        return
    }
    if let report = ctx.params.progress, reason == GLP_IBINGO || Date().timeIntervalSince(ctx.lastReport) > 0.5 {
        ctx.lastReport = Date()
        let g = glp_ios_mip_gap(tree)
        report(SearchProgress(incumbent: incumbentValue, bound: ctx.bound, gap: g < 1e300 && hasIncumbent ? g : nil, nodes: ctx.nodes))
    }
}
