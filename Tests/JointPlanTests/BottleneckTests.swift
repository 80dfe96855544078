import Foundation
import Testing
@testable import JointPlan

/// The bottleneck table (issue 14, item 6).
struct BottleneckTests {
    @Test func tightShowsTheFireBrigadeOutOfSlotsWithMinutesToSpare() throws {
        let input = try SolverFixtures.read(SolverFixtures.scenarios.appendingPathComponent("tight.json"))
        let s = input.scenario
        let plan = Solver.solve(s, scenarioData: input.data)
        let b = Bottleneck(scenario: s, plan: plan)
        #expect(b.departments.map(\.department) == s.departments.map(\.id))
        // Every unmet check is counted once, under its item's department, with its weight.
        #expect(b.departments.reduce(0) { $0 + $1.unmetChecks } == plan.unmet.count)
        #expect(abs(b.departments.reduce(0) { $0 + $1.unmetWeight } - plan.objective.unmetWeighted) < 1e-9)
        let xf = try #require(b.departments.first { $0.department == "XF" })
        #expect(xf.unmetChecks == plan.unmet.filter { s.item($0.item)?.department == "XF" }.count)
        // Its limit is visit slots, not minutes: slots are (nearly) all used, minutes are not.
        #expect(xf.slotUse > 0.95 && xf.minuteUse < 0.5 && xf.limitedBySlots)
        #expect(xf.extraInspectorDays > 0)
        // Minute use is the spec's utilization KPI.
        for d in b.departments {
            let u = plan.kpis.utilization.first { $0.department == d.department }!.value
            #expect(abs(d.minuteUse - u) < 1e-6)
        }
        // Slots used = Σ team members of the department over the visits.
        let used = plan.visits.reduce(0) { $0 + $1.inspectors.filter { s.inspector($0)?.department == "XF" }.count }
        #expect(xf.slotsUsed == used)
        let text = b.table(s, Catalogue(.zh))
        #expect(text.contains("检查名额使用") && text.contains("区消防救援大队 (XF)"))
        #expect(Bottleneck(scenario: s, plan: plan).table(s, Catalogue(.en)).contains("visit slots used"))
    }

    @Test func aDepartmentWithNothingUnmetNeedsNoExtraDays() throws {
        let input = try SolverFixtures.read(SolverFixtures.scenarios.appendingPathComponent("demo.json"))
        let plan = Solver.solve(input.scenario, scenarioData: input.data)
        let b = Bottleneck(scenario: input.scenario, plan: plan)
        for d in b.departments where d.staffingUnmet == 0 { #expect(d.extraInspectorDays == 0) }
    }
}
