import Foundation
import GLPK

/// Small programs with optima known by hand or by enumeration, and a multi-knapsack hard
/// enough that GLPK cannot prove its optimum within the few seconds a test may take.
enum Instances {
    /// max 3x + 2y  s.t.  x + y ≤ 4, x + 3y ≤ 6, x ≤ 3  →  x = 3, y = 1, value 11.
    static func lpMax() -> LinearModel {
        var m = LinearModel(name: "lp-max", sense: .maximize)
        let x = m.addColumn("x", lower: 0, upper: 3, cost: 3)
        let y = m.addColumn("y", cost: 2)
        m.addRow("c1", [(x, 1), (y, 1)], upper: 4)
        m.addRow("c2", [(x, 1), (y, 3)], upper: 6)
        return m
    }

    /// min x + y + 10  s.t.  x + 2y ≥ 4, 3x + y ≥ 6  →  x = 1.6, y = 1.2, value 12.8
    /// (the other vertices (0, 6) and (4, 0) give 16 and 14).
    static func lpMin() -> LinearModel {
        var m = LinearModel(name: "lp-min", sense: .minimize)
        m.objectiveConstant = 10
        let x = m.addColumn("x", cost: 1)
        let y = m.addColumn("y", cost: 1)
        m.addRow("c1", [(x, 1), (y, 2)], lower: 4)
        m.addRow("c2", [(x, 3), (y, 1)], lower: 6)
        return m
    }

    /// max 5x + 4y  s.t.  6x + 4y ≤ 24, x + 2y ≤ 6, x, y integer ≥ 0: the relaxation gives
    /// 21 at (3, 1.5), the integers 20 at (4, 0).
    static func mipMax() -> LinearModel {
        var m = LinearModel(name: "mip-max", sense: .maximize)
        let x = m.addColumn("x", cost: 5, kind: .integer)
        let y = m.addColumn("y", cost: 4, kind: .integer)
        m.addRow("c1", [(x, 6), (y, 4)], upper: 24)
        m.addRow("c2", [(x, 1), (y, 2)], upper: 6)
        return m
    }

    /// A weighted set cover of 7 elements by 9 sets (binary): minimise the cost of sets
    /// covering every element. Optimum by enumerating the 512 subsets.
    static let coverSets: [(cost: Double, elements: [Int])] = [
        (3, [0, 1, 2]), (2, [1, 3]), (3, [2, 3, 4]), (2, [0, 4]), (4, [5, 6, 0]),
        (1, [6]), (2, [5]), (5, [0, 1, 2, 3, 4, 5, 6]), (2, [3, 6]),
    ]
    static let coverElements = 7

    static func setCover() -> LinearModel {
        var m = LinearModel(name: "cover", sense: .minimize)
        let cols = coverSets.enumerated().map { m.addColumn("s\($0.offset)", cost: $0.element.cost, kind: .binary) }
        for e in 0..<coverElements {
            m.addRow("cover[\(e)]", coverSets.indices.filter { coverSets[$0].elements.contains(e) }.map { (cols[$0], 1.0) }, lower: 1)
        }
        return m
    }

    static func setCoverByEnumeration() -> Double {
        var best = Double.infinity
        for mask in 0..<(1 << coverSets.count) {
            var covered = Set<Int>()
            var cost = 0.0
            for (k, s) in coverSets.enumerated() where mask & (1 << k) != 0 { covered.formUnion(s.elements); cost += s.cost }
            if covered.count == coverElements { best = min(best, cost) }
        }
        return best
    }

    /// A reproducible pseudo-random stream (SplitMix64), so instances are the same everywhere.
    struct Stream {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
    }

    /// A 0-1 multi-dimensional knapsack: `items` items, `dimensions` capacity rows at half the
    /// total weight, values correlated with the weights (what makes such instances hard for
    /// branch and bound).
    struct Knapsack {
        var values: [Double]
        var weights: [[Double]]   // [dimension][item]
        var capacities: [Double]

        init(items: Int, dimensions: Int, seed: UInt64) {
            var r = Stream(state: seed)
            let w = (0..<dimensions).map { _ in (0..<items).map { _ in Double(r.int(1...1000)) } }
            values = (0..<items).map { i in (0..<dimensions).reduce(0) { $0 + w[$1][i] } / Double(dimensions) + Double(r.int(0...100)) }
            weights = w
            capacities = w.map { ($0.reduce(0, +) / 2).rounded(.down) }
        }

        /// Maximise the value, or (`negated`) minimise minus the value: the same program.
        func model(negated: Bool = false) -> LinearModel {
            var m = LinearModel(name: "knapsack", sense: negated ? .minimize : .maximize)
            let cols = values.indices.map { m.addColumn("x\($0)", cost: negated ? -values[$0] : values[$0], kind: .binary) }
            for (d, w) in weights.enumerated() {
                m.addRow("capacity[\(d)]", zip(cols, w).map { ($0, $1) }, upper: capacities[d])
            }
            return m
        }

        /// The best value by enumeration (only for a few items).
        func optimumByEnumeration() -> Double {
            var best = 0.0
            for mask in 0..<(1 << values.count) {
                let chosen = values.indices.filter { mask & (1 << $0) != 0 }
                guard weights.indices.allSatisfy({ d in chosen.reduce(0) { $0 + weights[d][$1] } <= capacities[d] }) else { continue }
                best = max(best, chosen.reduce(0) { $0 + values[$1] })
            }
            return best
        }
    }

    /// True when `values` satisfy every bound, row and integrality of `m`, and give `objective`.
    static func isSolution(_ values: [Double], of m: LinearModel, objective: Double?, tolerance: Double = 1e-6) -> Bool {
        guard values.count == m.columns.count, let objective else { return false }
        for (c, x) in zip(m.columns, values) {
            if let l = c.lower, x < l - tolerance { return false }
            if let u = c.upper, x > u + tolerance { return false }
            if c.kind != .continuous, abs(x - x.rounded()) > tolerance { return false }
        }
        for r in m.rows {
            let a = r.terms.reduce(0) { $0 + $1.value * values[$1.column] }
            if let l = r.lower, a < l - tolerance { return false }
            if let u = r.upper, a > u + tolerance { return false }
        }
        let z = m.objectiveConstant + zip(m.columns, values).reduce(0) { $0 + $1.0.cost * $1.1 }
        return abs(z - objective) <= tolerance * max(1, abs(z))
    }
}

/// Thread-safe collection of what a callback saw (callbacks run on the solving thread).
final class Recorder<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [T] = []
    func append(_ x: T) { lock.lock(); items.append(x); lock.unlock() }
    var all: [T] { lock.lock(); defer { lock.unlock() }; return items }
}
