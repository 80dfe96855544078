import Foundation
import Testing
@testable import JointPlan

/// Issue 22, item 3 (the city's first start): the fast paths of the draw and of staffing give
/// what the plain way gives — the same ticket orders, the same day counts, the same first
/// start, the same check — on random small districts. None of these tests reads the clock.
@Suite("The first start's fast paths are the plain way's results")
struct FirstStartSpeedTests {
    typealias F = SolverFixtures

    static let districts: [(Int, UInt64)] = [(60, 221), (90, 222), (120, 223), (80, 224), (100, 225)]

    static func district(_ n: Int, _ seed: UInt64, dispatch: InspectorDispatch? = nil) throws -> F.Input {
        var p = DistrictParameters.random(enterprises: n, seed: seed)
        if let d = dispatch { p.dispatch = d }
        return try TeamDrawTests.generated(p, name: "first-start-\(n)-\(seed)-\(p.dispatch.rawValue).json")
    }

    @Test("the cached order is the rule's order: tickets by SHA-256, ties by id bytes", arguments: districts)
    func orderIsReference(n: Int, seed: UInt64) throws {
        let s = try Self.district(n, seed).scenario
        let draw = TeamDraw(s, WorkCalendar(s.horizon))
        for e in s.enterprises.indices {
            for d in s.departments.indices {
                let reference = draw.referenceOrder(enterprise: e, department: d)
                #expect(draw.order(enterprise: e, department: d) == reference)
                // Asked again: the cached order.
                #expect(draw.order(enterprise: e, department: d) == reference)
            }
        }
    }

    @Test("the tickets from id bytes are Draw.ticket's, Chinese and long ids included")
    func ticketsFromBytes() {
        var rng = SeededRandom(seed: 22, stream: "tickets")
        let alphabet = Array("AP0123456789检查员甲乙-_")
        for _ in 0..<50 {
            let enterprise = String((0..<rng.int(0...40)).map { _ in alphabet[rng.int(0...(alphabet.count - 1))] })
            let ids = (0..<rng.int(0...12)).map { _ in String((0..<rng.int(0...70)).map { _ in alphabet[rng.int(0...(alphabet.count - 1))] }) }
            let seed = UInt64(rng.int(0...Int(Int32.max)))
            #expect(Draw.tickets(seed: seed, enterprise: enterprise, inspectorBytes: ids.map { Array($0.utf8) })
                    == ids.map { Draw.ticket(seed: seed, enterprise: enterprise, inspector: $0) })
        }
    }

    @Test("eligibility read day-major is rule 2's", arguments: districts.prefix(3))
    func eligibleIsIneligibleNil(n: Int, seed: UInt64) throws {
        let s = try Self.district(n, seed).scenario
        let cal = WorkCalendar(s.horizon)
        let draw = TeamDraw(s, cal)
        let el = Eligibility(s, cal)
        for p in s.inspectors.indices {
            for d in cal.days.indices {
                for e in s.enterprises.indices {
                    let why = draw.ineligible(p, enterprise: e, day: d)
                    #expect(draw.isEligible(p, enterprise: e, day: d) == (why == nil))
                    #expect((why == nil) == el.mayVisit(p, day: d, enterprise: e))
                }
            }
        }
    }

    static func firstStart(_ s: Scenario, reference: Bool, order: Construction.Order = .stakesFirst, padOwn: Bool = true) -> Schedule {
        let ctx = PlanningContext(s, WorkCalendar(s.horizon), duties: Duties(scenario: s))
        var c = Construction(order: order, padOwnDepartmentsFirst: padOwn)
        c.padEveryDepartment = reference
        return c.run(ctx, pins: PinPlacement.place(ctx), deadline: .distantFuture).schedule
    }

    @Test("the first start with the fast padding is the one drawing every department, both dispatch modes",
          arguments: districts)
    func sameFirstStart(n: Int, seed: UInt64) throws {
        for dispatch in [InspectorDispatch.random, .optimised] {
            let s = try Self.district(n, seed, dispatch: dispatch).scenario
            for (order, padOwn) in [(Construction.Order.stakesFirst, true), (.mostChecksFirst, true), (.stakesFirst, false)] {
                let fast = Self.firstStart(s, reference: false, order: order, padOwn: padOwn)
                let plain = Self.firstStart(s, reference: true, order: order, padOwn: padOwn)
                #expect(fast.visits == plain.visits, "\(n)/\(seed) \(dispatch) \(order) \(padOwn)")
                #expect(fast.remote == plain.remote)
                #expect(fast.unmet == plain.unmet)
                #expect(fast.objective == plain.objective)
            }
        }
    }

    @Test("the day-major visit counts are the days' own, after adding and removing visits", arguments: districts.prefix(3))
    func visitCounts(n: Int, seed: UInt64) throws {
        let s = try Self.district(n, seed).scenario
        var sched = Self.firstStart(s, reference: false)
        func same() -> Bool {
            for p in s.inspectors.indices {
                for d in 0..<sched.context.dayCount where sched.visitsHeld(p, d) != sched.day(p, d).slots.count { return false }
            }
            return true
        }
        #expect(sched.liveVisits.count > 0)
        #expect(same())
        for (k, v) in sched.liveVisits.enumerated() where k % 3 == 0 { sched.remove(visit: v.id) }
        #expect(same())
        let held = sched.liveVisits.first
        if let h = held {
            sched.remove(visit: h.id)
            sched.add(h.visit, as: h.id)
        }
        #expect(same())
        // What the replay holds before a visit on an empty day is that day.
        for p in s.inspectors.indices.prefix(10) {
            for d in 0..<sched.context.dayCount where sched.day(p, d).slots.isEmpty {
                var plain = InspectorDay()
                if sched.day(p, d).remoteMinutes > 0 { plain.addRemote(sched.day(p, d).remoteMinutes) }
                #expect(sched.heldDay(p, d, before: 0, enterprise: 0) == plain)
            }
        }
    }

    @Test("the check with the construction's draw shared is the check with a draw of its own", arguments: districts.prefix(3))
    func sharedDrawSameCheck(n: Int, seed: UInt64) throws {
        let input = try Self.district(n, seed)
        let plan = Solver.solve(input.scenario, scenarioData: input.data, options: TeamDrawTests.options(windows: 2))
        let cal = WorkCalendar(input.scenario.horizon)
        // A plan with one team hand-picked, so that rule 11 has something to say.
        var broken = plan
        if let k = broken.visits.indices.first(where: { !broken.visits[$0].inspectors.isEmpty }) {
            let s = input.scenario
            let member = broken.visits[k].inspectors[0]
            let dep = s.inspectors.first { $0.id == member }!.department
            if let other = s.inspectors.first(where: { $0.department == dep && $0.id != member && $0.certified
                                                       && !broken.visits[k].inspectors.contains($0.id) }) {
                broken.visits[k].inspectors[0] = other.id
                broken.visits[k].checks = broken.visits[k].checks.map { var c = $0; if c.inspector == member { c.inspector = other.id }; return c }
            }
        }
        for p in [plan, broken] {
            let own = PlanChecker(scenario: input.scenario).check(p)
            var shared = PlanChecker(scenario: input.scenario)
            let ctx = PlanningContext(input.scenario, cal, duties: Duties(scenario: input.scenario, seed: p.seed))
            shared.sharedDraw = ctx.draw
            // Orders drawn before the check, as the first start's are.
            for e in input.scenario.enterprises.indices.prefix(30) { _ = ctx.draw.order(enterprise: e, department: 0) }
            let report = shared.check(p)
            #expect(report.violations.map(\.message) == own.violations.map(\.message))
        }
        // The solve's required checks shared: the same check; those of another seed ignored.
        for p in [plan, broken] {
            let own = PlanChecker(scenario: input.scenario).check(p)
            var same = PlanChecker(scenario: input.scenario)
            same.sharedDuties = Duties(scenario: input.scenario, seed: p.seed)
            #expect(same.check(p).violations.map(\.message) == own.violations.map(\.message))
            let otherSeed = Duties(scenario: input.scenario, seed: p.seed &+ 7)
            let key = { (d: Duties) in d.duties.map { "\($0.enterprise).\($0.item).\($0.count)" } }
            #expect(key(otherSeed) != key(same.sharedDuties!), "the other seed must draw other checks, or this case says nothing")
            var wrong = PlanChecker(scenario: input.scenario)
            wrong.sharedDuties = otherSeed
            #expect(wrong.check(p).violations.map(\.message) == own.violations.map(\.message))
        }
        // A draw of another seed is not shared.
        let other = TeamDraw(input.scenario, cal, seed: 1)
        let mine = TeamDraw(input.scenario, cal, seed: 2, sharing: other)
        #expect(mine.order(enterprise: 0, department: 0) == mine.referenceOrder(enterprise: 0, department: 0))
    }
}
