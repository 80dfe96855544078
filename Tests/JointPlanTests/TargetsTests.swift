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
        #expect(s.policy.targets.jointVisitRate == 0.4)
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
        #expect(checks.map(\.key) == ["jointVisitRate", "visitReductionPct", "completionRate", "dTierCoverage"])
        #expect(checks.map(\.met) == [false, true, true, true])
        #expect(checks[0].text(Catalogue(.zh)) == "综合查一次实施率: 50.0%，目标 ≥ 99.0%，未达标")
        #expect(checks[1].text(Catalogue(.en)) == "visit reduction: 30.0%, target ≥ 1.0%, met")
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
}
