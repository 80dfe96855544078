import Foundation

/// What `jointplan bench --peer` measures jointplan against, apart from the solver: the
/// independent first-fit planners of `../shared/peers/firstfit.py` (Python, run as child
/// processes), and the generated roster districts issue 10 asks the bench to cover.
public enum PeerBench {
    /// The peer's two planners (`firstfit.py joint|separate`).
    public static let planners = ["joint", "separate"]

    /// Six roster-style districts (inspectors on duty 1–3 days a week, the other working
    /// days under `unavailable`): 2,000 enterprises staffed by need (comfortable), with tiny
    /// departments of 2–4 inspectors, and at 40 % staffing; then 5,000, 10,000 and 20,000
    /// staffed by need. Each is `(file name, jointplan generate options)`.
    public static let rosterDistricts: [(name: String, options: [String])] = [
        ("roster-2k.json", ["--enterprises", "2000", "--seed", "21", "--roster", "3"]),
        ("roster-2k-tiny.json", ["--enterprises", "2000", "--seed", "21", "--roster", "3", "--department-size", "2-4"]),
        ("roster-2k-short.json", ["--enterprises", "2000", "--seed", "21", "--roster", "3", "--staffing", "0.4"]),
        ("roster-5k.json", ["--enterprises", "5000", "--seed", "22", "--roster", "3"]),
        ("roster-10k.json", ["--enterprises", "10000", "--seed", "23", "--roster", "3"]),
        ("roster-20k.json", ["--enterprises", "20000", "--seed", "24", "--roster", "3"]),
    ]

    /// jointplan's plan against a peer's, lexicographically (spec 3.2: weighted unmet, then
    /// on-site visits, then inspector minutes).
    public struct Comparison: Sendable, Equatable {
        public var ours: Objective
        public var peer: Objective
        public init(ours: Objective, peer: Objective) { self.ours = ours; self.peer = peer }

        /// jointplan is no worse than the peer.
        public var noWorse: Bool { !(peer < ours) }
        public var verdict: String { noWorse ? "≤ peer" : "WORSE" }

        /// jointplan ÷ peer for weighted unmet, visits and inspector minutes.
        public var ratios: [String] {
            [PeerBench.ratio(ours.unmetWeighted, peer.unmetWeighted),
             PeerBench.ratio(Double(ours.onsiteVisits), Double(peer.onsiteVisits)),
             PeerBench.ratio(Double(ours.inspectorMinutes), Double(peer.inspectorMinutes))]
        }
    }

    /// a ÷ b with two decimals; 1.00 for 0 ÷ 0 and ∞ for a positive a over 0.
    public static func ratio(_ a: Double, _ b: Double) -> String {
        if b == 0 { return a == 0 ? "1.00" : "∞" }
        return String(format: "%.2f", a / b)
    }

    /// The reason firstfit.py gave when it stopped (its last stderr line), shortened.
    public static func stopReason(_ stderr: String) -> String {
        let last = stderr.split(separator: "\n").last.map(String.init) ?? ""
        if last.contains("pinned visit") { return "stops: cannot hold a pinned visit" }
        return last.isEmpty ? "stops" : "stops: " + String(last.prefix(60))
    }
}
