import Foundation
import Testing
@testable import JointPlan

/// Issue 23, item 6: `policy.extensions.targets`, read with JSON paths, and each KPI against
/// its target as met / not met.
@Suite struct TargetsTests {
    static func scenario(targets: JSON?) throws -> (JSON, Scenario) {
        var (doc, _) = try WorkflowTests.district(30, seed: 3)
        if let targets {
            var top = doc.objectValue!
            var policy = top["policy"]?.objectValue ?? JSONObject()
            policy["extensions"] = .object(JSONObject([("targets", targets)]))
            top["policy"] = .object(policy)
            doc = .object(top)
        }
        return (doc, try ScenarioReader.read(json: doc))
    }

    @Test func theDefaultsAreTheReformDocuments() throws {
        let (_, s) = try Self.scenario(targets: nil)
        #expect(s.policy.targets.jointVisitRate == 0.4 && s.policy.targets.jointDrawShare == 0.4)
        #expect(s.policy.targets.completionRate == 1)
        #expect(s.policy.targets.visitReductionPct == nil && s.policy.targets.dTierCoverage == nil)
    }

    @Test func badTargetsAreNamedByTheirJSONPath() throws {
        let bad = try JSONParser.parse(#"{"jointVisitRate": 40, "completionRate": "all", "dTierCoverge": 1}"#)
        #expect {
            _ = try Self.scenario(targets: bad)
        } throws: { e in
            let paths = (e as? InputProblems)?.problems.map(\.path) ?? []
            return paths == ["policy.extensions.targets.dTierCoverge", "policy.extensions.targets.jointVisitRate",
                             "policy.extensions.targets.completionRate"] || Set(paths) == ["policy.extensions.targets.dTierCoverge",
                             "policy.extensions.targets.jointVisitRate", "policy.extensions.targets.completionRate"]
        }
    }

    @Test func eachKPIIsMetOrNotMet() throws {
        let targets = try JSONParser.parse(#"{"jointVisitRate": 0.99, "visitReductionPct": 1, "completionRate": 0.9, "dTierCoverage": 0}"#)
        let (_, s) = try Self.scenario(targets: targets)
        var plan = Plan()
        plan.kpis.jointVisitRate = 0.5
        plan.kpis.visitReductionPct = 30
        let checks = TargetCheck.assess(scenario: s, plan: plan, completion: 0.95)
        // No visit: none of the drawn checks is on a joint visit (the share is 0, under 40 %).
        #expect(checks.map(\.key) == ["jointVisitRate", "jointDrawShare", "visitReductionPct", "completionRate", "dTierCoverage"])
        #expect(checks.map(\.met) == [false, false, true, true, true])
        #expect(checks[0].text(Catalogue(.zh)) == "综合查一次实施率: 50.0%，目标 ≥ 99.0%，未达标")
        #expect(checks[1].text(Catalogue(.zh)) == "跨部门联合双随机占比: 0.0%，目标 ≥ 40.0%，未达标")
        #expect(checks[2].text(Catalogue(.en)) == "visit reduction: 30.0%, target ≥ 1.0%, met")
        // Completion is not assessed before actuals.
        #expect(TargetCheck.assess(scenario: s, plan: plan).first { $0.key == "completionRate" }?.met == nil)
    }

    @Test func whatIfShowsTheTargetsOfEachVariant() throws {
        let (doc, _) = try Self.scenario(targets: try JSONParser.parse(#"{"jointVisitRate": 0.3}"#))
        var options = SolveOptions()
        options.timeLimitSeconds = 10
        options.iterations = 1
        let patch = try JSONParser.parse(#"{"policy": {"extensions": {"targets": {"jointVisitRate": 1}}}}"#)
        let result = WhatIf.run(base: doc, baseName: "base", patches: [("strict", patch)], options: options, threads: 1)
        let table = result.table(timings: false, language: .en)
        let line = try #require(table.split(separator: "\n").first { $0.hasPrefix("targets: joint visit rate") })
        #expect(line.contains("≥30% met") && line.contains("≥100% not met"), "\(line)")
        #expect(result.json(timings: false)["variants"]?.arrayValue?.first?["targets"] != nil)
    }

    /// 跨部门联合双随机 share: the draw's checks done on a visit of two or more departments.
    @Test func theJointDrawShareCountsDrawnChecksOnJointVisits() throws {
        let (_, s) = try Self.scenario(targets: nil)
        let duties = Duties(scenario: s, seed: s.policy.seed)
        let drawn = try #require(duties.duties.first { $0.drawn })
        let e = s.enterprises[drawn.enterprise], item = s.items[drawn.item]
        let other = try #require(s.items.first { $0.department != item.department })
        let total = duties.duties.filter(\.drawn).reduce(0) { $0 + $1.count }
        var plan = Plan()
        plan.seed = s.policy.seed
        plan.visits = [Visit(id: "V1", enterprise: e.id, date: s.horizon.start, start: 540, end: 600, inspectors: [],
                             checks: [Check(item: item.id, occurrence: 1, inspector: "a"), Check(item: other.id, occurrence: 1, inspector: "b")])]
        #expect(TargetCheck.jointDrawShare(s, plan) == 1.0 / Double(total))
        // The same check on a visit of one department is not joint.
        plan.visits[0].checks.removeLast()
        #expect(TargetCheck.jointDrawShare(s, plan) == 0)
        // A scenario with nothing drawn has nothing to assess.
        var counted = s
        counted.items = s.items.map { var i = $0; i.frequency = i.frequency.mapValues { _ in .count(1) }; return i }
        #expect(TargetCheck.jointDrawShare(counted, plan) == nil)
    }
}
