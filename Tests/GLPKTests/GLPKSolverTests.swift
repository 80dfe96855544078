import Foundation
import GLPK
import Testing

/// The safe layer over GLPK: known optima in both senses, statuses, and every value GLPK
/// would abort the process on (or silently mishandle) rejected before GLPK sees it.
@Suite("GLPK solver")
struct GLPKSolverTests {
    // MARK: optima

    @Test("an LP: maximum 11 at (3, 1) and minimum 12.8 at (1.6, 1.2), constant included")
    func linearPrograms() throws {
        let max = try GLPKSolver.solve(Instances.lpMax())
        #expect(max.status == .optimal)
        #expect(abs((max.objective ?? .nan) - 11) < 1e-9)
        #expect(abs(max.values[0] - 3) < 1e-9 && abs(max.values[1] - 1) < 1e-9)
        #expect(Instances.isSolution(max.values, of: Instances.lpMax(), objective: max.objective))

        let min = try GLPKSolver.solve(Instances.lpMin())
        #expect(min.status == .optimal)
        #expect(abs((min.objective ?? .nan) - 12.8) < 1e-9)
        #expect(abs(min.values[0] - 1.6) < 1e-9 && abs(min.values[1] - 1.2) < 1e-9)
        #expect(abs((min.bound ?? .nan) - 12.8) < 1e-9)
    }

    @Test("a MIP: maximum 20 at (4, 0) where the relaxation says 21; relaxationOnly gives 21")
    func integerProgramMax() throws {
        for presolve in [true, false] {
            var p = SearchParameters()
            p.presolve = presolve
            p.relativeGap = 0
            let r = try GLPKSolver.solve(Instances.mipMax(), p)
            #expect(r.status == .optimal, "presolve \(presolve)")
            #expect(abs((r.objective ?? .nan) - 20) < 1e-9, "presolve \(presolve)")
            #expect(r.values.map { $0.rounded() } == [4, 0])
            // A proven bound for a maximisation is an upper bound at least the objective.
            #expect((r.bound ?? -1) >= 20 - 1e-9)
        }
        var lp = SearchParameters()
        lp.relaxationOnly = true
        let relaxed = try GLPKSolver.solve(Instances.mipMax(), lp)
        #expect(abs((relaxed.objective ?? .nan) - 21) < 1e-9)
        #expect(abs(relaxed.values[0] - 3) < 1e-9 && abs(relaxed.values[1] - 1.5) < 1e-9)
    }

    @Test("a binary set cover: the minimum cost found by enumerating all 512 subsets")
    func integerProgramMin() throws {
        let expected = Instances.setCoverByEnumeration()
        var p = SearchParameters()
        p.relativeGap = 0
        let r = try GLPKSolver.solve(Instances.setCover(), p)
        #expect(r.status == .optimal)
        #expect(abs((r.objective ?? .nan) - expected) < 1e-9, "GLPK \(r.objective ?? .nan), enumeration \(expected)")
        #expect(Instances.isSolution(r.values, of: Instances.setCover(), objective: r.objective))
        #expect((r.bound ?? .infinity) <= expected + 1e-9)
    }

    @Test("a 14-item two-row knapsack matches enumeration, with and without a starting incumbent")
    func knapsackByEnumeration() throws {
        let k = Instances.Knapsack(items: 14, dimensions: 2, seed: 99)
        let expected = k.optimumByEnumeration()
        var p = SearchParameters()
        p.relativeGap = 0
        let plain = try GLPKSolver.solve(k.model(), p)
        #expect(abs((plain.objective ?? .nan) - expected) < 1e-6)
        // The empty knapsack is feasible: as an incumbent it must not change the optimum.
        p.incumbent = Array(repeating: 0, count: 14)
        p.presolve = false
        let started = try GLPKSolver.solve(k.model(), p)
        #expect(started.status == .optimal)
        #expect(abs((started.objective ?? .nan) - expected) < 1e-6)
        let negated = try GLPKSolver.solve(k.model(negated: true), SearchParameters())
        #expect(abs((negated.objective ?? .nan) + expected) < 1e-6 * expected)
    }

    @Test("an empty model is optimal at its constant; columns without rows solve at their bounds")
    func emptyModels() throws {
        var empty = LinearModel(name: "empty", sense: .minimize)
        empty.objectiveConstant = 7
        #expect(empty.validate().isEmpty)
        let r = try GLPKSolver.solve(empty)
        #expect(r.status == .optimal)
        #expect(r.objective == 7)
        #expect(r.values.isEmpty)

        var bare = LinearModel(name: "bare", sense: .maximize)
        bare.addColumn("x", lower: -2, upper: 5, cost: 1, kind: .integer)
        bare.addColumn("y", lower: -3, upper: 4, cost: -1)
        let b = try GLPKSolver.solve(bare)
        #expect(b.status == .optimal)
        #expect(abs((b.objective ?? .nan) - 8) < 1e-9)
    }

    @Test("an empty model with an unsatisfiable empty row (0 ≥ 1) is infeasible, not optimal")
    func emptyModelWithInfeasibleRow() throws {
        var m = LinearModel(name: "empty-row", sense: .minimize)
        m.addRow("impossible", [], lower: 1)
        let r = try GLPKSolver.solve(m)
        #expect(r.status == .infeasible)
    }

    /// A day program of the scheduler's shape (Models/day.mod) in which every visit is too
    /// big for the team row (3 inspectors needed, 2 free), so GLPK's MIP presolver removes
    /// every column. GLPK 5.0's cover-cut generator then calls glp_add_cols(P, 0) and aborts
    /// ("glp_add_cols: ncs = 0; invalid number of columns"), taking the process down;
    /// `glpsol --cover` on the same program aborts the same way.
    static func presolvedAway() -> LinearModel {
        var m = LinearModel(name: "day", sense: .maximize)
        let x = m.addColumn("y[1]", lower: 0, upper: 1, cost: 5, kind: .integer)
        let y = m.addColumn("y[2]", lower: 0, upper: 1, cost: 4, kind: .integer)
        m.addRow("slots", [(x, 1), (y, 1)], upper: 1)
        m.addRow("team", [(x, 3), (y, 3)], upper: 2)
        return m
    }

    @Test("a MIP the presolver would empty solves (optimum 0) with cuts off, or with presolve off as the scheduler runs it",
          arguments: [(true, false), (false, true), (false, false)])
    func presolvedAwaySafely(presolve: Bool, cuts: Bool) throws {
        var p = SearchParameters()
        p.presolve = presolve
        p.cuts = cuts
        p.relativeGap = 0
        let r = try GLPKSolver.solve(Self.presolvedAway(), p)
        #expect(r.status == .optimal)
        #expect(r.objective == 0)
    }

    @Test("a MIP the presolver empties solves with the default parameters (presolve and cuts on) instead of aborting")
    func presolvedAwayWithCuts() throws {
        let r = try GLPKSolver.solve(Self.presolvedAway())
        #expect(r.status == .optimal)
        #expect(r.objective == 0)
    }

    @Test("infeasible programs report .infeasible: LP, MIP with an infeasible relaxation, MIP infeasible only in integers")
    func infeasible() throws {
        var lp = LinearModel(name: "lp", sense: .minimize)
        let x = lp.addColumn("x", lower: 0, upper: 1, cost: 1)
        lp.addRow("too-much", [(x, 1)], lower: 2)
        #expect(try GLPKSolver.solve(lp).status == .infeasible)

        var mip = lp
        mip.addColumn("z", cost: 1, kind: .binary)
        for presolve in [true, false] {
            var p = SearchParameters()
            p.presolve = presolve
            let r = try GLPKSolver.solve(mip, p)
            #expect(r.status == .infeasible, "presolve \(presolve): \(r.note)")
            #expect(r.objective == nil && r.values.isEmpty)
        }

        // 2x = 1 has the relaxed solution 0.5 and no integer one.
        var parity = LinearModel(name: "parity", sense: .minimize)
        let y = parity.addColumn("y", lower: 0, upper: 10, cost: 1, kind: .integer)
        parity.addRow("odd", [(y, 2)], lower: 1, upper: 1)
        for presolve in [true, false] {
            var p = SearchParameters()
            p.presolve = presolve
            #expect(try GLPKSolver.solve(parity, p).status == .infeasible, "presolve \(presolve)")
        }
    }

    @Test("an unbounded LP is reported as failed, not as a solution")
    func unbounded() throws {
        var m = LinearModel(name: "unbounded", sense: .maximize)
        let x = m.addColumn("x", cost: 1)
        let y = m.addColumn("y", cost: 1)
        m.addRow("diff", [(x, 1), (y, -1)], upper: 1)
        let r = try GLPKSolver.solve(m)
        #expect(r.status == .failed)
        #expect(r.objective == nil)
    }

    // MARK: validation

    /// A valid two-column model to break in one way per case.
    static func base() -> LinearModel {
        var m = LinearModel(name: "base", sense: .minimize)
        m.addColumn("x", lower: 0, upper: 4, cost: 1)
        m.addColumn("y", lower: 0, upper: 4, cost: 1)
        m.addRow("r", [(0, 1), (1, 1)], lower: 1)
        return m
    }

    /// (what is wrong, the broken model, a word the problem must contain)
    static let broken: [(String, LinearModel, String)] = {
        var out: [(String, LinearModel, String)] = []
        func add(_ what: String, _ word: String, _ edit: (inout LinearModel) -> Void) {
            var m = base()
            edit(&m)
            out.append((what, m, word))
        }
        add("column index past the end", "out of range") { $0.addRow("bad", [(2, 1)], upper: 1) }
        add("negative column index", "out of range") { $0.addRow("bad", [(-1, 1)], upper: 1) }
        add("a column twice in one row", "twice") { $0.addRow("dup", [(0, 1), (1, 2), (0, 3)], upper: 1) }
        add("NaN coefficient", "coefficient") { $0.addRow("nan", [(0, .nan)], upper: 1) }
        add("infinite coefficient", "coefficient") { $0.addRow("inf", [(1, .infinity)], upper: 1) }
        add("huge coefficient", "coefficient") { $0.addRow("huge", [(1, 1e300)], upper: 1) }
        add("NaN column lower bound", "finite") { $0.addColumn("z", lower: .nan) }
        add("infinite column upper bound", "finite") { $0.addColumn("z", lower: 0, upper: .infinity) }
        add("minus infinity as a lower bound", "finite") { $0.addColumn("z", lower: -.infinity, upper: 1) }
        add("NaN cost", "finite") { $0.setCost(0, .nan) }
        add("infinite cost", "finite") { $0.setCost(1, -.infinity) }
        add("NaN row bound", "finite") { $0.addRow("nan", [(0, 1)], lower: .nan) }
        add("infinite row bound", "finite") { $0.addRow("inf", [(0, 1)], upper: .infinity) }
        add("column lower above upper", "lower") { $0.addColumn("z", lower: 3, upper: 2) }
        add("integer column lower above upper", "lower") { $0.addColumn("z", lower: 1, upper: 0, kind: .integer) }
        add("row lower above upper", "lower") { $0.addRow("r2", [(0, 1)], lower: 5, upper: 4) }
        add("NaN objective constant", "constant") { $0.objectiveConstant = .nan }
        add("column name over 255 bytes", "255") { $0.addColumn(String(repeating: "列", count: 90)) }
        return out
    }()

    @Test("validate() names each problem, and solve throws instead of handing it to GLPK (which would abort)",
          arguments: 0..<GLPKSolverTests.broken.count)
    func rejectsBrokenModels(index: Int) throws {
        let (what, model, word) = Self.broken[index]
        let problems = model.validate()
        #expect(!problems.isEmpty, "\(what): not reported")
        #expect(problems.contains { $0.contains(word) }, "\(what): \(problems)")
        for params in [SearchParameters(), { var p = SearchParameters(); p.relaxationOnly = true; return p }()] {
            #expect(throws: GLPKSolver.Failure.self, "\(what)") { _ = try GLPKSolver.solve(model, params) }
        }
        // The thrown error carries the same words.
        do { _ = try GLPKSolver.solve(model) } catch let f as GLPKSolver.Failure {
            #expect(f.description.contains(word), "\(what): \(f.description)")
        }
    }

    @Test("the valid base model and equal bounds (a fixed column) pass validation; binaries are 0–1 whatever was asked")
    func validModels() throws {
        #expect(Self.base().validate().isEmpty)
        var m = Self.base()
        m.addColumn("fixed", lower: 2, upper: 2, cost: 1)
        m.addColumn("b", lower: -5, upper: 9, cost: -1, kind: .binary)
        #expect(m.validate().isEmpty)
        #expect(m.columns[3].lower == 0 && m.columns[3].upper == 1)
        let r = try GLPKSolver.solve(m)
        #expect(r.status == .optimal)
        #expect(abs((r.objective ?? .nan) - (1 + 2 - 1)) < 1e-9)
        #expect(m.nonZeros == 2 && m.isInteger)
    }
}
