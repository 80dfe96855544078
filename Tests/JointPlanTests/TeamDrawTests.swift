import Foundation
import Testing
@testable import JointPlan

/// Rule 11 (双随机, second half: 随机选派执法检查人员): the tickets, the one home that draws
/// teams (`TeamDraw`), the solver's plans under the draw, the checker catching a hand-picked
/// member, and the audit `explain --visit` prints.
@Suite("Inspectors drawn at random (rule 11)")
struct TeamDrawTests {
    typealias F = SolverFixtures

    /// A short solve: the work limits, not the clock, decide the plan.
    static func options(windows: Int = 20) -> SolveOptions {
        var o = SolveOptions()
        o.timeLimitSeconds = 600
        o.windows = windows
        o.iterations = 1
        return o
    }

    static func generated(_ p: DistrictParameters, name: String) throws -> F.Input {
        try F.written(DistrictGenerator.fileText(try DistrictGenerator(p).generate().scenario), name: name)
    }

    @Test("the ticket is the first 8 bytes of SHA-256(\"{seed}|{E}|{P}\"), big-endian (values from Python's hashlib)")
    func tickets() {
        #expect(Draw.ticket(seed: 20_260_101, enterprise: "E00001", inspector: "P001") == 1_876_276_399_300_414_299)
        #expect(Draw.ticket(seed: 0, enterprise: "E1", inspector: "P2") == 10_207_857_154_384_458_197)
        #expect(Draw.ticket(seed: 20_260_101, enterprise: "E19999", inspector: "P120") == 8_677_614_887_881_377_841)
        // The batch form (one enterprise, its department's inspectors) gives the same numbers,
        // ids of different lengths and in Chinese too.
        #expect(Draw.tickets(seed: 20_260_101, enterprise: "E00001", inspectors: ["P001", "P120"])
                == [1_876_276_399_300_414_299, Draw.ticket(seed: 20_260_101, enterprise: "E00001", inspector: "P120")])
        let ids = ["P1", "P0000000000000000000000000000000000000000000000000000000000002", "检查员甲", ""]
        #expect(Draw.tickets(seed: 7, enterprise: "企业-1", inspectors: ids)
                == ids.map { Draw.ticket(seed: 7, enterprise: "企业-1", inspector: $0) })
    }

    @Test("an enterprise's order is its department's inspectors by ticket, whatever their order in the file")
    func orderIgnoresFileOrder() throws {
        let input = try F.read(F.scenarios.appendingPathComponent("demo.json"))
        var reversed = input.scenario
        reversed.inspectors.reverse()
        reversed.index()
        let cal = WorkCalendar(input.scenario.horizon)
        let a = TeamDraw(input.scenario, cal), b = TeamDraw(reversed, cal)
        for e in input.scenario.enterprises.indices.prefix(20) {
            for d in input.scenario.departments.indices {
                let ids = a.order(enterprise: e, department: d).map { input.scenario.inspectors[$0].id }
                #expect(ids == b.order(enterprise: e, department: d).map { reversed.inspectors[$0].id })
                let tickets = a.order(enterprise: e, department: d).map { a.ticket(enterprise: e, inspector: $0) }
                #expect(tickets == tickets.sorted())
            }
        }
    }

    @Test("plans of generated districts of every shape pass both checkers under the draw",
          arguments: [(120, UInt64(31)), (160, UInt64(32)), (200, UInt64(35)), (140, UInt64(34))])
    func generatedDistricts(enterprises: Int, seed: UInt64) throws {
        let input = try Self.generated(DistrictParameters.random(enterprises: enterprises, seed: seed), name: "random-\(enterprises)-\(seed).json")
        #expect(input.scenario.policy.inspectorDispatch == .random)
        let plan = Solver.solve(input.scenario, scenarioData: input.data, options: Self.options())
        try F.expectValid(plan, input, "random district \(enterprises)/\(seed)")
    }

    @Test("the bundled scenarios' plans pass both checkers under the draw", arguments: ["demo.json", "tight.json"])
    func bundled(name: String) throws {
        let input = try F.read(F.scenarios.appendingPathComponent(name))
        let plan = Solver.solve(input.scenario, scenarioData: input.data, options: Self.options(windows: 10))
        try F.expectValid(plan, input, name)
    }

    @Test("a department with one inspector still gets valid plans (padding drawn from the others)")
    func oneInspectorDepartment() throws {
        var p = DistrictParameters(enterprises: 120, seed: 5)
        p.departmentSize = 1...1
        p.departments = 4
        let input = try Self.generated(p, name: "one-inspector.json")
        let sizes = Dictionary(grouping: input.scenario.inspectors, by: \.department).mapValues(\.count)
        #expect(sizes.values.contains(1))
        let plan = Solver.solve(input.scenario, scenarioData: input.data, options: Self.options(windows: 10))
        try F.expectValid(plan, input, "one inspector per department")
        #expect(!plan.visits.isEmpty)
    }

    @Test("the same seed gives the same teams byte for byte; permuting the register's inspectors changes nothing")
    func reproducible() throws {
        let input = try Self.generated(DistrictParameters.random(enterprises: 150, seed: 41), name: "repro.json")
        let a = Solver.solve(input.scenario, scenarioData: input.data, options: Self.options(windows: 10))
        let b = Solver.solve(input.scenario, scenarioData: input.data, options: Self.options(windows: 10))
        var aa = a, bb = b
        aa.solver = SolverInfo(); bb.solver = SolverInfo()
        #expect(aa.encoded() == bb.encoded())
        // The same file with the inspectors' rows in reverse order.
        var doc = try JSONParser.parse(input.data).objectValue!
        doc["inspectors"] = .array(Array(doc["inspectors"]!.arrayValue!.reversed()))
        let permuted = try F.written(JSONWriter.pretty(.object(doc)), name: "repro-permuted.json")
        let c = Solver.solve(permuted.scenario, scenarioData: permuted.data, options: Self.options(windows: 10))
        #expect(c.visits == a.visits)
        #expect(c.remoteChecks == a.remoteChecks)
        #expect(c.unmet == a.unmet)
        try F.expectValid(c, permuted, "permuted register")
    }

    @Test("a member swapped for a lower-ranked free inspector is caught, naming the visit and the candidate passed over")
    func swapCaught() throws {
        let input = try F.read(F.scenarios.appendingPathComponent("demo.json"))
        let s = input.scenario
        let plan = Solver.solve(s, scenarioData: input.data, options: Self.options(windows: 5))
        try F.expectValid(plan, input, "demo", python: false)
        // Find a visit with a member who has a lower-ranked inspector eligible and free at its turn.
        var swap: (visit: Int, member: String, other: String)?
        DrawReplay.replay(plan, draw: TeamDraw(s, WorkCalendar(s.horizon), seed: plan.seed)) { turn, replay in
            guard swap == nil else { return }
            for p in turn.team {
                let dep = replay.draw.eligibility.departmentOf[p]
                let order = replay.draw.order(enterprise: turn.enterprise, department: dep)
                guard let r = order.firstIndex(of: p) else { continue }
                for q in order[(r + 1)...] where !turn.team.contains(q)
                    && replay.whyNot(q, enterprise: turn.enterprise, day: turn.day, start: turn.visit.start, end: turn.visit.end) == nil {
                    swap = (turn.index, s.inspectors[p].id, s.inspectors[q].id)
                    return
                }
            }
        }
        let (k, member, other) = try #require(swap)
        var bad = plan
        bad.visits[k].inspectors = bad.visits[k].inspectors.map { $0 == member ? other : $0 }
        bad.visits[k].checks = bad.visits[k].checks.map { c in
            var c = c
            if c.inspector == member { c.inspector = other }
            return c
        }
        let report = PlanChecker.check(scenario: s, plan: bad)
        let rule11 = report.violations(rule: 11)
        #expect(!rule11.isEmpty)
        let id = bad.visits[k].id
        #expect(rule11.contains { $0.message.contains("visit \(id) ") && $0.message.contains("\(member) (rank") && $0.message.contains("passed over") })
        // check_plan.py agrees.
        let dir = try F.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        try bad.encoded().write(to: dir.appendingPathComponent("bad.json"))
        let verdict = try PythonVerdict.run(scenario: input.url, plan: dir.appendingPathComponent("bad.json"))
        #expect(!verdict.valid)
        #expect(verdict.messages.contains { $0.rule == 11 && $0.message.contains(id) })
    }

    @Test("under \"optimised\" the checker leaves teams to the planner and the solver picks members")
    func optimised() throws {
        var p = DistrictParameters.random(enterprises: 120, seed: 31)
        p.dispatch = .optimised
        let input = try Self.generated(p, name: "optimised.json")
        #expect(input.scenario.policy.inspectorDispatch == .optimised)
        let plan = Solver.solve(input.scenario, scenarioData: input.data, options: Self.options(windows: 10))
        try F.expectValid(plan, input, "optimised dispatch")
    }

    @Test("validate names policy.inspectorDispatch for an unknown value")
    func validateKey() throws {
        var doc = try JSONParser.parse(Data(contentsOf: F.scenarios.appendingPathComponent("demo.json"))).objectValue!
        var policy = doc["policy"]?.objectValue ?? JSONObject()
        policy["inspectorDispatch"] = .string("handpicked")
        doc["policy"] = .object(policy)
        #expect(throws: InputProblems.self) { try ScenarioReader.read(Data(JSONWriter.pretty(.object(doc)).utf8)) }
        do {
            _ = try ScenarioReader.read(Data(JSONWriter.pretty(.object(doc)).utf8))
        } catch let e as InputProblems {
            #expect(e.problems.contains { $0.path == "policy.inspectorDispatch" })
        }
        policy["inspectorDispatch"] = .string("optimised")
        doc["policy"] = .object(policy)
        #expect(try ScenarioReader.read(Data(JSONWriter.pretty(.object(doc)).utf8)).policy.inspectorDispatch == .optimised)
    }

    @Test("a day's replay finds a swapped member on that day only, and replaying that day alone settles it and keeps the other days' visits")
    func dayReplay() throws {
        let input = try F.read(F.scenarios.appendingPathComponent("demo.json"))
        let s = input.scenario
        let plan = Solver.solve(s, scenarioData: input.data, options: Self.options(windows: 5))
        let cal = WorkCalendar(s.horizon)
        let ctx = PlanningContext(s, cal, duties: Duties(scenario: s, seed: plan.seed))
        let original = Schedule(ctx, plan: plan)
        let days = Array(0..<ctx.dayCount)
        #expect(original.drawMismatches(onDays: days) == 0, "the solver's plan already breaks the draw")
        // A member and a lower-ranked inspector of the same department free at the visit's turn.
        var swap: (visit: Int, member: Int, other: Int)?
        DrawReplay.replay(plan, draw: TeamDraw(s, cal, seed: plan.seed)) { turn, replay in
            guard swap == nil else { return }
            for p in turn.team {
                let order = replay.draw.order(enterprise: turn.enterprise, department: replay.draw.eligibility.departmentOf[p])
                guard let r = order.firstIndex(of: p) else { continue }
                for q in order[(r + 1)...] where !turn.team.contains(q)
                    && replay.whyNot(q, enterprise: turn.enterprise, day: turn.day, start: turn.visit.start, end: turn.visit.end) == nil {
                    swap = (turn.index, p, q)
                    return
                }
            }
        }
        let (k, m, o) = try #require(swap)
        let e = try #require(s.enterpriseIndex[plan.visits[k].enterprise])
        let team = Set(plan.visits[k].inspectors.compactMap { s.inspectorIndex[$0] })
        let (id, v) = try #require(original.liveVisits.first { $0.visit.enterprise == e && Set($0.visit.team) == team })
        var sched = original
        var swapped = v
        swapped.team = v.team.map { $0 == m ? o : $0 }
        swapped.checks = v.checks.map { ($0.item, $0.performer == m ? o : $0.performer) }
        sched.remove(visit: id)
        sched.add(swapped, as: id)
        #expect(sched.daysDiffering(from: original) == [v.day])
        #expect(sched.drawMismatches(onDay: v.day) >= 1, "the swapped member is not found")
        #expect(sched.drawMismatches(onDays: days.filter { $0 != v.day }) == 0)
        let settled = Redraw().run(sched, days: [v.day]).schedule
        #expect(settled.drawMismatches(onDays: days) == 0)
        for (i, w) in sched.liveVisits where w.day != v.day {
            #expect(i < settled.visits.count && settled.visits[i] == w, "visit \(i) on another day changed")
        }
        #expect(settled.objective.unmetWeighted == sched.objective.unmetWeighted)
    }

    @Test("Redraw replaces hand-picked members by the draw and keeps each member's checks and the visit's length")
    func redrawStage() throws {
        let input = try F.read(F.scenarios.appendingPathComponent("demo.json"))
        var optimised = input.scenario
        optimised.policy.inspectorDispatch = .optimised
        let picked = Solver.solve(optimised, options: Self.options(windows: 0))
        let cal = WorkCalendar(input.scenario.horizon)
        let ctx = PlanningContext(input.scenario, cal, duties: Duties(scenario: input.scenario, seed: picked.seed))
        let before = Schedule(ctx, plan: picked)
        let result = Redraw().run(before)
        var plan = picked
        result.schedule.write(into: &plan, frozenVisits: [], frozenRemote: [])
        Evaluation(scenario: input.scenario, calendar: cal).finish(&plan, requiredChecks: ctx.duties.totalChecks)
        let report = PlanChecker.check(scenario: input.scenario, plan: plan)
        #expect(report.violations(rule: 11).isEmpty, "\(report.violations(rule: 11).prefix(3).map(\.message))")
        #expect(report.violations.filter { $0.rule != 10 }.isEmpty, "\(report.violations.prefix(3).map(\.message))")
        // The optimiser's teams were not the draw's (else this test shows nothing).
        #expect(result.redrawn + result.moved + result.dropped > 0)
        // Every visit kept its length and its department counts.
        let el = ctx.eligibility
        for (_, v) in result.schedule.liveVisits {
            #expect(v.checks.allSatisfy { v.team.contains($0.performer) })
            let counts = ctx.draw.counts(v.team).map(\.count).reduce(0, +)
            #expect(counts == v.team.count)
            #expect(v.team.allSatisfy { el.departmentOf[$0] >= 0 })
        }
    }

    @Test("explain --visit lists, for each member, the candidates ranked before them and why each was passed over")
    func audit() throws {
        // medium.json: departments of three to seven inspectors (tight.json has one a department).
        let input = try F.read(F.scenarios.appendingPathComponent("medium.json"))
        let plan = Solver.solve(input.scenario, scenarioData: input.data, options: Self.options(windows: 0))
        let s = input.scenario
        // A visit where someone ranked before a member was passed over.
        var found: (String, [String])?
        for v in plan.visits where found == nil {
            let lines = DrawText.audit(plan, scenario: s, visit: v.id, language: .en)
            if lines.contains(where: { $0.contains("ranked before") }) { found = (v.id, lines) }
        }
        let (id, lines) = try #require(found)
        #expect(lines.first?.contains("seed \(plan.seed)") == true)
        let v = try #require(plan.visits.first { $0.id == id })
        for p in v.inspectors { #expect(lines.contains { $0.contains("drawn: \(p)") }) }
        // Every passed-over line says why: ineligible or busy, never "should have been drawn".
        let before = lines.filter { $0.contains("ranked before") }
        #expect(before.allSatisfy { !$0.contains("should have been drawn") })
        #expect(before.allSatisfy { l in ["on leave", "recused", "not certified", "until", "visits already", "working min"].contains { l.contains($0) } })
        // Chinese too.
        let zh = DrawText.audit(plan, scenario: s, visit: id, language: .zh)
        #expect(zh.contains { $0.contains("排在前面") })
    }
}
