import Foundation
import GLPK
import Testing
@testable import JointPlan

/// The prices of the day-grouped LP's department-day rows and the windows they steer
/// (issue 11, item 1: "windows are steered to … high prices of the bound's department-day
/// rows"). On a hand-made district the short department is the dear one, on its duty days
/// only; a comfortable district has nothing dear; a price window sits on the dear days with
/// the enterprises whose unmet checks need the department.
@Suite("Day prices")
struct DayPricesTests {
    /// `n` enterprises, each with one check of A (non-delegable) and one of B; A has one
    /// inspector, away in May when `leave`; B has `b` inspectors. Teams of two, four visits a day.
    static func district(enterprises n: Int, b: Int, leave: Bool) throws -> SolverFixtures.Input {
        let away = leave ? #", "unavailable": ["2026-05-01/2026-05-31"]"# : ""
        let bs = (1...b).map { #"{"id": "b\#($0)", "name": "b\#($0)", "department": "B"}"# }.joined(separator: ", ")
        let ents = (1...n).map { #"{"id": "E\#($0)", "name": "E\#($0)", "town": "T1", "categories": ["shop"], "tier": "C"}"# }.joined(separator: ",\n")
        let text = """
        {"format": "jointplan.scenario/1", "name": "prices",
         "horizon": {"start": "2026-04-01", "end": "2026-06-30", "dayStart": "09:00", "dayEnd": "17:00"},
         "towns": [{"id": "T1", "name": "T1"}],
         "departments": [{"id": "A", "name": "A"}, {"id": "B", "name": "B"}],
         "inspectors": [{"id": "a1", "name": "a1", "department": "A"\(away)}, \(bs)],
         "items": [{"id": "x", "name": "x", "department": "A", "categories": ["shop"], "minutes": 30, "delegable": false, "frequency": {"C": {"count": 1}}},
                   {"id": "y", "name": "y", "department": "B", "categories": ["shop"], "minutes": 20, "delegable": false, "frequency": {"C": {"count": 1}}}],
         "enterprises": [\(ents)],
         "policy": {"minInspectorsPerVisit": 2, "visitBaseMinutes": 10, "maxVisitsPerDay": 4}}
        """
        return try SolverFixtures.written(text, name: "prices-\(n)-\(b)-\(leave)-\(UUID().uuidString).json")
    }

    static func prices(_ input: SolverFixtures.Input) -> (DayPrices?, String, DayGroupBound, WorkCalendar) {
        let s = input.scenario
        let cal = WorkCalendar(s.horizon)
        let bound = DayGroupBound(scenario: s, duties: Duties(scenario: s), calendar: cal)
        let (p, note) = DayPrices.of(bound)
        return (p, note, bound, cal)
    }

    @Test("the department that runs short is the dear one, on its duty days only, and dearest first")
    func shortDepartmentIsDear() throws {
        // a1 can make at most 4 visits a day on the ≈40 working days outside May: fewer than
        // the 300 checks of A; B (3 inspectors) has room. The LP must leave A's checks undone.
        let input = try Self.district(enterprises: 300, b: 3, leave: true)
        let (prices, note, bound, cal) = Self.prices(input)
        let p = try #require(prices, "\(note)")
        let a = try #require(input.scenario.departmentIndex["A"])
        #expect(p.dear.first?.department == a, "\(p.dear)")
        #expect(p.dear.allSatisfy { $0.department == a }, "only A is short: \(p.dear)")
        #expect(zip(p.dear, p.dear.dropFirst()).allSatisfy { $0.price >= $1.price }, "dearest first")
        // One check of A undone costs its weight (C: the scenario's unmetWeight); one more visit
        // slot of a1 would do one more: the price of A's slots is that weight, give or take.
        let w = input.scenario.policy.unmetWeight[.C]
        #expect(abs(p.dear[0].price - w) <= 0.05 * w, "price \(p.dear[0].price), weight \(w)")
        // The dear group's days are a1's duty days: none in May.
        let days = cal.days.indices.filter { p.groupOfDay[$0] == p.dear[0].group }.map { cal.days[$0] }
        #expect(!days.isEmpty)
        #expect(days.allSatisfy { $0.description < "2026-05-01" || $0.description > "2026-05-31" }, "\(days.map(\.description))")
        #expect(bound.groups.count == 2, "days with A on duty and days without: \(bound.summary)")
    }

    @Test("nothing is dear where every check fits")
    func comfortableHasNoPrices() throws {
        let input = try Self.district(enterprises: 40, b: 3, leave: false)
        let (prices, note, _, _) = Self.prices(input)
        #expect(prices == nil, "\(String(describing: prices))")
        #expect(note.contains("nothing is dear"), "\(note)")
    }

    @Test("a price window sits on two dear days with enterprises whose unmet checks need the dear department")
    func priceWindows() throws {
        let input = try Self.district(enterprises: 300, b: 3, leave: true)
        let (prices, _, _, _) = Self.prices(input)
        let p = try #require(prices)
        let a = try #require(input.scenario.departmentIndex["A"])
        let x = try #require(input.scenario.items.firstIndex { $0.id == "x" })
        let sched = WindowSearchTests.start(input.scenario)
        #expect(sched.unmet.contains { $0.item == x }, "the start leaves checks of A undone")
        var g = WindowGenerator(prices: p)
        let windows = (0..<16).compactMap { _ in g.next(sched, maxColumns: 900) }.filter { $0.kind == .price }
        #expect(windows.count >= 3, "\(windows.map(\.kind))")
        let open = Set(sched.unmet.filter { $0.item == x }.map(\.enterprise))
        var seen: Set<[Int]> = []
        for w in windows {
            #expect(w.days.count == 2 && w.days.allSatisfy { p.groupOfDay[$0] == p.dear[0].group }, "\(w.days)")
            #expect(open.contains(w.enterprises[0]), "the seed has an unmet check of A")
            #expect(w.enterprises.contains { e in sched.liveVisits.contains { $0.visit.enterprise == e && w.days.contains($0.visit.day) && $0.visit.team.contains { input.scenario.inspectors[$0].department == "A" } } },
                    "with a visit of A's inspector on those days")
            seen.insert(w.days)
        }
        #expect(seen.count == windows.count, "the dear days are taken in turn: \(windows.map(\.days))")
        // Without prices the generator makes no price window.
        var plain = WindowGenerator()
        #expect(!(0..<16).compactMap { _ in plain.next(sched, maxColumns: 900) }.contains { $0.kind == .price })
        _ = a
    }
}
