import Foundation
import Testing
@testable import JointPlan

/// The rules of spec 3.1 have one home each (Sources/JointPlan/Rules): these tests hold the
/// homes to the spec where a stage once carried its own copy (issue 20).
@Suite("Rule homes")
struct RuleHomeTests {
    @Test("rule 7: a check before lastChecked breaks the rule even with spacing 0 (check_plan.py's A16)")
    func spacingFromLastChecked() {
        let last = Day(number: 1_000)
        #expect(!SpacingRule.allows(Day(number: 999), spacing: 0, lastChecked: last, others: []))
        #expect(SpacingRule.allows(Day(number: 1_000), spacing: 0, lastChecked: last, others: []))
        #expect(SpacingRule.allows(Day(number: 1_000), spacing: 0, lastChecked: nil, others: [Day(number: 1_000)]))
        #expect(!SpacingRule.allows(Day(number: 1_009), spacing: 10, lastChecked: last, others: []))
        #expect(SpacingRule.allows(Day(number: 1_010), spacing: 10, lastChecked: last, others: []))
        #expect(!SpacingRule.allows(Day(number: 1_020), spacing: 10, lastChecked: last, others: [Day(number: 1_029)]))
        #expect(SpacingRule.earliest(after: last, spacing: 10) == Day(number: 1_010))
    }

    /// The earliest start the decomposition pipeline's roster asks for is the first minute at
    /// which rule 4's home (`InspectorDay.cost`) and rule 1's (`DayWindow.allows`) both accept
    /// the visit: the pipeline cannot place what the other stages and the checker refuse, nor
    /// refuse what they accept (travel between towns on a line, so the triangle inequality holds).
    @Test("rule 4: InspectorDay.earliestStart is the first start cost() and the day window accept")
    func earliestStartAgreesWithCost() throws {
        var rng = SeededRandom(seed: 20, stream: "rule-homes")
        func below(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
        let towns = 4
        let travel = (0..<towns).map { a in (0..<towns).map { b in abs(a - b) * 15 } }
        for _ in 0..<400 {
            var breaks: [TimeSpan] = []
            if below(2) == 0 { breaks.append(TimeSpan(start: 720, end: 780 + 60 * below(2))) }
            let window = DayWindow(dayStart: 480, dayEnd: 1_050, breaks: breaks)
            var day = InspectorDay()
            var t = 480
            for n in 0..<below(5) {
                t += below(90)
                let length = 20 + below(80)
                guard window.allows(start: t, length: length) else { break }
                day.insert(.init(start: t, end: t + length, town: below(towns), visit: n), travel: travel)
                t += length + 30
            }
            if below(3) == 0 { day.addRemote(below(200)) }
            let maxVisits = 2 + below(4)
            let from = 480 + below(500), length = 15 + below(120), town = below(towns)
            let found = day.earliestStart(from: from, length: length, town: town, maxVisits: maxVisits, window: window, travel: travel)
            let first = (from...window.dayEnd).first { s in
                window.allows(start: s, length: length)
                    && day.cost(start: s, length: length, town: town, maxVisits: maxVisits, budget: window.workingMinutes, travel: travel) != nil
            }
            #expect(found == first, "day \(day.slots.map { ($0.start, $0.end, $0.town) }), remote \(day.remoteMinutes), from \(from), length \(length), town \(town): \(String(describing: found)) ≠ \(String(describing: first))")
        }
    }

    /// Every item without spacing, last checked in the middle of the horizon: no stage may
    /// place a check before that date (before the rule's home was fixed, the construction and
    /// the search read spacing 0 as "no rule 7 at all").
    @Test("a plan keeps lastChecked inside the horizon with spacing 0, in both dispatch modes",
          arguments: ["random", "optimised"])
    func lastCheckedInsideTheHorizon(dispatch: String) throws {
        let base = try JSONParser.parse(Data(contentsOf: SolverFixtures.scenarios.appendingPathComponent("demo.json")))
        guard case .object(var root) = base, case .array(let items)? = root["items"], case .array(let enterprises)? = root["enterprises"],
              case .object(var policy)? = root["policy"] else { Issue.record("demo.json changed shape"); return }
        root["items"] = .array(items.map { item in
            guard case .object(var o) = item else { return item }
            o["minSpacingDays"] = .int(0)
            return .object(o)
        })
        let itemIds = items.compactMap { item -> String? in
            guard case .object(let o) = item, case .string(let id)? = o["id"] else { return nil }
            return id
        }
        root["enterprises"] = .array(enterprises.map { e in
            guard case .object(var o) = e else { return e }
            o["lastChecked"] = .object(JSONObject(itemIds.map { ($0, JSON.string("2026-02-10")) }))
            return .object(o)
        })
        // No pins: demo's pinned visits fall before that date.
        root["pinned"] = .array([])
        policy["inspectorDispatch"] = .string(dispatch)
        root["policy"] = .object(policy)
        let input = try SolverFixtures.written(JSONWriter.pretty(.object(root)), name: "demo-lastchecked-\(dispatch).json")
        let plan = Solver.solve(input.scenario, scenarioData: input.data, options: SolverFixtures.workLimited(windows: 4))
        let cutoff = Day(number: try #require(Day("2026-02-10")).number)
        #expect(plan.visits.allSatisfy { $0.date >= cutoff }, "visits before lastChecked: \(plan.visits.filter { $0.date < cutoff }.map(\.id))")
        #expect(plan.remoteChecks.allSatisfy { $0.date >= cutoff })
        #expect(!plan.visits.isEmpty)
        try SolverFixtures.expectValid(plan, input, "demo, lastChecked 2026-02-10, spacing 0, \(dispatch)")
    }
}
