import CGLPK
import Foundation

/// Linear programs solved for their duals: GLPK's interior point (`glp_interior`), dual
/// simplex as the fallback, and a bound on the optimum computed from the row duals by
/// `LinearModel.dualBound` — valid for ANY duals, so also when a solver stops early.
public enum LPMethod: String, Sendable { case interior, dualSimplex }

public struct LPParameters: Sendable {
    public var method: LPMethod = .interior
    /// Seconds for the dual simplex; 0 or less means none. GLPK 5.0's `glp_interior` takes
    /// no time or iteration limit (its own cap is 100 iterations): callers bound its work by
    /// the model's size (`interiorNonZeroLimit`).
    public var timeLimit: Double = 10
    /// Dual simplex iterations; nil means GLPK's default (none).
    public var iterationLimit: Int?
    /// Models with more non-zeros than this skip the interior point (it cannot be stopped)
    /// and go to the dual simplex, which honours `timeLimit`.
    public var interiorNonZeroLimit = 2_000_000
    /// When the interior point does not end optimal, run the dual simplex too.
    public var fallback = true
    /// Asked before the dual simplex starts (GLPK's simplex has no callback; `timeLimit`
    /// stops it once started): true leaves it out, and the duals seen so far give the bound.
    public var shouldStop: (@Sendable () -> Bool)?
    public init() {}
}

public struct LPResult: Sendable {
    public enum Status: String, Sendable {
        /// An optimal basis or interior point.
        case optimal
        /// Stopped (time or iteration limit, no convergence): `bound` still holds.
        case stopped
        /// Proven to have no solution.
        case infeasible
        /// GLPK failed; `bound` is what the duals seen, if any, give.
        case failed
    }
    public var status: Status
    /// The method whose duals gave `bound`.
    public var method: LPMethod
    /// The primal objective, when optimal.
    public var objective: Double?
    /// A proven bound on the optimum: lower for minimisation, upper for maximisation
    /// (−∞ / +∞ when no duals gave anything better).
    public var bound: Double
    public var rowDuals: [Double]
    public var values: [Double]
    public var seconds: Double
    public var note: String
}

extension LinearModel {
    /// A bound on the LP optimum from any row duals `y` (Lagrangian duality), integrality
    /// ignored (so also a bound for the integer program).
    ///
    /// Minimisation, rows `l_r ≤ a_r·x ≤ u_r`, columns `l_j ≤ x_j ≤ u_j`. For every feasible x
    /// and every y: `c·x = (c − Aᵀy)·x + Σ_r y_r (a_r·x)`. If `y_r ≥ 0` then
    /// `y_r (a_r·x) ≥ y_r l_r`; if `y_r ≤ 0` then `y_r (a_r·x) ≥ y_r u_r`; with the reduced cost
    /// `d_j = c_j − Σ_r a_rj y_r`, `d_j x_j ≥ min(d_j l_j, d_j u_j)`. So
    /// `c·x + c₀ ≥ c₀ + Σ_r y_r·(l_r or u_r) + Σ_j min(d_j l_j, d_j u_j)` for every feasible x.
    /// A y_r whose sign asks for an infinite row side is replaced by 0 first (still a valid y);
    /// a reduced cost asking for an infinite column side makes the bound −∞, unless it is
    /// within rounding of 0 (1e-9 of the terms it is made of), when it is taken as 0 — exact
    /// duals round so. Models whose columns are all bounded (the day-grouped bound) never
    /// depend on that.
    /// Maximisation is the same on `−c` (the returned value is an upper bound).
    public func dualBound(rowDuals y: [Double]) -> Double {
        let sign: Double = sense == .minimize ? 1 : -1
        var d = columns.map { sign * $0.cost }
        var scale = columns.map { abs($0.cost) }
        var total = sign * objectiveConstant
        for (i, r) in rows.enumerated() {
            var yi = i < y.count && y[i].isFinite ? sign * y[i] : 0
            if yi > 0 && r.lower == nil { yi = 0 }
            if yi < 0 && r.upper == nil { yi = 0 }
            guard yi != 0 else { continue }
            total += yi * (yi > 0 ? r.lower! : r.upper!)
            for t in r.terms {
                d[t.column] -= t.value * yi
                scale[t.column] += abs(t.value * yi)
            }
        }
        for (j, c) in columns.enumerated() {
            var dj = d[j]
            if (dj > 0 && c.lower == nil) || (dj < 0 && c.upper == nil), abs(dj) <= 1e-9 * max(1, scale[j]) { dj = 0 }
            if dj > 0 {
                guard let l = c.lower else { return sign * -Double.infinity }
                total += dj * l
            } else if dj < 0 {
                guard let u = c.upper else { return sign * -Double.infinity }
                total += dj * u
            }
        }
        return sign * total
    }
}

extension GLPKSolver {
    /// Solves the LP relaxation of `model` (integrality ignored) for its duals: interior point
    /// first (or dual simplex), the dual simplex when the interior point does not end optimal;
    /// the bound is the best `dualBound` of the duals each method left, so it holds whatever
    /// way the solvers stop. Output silenced; the whole problem lives inside this call.
    public static func solveLP(_ model: LinearModel, _ params: LPParameters = LPParameters()) throws -> LPResult {
        let problems = model.validate()
        if !problems.isEmpty { throw Failure.invalidModel(problems) }
        if let l = params.iterationLimit, l < 1 { throw Failure.invalidModel(["iteration limit \(l) < 1"]) }
        if !params.timeLimit.isFinite { throw Failure.invalidModel(["time limit is not a finite number"]) }
        silence()
        let worst = model.sense == .minimize ? -Double.infinity : Double.infinity
        if model.columns.isEmpty || model.rows.isEmpty {
            // No rows: the duals are empty and the bound is exact; no columns: rows must allow 0.
            if model.rows.contains(where: { ($0.lower ?? 0) > 0 || ($0.upper ?? 0) < 0 }) && model.columns.isEmpty {
                return LPResult(status: .infeasible, method: params.method, objective: nil, bound: -worst, rowDuals: [],
                                values: [], seconds: 0, note: "a row with no columns excludes 0")
            }
            let b = model.dualBound(rowDuals: [])
            let x = model.columns.map { c -> Double in
                let d = model.sense == .minimize ? c.cost : -c.cost
                return d > 0 ? (c.lower ?? 0) : d < 0 ? (c.upper ?? 0) : (c.lower ?? c.upper ?? 0)
            }
            return LPResult(status: b.isFinite ? .optimal : .failed, method: params.method, objective: b.isFinite ? b : nil,
                            bound: b, rowDuals: Array(repeating: 0, count: model.rows.count), values: x, seconds: 0,
                            note: model.columns.isEmpty ? "no columns" : "no rows")
        }
        return try GLPKProblem(validated: model).solveLP(params)
    }

    /// `solveLP` on a loaded problem (at least one column and one row), on its owner thread.
    static func solveLP(_ problem: GLPKProblem, _ params: LPParameters) throws -> LPResult {
        guard let model = problem.model else { throw Failure.invalidModel(["solveLP needs the problem's LinearModel"]) }
        // Without rows there is nothing for GLPK to do (and no duals): answered without it.
        if model.rows.isEmpty { _ = try problem.pointer(); return try solveLP(model, params) }
        if let l = params.iterationLimit, l < 1 { throw Failure.invalidModel(["iteration limit \(l) < 1"]) }
        if !params.timeLimit.isFinite { throw Failure.invalidModel(["time limit is not a finite number"]) }
        let lp = try problem.pointer()
        let started = Date()
        let worst = model.sense == .minimize ? -Double.infinity : Double.infinity
        func better(_ a: Double, _ b: Double) -> Double { model.sense == .minimize ? max(a, b) : min(a, b) }
        let m = Int(glp_get_num_rows(lp)), n = Int(glp_get_num_cols(lp))
        var notes: [String] = []
        var bound = worst
        var bestDuals: [Double] = []
        var bestMethod = params.method

        if params.method == .interior && model.nonZeros <= params.interiorNonZeroLimit {
            // glp_interior does not scale the problem itself; unscaled rows of minutes next to
            // rows of counts make it unstable. Duals are reported for the unscaled problem.
            glp_scale_prob(lp, GLP_SF_AUTO)
            var parm = glp_iptcp()
            glp_init_iptcp(&parm)
            parm.msg_lev = GLP_MSG_OFF
            parm.ord_alg = GLP_ORD_AMD
            let rc = glp_interior(lp, &parm)
            let st = glp_ipt_status(lp)
            let y = (0..<m).map { glp_ipt_row_dual(lp, Int32($0 + 1)) }
            let b = model.dualBound(rowDuals: y)
            bound = better(bound, b)
            bestDuals = y
            if rc == 0 && st == GLP_OPT {
                let x = (0..<n).map { glp_ipt_col_prim(lp, Int32($0 + 1)) }
                return LPResult(status: .optimal, method: .interior, objective: glp_ipt_obj_val(lp), bound: bound, rowDuals: y,
                                values: x, seconds: Date().timeIntervalSince(started), note: "interior point optimal")
            }
            if rc == 0 && st == GLP_NOFEAS {
                return LPResult(status: .infeasible, method: .interior, objective: nil, bound: -worst, rowDuals: y, values: [],
                                seconds: Date().timeIntervalSince(started), note: "interior point: no feasible solution")
            }
            notes.append("interior point " + (rc == GLP_EITLIM ? "iteration limit" : rc == GLP_ENOCVG ? "no convergence"
                : rc == GLP_EINSTAB ? "numerical instability" : rc == GLP_EFAIL ? "failed" : "code \(rc), status \(st)"))
            if !params.fallback {
                return LPResult(status: .stopped, method: .interior, objective: nil, bound: bound, rowDuals: y, values: [],
                                seconds: Date().timeIntervalSince(started), note: notes.joined(separator: "; "))
            }
        } else if params.method == .interior {
            notes.append("interior point skipped: \(model.nonZeros) non-zeros")
        }

        if let stop = params.shouldStop, stop() {
            notes.append("dual simplex left out: stopped")
            return LPResult(status: .stopped, method: bestMethod, objective: nil, bound: bound, rowDuals: bestDuals, values: [],
                            seconds: Date().timeIntervalSince(started), note: notes.joined(separator: "; "))
        }
        var smcp = glp_smcp()
        glp_init_smcp(&smcp)
        smcp.msg_lev = GLP_MSG_OFF
        smcp.meth = GLP_DUALP
        smcp.presolve = GLP_OFF
        if params.timeLimit > 0 {
            let left = params.timeLimit - Date().timeIntervalSince(started)
            smcp.tm_lim = Int32(max(1, min(Double(Int32.max / 2), left * 1000)))
        }
        if let l = params.iterationLimit { smcp.it_lim = Int32(min(l, Int(Int32.max))) }
        let rc = glp_simplex(lp, &smcp)
        let st = glp_get_status(lp)
        let y = (0..<m).map { glp_get_row_dual(lp, Int32($0 + 1)) }
        let b = model.dualBound(rowDuals: y)
        if b == better(bound, b) || bestDuals.isEmpty { bestDuals = y; bestMethod = .dualSimplex }
        bound = better(bound, b)
        let seconds = Date().timeIntervalSince(started)
        if rc == 0 && st == GLP_OPT {
            let x = (0..<n).map { glp_get_col_prim(lp, Int32($0 + 1)) }
            notes.append("dual simplex optimal")
            return LPResult(status: .optimal, method: .dualSimplex, objective: glp_get_obj_val(lp), bound: bound, rowDuals: y,
                            values: x, seconds: seconds, note: notes.joined(separator: "; "))
        }
        if rc == 0 && st == GLP_NOFEAS {
            return LPResult(status: .infeasible, method: .dualSimplex, objective: nil, bound: -worst, rowDuals: y, values: [],
                            seconds: seconds, note: "no feasible solution")
        }
        notes.append("dual simplex " + (rc == GLP_ETMLIM ? "time limit" : rc == GLP_EITLIM ? "iteration limit" : "code \(rc), status \(st)"))
        return LPResult(status: rc == GLP_ETMLIM || rc == GLP_EITLIM ? .stopped : .failed, method: bestMethod, objective: nil,
                        bound: bound, rowDuals: bestDuals, values: [], seconds: seconds, note: notes.joined(separator: "; "))
    }
}
