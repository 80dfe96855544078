import Foundation

/// Visit numbers that never move (issue 23): a notice already sent prints its visit's number
/// as its 编号, an ICS UID is made from it and the plan's lineage (`Plan.lineage`, which
/// `renumber` hands on), and the office's records quote it, so a re-plan must not hand a
/// number to another enterprise.
///
/// One pure function: the previous plan's visits and the new plan's visits in, the new plan's
/// ids out.
/// - A new visit that is *the same visit* as one of the previous plan keeps that one's id: the
///   same id and enterprise (frozen visits), else the same enterprise, preferring the previous
///   visit with the most checks in common, then the nearest date, then the same start, then
///   the smaller id. Each previous visit is kept at most once.
/// - Every other visit gets a number above every number used in the lineage (`highest`, and
///   every id of both plans), in the new plan's order, so a cancelled visit's id is never
///   handed out again.
public enum VisitNumbering {
    /// The ids for `new`, in its order, and the highest number now used in the lineage.
    public static func ids(previous: [Visit], new: [Visit], highest: Int = 0) -> (ids: [String], highest: Int) {
        var ids = [String?](repeating: nil, count: new.count)
        var taken = Set<String>()
        // 1. Same id, same enterprise: the visit was kept as it was (frozen or re-planned in place).
        let previousById = Dictionary(previous.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for (i, v) in new.enumerated() {
            if let p = previousById[v.id], p.enterprise == v.enterprise, !taken.contains(v.id) {
                ids[i] = v.id
                taken.insert(v.id)
            }
        }
        // 2. Same enterprise: the visit moved or changed; it keeps its number.
        var open: [String: [Visit]] = [:]
        for p in previous where !taken.contains(p.id) { open[p.enterprise, default: []].append(p) }
        for (i, v) in new.enumerated() where ids[i] == nil {
            guard let candidates = open[v.enterprise], !candidates.isEmpty else { continue }
            let mine = Set(v.checks.map { "\($0.item)#\($0.occurrence)" })
            func rank(_ p: Visit) -> (Int, Int, Int, String) {
                let shared = p.checks.filter { mine.contains("\($0.item)#\($0.occurrence)") }.count
                return (-shared, abs(p.date - v.date), p.start == v.start ? 0 : 1, p.id)
            }
            let best = candidates.indices.min { rank(candidates[$0]) < rank(candidates[$1]) }!
            ids[i] = candidates[best].id
            taken.insert(candidates[best].id)
            open[v.enterprise]!.remove(at: best)
        }
        // 3. New visits: numbers never used in the lineage.
        var high = highest
        for v in previous { high = max(high, number(v.id) ?? 0) }
        for v in new { high = max(high, number(v.id) ?? 0) }
        for i in ids.indices where ids[i] == nil {
            high += 1
            ids[i] = format(high)
        }
        return (ids.map { $0! }, high)
    }

    /// Renumbers `plan` against `previous` (see `ids`), recording the lineage's highest number.
    public static func renumber(_ plan: Plan, previous: Plan) -> Plan {
        let (ids, high) = ids(previous: previous.visits, new: plan.visits,
                              highest: max(previous.highestVisitNumber, plan.highestVisitNumber))
        var out = plan
        for i in out.visits.indices { out.visits[i].id = ids[i] }
        out.highestVisitNumber = high
        // The same lineage as the previous plan, so kept visits keep their calendar UIDs.
        out.lineageId = previous.lineage
        return out
    }

    /// The number of an id of the form `V` + digits; nil for any other id.
    public static func number(_ id: String) -> Int? {
        guard id.first == "V", id.count > 1 else { return nil }
        return Int(id.dropFirst())
    }

    /// `V` + at least five digits, as the solver numbers visits.
    public static func format(_ n: Int) -> String { String(format: "V%05d", n) }
}
