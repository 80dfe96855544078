import Foundation
import Testing
@testable import JointPlan

/// Issue 23: visit numbers never move across re-plans (VisitNumbering, a pure function), and a
/// re-plan of a generated district keeps the ids of the visits it keeps.
@Suite struct VisitNumberingTests {
    static func visit(_ id: String, _ e: String, _ day: String, _ start: Int = 540, _ items: [String] = ["a"]) -> Visit {
        Visit(id: id, enterprise: e, date: Day(day)!, start: start, end: start + 60, inspectors: ["P1", "P2"],
              checks: items.map { Check(item: $0, occurrence: 1, inspector: "P1") })
    }

    @Test func keptVisitsKeepTheirIdsNewOnesGetNumbersNeverUsed() {
        let previous = [Self.visit("V00001", "E1", "2026-01-05"), Self.visit("V00002", "E2", "2026-01-06"),
                        Self.visit("V00003", "E3", "2026-01-07"), Self.visit("V00004", "E4", "2026-01-08")]
        // The solver numbered the new plan afresh: E2 moved a day, E3 was cancelled, E5 is new,
        // E4 is there under another number (its neighbour went).
        let new = [Self.visit("V00001", "E1", "2026-01-05"), Self.visit("V00002", "E2", "2026-01-07"),
                   Self.visit("V00003", "E4", "2026-01-08"), Self.visit("V00004", "E5", "2026-01-09")]
        let (ids, high) = VisitNumbering.ids(previous: previous, new: new)
        #expect(ids == ["V00001", "V00002", "V00004", "V00005"])
        #expect(high == 5)
        // V00003 (E3, cancelled) is not reused, now or in the next re-plan of this lineage.
        let next = [Self.visit("V00001", "E1", "2026-01-05"), Self.visit("V00002", "E6", "2026-01-12")]
        let again = VisitNumbering.ids(previous: zip(ids, new).map { id, v in var w = v; w.id = id; return w }, new: next, highest: high)
        #expect(again.ids == ["V00001", "V00006"])
        #expect(again.highest == 6)
    }

    @Test func anEnterpriseWithTwoVisitsMatchesByChecksThenDate() {
        let previous = [Self.visit("V00010", "E1", "2026-01-05", 540, ["a"]), Self.visit("V00020", "E1", "2026-02-05", 540, ["b"])]
        let new = [Self.visit("V00001", "E1", "2026-01-20", 600, ["b"]), Self.visit("V00002", "E1", "2026-02-20", 540, ["a"])]
        #expect(VisitNumbering.ids(previous: previous, new: new).ids == ["V00020", "V00010"])
        // Ids are unique even when the solver's numbers collide with kept ones.
        let crowd = [Self.visit("V00020", "E9", "2026-01-05"), Self.visit("V00010", "E1", "2026-01-05", 540, ["a"])]
        let out = VisitNumbering.ids(previous: previous, new: crowd).ids
        #expect(out == ["V00021", "V00010"])
        #expect(Set(out).count == out.count)
    }

    @Test func renumberRecordsTheLineageInThePlanFile() throws {
        var previous = Plan()
        previous.visits = [Self.visit("V00007", "E1", "2026-01-05")]
        previous.highestVisitNumber = 9
        var new = Plan()
        new.visits = [Self.visit("V00001", "E2", "2026-01-05"), Self.visit("V00002", "E1", "2026-01-06")]
        let out = VisitNumbering.renumber(new, previous: previous)
        #expect(out.visits.map(\.id) == ["V00010", "V00007"])
        #expect(out.highestVisitNumber == 10)
        // Kept under extensions, read back.
        #expect(out.json()["extensions"]?["lineage"]?["highestVisitNumber"] == .int(10))
    }

    /// A re-plan after a week of leave: every visit of the base plan that is kept (same
    /// enterprise, same checks) keeps its id; no id names another enterprise than before.
    @Test func aReplanKeepsTheIdsOfTheVisitsItKeeps() throws {
        let (doc, s) = try WorkflowTests.district(60, seed: 4)
        let data = Data(JSONWriter.canonical(doc).utf8)
        var options = SolveOptions()
        options.timeLimitSeconds = 20
        options.iterations = 2
        let base = Solver.solve(s, scenarioData: data, options: options)
        #expect(base.visits.count > 10)
        let from = WorkCalendar(s.horizon).days[20]
        var changed = s
        let pinned = Set(s.pinned.flatMap(\.inspectors))
        let busy = try #require(base.visits.filter { $0.date >= from }.flatMap(\.inspectors).first { !pinned.contains($0) })
        changed.inspectors[changed.inspectorIndex[busy]!].unavailable.append(DateSpan(from, from + 6))
        changed.index()
        let (replanned, _) = Solver.replan(changed, scenarioData: data, base: base, from: from, options: options)
        let before = Dictionary(uniqueKeysWithValues: base.visits.map { ($0.id, $0) })
        #expect(Set(replanned.visits.map(\.id)).count == replanned.visits.count)
        var kept = 0
        for v in replanned.visits {
            if let old = before[v.id] { #expect(old.enterprise == v.enterprise, "\(v.id) now names another enterprise") }
            if let old = base.visits.first(where: { $0.enterprise == v.enterprise && Set($0.checks.map(\.item)) == Set(v.checks.map(\.item)) && $0.date == v.date && $0.start == v.start }) {
                #expect(old.id == v.id)
                kept += 1
            }
        }
        #expect(kept > 5)
        #expect(PlanChecker.check(scenario: changed, plan: replanned, scenarioData: data).valid)
    }

    /// `diff` pairs visits by id first: a visit whose checks and date both changed is the same
    /// visit (moved), not one removed and one added.
    @Test func diffMatchesVisitsByIdFirst() throws {
        let (_, s) = try WorkflowTests.district(30, seed: 3)
        let e = s.enterprises[0]
        let items = s.items.filter { s.applies($0, to: e) }.map(\.id)
        try #require(items.count >= 2)
        let days = WorkCalendar(s.horizon).days
        var a = Plan(), b = Plan()
        a.visits = [Self.visit("V00005", e.id, days[3].description, 540, [items[0]])]
        b.visits = [Self.visit("V00005", e.id, days[9].description, 540, [items[1]])]
        let d = PlanDiff.compare(scenario: s, a: a, b: b)
        #expect(d.moved.count == 1 && d.added.isEmpty && d.removed.isEmpty)
        // Another id: not the same visit.
        b.visits[0].id = "V00006"
        let e2 = PlanDiff.compare(scenario: s, a: a, b: b)
        #expect(e2.moved.isEmpty && e2.added.count == 1 && e2.removed.count == 1)
    }
}
