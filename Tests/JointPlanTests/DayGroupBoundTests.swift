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
}
