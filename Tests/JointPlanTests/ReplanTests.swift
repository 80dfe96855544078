import Foundation
import Testing
@testable import JointPlan

/// Issue 21, item 2: a re-plan disturbs only what the change touches (non-disruptive
/// re-planning). One inspector's week of leave on a small generated district, in both
/// dispatch modes: every later visit on another day stays exactly as it was (date, start,
/// end, team, checks), the plan keeps every rule, and each visit that did change says why.
struct ReplanTests {
    typealias F = SolverFixtures

    struct Case: Sendable, CustomTestStringConvertible {
        var dispatch: InspectorDispatch
        var testDescription: String { dispatch.rawValue }
    }

    /// A base plan, the inspector with the most visits in a week after the re-plan date, and
    /// the scenario with that week as their leave.
    static func leaveCase(_ dispatch: InspectorDispatch) throws -> (base: F.Input, plan: Plan, changed: F.Input, who: String, from: Day, leave: DateSpan) {
        var p = DistrictParameters(enterprises: 300, seed: 11)
        p.staffing = 1
        var doc = try #require(try DistrictGenerator(p).generate().scenario.objectValue)
        var policy = try #require(doc["policy"]?.objectValue)
        policy["inspectorDispatch"] = .string(dispatch.rawValue)
        doc["policy"] = .object(policy)
        let base = try F.written(DistrictGenerator.fileText(.object(doc)), name: "replan-base-\(dispatch.rawValue).json")
        var options = SolveOptions()
        // The same plan for the same work limit: a time limit that cannot bind.
        options.timeLimitSeconds = 900
        options.windows = 10
        let plan = Solver.solve(base.scenario, scenarioData: base.data, options: options)
        let cal = WorkCalendar(base.scenario.horizon)
        let from = cal.days[cal.days.count / 3]
        let leave = DateSpan(from + 7, from + 13)
        var load: [String: Int] = [:]
        for v in plan.visits where leave.contains(v.date) { for q in v.inspectors { load[q, default: 0] += 1 } }
        let (who, n) = try #require(load.max { ($0.value, $1.key) < ($1.value, $0.key) })
        try #require(n > 0)
        let patch = try JSONParser.parse(Data("""
            {"$patch": "merge-by-id", "inspectors": [{"id": "\(who)", "unavailable": {"$add": ["\(leave.description)"]}}]}
            """.utf8))
        let patched = ScenarioPatch.apply(patch, to: try JSONParser.parse(base.data))
        try #require(patched.problems.isEmpty)
        let changed = try F.written(JSONWriter.pretty(patched.document), name: "replan-leave-\(dispatch.rawValue).json")
        try #require(changed.scenario.inspector(who)?.unavailable.contains(day: leave.start) == true)
        return (base, plan, changed, who, from, leave)
    }

    static func same(_ a: Visit, _ b: Visit) -> Bool {
        a.id == b.id && a.enterprise == b.enterprise && a.date == b.date && a.start == b.start && a.end == b.end
            && Set(a.inspectors) == Set(b.inspectors) && Set(a.checks) == Set(b.checks)
    }

    @Test("a week of one inspector's leave: later visits on other days stay exactly as they were, the plan keeps every rule, and each visit that changed says why",
          arguments: [Case(dispatch: .random), Case(dispatch: .optimised)])
    func leaveTouchesOnlyItsWeek(_ c: Case) throws {
        let (_, plan, changed, who, from, leave) = try Self.leaveCase(c.dispatch)
        var options = SolveOptions()
        options.timeLimitSeconds = 900
        let (replanned, report) = Solver.replan(changed.scenario, scenarioData: changed.data, base: plan, from: from, options: options)
        try F.expectValid(replanned, changed, "re-plan (\(c.dispatch.rawValue))")
        #expect(report.method == "repair", "\(report.text)")
        #expect(!replanned.visits.contains { leave.contains($0.date) && $0.inspectors.contains(who) })
        #expect(replanned.visits.filter { $0.date < from } == plan.visits.filter { $0.date < from })

        // Untouched by the change: not on a day of the leave. Rule 11's replay is day by day,
        // so even under the draw nothing on another day may change.
        let byId = Dictionary(replanned.visits.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let untouched = plan.visits.filter { $0.date >= from && !leave.contains($0.date) }
        try #require(!untouched.isEmpty)
        for v in untouched {
            let now = byId[v.id]
            #expect(now.map { Self.same(v, $0) } == true, "\(v.id) \(v.enterprise) \(v.date) changed: \(String(describing: now))")
        }
        // Optimised dispatch: on the leave days too, only the inspector's own visits change.
        if c.dispatch == .optimised {
            for v in plan.visits where leave.contains(v.date) && !v.inspectors.contains(who) {
                #expect(byId[v.id].map { Self.same(v, $0) } == true, "\(v.id) without \(who) changed")
            }
        }

        // The report adds up and gives a reason for each visit that is not kept.
        let later = plan.visits.filter { $0.date >= from }.count
        #expect(report.laterBase == later)
        #expect(report.kept + report.moved + report.changed + report.dropped == later, "\(report.text)")
        #expect(report.visits.count == report.moved + report.changed + report.dropped)
        #expect(report.moved + report.changed + report.dropped >= 1, "the leave changed nothing: \(report.text)")
        let withWho = Set(plan.visits.filter { leave.contains($0.date) && $0.inspectors.contains(who) }.map(\.id))
        for e in report.visits where withWho.contains(e.visit) { #expect(e.reason == .leave, "\(e.visit): \(e.reason)") }
        for e in report.visits where !withWho.contains(e.visit) { #expect(e.reason != .leave, "\(e.visit): \(e.reason)") }
        #expect(report.keptVisitIds.count == report.kept)

        // `diff` gives the same reasons.
        let diff = PlanDiff.compare(scenario: changed.scenario, a: plan, b: replanned)
            .explained(by: ReplanReasons(scenario: changed.scenario, seed: replanned.seed))
        for e in report.visits { #expect(diff.reasons[e.visit] == e.reason) }
        let text = diff.text(language: .en)
        #expect(text.contains("why: inspector on leave"), "\(text.prefix(600))")
        #expect(diff.text(language: .zh).contains("检查人员请假"))

        // The start-time grid leaves kept visits where they are.
        let (gridded, _) = TimeGrid.apply(replanned, scenario: changed.scenario, minutes: 15, from: from, keep: report.keptVisitIds)
        let griddedById = Dictionary(gridded.visits.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for id in report.keptVisitIds { #expect(griddedById[id]?.start == byId[id]?.start) }
        try F.expectValid(gridded, changed, "re-plan on the grid (\(c.dispatch.rawValue))", python: false)
    }

    @Test("the reasons: a member on leave, recused or no longer certified, a day in the blackout, a check no longer required; else the draw or room")
    func reasons() throws {
        let input = try F.read(F.scenarios.appendingPathComponent("demo.json"))
        var s = input.scenario
        let plan = Solver.solve(s, scenarioData: input.data)
        let v = try #require(plan.visits.first)
        let judge = { ReplanReasons(scenario: s, seed: plan.seed) }
        #expect(judge().invalidity(v) == nil)
        #expect(judge().reason(v, v) == .room)
        let p = try #require(s.inspectorIndex[v.inspectors[0]])
        s.inspectors[p].unavailable = [DateSpan(v.date, v.date)]
        #expect(judge().invalidity(v) == .leave)
        s.inspectors[p].unavailable = []
        s.inspectors[p].recusals = [v.enterprise]
        #expect(judge().invalidity(v) == .recusal)
        s.inspectors[p].recusals = []
        s.inspectors[p].certified = false
        #expect(judge().invalidity(v) == .certification)
        s.inspectors[p].certified = true
        let e = try #require(s.enterpriseIndex[v.enterprise])
        s.enterprises[e].blackout = [DateSpan(v.date, v.date)]
        #expect(judge().invalidity(v) == .blackout)
        s.enterprises[e].blackout = []
        var other = v
        s.policy.inspectorDispatch = .random
        // The base visit's own members decide: an unknown inspector in it is a certification matter.
        var unknown = v
        unknown.inspectors = v.inspectors + ["nobody"]
        #expect(judge().reason(unknown, nil) == .certification)
        other.inspectors = Array(v.inspectors.dropFirst()) + [s.inspectors.first { !v.inspectors.contains($0.id) }!.id]
        #expect(judge().reason(v, other) == .draw)
        s.policy.inspectorDispatch = .optimised
        #expect(judge().reason(v, other) == .room)
    }
}
