import Foundation

/// The changes an office says in one line, each as a merge-by-id patch (`ScenarioPatch`) that
/// `whatif` and `replan` take (issue 13, item 5): leave, a pinned visit added or removed, a new
/// enterprise, a department's staffing scaled.
public enum ScenarioChange {
    static func patch(_ pairs: [(String, JSON)]) -> JSON {
        .object(JSONObject([(ScenarioPatch.kindKey, .string(ScenarioPatch.Kind.mergeByID.rawValue))] + pairs))
    }

    /// Leave for one inspector: the span is added to their `unavailable` dates, the others kept.
    public static func leave(inspector: String, span: DateSpan) -> JSON {
        patch([("inspectors", .array([.object(JSONObject([
            ("id", .string(inspector)),
            ("unavailable", .object(JSONObject([("$add", .array([.string(span.description)]))]))),
        ]))]))])
    }

    /// A visit agreed with an enterprise (预约, spec 2 pinned): added, or replacing the pin of
    /// that enterprise on that date.
    public static func pin(enterprise: String, date: Day, start: Int?, inspectors: [String], items: [String]) -> JSON {
        var o = JSONObject([("enterprise", .string(enterprise)), ("date", .string(date.description))])
        if let start { o["start"] = .string(ClockTime.format(start)) }
        o["inspectors"] = .array(inspectors.map { .string($0) })
        o["items"] = .array(items.map { .string($0) })
        return patch([("pinned", .array([.object(o)]))])
    }

    public static func unpin(enterprise: String, date: Day) -> JSON {
        patch([("pinned", .array([.object(JSONObject([
            ("enterprise", .string(enterprise)), ("date", .string(date.description)), (ScenarioPatch.kindKey, .string("delete")),
        ]))]))])
    }

    public struct NewEnterprise: Sendable {
        public var id: String, name: String, town: String, tier: Tier, categories: [String]
        public var address: String?
        public var whitelisted = false
        public init(id: String, name: String, town: String, tier: Tier, categories: [String]) {
            self.id = id; self.name = name; self.town = town; self.tier = tier; self.categories = categories
        }
    }

    public static func addEnterprise(_ e: NewEnterprise) -> JSON {
        var o = JSONObject([("id", .string(e.id)), ("name", .string(e.name)), ("town", .string(e.town)),
                            ("categories", .array(e.categories.map { .string($0) })), ("tier", .string(e.tier.rawValue))])
        if e.whitelisted { o["whitelisted"] = .bool(true) }
        if let a = e.address { o["address"] = .string(a) }
        return patch([("enterprises", .array([.object(o)]))])
    }

    /// A department's staffing times `factor`: below 1, the department's last inspectors (by
    /// id) are away for the whole horizon (seconded) so that round(factor·n) remain; above 1,
    /// reinforcements `ID+1`, `ID+2`, … join, copies of its inspectors without their leave,
    /// recusals aside (a reinforcement has no history with the district's enterprises).
    public static func staffing(department: String, factor: Double, in scenario: Scenario) throws -> JSON {
        let members = scenario.inspectors.filter { $0.department == department }.sorted { $0.id < $1.id }
        guard scenario.department(department) != nil else {
            throw InputProblems([InputProblem(path: "department", message: "unknown department \(JSONWriter.quote(department))")])
        }
        guard !members.isEmpty else {
            throw InputProblems([InputProblem(path: "department", message: "department \(department) has no inspectors to scale")])
        }
        guard factor.isFinite, factor >= 0, factor <= 10 else {
            throw InputProblems([InputProblem(path: "factor", message: "must be between 0 and 10, got \(factor)")])
        }
        let target = Int((Double(members.count) * factor).rounded())
        var list: [JSON] = []
        if target < members.count {
            let horizon = DateSpan(scenario.horizon.start, scenario.horizon.end).description
            for p in members[target...] {
                list.append(.object(JSONObject([("id", .string(p.id)),
                                                ("unavailable", .object(JSONObject([("$add", .array([.string(horizon)]))])))])))
            }
        } else {
            let taken = Set(scenario.inspectors.map(\.id))
            var n = 0
            for k in 0..<(target - members.count) {
                let model = members[k % members.count]
                var id: String
                repeat { n += 1; id = "\(department)+\(n)" } while taken.contains(id)
                var o = JSONObject([("id", .string(id)), ("name", .string("增援\(n)（\(model.name)）")), ("department", .string(department))])
                if let m = model.maxVisitsPerDay { o["maxVisitsPerDay"] = .int(m) }
                list.append(.object(o))
            }
        }
        return patch([("inspectors", .array(list))])
    }
}
