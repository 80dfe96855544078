import Foundation
import GLPK
import Testing
@testable import JointPlan

/// The day-grouped lower bound (issue 11, item 2): `Models/daygroup.mod` through MathProg is
/// the LP `DayGroupBound` builds through the C API, and the bound never exceeds the weighted
/// unmet work of a valid plan.
@Suite("Day-grouped bound")
struct DayGroupBoundTests {
    static let model = SolverFixtures.models.appendingPathComponent("daygroup.mod").path

    enum Case: CustomStringConvertible, Sendable {
        /// Duty rosters of `roster` days a week, departments of `size` inspectors.
        case roster(enterprises: Int, seed: UInt64, roster: Int, size: ClosedRange<Int>, staffing: Double)
        /// `DistrictParameters.random`: the robustness suite's varied shapes.
        case random(enterprises: Int, seed: UInt64)
        case fixture(String)

        var description: String {
            switch self {
            case .roster(let n, let seed, let r, let size, let st): return "roster \(r) days, \(n) enterprises, seed \(seed), departments \(size), staffing \(st)"
            case .random(let n, let seed): return "random \(n) enterprises, seed \(seed)"
            case .fixture(let p): return p
            }
        }

        func input() throws -> SolverFixtures.Input {
            switch self {
            case .roster(let n, let seed, let r, let size, let st):
                var p = DistrictParameters(enterprises: n, seed: seed)
                p.rosterDays = r
                p.departmentSize = size
                p.staffing = st
                let text = DistrictGenerator.fileText(try DistrictGenerator(p).generate().scenario)
                return try SolverFixtures.written(text, name: "daygroup-roster-\(n)-\(seed)-\(r)-\(st).json")
            case .random(let n, let seed):
                let text = DistrictGenerator.fileText(try DistrictGenerator(.random(enterprises: n, seed: seed)).generate().scenario)
                return try SolverFixtures.written(text, name: "daygroup-random-\(n)-\(seed).json")
            case .fixture(let path):
                return try SolverFixtures.read(SolverFixtures.root.appendingPathComponent(path))
            }
        }
    }

    static let bothWaysCases: [Case] = [
        .roster(enterprises: 60, seed: 1, roster: 3, size: 2...4, staffing: 1),
        .roster(enterprises: 120, seed: 2, roster: 2, size: 2...3, staffing: 0.5),
        .random(enterprises: 80, seed: 5),
        // Fractional unmet weight, an uncertified inspector, a recusal, the white list.
        .fixture("Tests/JointPlanTests/Fixtures/small-valid-scenario.json"),
    ]

    @Test("daygroup.mod through MathProg and DayGroupBound through the C API have the same LP optimum",
          arguments: DayGroupBoundTests.bothWaysCases)
    func bothWays(_ c: Case) throws {
        let input = try c.input()
        let s = input.scenario
        let bound = DayGroupBound(scenario: s, duties: Duties(scenario: s), calendar: WorkCalendar(s.horizon))
        let m = bound.linearModel()
        #expect(!m.columns.isEmpty, "\(c): empty LP")
        var p = SearchParameters()
        p.relaxationOnly = true
        p.timeLimit = 60
        let swift = try GLPKSolver.solve(m, p)
        let dir = try SolverFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("daygroup.dat")
        try Data(bound.mathProgData().utf8).write(to: data)
        let mathProg = try MathProg.solve(model: Self.model, data: data.path, p)
        #expect(swift.status == .optimal && mathProg.status == .optimal, "\(c): \(swift.status) / \(mathProg.status)")
        let z = try #require(swift.objective), zm = try #require(mathProg.objective)
        #expect(abs(z - zm) <= 1e-6 * max(1, abs(z)), "\(c): C API \(z), MathProg \(zm)")
        // The interior point's dual bound is the optimum (up to its tolerance), never above it.
        let lp = try GLPKSolver.solveLP(m)
        #expect(lp.bound <= z + 1e-6 * max(1, abs(z)) && lp.bound >= z - 1e-3 * max(1, abs(z)), "\(c): dual bound \(lp.bound), optimum \(z); \(lp.note)")
        let (b, note) = bound.solve(timeLimit: 30, cancel: nil)
        #expect(b <= (z + 1e-6 * max(1, abs(z))).rounded(.up) && b >= 0, "\(c): \(b) against \(z); \(note)")
    }

    static let planCases: [Case] = [
        .roster(enterprises: 150, seed: 11, roster: 3, size: 2...4, staffing: 1),
        .roster(enterprises: 150, seed: 12, roster: 3, size: 2...4, staffing: 0.5),
        .roster(enterprises: 200, seed: 13, roster: 1, size: 2...3, staffing: 0.5),
        .roster(enterprises: 250, seed: 14, roster: 2, size: 2...4, staffing: 0.35),
        .random(enterprises: 150, seed: 21),
        .random(enterprises: 150, seed: 22),
        .random(enterprises: 200, seed: 23),
        .random(enterprises: 200, seed: 24),
        .random(enterprises: 250, seed: 25),
        .random(enterprises: 120, seed: 26),
        .fixture("Scenarios/tight.json"),
        .fixture("Tests/JointPlanTests/Fixtures/small-valid-scenario.json"),
    ]

    @Test("the bound never exceeds the weighted unmet work of the solver's plan, checked valid by PlanChecker",
          arguments: DayGroupBoundTests.planCases)
    func belowValidPlans(_ c: Case) throws {
        let input = try c.input()
        let s = input.scenario
        var options = SolveOptions()
        options.timeLimitSeconds = 60
        let plan = Solver.solve(s, scenarioData: input.data, options: options)
        let report = PlanChecker.check(scenario: s, plan: plan, scenarioData: input.data)
        // The bound leaves pins out (they only restrict plans), so a plan that let a pin go
        // (rule 9, when pins cannot all hold) still has to be above it.
        let broken = report.violations.filter { $0.rule != 9 }
        try #require(broken.isEmpty, "\(c): plan not valid: \(broken.prefix(3).map(\.message))")
        let cal = WorkCalendar(s.horizon)
        let duties = Duties(scenario: s, seed: plan.seed)
        let (b, note) = DayGroupBound(scenario: s, duties: duties, calendar: cal).solve(timeLimit: 30, cancel: nil)
        #expect(b <= plan.objective.unmetWeighted + 1e-9, "\(c): bound \(b) above the plan's \(plan.objective.unmetWeighted); \(note)")
        #expect(note.contains("optimal"), "\(c): \(note)")
    }

    @Test("merging day groups only relaxes: the LP optimum never rises as the groups get fewer, and none passes the plan")
    func mergingRelaxes() throws {
        let input = try Case.roster(enterprises: 200, seed: 13, roster: 1, size: 2...3, staffing: 0.5).input()
        let s = input.scenario
        let cal = WorkCalendar(s.horizon), duties = Duties(scenario: s)
        var p = SearchParameters()
        p.relaxationOnly = true
        var last = -Double.infinity
        var groups: [Int] = []
        for g in [1, 2, 4, 8, 1000] {
            let bound = DayGroupBound(scenario: s, duties: duties, calendar: cal, maxGroups: g)
            groups.append(bound.groups.count)
            let z = try #require(try GLPKSolver.solve(bound.linearModel(), p).objective)
            #expect(z >= last - 1e-6 * max(1, abs(z)), "\(g) groups: \(z) below \(last) with fewer groups")
            last = z
        }
        #expect(groups.first == 1 && groups.last! > 8, "groups \(groups)")
        let plan = Solver.solve(s, scenarioData: input.data)
        #expect(last <= plan.objective.unmetWeighted + 1e-6, "LP \(last) above the plan's \(plan.objective.unmetWeighted)")
    }

    @Test("cancelled before it starts: bound 0, said so")
    func cancelled() throws {
        let input = try Case.roster(enterprises: 60, seed: 1, roster: 3, size: 2...4, staffing: 1).input()
        let s = input.scenario
        let cancel = Cancellation()
        cancel.cancel()
        let (b, note) = DayGroupBound(scenario: s, duties: Duties(scenario: s), calendar: WorkCalendar(s.horizon)).solve(timeLimit: 5, cancel: cancel)
        #expect(b == 0 && note.contains("cancelled"))
    }

    // MARK: Issue 22, a closer bound

    @Test("dayVisits: k visits need Σ min(caps, k) ≥ team·k")
    func dayVisits() {
        #expect(DayGroupBound.dayVisits(caps: [1, 1, 1], team: 2) == 1)   // 1.5 by slots
        #expect(DayGroupBound.dayVisits(caps: [3, 3, 3], team: 2) == 4)   // 4.5 by slots
        #expect(DayGroupBound.dayVisits(caps: [4, 1], team: 2) == 1)      // 2.5 by slots: 2 distinct members each
        #expect(DayGroupBound.dayVisits(caps: [4, 4], team: 2) == 4)
        #expect(DayGroupBound.dayVisits(caps: [5], team: 2) == 0)         // one inspector makes no team
        #expect(DayGroupBound.dayVisits(caps: [2, 2, 2], team: 3) == 2)
        #expect(DayGroupBound.dayVisits(caps: [], team: 2) == 0)
    }

    @Test("the day's visit row closes the LP on the hand-made day: bound 3 (the optimum), where the LP without it sent 1.5 visits and left 2")
    func dayVisitRow() throws {
        let input = try SolverFixtures.written(ExactBoundTests.oneVisitDay, name: "one-visit-day-lp.json")
        let s = input.scenario
        let bound = DayGroupBound(scenario: s, duties: Duties(scenario: s), calendar: WorkCalendar(s.horizon))
        #expect(bound.groups.map(\.visitsMax) == [1])
        let m = bound.linearModel()
        #expect(m.rows.contains { $0.name.hasPrefix("dayvisits[") }, "no dayvisits row: \(m.rows.map(\.name))")
        var p = SearchParameters()
        p.relaxationOnly = true
        let z = try #require(try GLPKSolver.solve(m, p).objective)
        // Without the row the LP's optimum is 2 (C visited, B half visited); with it 3 exactly.
        #expect(abs(z - 3) <= 1e-9, "LP optimum \(z)")
        let (b, note) = bound.solve(timeLimit: 30, cancel: nil)
        #expect(b == 3, "\(note)")
    }

    @Test("too many rows for a solve: first the length rows go, then groups merge; solved, not left out, and only ever relaxed")
    func coarserWhenTooLarge() throws {
        let input = try Case.roster(enterprises: 200, seed: 13, roster: 1, size: 2...3, staffing: 0.5).input()
        let s = input.scenario
        let cal = WorkCalendar(s.horizon), duties = Duties(scenario: s)
        let coarse = DayGroupBound(scenario: s, duties: duties, calendar: cal)
        let rows = coarse.linearModel().rows.count
        try #require(coarse.groups.count > 2, "groups \(coarse.groups.count)")
        var p = SearchParameters()
        p.relaxationOnly = true
        let zCoarse = try #require(try GLPKSolver.solve(coarse.linearModel(), p).objective)
        // A little over: the length rows go, the groups stay.
        let lean = DayGroupBound.finest(scenario: s, duties: duties, calendar: cal, maxRows: rows - 1, solveRows: rows - 1)
        #expect(!lean.lengthRows && lean.groups.count == coarse.groups.count && lean.linearModel().rows.count <= rows - 1,
                "\(lean.groups.count) groups, length rows \(lean.lengthRows), \(lean.linearModel().rows.count) rows against \(rows)")
        // Far over: groups merge too.
        let fewer = DayGroupBound.finest(scenario: s, duties: duties, calendar: cal, maxRows: rows / 2, solveRows: rows / 2)
        #expect(fewer.groups.count < coarse.groups.count && fewer.linearModel().rows.count <= rows / 2,
                "\(fewer.groups.count) groups, \(fewer.linearModel().rows.count) rows against \(rows / 2)")
        for b in [lean, fewer] {
            let z = try #require(try GLPKSolver.solve(b.linearModel(), p).objective)
            #expect(z <= zCoarse + 1e-6 * max(1, abs(zCoarse)), "fewer rows only relax: \(z) > \(zCoarse)")
            let (bound, note) = b.solve(timeLimit: 60, cancel: nil)
            #expect(bound > 0 || z <= 1e-6, "\(note)")
        }
    }

    /// Small random districts, both dispatch modes, no pins (the LP leaves pins out).
    static let validityCases: [(UInt64, InspectorDispatch)] = [
        (101, .optimised), (102, .random), (103, .optimised), (104, .random), (105, .optimised),
        (106, .random), (107, .optimised), (108, .random), (109, .optimised), (110, .random),
    ]

    @Test("on small random districts the strengthened LP bound is at most the exact integer program's optimum and the weighted unmet work of jointplan's and first-fit's valid plans",
          arguments: DayGroupBoundTests.validityCases)
    func belowPlansAndExact(seed: UInt64, dispatch: InspectorDispatch) throws {
        var params = DistrictParameters.random(enterprises: 40 + Int(seed % 5) * 15, seed: seed)
        params.pins = 0
        params.dispatch = dispatch
        params.staffing = [0.2, 0.3, 0.4][Int(seed % 3)]
        let text = DistrictGenerator.fileText(try DistrictGenerator(params).generate().scenario)
        let input = try SolverFixtures.written(text, name: "closer-bound-\(seed).json")
        let s = input.scenario
        let plan = Solver.solve(s, scenarioData: input.data, options: SolverFixtures.workLimited(windows: 10))
        try SolverFixtures.expectValid(plan, input, "seed \(seed)", python: false)
        let duties = Duties(scenario: s, seed: plan.seed), cal = WorkCalendar(s.horizon)
        let (b, note) = DayGroupBound.finest(scenario: s, duties: duties, calendar: cal, maxRows: DayGroupBound.finestRows)
            .solve(timeLimit: 600, cancel: nil)
        let u = plan.objective.unmetWeighted
        #expect(b <= u + 1e-9, "seed \(seed): LP bound \(b) above jointplan's \(u); \(note)")
        #expect(plan.solver.bestBound <= u + 1e-9, "seed \(seed): bestBound \(plan.solver.bestBound) above \(u)")
        let exact = ExactBound(scenario: s, duties: duties, calendar: cal).solve(deadline: Date().addingTimeInterval(600), stop: { false })
        if exact.unmetOptimal {
            #expect(b <= exact.unmet + 1e-9, "seed \(seed): LP bound \(b) above the integer optimum \(exact.unmet)")
            #expect(exact.unmet <= u + 1e-9, "seed \(seed): integer optimum \(exact.unmet) above jointplan's \(u)")
        }
        // first-fit's plan (`../shared/peers/firstfit.py joint`), when it makes one.
        let dir = try SolverFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let peerURL = dir.appendingPathComponent("peer.json")
        let run = try Shell.run(["python3", RobustnessHarness.peer.path, "joint", input.url.path, "-o", peerURL.path])
        try #require(run.status == 0, "firstfit.py exits \(run.status): \(run.stderr.suffix(300))")
        let peer = try PlanReader.read(Data(contentsOf: peerURL))
        let report = PlanChecker.check(scenario: s, plan: peer)
        try #require(report.valid, "first-fit's plan is invalid: \(report.violationCounts)")
        let theirs = Evaluation(scenario: s).objective(peer).unmetWeighted
        #expect(b <= theirs + 1e-9, "seed \(seed): LP bound \(b) above first-fit's \(theirs)")
        if exact.unmetOptimal { #expect(exact.unmet <= theirs + 1e-9, "seed \(seed): integer optimum \(exact.unmet) above first-fit's \(theirs)") }
    }
}
