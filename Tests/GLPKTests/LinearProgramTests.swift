import Foundation
import GLPK
import Testing

/// `GLPKSolver.solveLP` (interior point, dual simplex fallback) and the Lagrangian bound
/// `LinearModel.dualBound`: exact at optimal duals, never past the optimum for any duals.
@Suite("Linear programs and dual bounds")
struct LinearProgramTests {
    /// A fixed linear congruential stream: the same numbers on every run.
    struct Stream {
        var state: UInt64
        mutating func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 33 }
        mutating func int(_ r: ClosedRange<Int>) -> Int { r.lowerBound + Int(next() % UInt64(r.count)) }
        mutating func unit() -> Double { Double(next() % 1_000_001) / 1_000_000 }
    }

    /// A bounded random LP of both senses, with ≤, ≥, ranged and fixed rows; x = 0 is not
    /// always feasible, so some are infeasible.
    static func random(_ seed: UInt64) -> LinearModel {
        var r = Stream(state: seed)
        var m = LinearModel(name: "random-\(seed)", sense: r.int(0...1) == 0 ? .minimize : .maximize)
        m.objectiveConstant = Double(r.int(-5...5))
        let n = r.int(3...12)
        let cols = (0..<n).map { j in
            m.addColumn("x\(j)", lower: Double(r.int(-2...0)), upper: Double(r.int(1...6)), cost: Double(r.int(-9...9)) / 2)
        }
        for i in 0..<r.int(2...10) {
            let terms = cols.filter { _ in r.int(0...2) > 0 }.map { ($0, Double(r.int(-4...6))) }
            let b = Double(r.int(-3...12))
            switch r.int(0...3) {
            case 0: m.addRow("r\(i)", terms, upper: b)
            case 1: m.addRow("r\(i)", terms, lower: -b / 2)
            case 2: m.addRow("r\(i)", terms, lower: -abs(b), upper: abs(b) + 3)
            default: m.addRow("r\(i)", terms, lower: b / 4, upper: b / 4)
            }
        }
        return m
    }

    @Test("interior point and dual simplex reach the known optima; the dual bound of their duals is the optimum")
    func knownOptima() throws {
        for method in [LPMethod.interior, .dualSimplex] {
            var p = LPParameters()
            p.method = method
            let min = try GLPKSolver.solveLP(Instances.lpMin(), p)
            #expect(min.status == .optimal, "\(method): \(min.note)")
            #expect(abs((min.objective ?? .nan) - 12.8) < 1e-6)
            #expect(min.bound <= 12.8 + 1e-9 && min.bound > 12.8 - 1e-6, "\(method): \(min.bound)")
            let max = try GLPKSolver.solveLP(Instances.lpMax(), p)
            #expect(max.status == .optimal)
            #expect(abs((max.objective ?? .nan) - 11) < 1e-6)
            // A bound for a maximisation is an upper bound.
            #expect(max.bound >= 11 - 1e-9 && max.bound < 11 + 1e-6, "\(method): \(max.bound)")
        }
    }

    @Test("dual bound by hand: min x + y + 10 with y = (0.4, 0.2) gives 12.8; y = 0 gives 10 (x, y ≥ 0)")
    func byHand() {
        let m = Instances.lpMin()
        #expect(abs(m.dualBound(rowDuals: [0.4, 0.2]) - 12.8) < 1e-12)
        #expect(abs(m.dualBound(rowDuals: [0, 0]) - 10) < 1e-12)
        // A negative dual on a ≥ row with no upper side is projected to 0.
        #expect(abs(m.dualBound(rowDuals: [-3, 0.2]) - m.dualBound(rowDuals: [0, 0.2])) < 1e-12)
        // A reduced cost asking for a missing upper column bound: no bound.
        #expect(m.dualBound(rowDuals: [2, 2]) == -.infinity)
    }

    @Test("on 60 random LPs: both methods agree; the bound is the optimum at optimal duals and never past it for random or early-stopped duals")
    func randomLPs() throws {
        var optimal = 0
        for seed in UInt64(1)...60 {
            let m = Self.random(seed)
            var exact = SearchParameters()
            exact.relaxationOnly = true
            let ref = try GLPKSolver.solve(m, exact)
            var ip = LPParameters()
            ip.method = .interior
            let a = try GLPKSolver.solveLP(m, ip)
            var ds = LPParameters()
            ds.method = .dualSimplex
            let b = try GLPKSolver.solveLP(m, ds)
            guard ref.status == .optimal, let z = ref.objective else {
                #expect(b.status != .optimal, "seed \(seed): simplex says \(ref.status), solveLP \(b.status)")
                continue
            }
            optimal += 1
            let maximize = m.sense == .maximize
            func valid(_ bound: Double) -> Bool { maximize ? bound >= z - 1e-7 : bound <= z + 1e-7 }
            #expect(b.status == .optimal && abs((b.objective ?? .nan) - z) < 1e-6, "seed \(seed): \(b.note)")
            #expect(valid(b.bound) && abs(b.bound - z) < 1e-6, "seed \(seed): simplex bound \(b.bound), optimum \(z)")
            #expect(a.status == .optimal, "seed \(seed): \(a.note)")
            #expect(valid(a.bound) && abs(a.bound - z) < 1e-4 * Swift.max(1, abs(z)), "seed \(seed): interior bound \(a.bound), optimum \(z)")
            // Any duals: the bound never passes the optimum.
            var r = Stream(state: seed &* 7919)
            for _ in 0..<20 {
                let y = m.rows.map { _ in Double(r.int(-40...40)) / 8 }
                #expect(valid(m.dualBound(rowDuals: y)), "seed \(seed): random duals pass the optimum")
                let near = b.rowDuals.map { $0 + (r.unit() - 0.5) / 4 }
                #expect(valid(m.dualBound(rowDuals: near)), "seed \(seed): perturbed duals pass the optimum")
            }
            // The dual simplex stopped after one iteration still gives a valid bound.
            var one = LPParameters()
            one.method = .dualSimplex
            one.iterationLimit = 1
            let c = try GLPKSolver.solveLP(m, one)
            #expect(valid(c.bound), "seed \(seed): one-iteration bound \(c.bound), optimum \(z)")
        }
        #expect(optimal >= 20)
    }

    @Test("invalid input is rejected before GLPK; a model with no rows is solved without it")
    func validation() throws {
        var m = Instances.lpMin()
        m.addRow("bad", [(0, .nan)], upper: 1)
        #expect(throws: GLPKSolver.Failure.self) { try GLPKSolver.solveLP(m) }
        var p = LPParameters()
        p.iterationLimit = 0
        #expect(throws: GLPKSolver.Failure.self) { try GLPKSolver.solveLP(Instances.lpMin(), p) }
        var free = LinearModel(name: "box", sense: .minimize)
        free.addColumn("x", lower: -1, upper: 2, cost: 3)
        free.addColumn("y", lower: 0, upper: 5, cost: -1)
        let r = try GLPKSolver.solveLP(free)
        #expect(r.status == .optimal && abs(r.bound - (-8)) < 1e-12 && r.values == [-1, 5])
    }
}
