import Foundation
import JointPlan

/// 补查 — checks required last quarter and not done, required again in the next (issue 23,
/// item 5), in the scenario format of spec 2 as it is.
///
/// Spec rule 6 admits only the checks the draw of spec 2.1 requires, and a scenario has no list
/// of checks per enterprise: required checks come from items, their `frequency[tier]` and their
/// `categories`. So for each (item, k) carried, `rollover` writes a *derived item*
/// `<item>.bucha` (`<item>.bucha-x<k>` when an enterprise carries k > 1 checks of it): the
/// original's department, minutes, remote, delegable, spacing and materials, `frequency`
/// `{"count": k}` for every tier, and one category of its own (`bucha:<item>`, `-x<k>`) that
/// only the carried enterprises get. Then
/// - the carried checks are required whatever the new draw gives: a `count` is not drawn, and
///   a category no sampled item names changes neither any draw's population N nor any
///   enterprise's random number, so the new quarter's draw is exactly what it would be without
///   the carry-over — no draw is spent on a 补查;
/// - a check the new quarter requires anyway of the same enterprise and item covers one
///   carried check: only what is left is carried (k = not done − newly required), so an
///   enterprise is not checked twice for one item because of the carry-over (无事不扰);
/// - spacing holds against the original's last check: the derived item's `lastChecked` is the
///   original's (which did not move, the check was not done);
/// - provenance is in `extensions`, which check_plan.py ignores (A3): the item's
///   `carryOverOf` and `carryOverFrom`, the enterprise's `carriedOver` (each check's previous
///   visit and planned date, the reason, the previous run when known), and
///   `rollover.notDone` marks each check `carriedAs` or `covered`.
///
/// The next rollover takes the derived items out again (a check of one is a check of its
/// original item) and derives what is still not done afresh.
public enum CarryOver {
    /// One required check of last quarter that was not done.
    public struct NotDone: Sendable, Equatable {
        /// The original item (a 补查 item's checks count as its original's).
        public var item: String
        public var occurrence: Int
        /// `unmet: staffing`, `not done: 企业停业`.
        public var reason: String
        /// The previous plan's visit that held it (nil: unmet, or a remote check).
        public var visit: String?
        public var planned: Day?
        /// The 补查 item it was a check of, when it was itself carried over.
        public var was: String?
        /// Filled by `apply`: the derived item it is carried as, or whether a check the new
        /// quarter requires anyway covers it.
        public var carriedAs: String?
        public var covered = false

        func json(lastChecked: JSON?) -> JSON {
            var o = JSONObject([("item", .string(item)), ("occurrence", .int(occurrence)), ("reason", .string(reason)),
                                ("lastChecked", lastChecked ?? .null)])
            if let visit { o["visit"] = .string(visit) }
            if let planned { o["plannedDate"] = .string(planned.description) }
            if let was { o["was"] = .string(was) }
            if let carriedAs { o["carriedAs"] = .string(carriedAs) }
            if covered { o["covered"] = .bool(true) }
            return .object(o)
        }
    }

    /// The suffix of a derived item's id, and the prefix of its category.
    public static let suffix = ".bucha"
    public static let categoryPrefix = "bucha:"

    /// Adds the derived items to `top` (a scenario document whose horizon, seed and enterprises
    /// are already the new quarter's), the categories and `lastChecked` to the carried
    /// enterprises, and marks `rollover.notDone`. Leaves `top` as it is when it does not read
    /// as a scenario (the rollover's validation then names the cause).
    static func apply(to top: inout JSONObject, notDone: [String: [NotDone]], from quarter: Quarter, seed: UInt64,
                      run: Int64?, report r: inout Rollover.Report) {
        guard !notDone.isEmpty, let next = try? ScenarioReader.read(json: .object(top)) else { return }
        // What the new quarter requires anyway (its own counts and draw).
        var required: [String: Int] = [:]
        func key(_ e: String, _ i: String) -> String { e + "\u{1}" + i }
        for d in Duties(scenario: next, seed: seed).duties {
            required[key(next.enterprises[d.enterprise].id, next.items[d.item].id)] = d.count
        }
        var items = top["items"]?.arrayValue ?? []
        var itemIds = Set(items.compactMap { $0["id"]?.stringValue })
        var categories = Set(items.flatMap { ($0["categories"]?.arrayValue ?? []).compactMap(\.stringValue) })
        for e in next.enterprises { categories.formUnion(e.categories) }
        let itemAt = Dictionary(items.enumerated().compactMap { i, it in it["id"]?.stringValue.map { ($0, i) } }, uniquingKeysWith: { a, _ in a })

        // Per enterprise, what is carried: item -> (derived id, k, the checks).
        var derived: [String: (id: String, category: String)] = [:]   // "item#k" -> derived item
        var carried: [String: [(item: String, id: String, category: String, checks: [NotDone])]] = [:]
        var marked = notDone
        for enterprise in notDone.keys.sorted() {
            var list = marked[enterprise]!
            let byItem = Dictionary(grouping: list.indices, by: { list[$0].item })
            for item in byItem.keys.sorted() {
                // The lowest occurrences are covered first; the rest are carried.
                let indices = byItem[item]!.sorted { (list[$0].occurrence, list[$0].reason) < (list[$1].occurrence, list[$1].reason) }
                guard itemAt[item] != nil else {
                    r.notCarried += indices.count
                    continue
                }
                let anyway = required[key(enterprise, item)] ?? 0
                let k = indices.count - anyway
                for i in indices.prefix(min(anyway, indices.count)) { list[i].covered = true }
                r.covered += min(anyway, indices.count)
                guard k > 0 else { continue }
                let tag = "\(item)#\(k)"
                if derived[tag] == nil {
                    var id = item + suffix + (k > 1 ? "-x\(k)" : "")
                    var category = categoryPrefix + item + (k > 1 ? "-x\(k)" : "")
                    var n = 2
                    while itemIds.contains(id) || categories.contains(category) {
                        id = item + suffix + (k > 1 ? "-x\(k)" : "") + "-\(n)"
                        category = categoryPrefix + item + (k > 1 ? "-x\(k)" : "") + "-\(n)"
                        n += 1
                    }
                    itemIds.insert(id)
                    categories.insert(category)
                    derived[tag] = (id, category)
                    var o = items[itemAt[item]!].objectValue ?? JSONObject()
                    o["id"] = .string(id)
                    let name = o["name"]?.stringValue ?? item
                    o["name"] = .string(name + "（补查）")
                    o["categories"] = .array([.string(category)])
                    o["frequency"] = .object(JSONObject(Tier.allCases.map { ($0.rawValue, .object(JSONObject([("count", .int(k))]))) }))
                    var ext = o["extensions"]?.objectValue ?? JSONObject()
                    ext["carryOverOf"] = .string(item)
                    ext["carryOverFrom"] = .string(quarter.description)
                    o["extensions"] = .object(ext)
                    items.append(.object(o))
                    r.carryItems.append(id)
                }
                let d = derived[tag]!
                let carriedChecks = indices.dropFirst(min(anyway, indices.count))
                for i in carriedChecks { list[i].carriedAs = d.id }
                carried[enterprise, default: []].append((item, d.id, d.category, carriedChecks.map { list[$0] }))
                r.carried += k
            }
            marked[enterprise] = list
        }
        r.carriedEnterprises = carried.count
        top["items"] = .array(items)

        var enterprises = top["enterprises"]?.arrayValue ?? []
        for i in enterprises.indices {
            guard var e = enterprises[i].objectValue, let id = e["id"]?.stringValue, let list = marked[id] else { continue }
            var ext = e["extensions"]?.objectValue ?? JSONObject()
            var lc = e["lastChecked"]?.objectValue ?? JSONObject()
            // rollover.notDone, now saying which check is carried and which is covered.
            if var ro = ext["rollover"]?.objectValue {
                ro["notDone"] = .array(list.sorted { ($0.item, $0.occurrence) < ($1.item, $1.occurrence) }.map { $0.json(lastChecked: lc[$0.item]) })
                ext["rollover"] = .object(ro)
            }
            if let mine = carried[id] {
                var cats = e["categories"]?.arrayValue ?? []
                var entries: [JSON] = []
                for c in mine {
                    cats.append(.string(c.category))
                    // Spacing is counted from the original item's last check.
                    if let last = lc[c.item] { lc[c.id] = last }
                    var o = JSONObject([("item", .string(c.item)), ("as", .string(c.id)), ("checks", .int(c.checks.count)),
                                        ("from", .string(quarter.description))])
                    if let run { o["run"] = .number(String(run)) }
                    o["previous"] = .array(c.checks.map { n in
                        var p = JSONObject([("occurrence", .int(n.occurrence)), ("reason", .string(n.reason))])
                        p["visit"] = n.visit.map { .string($0) } ?? .null
                        if let d = n.planned { p["plannedDate"] = .string(d.description) }
                        return .object(p)
                    })
                    entries.append(.object(o))
                }
                e["categories"] = .array(cats)
                if !lc.isEmpty { e["lastChecked"] = .object(lc) }
                ext["carriedOver"] = .array(entries)
            }
            e["extensions"] = ext.isEmpty ? nil : .object(ext)
            enterprises[i] = .object(e)
        }
        top["enterprises"] = .array(enterprises)
    }
}
