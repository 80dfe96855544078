import Testing
@testable import JointPlan

/// The bench's verdict against the peer is spec 3.2's lexicographic order.
@Suite("Bench against the peer")
struct PeerBenchTests {
    @Test("the verdict: weighted unmet first, then visits, then minutes; ties are ≤ peer; ratios 0 ÷ 0 = 1.00 and x ÷ 0 = ∞")
    func verdict() {
        func o(_ u: Double, _ v: Int, _ m: Int) -> Objective { Objective(unmetWeighted: u, onsiteVisits: v, inspectorMinutes: m) }
        #expect(PeerBench.Comparison(ours: o(0, 335, 59_000), peer: o(0, 335, 60_164)).verdict == "≤ peer")
        #expect(PeerBench.Comparison(ours: o(0, 335, 60_164), peer: o(0, 335, 60_164)).verdict == "≤ peer")
        #expect(PeerBench.Comparison(ours: o(17, 300, 1), peer: o(0, 335, 60_164)).verdict == "WORSE")
        #expect(PeerBench.Comparison(ours: o(0, 336, 1), peer: o(0, 335, 60_164)).verdict == "WORSE")
        #expect(PeerBench.Comparison(ours: o(620, 400, 90_000), peer: o(870, 289, 48_061)).verdict == "≤ peer")
        #expect(PeerBench.Comparison(ours: o(0, 10, 100), peer: o(0, 10, 200)).ratios == ["1.00", "1.00", "0.50"])
        #expect(PeerBench.ratio(3, 0) == "∞")
        #expect(PeerBench.stopReason("Traceback\nSystemExit: cannot place pinned visit {...}") == "stops: cannot hold a pinned visit")
    }
}
