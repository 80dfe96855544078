import Foundation

/// A small deterministic random source for generated districts (SplitMix64).
///
/// The generator promises the same bytes for the same parameters and seed, on every platform
/// and toolchain. The standard library's `random(in:using:)` and `shuffle(using:)` do not
/// promise a fixed algorithm, so every draw the generator makes goes through the methods here.
/// Each part of a district (enterprises, inspectors, …) uses its own stream, so changing the
/// staffing does not reshuffle the enterprises.
public struct SeededRandom: Sendable {
    private var state: UInt64

    /// A stream for `seed` and a label (e.g. "enterprises").
    public init(seed: UInt64, stream: String) {
        // FNV-1a of the label, mixed with the seed, so streams are unrelated to one another.
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in stream.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        state = seed ^ h
        _ = next()
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// A uniform integer in `0..<n` (n ≥ 1), by the multiply-high method.
    public mutating func below(_ n: Int) -> Int {
        precondition(n > 0)
        return Int(next().multipliedFullWidth(by: UInt64(n)).high)
    }

    /// A uniform integer in the closed range.
    public mutating func int(_ r: ClosedRange<Int>) -> Int { r.lowerBound + below(r.count) }

    /// A uniform number in [0, 1) with 53 random bits.
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// True with probability p.
    public mutating func chance(_ p: Double) -> Bool { unit() < p }

    public mutating func pick<T>(_ a: [T]) -> T { a[below(a.count)] }

    /// An index drawn with the given non-negative weights (at least one positive).
    public mutating func weighted(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        var x = unit() * total
        for (k, w) in weights.enumerated() {
            if x < w { return k }
            x -= w
        }
        return weights.lastIndex { $0 > 0 } ?? 0
    }

    /// Fisher–Yates, fixed algorithm.
    public mutating func shuffle<T>(_ a: inout [T]) {
        guard a.count > 1 else { return }
        for k in stride(from: a.count - 1, to: 0, by: -1) {
            a.swapAt(k, below(k + 1))
        }
    }

    /// `count` distinct indexes of `0..<n` in increasing order (count ≤ n).
    public mutating func sample(_ count: Int, of n: Int) -> [Int] {
        // Floyd's algorithm: count draws, no array of size n.
        var chosen = Set<Int>()
        for j in (n - count)..<n {
            let t = below(j + 1)
            chosen.insert(chosen.contains(t) ? j : t)
        }
        return chosen.sorted()
    }
}
