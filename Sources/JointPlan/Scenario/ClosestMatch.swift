import Foundation

/// The "did you mean" suggestion for an unknown key: the same choice as Python's
/// `difflib.get_close_matches(word, candidates, n=1)` (cutoff 0.6), which check_plan.py
/// uses, so that both tools suggest the same key (spec 2: unknown keys are an error, A3).
enum ClosestMatch {
    /// The candidate most similar to `word` with a similarity of at least `cutoff`, or nil.
    /// Ties go to the greater candidate, as `heapq.nlargest` on `(score, candidate)` does.
    static func suggestion(for word: String, among candidates: some Sequence<String>, cutoff: Double = 0.6) -> String? {
        let b = Array(word.unicodeScalars)
        var best: (score: Double, candidate: String)?
        for candidate in candidates {
            let a = Array(candidate.unicodeScalars)
            // The two cheap upper bounds difflib checks first; they also keep a hostile,
            // megabyte-long key from costing more than its length.
            guard upperBoundByLength(a.count, b.count) >= cutoff,
                  upperBoundByMultiset(a, b) >= cutoff else { continue }
            let score = ratio(a, b)
            guard score >= cutoff else { continue }
            if let cur = best {
                if score > cur.score || (score == cur.score && greater(candidate, cur.candidate)) {
                    best = (score, candidate)
                }
            } else {
                best = (score, candidate)
            }
        }
        return best?.candidate
    }

    /// Python compares strings by code point.
    private static func greater(_ x: String, _ y: String) -> Bool {
        y.unicodeScalars.lexicographicallyPrecedes(x.unicodeScalars) { $0.value < $1.value }
    }

    /// `SequenceMatcher.real_quick_ratio`.
    private static func upperBoundByLength(_ la: Int, _ lb: Int) -> Double {
        la + lb == 0 ? 1 : 2.0 * Double(min(la, lb)) / Double(la + lb)
    }

    /// `SequenceMatcher.quick_ratio`: matches counted as a multiset intersection.
    private static func upperBoundByMultiset(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Double {
        guard a.count + b.count > 0 else { return 1 }
        var counts: [Unicode.Scalar: Int] = [:]
        for c in b { counts[c, default: 0] += 1 }
        var matches = 0
        for c in a {
            if let n = counts[c], n > 0 { counts[c] = n - 1; matches += 1 }
        }
        return 2.0 * Double(matches) / Double(a.count + b.count)
    }

    /// `SequenceMatcher(None, a, b).ratio()` = 2·M / (|a| + |b|), M the total size of the
    /// matching blocks found by recursively taking the longest common substring (leftmost in
    /// `a`, then in `b`). `b` is the typed word; its "popular" characters are junk when it has
    /// 200 or more characters (difflib's autojunk).
    static func ratio(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Double {
        guard a.count + b.count > 0 else { return 1 }
        var b2j: [Unicode.Scalar: [Int]] = [:]
        for (j, c) in b.enumerated() { b2j[c, default: []].append(j) }
        if b.count >= 200 {
            let popular = b.count / 100 + 1
            for (c, js) in b2j where js.count > popular { b2j[c] = nil }
        }
        var matched = 0
        var queue = [(0, a.count, 0, b.count)]
        while let (alo, ahi, blo, bhi) = queue.popLast() {
            let (i, j, k) = longestMatch(a, b, b2j, alo, ahi, blo, bhi)
            guard k > 0 else { continue }
            matched += k
            if alo < i && blo < j { queue.append((alo, i, blo, j)) }
            if i + k < ahi && j + k < bhi { queue.append((i + k, ahi, j + k, bhi)) }
        }
        return 2.0 * Double(matched) / Double(a.count + b.count)
    }

    /// `SequenceMatcher.find_longest_match` without a junk function: the longest block among
    /// non-popular characters, then extended over equal popular ones on both sides.
    private static func longestMatch(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], _ b2j: [Unicode.Scalar: [Int]],
                                     _ alo: Int, _ ahi: Int, _ blo: Int, _ bhi: Int) -> (Int, Int, Int) {
        var besti = alo, bestj = blo, bestsize = 0
        var j2len: [Int: Int] = [:]
        for i in alo..<ahi {
            var next: [Int: Int] = [:]
            for j in b2j[a[i]] ?? [] {
                if j < blo { continue }
                if j >= bhi { break }
                let k = (j2len[j - 1] ?? 0) + 1
                next[j] = k
                if k > bestsize { besti = i - k + 1; bestj = j - k + 1; bestsize = k }
            }
            j2len = next
        }
        while besti > alo && bestj > blo && a[besti - 1] == b[bestj - 1] {
            besti -= 1; bestj -= 1; bestsize += 1
        }
        while besti + bestsize < ahi && bestj + bestsize < bhi && a[besti + bestsize] == b[bestj + bestsize] {
            bestsize += 1
        }
        return (besti, bestj, bestsize)
    }
}
