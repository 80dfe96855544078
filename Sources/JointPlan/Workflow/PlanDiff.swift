import Foundation

/// What changed between two plans of one scenario (issue 5, `jointplan diff`): which visits
/// were added, removed, moved to another date or time, or changed team or checks, the remote
/// and unmet checks that differ, and the objective and KPI deltas (spec 3.2), so a planner
/// can see what a re-plan or a hand edit did before publishing it.
///
/// Visits are matched by id first (the same id at the same enterprise: a re-plan keeps a
/// visit's number, issue 23), then by enterprise and the set of (item, occurrence) they hold —
/// the identity a visit keeps when it moves — and what is left by enterprise and date. The
/// objective and KPIs are recomputed from each plan's visits (`Evaluation`), not copied from
/// the files, so a hand-edited plan is compared on what it really holds.
public struct PlanDiff: Sendable {
    /// A visit of plan A matched with one of plan B.
    public struct Pair: Sendable {
        public var a: Visit
        public var b: Visit
        public var moved: Bool { a.date != b.date || a.start != b.start }
        public var teamChanged: Bool { Set(a.inspectors) != Set(b.inspectors) }
        /// Other (item, occurrence)s: only possible for visits matched by id or by enterprise and date.
        public var checksChanged: Bool { Set(a.checks.map { "\($0.item)#\($0.occurrence)" }) != Set(b.checks.map { "\($0.item)#\($0.occurrence)" }) }
        /// The same checks done by other team members.
        public var performersChanged: Bool { !checksChanged && Set(a.checks) != Set(b.checks) }
        public var timesChanged: Bool { a.end != b.end }
    }

    public enum Category: String, Sendable, CaseIterable { case unchanged, moved, changed, removed, added }

    /// A remote or unmet check that is in one plan and not (the same way) in the other.
    public struct CheckChange: Sendable {
        public var enterprise: String
        public var item: String
        public var occurrence: Int
        /// How plan A and plan B hold it: "on site V00012 2026-01-12", "remote 2026-01-13 P020",
        /// "unmet staffing".
        public var a: String
        public var b: String
    }

    public var unchanged: [Pair] = []
    public var moved: [Pair] = []
    /// Same date and start, another team, other checks or performers, or another end.
    public var changed: [Pair] = []
    public var removed: [Visit] = []
    public var added: [Visit] = []
    /// Required checks held differently: on site ↔ remote ↔ unmet, another remote date or
    /// inspector, another unmet reason. A check that stays on site is a visit matter.
    public var checkChanges: [CheckChange] = []
    public var objectiveA: Objective
    public var objectiveB: Objective
    public var kpisA: KPIs
    public var kpisB: KPIs
    /// Why each moved, changed or removed visit of plan A is so, by A's visit id, when plan B
    /// is a re-plan of A (`explained(by:)`, issue 21): the same reasons the re-plan reports.
    public var reasons: [String: ReplanReason] = [:]

    /// The diff with a reason for every moved, changed and removed visit, judged against the
    /// scenario plan B was made for (`ReplanReasons`).
    public func explained(by judge: ReplanReasons) -> PlanDiff {
        var out = self
        for e in judge.reasons(self) { out.reasons[e.visit] = e.reason }
        return out
    }

    /// Compares plan `a` with plan `b` (both of `scenario`).
    public static func compare(scenario: Scenario, a: Plan, b: Plan) -> PlanDiff {
        let eval = Evaluation(scenario: scenario)
        func figures(_ p: Plan) -> (Objective, KPIs) {
            (eval.objective(p), eval.kpis(p, requiredChecks: Duties(scenario: scenario, seed: p.seed).totalChecks))
        }
        let (oa, ka) = figures(a), (ob, kb) = figures(b)
        var diff = PlanDiff(objectiveA: oa, objectiveB: ob, kpisA: ka, kpisB: kb)

        func order(_ x: Visit, _ y: Visit) -> Bool { (x.date, x.start, x.enterprise, x.id) < (y.date, y.start, y.enterprise, y.id) }
        let visitsA = a.visits.sorted(by: order), visitsB = b.visits.sorted(by: order)
        func identity(_ v: Visit) -> String {
            v.enterprise + "\u{0}" + v.checks.map { "\($0.item)\u{1}\($0.occurrence)" }.sorted().joined(separator: "\u{0}")
        }
        var pairs: [Pair] = []
        var leftA: [Visit] = []
        var usedB = Set<Int>()
        // Visit numbers never move across re-plans (issue 23, VisitNumbering): the same id at
        // the same enterprise is the same visit, whatever else changed.
        let idB = Dictionary(visitsB.indices.map { (visitsB[$0].id, $0) }, uniquingKeysWith: { a, _ in a })
        var unpairedA: [Visit] = []
        for v in visitsA {
            if let k = idB[v.id], !usedB.contains(k), visitsB[k].enterprise == v.enterprise {
                usedB.insert(k)
                pairs.append(Pair(a: v, b: visitsB[k]))
            } else {
                unpairedA.append(v)
            }
        }
        var freeB = Dictionary(grouping: visitsB.indices.filter { !usedB.contains($0) }, by: { identity(visitsB[$0]) })
        for v in unpairedA {
            // Several candidates: the one nearest in time keeps "moved" honest.
            if let cands = freeB[identity(v)], let k = cands.min(by: { (abs(visitsB[$0].date - v.date), $0) < (abs(visitsB[$1].date - v.date), $1) }) {
                freeB[identity(v)]!.removeAll { $0 == k }
                usedB.insert(k)
                pairs.append(Pair(a: v, b: visitsB[k]))
            } else {
                leftA.append(v)
            }
        }
        var byDay = Dictionary(grouping: visitsB.indices.filter { !usedB.contains($0) },
                               by: { visitsB[$0].enterprise + "\u{0}\(visitsB[$0].date.number)" })
        for v in leftA {
            let key = v.enterprise + "\u{0}\(v.date.number)"
            if let k = byDay[key]?.first {
                byDay[key]!.removeFirst()
                usedB.insert(k)
                pairs.append(Pair(a: v, b: visitsB[k]))
            } else {
                diff.removed.append(v)
            }
        }
        diff.added = visitsB.indices.filter { !usedB.contains($0) }.map { visitsB[$0] }
        for p in pairs.sorted(by: { order($0.a, $1.a) }) {
            if p.moved { diff.moved.append(p) }
            else if p.teamChanged || p.checksChanged || p.performersChanged || p.timesChanged { diff.changed.append(p) }
            else { diff.unchanged.append(p) }
        }
        diff.checkChanges = checkChanges(a, b)
        return diff
    }

    /// Remote and unmet checks held differently by the two plans.
    static func checkChanges(_ a: Plan, _ b: Plan) -> [CheckChange] {
        struct Key: Hashable, Comparable {
            var e: String, i: String, o: Int
            static func < (x: Key, y: Key) -> Bool { (x.e, x.i, x.o) < (y.e, y.i, y.o) }
        }
        func holding(_ p: Plan) -> [Key: String] {
            var h: [Key: String] = [:]
            for v in p.visits { for c in v.checks { h[Key(e: v.enterprise, i: c.item, o: c.occurrence)] = "on site" } }
            for r in p.remoteChecks { h[Key(e: r.enterprise, i: r.item, o: r.occurrence)] = "remote \(r.date) \(r.inspector)" }
            for u in p.unmet { h[Key(e: u.enterprise, i: u.item, o: u.occurrence)] = "unmet \(u.reason.rawValue)" }
            return h
        }
        let ha = holding(a), hb = holding(b)
        var out: [CheckChange] = []
        for k in Set(ha.keys).union(hb.keys).sorted() {
            let x = ha[k] ?? "absent", y = hb[k] ?? "absent"
            if x != y { out.append(CheckChange(enterprise: k.e, item: k.i, occurrence: k.o, a: x, b: y)) }
        }
        return out
    }

    public func count(_ c: Category) -> Int {
        switch c {
        case .unchanged: return unchanged.count
        case .moved: return moved.count
        case .changed: return changed.count
        case .removed: return removed.count
        case .added: return added.count
        }
    }

    /// (name, A, B) for the objective and every numeric KPI, in the spec's order.
    public var figures: [(name: String, a: Double, b: Double)] {
        var out: [(String, Double, Double)] = [
            ("unmetWeighted", objectiveA.unmetWeighted, objectiveB.unmetWeighted),
            ("onsiteVisits", Double(objectiveA.onsiteVisits), Double(objectiveB.onsiteVisits)),
            ("inspectorMinutes", Double(objectiveA.inspectorMinutes), Double(objectiveB.inspectorMinutes)),
            ("requiredChecks", Double(kpisA.requiredChecks), Double(kpisB.requiredChecks)),
            ("onsiteChecks", Double(kpisA.onsiteChecks), Double(kpisB.onsiteChecks)),
            ("remoteChecks", Double(kpisA.remoteChecks), Double(kpisB.remoteChecks)),
            ("unmetChecks", Double(kpisA.unmetChecks), Double(kpisB.unmetChecks)),
        ]
        for r in UnmetReason.allCases {
            out.append(("unmet." + r.rawValue, Double(kpisA.unmetByReason[r] ?? 0), Double(kpisB.unmetByReason[r] ?? 0)))
        }
        out += [
            ("baselineVisits", Double(kpisA.baselineVisits), Double(kpisB.baselineVisits)),
            ("visitReductionPct", kpisA.visitReductionPct, kpisB.visitReductionPct),
            ("visitLowerBound", Double(kpisA.visitLowerBound), Double(kpisB.visitLowerBound)),
            ("jointVisitRate", kpisA.jointVisitRate, kpisB.jointVisitRate),
            ("maxVisitsPerEnterprise", Double(kpisA.maxVisitsPerEnterprise), Double(kpisB.maxVisitsPerEnterprise)),
        ]
        for (d, va) in kpisA.utilization {
            out.append(("utilization." + d, va, kpisB.utilization.first { $0.department == d }?.value ?? 0))
        }
        return out
    }

    public var json: JSON {
        func visitJSON(_ v: Visit) -> JSON {
            .object(JSONObject([("id", .string(v.id)), ("enterprise", .string(v.enterprise)), ("date", .string(v.date.description)),
                                ("start", .string(ClockTime.format(v.start))), ("end", .string(ClockTime.format(v.end))),
                                ("inspectors", .array(v.inspectors.map { .string($0) })),
                                ("checks", .array(v.checks.map { .string("\($0.item)#\($0.occurrence)@\($0.inspector)") }))]))
        }
        func pairJSON(_ p: Pair) -> JSON {
            .object(JSONObject([("a", visitJSON(p.a)), ("b", visitJSON(p.b)), ("moved", .bool(p.moved)),
                                ("teamChanged", .bool(p.teamChanged)), ("checksChanged", .bool(p.checksChanged)),
                                ("performersChanged", .bool(p.performersChanged))]
                               + (reasons[p.a.id].map { [("reason", JSON.string($0.rawValue))] } ?? [])))
        }
        var counts = JSONObject()
        for c in Category.allCases { counts[c.rawValue] = .int(count(c)) }
        var reasonCounts = JSONObject()
        var tally: [ReplanReason: Int] = [:]
        for r in reasons.values { tally[r, default: 0] += 1 }
        for (r, n) in tally.sorted(by: { $0.key < $1.key }) { reasonCounts[r.rawValue] = .int(n) }
        return .object(JSONObject([
            ("counts", .object(counts)),
            ("reasons", .object(reasonCounts)),
            ("moved", .array(moved.map(pairJSON))),
            ("changed", .array(changed.map(pairJSON))),
            ("removed", .array(removed.map { v in
                guard let r = reasons[v.id], case .object(var o) = visitJSON(v) else { return visitJSON(v) }
                o["reason"] = .string(r.rawValue)
                return .object(o)
            })),
            ("added", .array(added.map(visitJSON))),
            ("checkChanges", .array(checkChanges.map { c in
                .object(JSONObject([("enterprise", .string(c.enterprise)), ("item", .string(c.item)),
                                    ("occurrence", .int(c.occurrence)), ("a", .string(c.a)), ("b", .string(c.b))]))
            })),
            ("figures", .object(JSONObject(figures.map { f in
                (f.name, .object(JSONObject([("a", .double(f.a)), ("b", .double(f.b)), ("delta", .double(f.b - f.a))])))
            }))),
        ]))
    }

    /// The diff for a person: counts, the visits that differ, checks held differently, and
    /// the figures that changed.
    public func text(nameA: String = "A", nameB: String = "B", language: Language = .en) -> String {
        let t = Catalogue(language)
        func when(_ v: Visit) -> String { "\(v.date) \(ClockTime.format(v.start))–\(ClockTime.format(v.end))" }
        func checks(_ v: Visit) -> String { v.checks.map { "\($0.item) #\($0.occurrence)" }.joined(separator: ", ") }
        var out = t("diff.head", nameA, nameB, objectiveA.onsiteVisits, objectiveB.onsiteVisits)
        out += Category.allCases.map { t("diff.count.\($0.rawValue)", count($0)) }.joined(separator: ", ") + "\n"
        if !reasons.isEmpty {
            var tally: [ReplanReason: Int] = [:]
            for r in reasons.values { tally[r, default: 0] += 1 }
            out += t("replan.reasons", tally.sorted { $0.key < $1.key }.map { "\(t("replan.reason.\($0.key.rawValue)")) \($0.value)" }.joined(separator: ", ")) + "\n"
        }
        if !moved.isEmpty {
            out += "\n" + t("diff.moved", moved.count) + "\n"
            for p in moved {
                out += "  \(p.a.id) → \(p.b.id)  \(p.a.enterprise)  \(when(p.a)) → \(when(p.b))"
                var also: [String] = []
                if p.teamChanged { also.append(t("diff.team", p.a.inspectors.joined(separator: ","), p.b.inspectors.joined(separator: ","))) }
                if p.checksChanged { also.append(t("diff.checksChanged")) }
                if p.performersChanged { also.append(t("diff.sharedAnew")) }
                if let r = reasons[p.a.id] { also.append(t("diff.why", t("replan.reason.\(r.rawValue)"))) }
                out += (also.isEmpty ? "" : "; " + also.joined(separator: "; ")) + "\n"
            }
        }
        if !changed.isEmpty {
            out += "\n" + t("diff.changed", changed.count) + "\n"
            for p in changed {
                out += "  \(p.a.id) → \(p.b.id)  \(p.a.enterprise)  \(when(p.a))"
                if p.timesChanged { out += t("diff.ends", ClockTime.format(p.b.end)) }
                if p.teamChanged { out += "; " + t("diff.team", p.a.inspectors.joined(separator: ","), p.b.inspectors.joined(separator: ",")) }
                if p.checksChanged || p.performersChanged {
                    let sa = Set(p.a.checks), sb = Set(p.b.checks)
                    let gone = p.a.checks.filter { !sb.contains($0) }.map { "−\($0.item) #\($0.occurrence) (\($0.inspector))" }
                    let new = p.b.checks.filter { !sa.contains($0) }.map { "+\($0.item) #\($0.occurrence) (\($0.inspector))" }
                    out += "; " + t("diff.checks", (gone + new).joined(separator: " "))
                }
                if let r = reasons[p.a.id] { out += "; " + t("diff.why", t("replan.reason.\(r.rawValue)")) }
                out += "\n"
            }
        }
        if !removed.isEmpty {
            out += "\n" + t("diff.removed", removed.count) + "\n"
            for v in removed {
                out += "  \(v.id)  \(v.enterprise)  \(when(v))  \(checks(v))"
                if let r = reasons[v.id] { out += "; " + t("diff.why", t("replan.reason.\(r.rawValue)")) }
                out += "\n"
            }
        }
        if !added.isEmpty {
            out += "\n" + t("diff.added", added.count) + "\n"
            for v in added { out += "  \(v.id)  \(v.enterprise)  \(when(v))  \(checks(v))\n" }
        }
        if !checkChanges.isEmpty {
            out += "\n" + t("diff.checkChanges", checkChanges.count) + "\n"
            for c in checkChanges.prefix(200) { out += "  \(c.enterprise) \(c.item) #\(c.occurrence): \(c.a) → \(c.b)\n" }
            if checkChanges.count > 200 { out += "  " + t("cli.moreProblems", checkChanges.count - 200) + "\n" }
        }
        let differing = figures.filter { abs($0.b - $0.a) > 1e-12 }
        out += "\n" + t(differing.isEmpty ? "diff.identical" : "diff.changedOnly") + "\n"
        if !differing.isEmpty {
            let w = differing.map(\.name.count).max()!
            func fmt(_ name: String, _ v: Double) -> String {
                if name == "jointVisitRate" || name.hasPrefix("utilization.") { return String(format: "%.2f%%", v * 100) }
                if name == "visitReductionPct" { return String(format: "%.2f%%", v) }
                return JSON.format(v)
            }
            for f in differing {
                let d = f.b - f.a
                let delta = (f.name == "jointVisitRate" || f.name.hasPrefix("utilization.")) ? String(format: "%+.2f pt", d * 100)
                    : f.name == "visitReductionPct" ? String(format: "%+.2f pt", d) : (d > 0 ? "+" : "") + JSON.format(d)
                out += "  " + f.name.padding(toLength: w, withPad: " ", startingAt: 0) + "  \(fmt(f.name, f.a)) → \(fmt(f.name, f.b))  (\(delta))\n"
            }
        }
        return out
    }
}
