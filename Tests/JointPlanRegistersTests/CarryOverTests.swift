import Foundation
import JointPlan
import Testing
@testable import JointPlanRegisters

/// Issue 23, item 5: checks required but not done are carried into the next quarter as 补查 —
/// required again, outside the new draw — and the next scenario still validates, plans and
/// passes both checkers.
@Suite struct CarryOverTests {
    static let q2 = Quarter("2026Q2")!

    static func document() throws -> JSON {
        try JSONParser.parse(Data(contentsOf: Support.scenarios.appendingPathComponent("demo.json")))
    }

    static func solve(_ doc: JSON) throws -> (Scenario, Data, Plan) {
        let data = Data(JSONWriter.canonical(doc).utf8)
        let s = try ScenarioReader.read(data)
        var options = SolveOptions()
        options.timeLimitSeconds = 30
        options.iterations = 1
        return (s, data, Solver.solve(s, scenarioData: data, options: options))
    }

    /// Required count per "enterprise|item" of a scenario's draw.
    static func required(_ s: Scenario, seed: UInt64) -> [String: Int] {
        var out: [String: Int] = [:]
        for d in Duties(scenario: s, seed: seed).duties { out[s.enterprises[d.enterprise].id + "|" + s.items[d.item].id] = d.count }
        return out
    }

    /// check_plan.py beside the repository (`../shared/tools`), when this checkout has it.
    static let checker: URL? = {
        let url = Support.repository.deletingLastPathComponent().appendingPathComponent("shared/tools/check_plan.py")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }()

    /// Q1 of the demo district with some checks reported not done: two drawn checks whose
    /// enterprise the Q2 draw does not select for that item (carried), one check of a count
    /// item that Q2 requires anyway (covered).
    struct Quarter1 {
        var scenario: Scenario
        var plan: Plan
        var actuals: Actuals
        var carried: [Actuals.Key] = []
        var covered: [Actuals.Key] = []
    }

    static let quarter1: Quarter1 = {
        let doc = try! document()
        let (s, _, p) = try! solve(doc)
        // The next quarter with everything done: its draw, to choose what to leave undone.
        let (allDone, _) = try! Rollover.next(document: doc, scenario: s, plan: p, actuals: Actuals(plan: p), quarter: q2, calendar: .bundled)
        let next = try! ScenarioReader.read(json: allDone)
        let nextRequired = required(next, seed: next.policy.seed)
        let duties = Duties(scenario: s, seed: p.seed)
        let drawn = Set(duties.duties.filter(\.drawn).map { s.enterprises[$0.enterprise].id + "|" + s.items[$0.item].id })
        var q = Quarter1(scenario: s, plan: p, actuals: Actuals(plan: p))
        for k in q.actuals.entries.keys.sorted() {
            let pair = k.enterprise + "|" + k.item
            if drawn.contains(pair), nextRequired[pair] == nil, q.carried.count < 2, !q.carried.contains(where: { $0.enterprise == k.enterprise }) {
                q.carried.append(k)
            } else if !drawn.contains(pair), nextRequired[pair] == 1, k.occurrence == 1, q.covered.isEmpty {
                q.covered.append(k)
            }
        }
        for k in q.carried + q.covered { q.actuals.entries[k]!.status = .notDone(reason: "企业停业") }
        return q
    }()

    @Test func checksNotDoneAreRequiredNextQuarterWithoutTouchingTheDraw() throws {
        let q = Self.quarter1
        try #require(q.carried.count == 2 && q.covered.count == 1, "the demo district has no such checks: \(q.carried) \(q.covered)")
        try #require(q.plan.unmet.isEmpty, "the demo plan leaves checks unmet, which would be carried too")
        let doc = try Self.document()
        let (nextDoc, report) = try Rollover.next(document: doc, scenario: q.scenario, plan: q.plan, actuals: q.actuals,
                                                  quarter: Self.q2, calendar: .bundled, run: 7)
        let (allDone, _) = try Rollover.next(document: doc, scenario: q.scenario, plan: q.plan, actuals: Actuals(plan: q.plan),
                                             quarter: Self.q2, calendar: .bundled)
        // It validates as `jointplan validate` judges it.
        #expect(ScenarioReader.problems(json: nextDoc).isEmpty)
        let next = try ScenarioReader.read(json: nextDoc)
        #expect(ScenarioReview(next).errors.isEmpty, "\(ScenarioReview(next).errors)")
        #expect(report.carried == 2 && report.carriedEnterprises == 2 && report.covered == 1)

        // The draw of the original items is exactly the one without carry-over.
        let base = try ScenarioReader.read(json: allDone)
        let withCarry = Self.required(next, seed: next.policy.seed)
        #expect(withCarry.filter { next.item(String($0.key.split(separator: "|")[1]))?.carryOverOf == nil } == Self.required(base, seed: base.policy.seed))
        #expect(Duties(scenario: next, seed: next.policy.seed).groups.map(\.size) == Duties(scenario: base, seed: base.policy.seed).groups.map(\.size))

        // Each carried check is required again through its 补查 item; the covered one is not.
        for k in q.carried {
            let item = try #require(next.item(k.item + ".bucha"))
            #expect(item.carryOverOf == k.item && item.carryOverFrom == "2026Q1")
            #expect(item.department == next.item(k.item)!.department && item.minutes == next.item(k.item)!.minutes)
            #expect(item.categories == ["bucha:" + k.item])
            #expect(withCarry[k.enterprise + "|" + k.item + ".bucha"] == 1)
            let e = try #require(next.enterprise(k.enterprise))
            #expect(e.categories.contains("bucha:" + k.item))
            // Spacing counts from the original item's last check.
            #expect(e.lastChecked[k.item + ".bucha"] == e.lastChecked[k.item])
            let carriedOver = try #require(nextDoc["enterprises"]?.arrayValue?.first { $0["id"]?.stringValue == k.enterprise }?["extensions"]?["carriedOver"]?.arrayValue?.first)
            #expect(carriedOver["as"] == .string(k.item + ".bucha") && carriedOver["run"] == .int(7))
            #expect(carriedOver["previous"]?.arrayValue?.first?["visit"]?.stringValue == q.actuals.entries[k]!.visit)
        }
        let c = q.covered[0]
        #expect(next.enterprise(c.enterprise)!.categories.allSatisfy { !$0.hasPrefix("bucha:") })
        #expect(withCarry.keys.filter { $0.hasPrefix(c.enterprise + "|") && $0.contains(".bucha") }.isEmpty)

        // The next quarter plans, and its plan passes jointplan's checker and check_plan.py.
        let (_, data, plan) = try Self.solve(nextDoc)
        let verdict = PlanChecker.check(scenario: next, plan: plan, scenarioData: data)
        #expect(verdict.violations.isEmpty, "\(verdict.violations.prefix(5).map(\.message))")
        for k in q.carried {
            let id = k.item + ".bucha"
            let held = plan.visits.contains { $0.enterprise == k.enterprise && $0.checks.contains { $0.item == id } }
                || plan.remoteChecks.contains { $0.enterprise == k.enterprise && $0.item == id }
                || plan.unmet.contains { $0.enterprise == k.enterprise && $0.item == id }
            #expect(held, "\(id) at \(k.enterprise)")
        }
        #expect(plan.kpis.requiredChecks == Duties(scenario: base, seed: base.policy.seed).totalChecks + 2)
        if let checker = Self.checker {
            let dir = try Support.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let sp = dir.appendingPathComponent("q2.json"), pp = dir.appendingPathComponent("q2.plan.json")
            try data.write(to: sp)
            try plan.encoded().write(to: pp)
            let out = try Support.python("""
                import subprocess, sys
                r = subprocess.run([sys.executable, sys.argv[1], sys.argv[2], sys.argv[3]], capture_output=True, text=True)
                print(r.returncode); print(r.stdout[-2000:]); print(r.stderr[-2000:])
                """, checker.path, sp.path, pp.path)
            #expect(out.hasPrefix("0\n"), "\(out)")
        }

        // explain says 补查, where from and where it is planned now.
        for k in q.carried {
            let zh = Rollover.explanation(document: nextDoc, enterprise: k.enterprise, plan: plan, language: .zh)
            #expect(zh.first?.hasPrefix("补查（2026Q1 应检未完成") == true)
            let line = try #require(zh.first { $0.hasPrefix("  \(k.item) #\(k.occurrence):") })
            #expect(line.contains("结转为补查事项 \(k.item).bucha（来自 2026Q1，运行 7）"), "\(line)")
            #expect(line.contains("上季度计划 \(q.actuals.entries[k]!.visit ?? "?")"), "\(line)")
            let en = try Explainer(scenario: next, plan: plan).enterprise(k.enterprise)
            #expect(en.text(.en).contains("补查 of \(k.item), required in 2026Q1 and not done"))
        }
        let coveredLine = Rollover.explanation(document: nextDoc, enterprise: c.enterprise, plan: plan, language: .en)
        #expect(coveredLine.contains { $0.contains("\(c.item) #1") && $0.contains("covered by this quarter's check") }, "\(coveredLine)")
    }

    /// The quarter after: a 补查 done goes back to its original item (lastChecked moves), the
    /// derived items and categories are gone, and a 补查 not done again is carried again.
    @Test func theNextRolloverTakesTheDerivedItemsOutAgain() throws {
        let q = Self.quarter1
        try #require(q.carried.count == 2)
        let (nextDoc, _) = try Rollover.next(document: try Self.document(), scenario: q.scenario, plan: q.plan, actuals: q.actuals,
                                             quarter: Self.q2, calendar: .bundled)
        let (next, _, plan) = try Self.solve(nextDoc)
        // The first 补查 done as planned, the second not done again.
        var actuals = Actuals(plan: plan)
        let again = try #require(actuals.entries.keys.first { $0.enterprise == q.carried[1].enterprise && $0.item == q.carried[1].item + ".bucha" },
                                 "the second 补查 is not planned: \(plan.unmet.filter { $0.item.hasSuffix(".bucha") })")
        actuals.entries[again]!.status = .notDone(reason: "仍未营业")
        let (q3Doc, report) = try Rollover.next(document: nextDoc, scenario: next, plan: plan, actuals: actuals,
                                                quarter: Quarter("2026Q3")!, calendar: .bundled)
        let q3 = try ScenarioReader.read(json: q3Doc)
        #expect(ScenarioReview(q3).errors.isEmpty, "\(ScenarioReview(q3).errors)")
        let firstKey = q.carried[0]
        let first = try #require(q3.enterprise(firstKey.enterprise))
        #expect(!first.categories.contains { $0.hasPrefix("bucha:") })
        #expect(first.lastChecked.keys.allSatisfy { !$0.contains(".bucha") })
        if let done = actuals.entries.first(where: { $0.key.enterprise == firstKey.enterprise && $0.key.item == firstKey.item + ".bucha" })?.value.status.doneDate {
            #expect(first.lastChecked[firstKey.item] == done)
        }
        #expect(q3.items.filter { $0.carryOverOf != nil }.allSatisfy { $0.carryOverFrom == "2026Q2" })
        // Carried again, unless Q3 requires the item of that enterprise anyway; either way its
        // not-done entry names the original item and the 补查 item it was.
        let q3Required = Self.required(q3, seed: q3.policy.seed)
        let secondKey = q.carried[1]
        let carriedAgain = q3.enterprise(secondKey.enterprise)!.categories.contains("bucha:" + secondKey.item)
        #expect(carriedAgain == (q3Required[secondKey.enterprise + "|" + secondKey.item + ".bucha"] == 1))
        #expect(carriedAgain || q3Required[secondKey.enterprise + "|" + secondKey.item] != nil)
        #expect(report.carried + report.covered >= 1)
        let entry = q3Doc["enterprises"]?.arrayValue?.first { $0["id"]?.stringValue == secondKey.enterprise }?["extensions"]?["rollover"]?["notDone"]?.arrayValue?.first
        #expect(entry?["item"] == .string(secondKey.item) && entry?["was"] == .string(secondKey.item + ".bucha"))
        #expect(entry?["carriedAs"] == (carriedAgain ? .string(secondKey.item + ".bucha") : nil))
    }
}
