import Foundation
import JointPlan

/// A small district and a hand-made valid plan for it, with the names that break exports:
/// commas, semicolons, quotes, `<script>`, a spreadsheet formula, a long Chinese item name.
enum Fixture {
    static let scenarioName = "南湖区 2026 年第一季度, 联合检查"
    /// DTSTAMP of the tests' calendars: 2026-01-01T08:00:00Z.
    static let now = Date(timeIntervalSince1970: 1_767_254_400)
    static let scriptName = "<script>alert(\"x\")</script>餐厅"
    static let formulaName = "=1+2 演示酒店"
    static let longItemName = "文化经营许可证及营业性演出场所安全管理，包括消防通道、应急照明、疏散指示标志、“扫黄打非”专项检查以及未成年人保护相关规定的落实情况"

    static func scenario(timezone: String = "Asia/Shanghai") -> Scenario {
        var h = Horizon(start: Day("2026-01-01")!, end: Day("2026-03-31")!)
        h.holidays = [DateSpan("2026-01-01/2026-01-03")!, DateSpan("2026-02-15/2026-02-23")!]
        h.extraWorkdays = [DateSpan("2026-01-04")!, DateSpan("2026-02-14")!, DateSpan("2026-02-28")!]
        h.breaks = [TimeSpan(start: 12 * 60, end: 13 * 60 + 30)]
        h.timezone = timezone
        var s = Scenario(horizon: h)
        s.name = scenarioName
        // The hand-made teams are the planner's choice (rule 11 has its own tests).
        s.policy.inspectorDispatch = .optimised
        s.towns = [town("T01", "新兴街道", ["T02": 25]), town("T02", "城关镇, 东区"), town("T03", "南湖镇")]
        s.departments = [department("SCJG", "市场监管局"), department("XF", "消防救援大队"), department("WL", "文化和旅游局")]
        s.inspectors = [inspector("P001", "张伟", "SCJG"), inspector("P002", "李娜", "SCJG"),
                        inspector("P003", "王强", "XF"), inspector("P004", "赵敏", "WL"), inspector("P005", "陈静", "XF")]
        var food = Item(id: "food-safety", department: "SCJG", minutes: 20)
        food.name = "食品安全"
        food.categories = ["restaurant", "hotel"]
        food.frequency = [.A: .count(1), .B: .count(1), .C: .count(1), .D: .count(2)]
        var fire = Item(id: "fire-safety", department: "XF", minutes: 30)
        fire.name = "消防安全"
        fire.categories = ["restaurant", "hotel"]
        fire.frequency = [.A: .count(1), .B: .count(1), .C: .count(1), .D: .count(1)]
        var lpg = Item(id: "lpg", department: "XF", minutes: 15)
        lpg.name = "瓶装液化气使用"
        lpg.categories = ["restaurant"]
        lpg.frequency = [.C: .count(1), .D: .count(1)]
        var culture = Item(id: "culture-license", department: "WL", minutes: 25)
        culture.name = longItemName
        culture.categories = ["hotel"]
        culture.remoteAllowed = true
        culture.remoteMinutes = 15
        culture.frequency = [.A: .count(1), .B: .count(1), .C: .count(1), .D: .count(1)]
        s.items = [food, fire, lpg, culture]
        s.enterprises = [enterprise("E00001", "某某餐饮有限公司", "T01", .C, "restaurant"),
                         enterprise("E00002", scriptName, "T02", .D, "restaurant"),
                         enterprise("E00003", "悦来客栈; \"老店\", 东区", "T02", .B, "hotel"),
                         enterprise("E00004", formulaName, "T03", .A, "hotel")]
        s.policy.seed = 20260101
        s.index()
        return s
    }

    /// A valid plan: five visits (four of them joint), two remote checks, one unmet check.
    static func plan(_ s: Scenario) -> Plan {
        var p = Plan()
        p.scenarioName = s.name
        p.seed = s.policy.seed
        p.status = .optimal
        p.visits = [
            Visit(id: "V00001", enterprise: "E00001", date: Day("2026-01-12")!, start: 9 * 60 + 30, end: 10 * 60 + 25,
                  inspectors: ["P001", "P003"],
                  checks: [Check(item: "food-safety", occurrence: 1, inspector: "P001"),
                           Check(item: "fire-safety", occurrence: 1, inspector: "P003"),
                           Check(item: "lpg", occurrence: 1, inspector: "P003")]),
            Visit(id: "V00002", enterprise: "E00002", date: Day("2026-01-12")!, start: 14 * 60, end: 14 * 60 + 40,
                  inspectors: ["P001", "P003"],
                  checks: [Check(item: "food-safety", occurrence: 1, inspector: "P001"),
                           Check(item: "fire-safety", occurrence: 1, inspector: "P003")]),
            Visit(id: "V00003", enterprise: "E00002", date: Day("2026-02-10")!, start: 9 * 60, end: 9 * 60 + 30,
                  inspectors: ["P001", "P002"],
                  checks: [Check(item: "food-safety", occurrence: 2, inspector: "P002")]),
            Visit(id: "V00004", enterprise: "E00003", date: Day("2026-01-20")!, start: 9 * 60, end: 9 * 60 + 40,
                  inspectors: ["P002", "P003"],
                  checks: [Check(item: "food-safety", occurrence: 1, inspector: "P002"),
                           Check(item: "fire-safety", occurrence: 1, inspector: "P003")]),
            Visit(id: "V00005", enterprise: "E00004", date: Day("2026-03-02")!, start: 10 * 60, end: 10 * 60 + 40,
                  inspectors: ["P002", "P005"],
                  checks: [Check(item: "fire-safety", occurrence: 1, inspector: "P005"),
                           Check(item: "food-safety", occurrence: 1, inspector: "P002")]),
        ]
        p.remoteChecks = [
            RemoteCheck(enterprise: "E00003", item: "culture-license", occurrence: 1, date: Day("2026-01-21")!, inspector: "P004"),
            RemoteCheck(enterprise: "E00004", item: "culture-license", occurrence: 1, date: Day("2026-03-03")!, inspector: "P004"),
        ]
        p.unmet = [UnmetCheck(enterprise: "E00002", item: "lpg", occurrence: 1, reason: .staffing)]
        p.solver.bestBound = 2
        p.solver.gap = 0.5
        p.solver.visitBound = 5
        Evaluation(scenario: s).finish(&p, requiredChecks: Duties(scenario: s, seed: p.seed).totalChecks)
        return p
    }

    /// The same plan as a re-solve would number it: other visit ids, other visit and check order.
    static func renumbered(_ p: Plan) -> Plan {
        var q = p
        q.visits = p.visits.reversed().enumerated().map { k, v in
            var w = v
            w.id = String(format: "W%03d", k + 1)
            w.checks.reverse()
            return w
        }
        return q
    }

    /// The scenario as a `jointplan.scenario/1` file, for scripts that read JSON
    /// (check_plan.py, scripts/check-exports).
    static func scenarioJSON(_ s: Scenario) -> Data {
        func spans(_ a: [DateSpan]) -> JSON { .array(a.map { .string($0.description) }) }
        let h = s.horizon
        var horizon = JSONObject([("start", .string(h.start.description)), ("end", .string(h.end.description)),
                                  ("workdays", .array(h.workdays.sorted().map { .int($0) })),
                                  ("holidays", spans(h.holidays)), ("extraWorkdays", spans(h.extraWorkdays)),
                                  ("dayStart", .string(ClockTime.format(h.dayStart))), ("dayEnd", .string(ClockTime.format(h.dayEnd)))])
        horizon["breaks"] = .array(h.breaks.map { .object(JSONObject([("start", .string(ClockTime.format($0.start))),
                                                                       ("end", .string(ClockTime.format($0.end)))])) })
        horizon["timezone"] = .string(h.timezone)
        let towns: [JSON] = s.towns.map { t in
            .object(JSONObject([("id", .string(t.id)), ("name", .string(t.name)),
                                ("travel", .object(JSONObject(t.travel.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })))]))
        }
        let departments: [JSON] = s.departments.map { .object(JSONObject([("id", .string($0.id)), ("name", .string($0.name))])) }
        let inspectors: [JSON] = s.inspectors.map { p in
            .object(JSONObject([("id", .string(p.id)), ("name", .string(p.name)), ("department", .string(p.department)),
                                ("certified", .bool(p.certified)), ("unavailable", spans(p.unavailable))]))
        }
        let items: [JSON] = s.items.map { i in
            var freq = JSONObject()
            for t in Tier.allCases {
                switch i.frequency[t] {
                case .count(let k)?: freq[t.rawValue] = .object(JSONObject([("count", .int(k))]))
                case .sampleRate(let r)?: freq[t.rawValue] = .object(JSONObject([("sampleRate", .number(r.literal))]))
                case nil: break
                }
            }
            return .object(JSONObject([("id", .string(i.id)), ("name", .string(i.name)), ("department", .string(i.department)),
                                       ("categories", .array(i.categories.map { .string($0) })), ("minutes", .int(i.minutes)),
                                       ("remote", .object(JSONObject([("allowed", .bool(i.remoteAllowed)), ("minutes", .int(i.remoteMinutes))]))),
                                       ("delegable", .bool(i.delegable)), ("frequency", .object(freq)),
                                       ("minSpacingDays", .int(i.minSpacingDays))]))
        }
        let enterprises: [JSON] = s.enterprises.map { e in
            .object(JSONObject([("id", .string(e.id)), ("name", .string(e.name)), ("town", .string(e.town)),
                                ("categories", .array(e.categories.map { .string($0) })), ("tier", .string(e.tier.rawValue)),
                                ("whitelisted", .bool(e.whitelisted)), ("blackout", spans(e.blackout)),
                                ("onsiteVisitsThisYear", .int(e.onsiteVisitsThisYear))]))
        }
        let policy = JSONObject([("minInspectorsPerVisit", .int(s.policy.minInspectorsPerVisit)),
                                 ("visitBaseMinutes", .int(s.policy.visitBaseMinutes)),
                                 ("maxVisitsPerDay", .int(s.policy.maxVisitsPerDay)),
                                 ("seed", .number(String(s.policy.seed))),
                                 ("inspectorDispatch", .string(s.policy.inspectorDispatch.rawValue))])
        let doc = JSON.object(JSONObject([("format", .string(Scenario.format)), ("name", .string(s.name)),
                                          ("horizon", .object(horizon)), ("towns", .array(towns)),
                                          ("departments", .array(departments)), ("inspectors", .array(inspectors)),
                                          ("items", .array(items)), ("enterprises", .array(enterprises)),
                                          ("policy", .object(policy))]))
        return Data(JSONWriter.pretty(doc).utf8)
    }

    private static func town(_ id: String, _ name: String, _ travel: [String: Int] = [:]) -> Town {
        var t = Town(id: id); t.name = name; t.travel = travel; return t
    }
    private static func department(_ id: String, _ name: String) -> Department {
        var d = Department(id: id); d.name = name; return d
    }
    private static func inspector(_ id: String, _ name: String, _ dept: String) -> Inspector {
        var p = Inspector(id: id, department: dept); p.name = name; return p
    }
    private static func enterprise(_ id: String, _ name: String, _ town: String, _ tier: Tier, _ category: String) -> Enterprise {
        var e = Enterprise(id: id, town: town, tier: tier); e.name = name; e.categories = [category]; return e
    }

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("jointplan-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
