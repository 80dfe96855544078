import Foundation
import JointPlan
import Testing
@testable import JointPlanExport

/// Issue 23, item 2: a visit keeps its id across a re-plan, and so its calendar UID (lineage +
/// visit id); a new visit gets a UID no visit of the lineage had.
@Suite struct ReplanUIDTests {
    @Test func aKeptVisitKeepsItsUIDAcrossAReplan() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Scenarios/demo.json")
        let data = try Data(contentsOf: url)
        let s = try ScenarioReader.read(data)
        var options = SolveOptions()
        options.timeLimitSeconds = 30
        options.iterations = 1
        let base = Solver.solve(s, scenarioData: data, options: options)
        let days = base.visits.map(\.date).sorted()
        let from = days[days.count / 2]
        // The inspector with most visits from `from` on (and no pin) is away for the rest of the quarter.
        let pinned = Set(s.pinned.flatMap(\.inspectors))
        var later: [String: Int] = [:]
        for v in base.visits where v.date >= from { for p in v.inspectors where !pinned.contains(p) { later[p, default: 0] += 1 } }
        let absent = try #require(later.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key)
        var changed = s
        let i = try #require(changed.inspectors.firstIndex { $0.id == absent })
        changed.inspectors[i].unavailable.append(DateSpan(from, s.horizon.end))
        let (replanned, _) = Solver.replan(changed, base: base, from: from, options: options)
        #expect(PlanChecker.check(scenario: changed, plan: replanned).violations.isEmpty)

        let a = try ICalendarExporter(scenario: s, plan: base)
        let b = try ICalendarExporter(scenario: changed, plan: try PlanReader.read(replanned.json()))
        let before = Dictionary(uniqueKeysWithValues: base.visits.map { ($0.id, $0) })
        let kept = replanned.visits.filter { before[$0.id]?.enterprise == $0.enterprise }
        #expect(kept.count > base.visits.count / 2)
        #expect(kept.contains { $0.date >= from && $0.inspectors != before[$0.id]!.inspectors }, "no visit after the leave changed its team")
        for v in kept { #expect(b.uid(ofVisit: v.id) == a.uid(ofVisit: v.id), "\(v.id)") }
        let old = Set(base.visits.compactMap { a.uid(ofVisit: $0.id) })
        for v in replanned.visits where before[v.id] == nil { #expect(!old.contains(b.uid(ofVisit: v.id)!), "\(v.id)") }
        #expect(replanned.lineageId == base.lineage)
    }
}
