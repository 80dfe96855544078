import Foundation

/// What `validate` says of a scenario the reader accepted, beyond the reader's rules
/// (issue 12: traps that passed silently). The reader (and so `solve`) still accepts these
/// files — check_plan.py does, and the solver copes: it reports a pin that cannot hold as
/// `infeasible` and counts spacing from any `lastChecked` — but `validate` calls them out:
///
/// - **errors** (validate exits 1): a `lastChecked` on or after the horizon's start (it is
///   the last check *before* the horizon), and every pin that cannot hold — on its own, for
///   the draw, or with the other pins (`PinRules.verdict`: the solver's own placement);
///   `import`, the service's `validate` and `solve`, and `solve` refuse the same (issue 24);
/// - **warnings** (listed and counted; validate still exits 0): an enterprise category that
///   no item names (a typo such as `restuarant` silently gives the enterprise no checks),
///   and an item that applies to no enterprise (it is never checked).
public struct ScenarioReview: Sendable {
    public var errors: [InputProblem] = []
    public var warnings: [InputProblem] = []

    /// `duties`: the draw of `s` with `seed`, when the caller has it already (`solve` hands
    /// the same draw to the solver: issue 21, item 4 — it was computed twice).
    public init(_ s: Scenario, seed: UInt64? = nil, duties: Duties? = nil) {
        // lastChecked: before the horizon (spec 2, enterprises).
        for (i, e) in s.enterprises.enumerated() {
            for (item, day) in e.lastChecked.sorted(by: { $0.key < $1.key }) where day >= s.horizon.start {
                errors.append(InputProblem(
                    path: JSONPath.key(JSONPath.key(JSONPath.index("enterprises", i), "lastChecked"), item),
                    message: "\(day) is not before the horizon's start \(s.horizon.start): lastChecked is the date of the last check before the horizon"))
            }
        }
        errors += PinRules.verdict(s, seed: seed, duties: duties)

        // Categories no item names: one warning per category, at its first use, with a count.
        let named = Set(s.items.flatMap(\.categories))
        var firstUse: [String: (enterprise: Int, index: Int)] = [:]
        var uses: [String: Int] = [:]
        var order: [String] = []
        for (i, e) in s.enterprises.enumerated() {
            for (j, c) in e.categories.enumerated() where !named.contains(c) {
                if firstUse[c] == nil { firstUse[c] = (i, j); order.append(c) }
                uses[c, default: 0] += 1
            }
        }
        for c in order {
            let (i, j) = firstUse[c]!
            let n = uses[c]!
            var message = "category \(JSONWriter.quote(c)) is named by no item, so it brings no check"
            message += n == 1 ? "" : " (\(n) enterprises have it; this is the first)"
            if let near = ClosestMatch.suggestion(for: c, among: named.sorted()) { message += "; did you mean \(JSONWriter.quote(near))?" }
            warnings.append(InputProblem(path: JSONPath.index(JSONPath.key(JSONPath.index("enterprises", i), "categories"), j), message: message))
        }

        // Items no enterprise can have.
        let had = Set(s.enterprises.flatMap(\.categories))
        for (k, item) in s.items.enumerated() where !item.categories.contains(where: had.contains) {
            let message = item.categories.isEmpty
                ? "item \(item.id) names no category, so it applies to no enterprise and is never checked"
                : "no enterprise has any of the categories of item \(item.id) (\(item.categories.map { JSONWriter.quote($0) }.joined(separator: ", "))), so it is never checked"
            warnings.append(InputProblem(path: JSONPath.key(JSONPath.index("items", k), "categories"), message: message))
        }
    }
}
