import Crypto
import Foundation
#if canImport(CCryptoBoringSSL)
import CCryptoBoringSSL
#endif

/// One (enterprise, item) pair that needs `count` checks in the horizon: occurrences 1…count.
public struct Duty: Hashable, Sendable {
    public var enterprise: Int
    public var item: Int
    public var count: Int
    /// True when the pair is required because the random draw selected it.
    public var drawn: Bool
}

/// The random draw (双随机) of one item and tier (spec 2.1), with everything needed to audit it.
public struct DrawGroup: Sendable {
    public var item: String
    public var tier: Tier
    public var rate: SampleRate
    /// Size of the population: the tier's enterprises the item applies to.
    public var population: Int
    /// n = floor(r·N + 1/2), exact on the decimal.
    public var size: Int
    /// The drawn enterprises with their random numbers, smallest first.
    public var drawn: [(enterprise: String, u: UInt64)]
}

/// The required checks of a scenario for a seed (spec 2.1): every applicable pair with a
/// `count`, and occurrence 1 of every drawn pair.
public struct Duties: Sendable {
    public let seed: UInt64
    /// In enterprise order, then item order (file order), as check_plan.py lists them.
    public let duties: [Duty]
    public let groups: [DrawGroup]
    /// duties of each enterprise (indexes into `duties`).
    public let byEnterprise: [[Int]]
    public var totalChecks: Int { duties.reduce(0) { $0 + $1.count } }

    init(seed: UInt64, duties: [Duty], groups: [DrawGroup], byEnterprise: [[Int]]) {
        self.seed = seed; self.duties = duties; self.groups = groups; self.byEnterprise = byEnterprise
    }

    public init(scenario s: Scenario, seed: UInt64? = nil) {
        let seed = seed ?? s.policy.seed
        self.seed = seed
        var itemsByCategory: [String: [Int]] = [:]
        for (k, it) in s.items.enumerated() {
            for c in Set(it.categories) { itemsByCategory[c, default: []].append(k) }
        }
        var population: [Int: [Int]] = [:]   // item*4+tier -> enterprises in file order
        var pairs: [(Int, Int, Int?)] = []
        for (e, ent) in s.enterprises.enumerated() {
            var app = Set<Int>()
            for c in ent.categories { app.formUnion(itemsByCategory[c] ?? []) }
            for i in app.sorted() {
                guard let f = s.items[i].frequency[ent.tier] else { continue }
                switch f {
                case .count(let k): pairs.append((e, i, k))
                case .sampleRate:
                    population[i * 4 + ent.tier.index, default: []].append(e)
                    pairs.append((e, i, nil))
                }
            }
        }
        let coordinated = s.policy.sampling == .coordinated
        var coordinatedU: [Int: UInt64] = [:]
        var drawnPairs = Set<Int>()   // e * items + i
        var groups: [DrawGroup] = []
        let nItems = max(1, s.items.count)
        for (i, it) in s.items.enumerated() {
            for t in Tier.allCases {
                guard case .sampleRate(let r)? = it.frequency[t] else { continue }
                let pop = population[i * 4 + t.index] ?? []
                let n = Draw.size(rate: r, population: pop.count)
                var keyed: [(UInt64, Int)] = pop.map { e in
                    let eid = s.enterprises[e].id
                    if coordinated {
                        if let u = coordinatedU[e] { return (u, e) }
                        let u = Draw.randomNumber(seed: seed, enterprise: eid)
                        coordinatedU[e] = u
                        return (u, e)
                    }
                    return (Draw.randomNumber(seed: seed, item: it.id, enterprise: eid), e)
                }
                keyed.sort { a, b in
                    a.0 != b.0 ? a.0 < b.0
                        : Array(s.enterprises[a.1].id.utf8).lexicographicallyPrecedes(Array(s.enterprises[b.1].id.utf8))
                }
                let chosen = keyed.prefix(n)
                for (_, e) in chosen { drawnPairs.insert(e * nItems + i) }
                groups.append(DrawGroup(item: it.id, tier: t, rate: r, population: pop.count, size: n,
                                        drawn: chosen.map { (s.enterprises[$0.1].id, $0.0) }))
            }
        }
        var duties: [Duty] = []
        var byEnt = Array(repeating: [Int](), count: s.enterprises.count)
        for (e, i, k) in pairs {
            if let k {
                byEnt[e].append(duties.count)
                duties.append(Duty(enterprise: e, item: i, count: k, drawn: false))
            } else if drawnPairs.contains(e * nItems + i) {
                byEnt[e].append(duties.count)
                duties.append(Duty(enterprise: e, item: i, count: 1, drawn: true))
            }
        }
        self.duties = duties
        self.groups = groups
        self.byEnterprise = byEnt
    }
}

extension Duties {
    /// The same draw with some occurrences already done (re-planning): each duty keeps the
    /// count of occurrences left; `remaining` gives their numbers per enterprise·items+item.
    func excluding(done: Set<DoneCheck>, itemCount: Int) -> (duties: Duties, remaining: [Int: [Int]]) {
        var remaining: [Int: [Int]] = [:]
        var kept: [Duty] = []
        var byEnt = Array(repeating: [Int](), count: byEnterprise.count)
        let ni = max(1, itemCount)
        for d in duties {
            let left = (1...d.count).filter { !done.contains(DoneCheck(enterprise: d.enterprise, item: d.item, occurrence: $0)) }
            if left.isEmpty { continue }
            if left != Array(1...left.count) { remaining[d.enterprise * ni + d.item] = left }
            byEnt[d.enterprise].append(kept.count)
            kept.append(Duty(enterprise: d.enterprise, item: d.item, count: left.count, drawn: d.drawn))
        }
        return (Duties(seed: seed, duties: kept, groups: groups, byEnterprise: byEnt), remaining)
    }
}

/// A check done before a re-plan date: (enterprise index, item index, occurrence).
struct DoneCheck: Hashable {
    var enterprise: Int
    var item: Int
    var occurrence: Int
}

/// The arithmetic of the draw, public so that anyone can audit it from the published seed.
public enum Draw {
    /// u's numerator: the first 8 bytes, big-endian, of SHA-256("{seed}|{enterpriseId}").
    public static func randomNumber(seed: UInt64, enterprise: String) -> UInt64 {
        prefix64(SHA256.hash(data: Data("\(seed)|\(enterprise)".utf8)))
    }

    /// Independent sampling: SHA-256("{seed}|{itemId}|{enterpriseId}").
    public static func randomNumber(seed: UInt64, item: String, enterprise: String) -> UInt64 {
        prefix64(SHA256.hash(data: Data("\(seed)|\(item)|\(enterprise)".utf8)))
    }

    /// Rule 11's ticket numerator of inspector `inspector` for enterprise `enterprise`: the
    /// first 8 bytes, big-endian, of SHA-256("{seed}|{enterprise}|{inspector}"); t = this / 2^64.
    public static func ticket(seed: UInt64, enterprise: String, inspector: String) -> UInt64 {
        prefix64(SHA256.hash(data: Data("\(seed)|\(enterprise)|\(inspector)".utf8)))
    }

    /// `ticket` for several inspectors of one enterprise, the same numbers: the key's head
    /// is made once and each key hashed from one byte buffer, without `Data` or string
    /// interpolation per ticket (issue 22, item 3: the draw's orders were a third of a
    /// 100,000-enterprise first start).
    public static func tickets(seed: UInt64, enterprise: String, inspectors: [String]) -> [UInt64] {
        let head = Array("\(seed)|\(enterprise)|".utf8)
        var key = head
        return inspectors.map { id in
            key.removeSubrange(head.count...)
            key.append(contentsOf: id.utf8)
            return prefix64(SHA256.hash(data: key))
        }
    }

    /// `tickets` with the inspector ids given as their UTF-8 bytes (`TeamDraw` keeps each
    /// department's once).
    static func tickets(seed: UInt64, enterprise: String, inspectorBytes: [[UInt8]]) -> [UInt64] {
        var ends: [Int] = []
        for id in inspectorBytes { ends.append((ends.last ?? 0) + id.count) }
        return tickets(seed: seed, enterprise: enterprise, ids: Array(inspectorBytes.joined()), ends: ends)
    }

    /// `tickets` for ids laid end to end in `ids` (id k is `ids[ends[k-1]..<ends[k]]`): one key
    /// buffer, each id copied in after the head and hashed in place, no allocation per ticket
    /// (issue 22, the city's first start: the tickets were a third of it).
    static func tickets(seed: UInt64, enterprise: String, ids: [UInt8], ends: [Int]) -> [UInt64] {
        let head = Array("\(seed)|\(enterprise)|".utf8)
        var longest = 0, from = 0
        for e in ends { longest = max(longest, e - from); from = e }
        var key = [UInt8](repeating: 0, count: head.count + longest)
        var out = [UInt64](repeating: 0, count: ends.count)
        key.withUnsafeMutableBufferPointer { k in
            let base = k.baseAddress!
            for (n, b) in head.enumerated() { base[n] = b }
            ids.withUnsafeBufferPointer { idb in
                var start = 0
                for (n, end) in ends.enumerated() {
                    let length = end - start
                    if length > 0 { (base + head.count).update(from: idb.baseAddress! + start, count: length) }
                    out[n] = sha256Prefix64(UnsafeRawBufferPointer(start: base, count: head.count + length))
                    start = end
                }
            }
        }
        return out
    }

    /// The first 8 bytes, big-endian, of SHA-256 of `bytes`. Where swift-crypto is built on
    /// BoringSSL (Linux), its one-shot `SHA256` on a digest on the stack — the same function
    /// `SHA256.hash` ends in, without a hasher object, its copy and its zeroing per call.
    @inline(__always)
    static func sha256Prefix64(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        #if canImport(CCryptoBoringSSL)
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { d in
            _ = CCryptoBoringSSL_SHA256(bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count, d.baseAddress)
            var u: UInt64 = 0
            for k in 0..<8 { u = u << 8 | UInt64(d[k]) }
            return u
        }
        #else
        var h = SHA256()
        h.update(bufferPointer: bytes)
        return prefix64(h.finalize())
        #endif
    }

    private static func prefix64(_ d: SHA256.Digest) -> UInt64 {
        d.withUnsafeBytes { raw in (0..<8).reduce(UInt64(0)) { $0 << 8 | UInt64(raw[$1]) } }
    }

    /// u as a number in [0, 1) for display.
    public static func unit(_ u: UInt64) -> Double { Double(u) / 18446744073709551616.0 }

    /// n = floor(r·N + 1/2) computed exactly on the decimal value of r (spec 2.1, A8): the
    /// shortest round-trip decimal of the parsed number, as check_plan.py reads it.
    public static func size(rate: SampleRate, population n: Int) -> Int {
        // Shortest round-trip digits of the double, as an exact decimal m·10^e.
        let text = "\(rate.value)"
        guard let (mantissa, exponent) = decimalDigits(text) else {
            return Int((rate.value * Double(n) + 0.5).rounded(.down))
        }
        // r·N + 1/2 = (m·N·10^e) + 1/2. With e < 0: floor((2·m·N + 10^-e) / (2·10^-e)).
        var num = Decimal(string: mantissa)! * Decimal(n)
        if exponent >= 0 {
            for _ in 0..<exponent { num *= 10 }
            return NSDecimalNumber(decimal: num).intValue
        }
        var den = Decimal(1)
        for _ in 0..<(-exponent) { den *= 10 }
        let twice = num * 2 + den
        var q = twice / (den * 2)
        var r = Decimal()
        NSDecimalRound(&r, &q, 0, .down)
        return NSDecimalNumber(decimal: r).intValue
    }

    /// "0.29" → ("29", -2); "5e-05" → ("5", -5); "1.5e-07" → ("15", -8).
    static func decimalDigits(_ s: String) -> (String, Int)? {
        var mant = s
        var exp = 0
        if let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mant = String(s[..<e])
            guard let x = Int(s[s.index(after: e)...].replacingOccurrences(of: "+", with: "")) else { return nil }
            exp = x
        }
        if let dot = mant.firstIndex(of: ".") {
            let frac = mant[mant.index(after: dot)...]
            exp -= frac.count
            mant = String(mant[..<dot]) + frac
        }
        while mant.count > 1 && mant.hasPrefix("0") { mant.removeFirst() }
        guard !mant.isEmpty, mant.allSatisfy(\.isNumber) else { return nil }
        return (mant, exp)
    }
}
