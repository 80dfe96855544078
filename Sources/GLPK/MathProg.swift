import CGLPK
import Foundation

/// Runs a GLPK MathProg (GMPL) model with its data file — the models in `Models/` — so
/// tests can check that the C-API-built programs are the same programs.
public enum MathProg {
    public enum Failure: Error, CustomStringConvertible {
        case model(String), data(String), generate(String), build
        public var description: String {
            switch self {
            case .model(let f): return "MathProg: cannot read model \(f)"
            case .data(let f): return "MathProg: cannot read data \(f)"
            case .generate(let f): return "MathProg: cannot generate \(f)"
            case .build: return "MathProg: cannot build the problem"
            }
        }
    }

    /// Translates and solves; the call order is the one GLPK requires (out of order aborts).
    public static func solve(model: String, data: String, _ params: SearchParameters = SearchParameters()) throws -> SearchResult {
        GLPKSolver.silence()
        let started = Date()
        guard let tran = glp_mpl_alloc_wksp() else { throw Failure.build }
        defer { glp_mpl_free_wksp(tran) }
        guard glp_mpl_read_model(tran, model, 1) == 0 else { throw Failure.model(model) }
        guard glp_mpl_read_data(tran, data) == 0 else { throw Failure.data(data) }
        guard glp_mpl_generate(tran, nil) == 0 else { throw Failure.generate(model) }
        let problem = GLPKProblem()
        // The problem is deleted when `problem` goes: it must outlive every use of `lp`.
        return try withExtendedLifetime(problem) {
            let lp = try problem.pointer()
            glp_mpl_build_prob(tran, lp)
            guard glp_get_num_cols(lp) > 0 else { throw Failure.build }
            return GLPKSolver.run(lp, model: nil, params: params, started: started)
        }
    }
}
