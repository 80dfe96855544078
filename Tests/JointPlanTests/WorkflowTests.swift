import Foundation
import Testing
@testable import JointPlan

/// The planner's workflows (issue 5): merge patches, what-if comparisons, explanations and
/// plan diffs, on the RFC's own examples and on generated districts.
@Suite("Workflow")
struct WorkflowTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/workflow")

    static func fixture(_ name: String) throws -> JSON {
        try JSONParser.parse(Data(contentsOf: fixtures.appendingPathComponent(name)))
    }

    /// A generated district as a document and a validated scenario.
    static func district(_ n: Int, seed: UInt64, staffing: Double = 1, inspectors: Int? = nil) throws -> (JSON, Scenario) {
        var p = DistrictParameters(enterprises: n, seed: seed)
        p.staffing = staffing
        p.inspectors = inspectors
        let doc = try DistrictGenerator(p).generate().scenario
        return (doc, try ScenarioReader.read(json: doc))
    }

    static func solve(_ s: Scenario) -> Plan {
        var o = SolveOptions()
        o.timeLimitSeconds = 60
        return Solver.solve(s, options: o)
    }

    // MARK: - Merge patch

    @Test("RFC 7386: the section 3 example and every appendix A case, keys in the target's order")
    func mergePatchRFCExamples() throws {
        let cases = try #require(Self.fixture("rfc7386-examples.json")["cases"]?.arrayValue)
        #expect(cases.count == 16)
        for (n, c) in cases.enumerated() {
            let result = MergePatch.apply(c["patch"]!, to: c["target"]!)
            #expect(result == c["result"]!, "case \(n): got \(JSONWriter.compact(result))")
        }
    }

    @Test("a patch with a key given twice is refused with the key's path")
    func mergePatchDuplicateKeys() throws {
        let patch = try JSONParser.parse(#"{"policy": {"seed": 1, "seed": 2}, "towns": [{"id": "T1", "id": "T2"}]}"#)
        let problems = MergePatch.problems(patch)
        #expect(problems.map(\.path) == ["policy.seed", "towns[0].id"])
        #expect(MergePatch.problems(try JSONParser.parse(#"{"policy": {"seed": 1}}"#)).isEmpty)
    }

    // MARK: - What-if

    @Test("what-if: an invalid variant is reported with its JSON path, the others are solved; same result on 1 or 3 threads")
    func whatIfVariants() throws {
        let (base, scenario) = try Self.district(300, seed: 3)
        let patches = [("bad-sampling", try Self.fixture("bad-sampling.json")), ("tight-caps", try Self.fixture("tight-caps.json"))]
        var options = SolveOptions()
        options.timeLimitSeconds = 60
        // A work limit: the anytime search (no `windows`) may end on a proof, when the bound is in.
        options.windows = 300
        let one = WhatIf.run(base: base, baseName: "district", patches: patches, options: options, threads: 1)
        #expect(one.variants.map(\.name) == ["district", "bad-sampling", "tight-caps"])

        let bad = one.variants[1]
        #expect(!bad.isValid && bad.plan == nil)
        #expect(bad.problems.map(\.path) == ["policy.sampling"])

        let baseVariant = one.variants[0], tight = one.variants[2]
        let basePlan = try #require(baseVariant.plan), tightPlan = try #require(tight.plan)
        #expect(baseVariant.violations.isEmpty && tight.violations.isEmpty)
        // The base is the scenario as solved on its own.
        #expect(basePlan.objective == Self.solve(scenario).objective)
        // Caps of one visit for tiers C and D leave second checks unmet for visitCap only.
        #expect((tightPlan.kpis.unmetByReason[.visitCap] ?? 0) > 0)
        #expect((basePlan.kpis.unmetByReason[.visitCap] ?? 0) == 0)
        #expect(tightPlan.kpis.maxVisitsPerEnterprise <= basePlan.kpis.maxVisitsPerEnterprise)
        // The patched variant's plan passes the checker against the patched scenario.
        let tightScenario = try ScenarioReader.read(json: MergePatch.apply(patches[1].1, to: base))
        #expect(PlanChecker.check(scenario: tightScenario, plan: tightPlan).valid)

        let three = WhatIf.run(base: base, baseName: "district", patches: patches, options: options, threads: 3)
        #expect(JSONWriter.compact(one.json(timings: false)) == JSONWriter.compact(three.json(timings: false)))
        #expect(one.table(timings: false) == three.table(timings: false))

        // The sheet: one column per variant, "-" for the invalid one, the problem under the table.
        let (header, rows) = one.sheet(timings: false)
        #expect(header == ["", "district", "bad-sampling", "tight-caps"])
        let visitRow = try #require(rows.first { $0[0] == "on-site visits" })
        #expect(visitRow == ["on-site visits", "\(basePlan.objective.onsiteVisits)", "-", "\(tightPlan.objective.onsiteVisits)"])
        #expect(rows.contains { $0[0] == "  unmet: visitCap" })
        // The bottleneck by department (issue 14): slot use beside minute use, in either language.
        let departments = basePlan.kpis.utilization.map(\.department)
        for d in departments {
            #expect(rows.contains { $0[0] == "visit-slot use \(d) %" } && rows.contains { $0[0] == "minute use \(d) %" })
        }
        let zh = one.sheet(timings: false, language: .zh).rows
        #expect(zh.contains { $0 == ["现场检查次数", "\(basePlan.objective.onsiteVisits)", "-", "\(tightPlan.objective.onsiteVisits)"] })
        #expect(one.json()["variants"]?.arrayValue?[0]["bottleneck"]?.arrayValue?.count == departments.count)
        #expect(one.table().contains("policy.sampling: must be \"coordinated\" or \"independent\""))
        let json = one.json()
        #expect(json["variants"]?.arrayValue?[1]["errors"]?.arrayValue?.first?["path"] == .string("policy.sampling"))
    }

    // MARK: - Explain

    @Test("explain an enterprise with two visits: duties with auditable draws, both visits, the reason for two")
    func explainTwoVisits() throws {
        let (_, scenario) = try Self.district(300, seed: 3)
        let plan = Self.solve(scenario)
        let counts = Dictionary(grouping: plan.visits, by: \.enterprise).mapValues(\.count)
        let id = try #require(counts.filter { $0.value == 2 }.keys.sorted().first)
        let x = try Explainer(scenario: scenario, plan: plan).enterprise(id)

        #expect(x.visits.count == 2)
        #expect(Set(x.visits.map(\.id)) == Set(plan.visits.filter { $0.enterprise == id }.map(\.id)))
        // Every required check of the enterprise is accounted for, exactly once.
        let duties = Duties(scenario: scenario, seed: plan.seed)
        let e = scenario.enterpriseIndex[id]!
        #expect(x.requiredChecks == duties.byEnterprise[e].reduce(0) { $0 + duties.duties[$1].count })
        #expect(x.duties.reduce(0) { $0 + $1.outcomes.count } == x.requiredChecks)
        // The draw values agree with the draw itself: drawn iff among the group's drawn.
        for d in x.duties {
            guard let draw = d.draw else { continue }
            let group = try #require(duties.groups.first { $0.item == d.item && $0.tier == x.tier })
            #expect(draw.drawn == group.drawn.contains { $0.enterprise == id }, "\(d.item)")
            #expect(draw.drawn == (d.checks == 1))
            #expect(draw.numerator == Draw.randomNumber(seed: plan.seed, enterprise: id))
            if let cutoff = draw.cutoff { #expect(draw.drawn == (draw.numerator <= cutoff)) }
        }
        // Two visits: some item needs two checks on site, said so with its spacing.
        #expect(x.visitReasons.contains { $0.contains("2 checks on site") && $0.contains("at least 2 visits") })
        let text = x.text
        for v in x.visits { #expect(text.contains(v.id)) }
        #expect(text.contains("Why 2 visits"))
        #expect(x.json["visits"]?.arrayValue?.count == 2)
    }

    @Test("explain an unmet check on a short-staffed district: the binding department has no free inspector on any allowed day")
    func explainStaffing() throws {
        // Staffing 0.3 leaves one inspector per department; the fire brigade's is then away
        // for the whole quarter (and the pins, which name inspectors, are dropped).
        let (short, _) = try Self.district(300, seed: 3, staffing: 0.3)
        var inspectors = try #require(short["inspectors"]?.arrayValue)
        let leave = JSON.object(JSONObject([("unavailable", .array([.string("2026-01-01/2026-03-31")]))]))
        for k in inspectors.indices where inspectors[k]["department"] == .string("XF") {
            inspectors[k] = MergePatch.apply(leave, to: inspectors[k])
        }
        let patch = JSON.object(JSONObject([("inspectors", .array(inspectors)), ("pinned", .array([]))]))
        let scenario = try ScenarioReader.read(json: MergePatch.apply(patch, to: short))
        let plan = Self.solve(scenario)
        let explainer = Explainer(scenario: scenario, plan: plan)
        let lostEnterprises = Array(Set(plan.unmet.filter { $0.reason == .staffing }.map(\.enterprise))).sorted()
        #expect(!lostEnterprises.isEmpty)
        var crossChecked = 0
        for id in lostEnterprises.prefix(5) {
            let x = try explainer.enterprise(id)
            for u in x.unmet where u.reason == .staffing {
                #expect(u.because.first?.contains("allowed day") == true)
                #expect(u.because.count >= 2, "\(id) \(u.item): the department's free inspector-days")
            }
            let binding = try #require(x.staffing.last { $0.hasPrefix("binding: ") || $0.hasPrefix("not binding") })
            guard binding.hasPrefix("binding: "), let cut = binding.range(of: " had no certified inspector") else { continue }
            let named = binding[binding.index(binding.startIndex, offsetBy: 9)..<cut.lowerBound].components(separatedBy: " and ")
            // Cross-check with the department view, which recomputes each inspector's day
            // from the visits: nobody of a named department had room on an allowed day.
            let ent = scenario.enterprise(id)!
            let lost = plan.unmet.filter { $0.enterprise == id && $0.reason == .staffing }
            let need = scenario.policy.visitBaseMinutes + lost.map { scenario.item($0.item)!.minutes }.max()!
            let visits = plan.visits.filter { $0.enterprise == id }, remote = plan.remoteChecks.filter { $0.enterprise == id }
            var days = Set(WorkCalendar(scenario.horizon).days)
            for u in lost { days.formIntersection(explainer.allowedDays(scenario.item(u.item)!, u.occurrence, ent, visits: visits, remote: remote)) }
            for dep in named {
                #expect(scenario.department(dep) != nil, "\(dep)")
                for d in days {
                    let day = try explainer.department(dep, on: d)
                    for p in day.inspectors where p.available && !scenario.inspector(p.id)!.recusals.contains(id) {
                        let travel = p.visits.isEmpty ? 0 : scenario.policy.travelWithinTownMinutes
                        #expect(day.visitsLeft(p) == 0 || day.free(p) < need + travel, "\(dep) \(p.id) \(d)")
                    }
                }
            }
            #expect(named == ["XF"])
            crossChecked += 1
            #expect(x.text.contains("Staffing:"))
        }
        #expect(crossChecked > 0)
    }

    @Test("explain a visit-cap loss: the cap arithmetic of the tier")
    func explainVisitCap() throws {
        let (base, _) = try Self.district(300, seed: 3)
        let scenario = try ScenarioReader.read(json: MergePatch.apply(try Self.fixture("tight-caps.json"), to: base))
        let plan = Self.solve(scenario)
        let lost = try #require(plan.unmet.first { $0.reason == .visitCap })
        let x = try Explainer(scenario: scenario, plan: plan).enterprise(lost.enterprise)
        let u = try #require(x.unmet.first { $0.item == lost.item && $0.occurrence == lost.occurrence })
        #expect(u.because[0] == "tier \(x.tier.rawValue) allows maxOnsiteVisits 1 on-site visit in the horizon")
        #expect(u.because[1].hasSuffix("occurrence \(lost.occurrence) would need visit \(lost.occurrence) > cap 1"))
    }

    @Test("explain a department's day: minutes add up to the plan's inspector-day minutes")
    func explainDepartmentDay() throws {
        let (_, scenario) = try Self.district(300, seed: 3)
        let plan = Self.solve(scenario)
        let busiest = Dictionary(grouping: plan.visits, by: \.date).max { ($0.value.count, $1.key) < ($1.value.count, $0.key) }!.key
        let explainer = Explainer(scenario: scenario, plan: plan)
        let minutes = Evaluation(scenario: scenario).inspectorDayMinutes(plan)
        var seen = 0
        for dep in scenario.departments {
            let day = try explainer.department(dep.id, on: busiest)
            #expect(day.isWorkingDay)
            for p in day.inspectors {
                #expect(p.used == (minutes[p.id]?[busiest] ?? 0), "\(p.id)")
                #expect(p.used + day.free(p) == (p.available ? day.workingMinutes : p.used))
                seen += p.visits.count
            }
        }
        #expect(seen == plan.visits.filter { $0.date == busiest }.reduce(0) { $0 + $1.inspectors.count })
        #expect(throws: InputProblems.self) { try explainer.department("NOPE", on: busiest) }
        #expect(throws: InputProblems.self) { try explainer.enterprise("NOPE") }
    }

    // MARK: - Diff

    @Test("diff: a plan with itself is all unchanged; a hand-edited copy shows one moved, one removed, one changed")
    func diffPlans() throws {
        let (_, scenario) = try Self.district(300, seed: 3)
        let plan = Self.solve(scenario)
        let same = PlanDiff.compare(scenario: scenario, a: plan, b: plan)
        #expect(same.unchanged.count == plan.visits.count)
        #expect(same.moved.isEmpty && same.changed.isEmpty && same.removed.isEmpty && same.added.isEmpty && same.checkChanges.isEmpty)
        #expect(same.figures.allSatisfy { $0.a == $0.b })

        var edited = plan
        // Moved: another date. Changed: another team on the same date and time.
        edited.visits[3].date = edited.visits[3].date + 7
        let other = try #require(scenario.inspectors.first { !edited.visits[5].inspectors.contains($0.id) })
        edited.visits[5].inspectors[edited.visits[5].inspectors.count - 1] = other.id
        // Removed: its checks become unmet.
        let gone = edited.visits.remove(at: 8)
        edited.unmet += gone.checks.map { UnmetCheck(enterprise: gone.enterprise, item: $0.item, occurrence: $0.occurrence, reason: .staffing) }

        let diff = PlanDiff.compare(scenario: scenario, a: plan, b: edited)
        #expect(diff.moved.map(\.a.id) == [plan.visits[3].id])
        #expect(diff.changed.map(\.a.id) == [plan.visits[5].id])
        #expect(diff.changed.first?.teamChanged == true && diff.changed.first?.checksChanged == false
                && diff.changed.first?.performersChanged == false)
        #expect(diff.removed.map(\.id) == [gone.id])
        #expect(diff.added.isEmpty)
        #expect(diff.unchanged.count == plan.visits.count - 3)
        #expect(diff.checkChanges.count == gone.checks.count)
        #expect(diff.checkChanges.allSatisfy { $0.a == "on site" && $0.b == "unmet staffing" })
        let visits = try #require(diff.figures.first { $0.name == "onsiteVisits" })
        #expect(visits.b - visits.a == -1)
        #expect(diff.json["counts"]?["removed"] == .int(1))
        #expect(diff.text().contains("1 moved, 1 changed, 1 removed, 0 added"))
    }

    @Test("diff matches a re-dated visit by its checks, and an unmatched one by enterprise and date")
    func diffMatching() throws {
        let (_, scenario) = try Self.district(300, seed: 3)
        let plan = Self.solve(scenario)
        var edited = plan
        // Another check set on the same day: matched by (enterprise, date) as changed.
        let k = try #require(edited.visits.firstIndex { $0.checks.count >= 2 })
        edited.visits[k].checks.removeLast()
        let diff = PlanDiff.compare(scenario: scenario, a: plan, b: edited)
        #expect(diff.changed.count == 1 && diff.changed[0].checksChanged)
        #expect(diff.removed.isEmpty && diff.added.isEmpty)
    }

    // MARK: - Re-plan, as the replan command drives it

    @Test("replan after one inspector's week of leave (a merge patch): the plan passes the checker and the diff agrees with the re-plan report")
    func replanAgreesWithDiff() throws {
        let (base, scenario) = try Self.district(300, seed: 3)
        let plan = Self.solve(scenario)
        // The busiest inspector of the first week of February goes on leave that week.
        let from = try #require(Day("2026-02-02"))
        let week = (0..<5).map { from + $0 }
        let busy = Dictionary(grouping: plan.visits.filter { week.contains($0.date) }.flatMap(\.inspectors), by: { $0 }).mapValues(\.count)
        let away = try #require(busy.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key)
        var inspectors = try #require(base["inspectors"]?.arrayValue)
        for k in inspectors.indices where inspectors[k]["id"] == .string(away) {
            inspectors[k] = MergePatch.apply(.object(JSONObject([("unavailable", .array([.string("2026-02-02/2026-02-06")]))])), to: inspectors[k])
        }
        let changed = try ScenarioReader.read(json: MergePatch.apply(.object(JSONObject([("inspectors", .array(inspectors))])), to: base))
        var options = SolveOptions()
        options.timeLimitSeconds = 60
        let (replanned, report) = Solver.replan(changed, base: plan, from: from, options: options)

        #expect(PlanChecker.check(scenario: changed, plan: replanned).valid)
        #expect(!replanned.visits.contains { $0.inspectors.contains(away) && week.contains($0.date) })
        let diff = PlanDiff.compare(scenario: changed, a: plan, b: replanned)
        #expect(diff.unchanged.count == report.frozen + report.kept)
        #expect(diff.moved.count == report.moved)
        #expect(diff.changed.count == report.changed)
        #expect(diff.removed.count == report.dropped)
        #expect(diff.added.count == report.added)
        // Every visit before the date is exactly as it was.
        for v in plan.visits where v.date < from { #expect(replanned.visits.contains(v)) }
    }
}
