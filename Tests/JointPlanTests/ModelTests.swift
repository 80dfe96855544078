import Foundation
import GLPK
import Testing
@testable import JointPlan

/// The MathProg models in `Models/` are the programs the solver builds through the C API
/// (issue 3, "The formulation in Models/"): the same instances solved both ways have the
/// same optimum, and the data `solve --write-models` writes is the data the solver used.
@Suite("Models")
struct ModelTests {
    static let boundModel = SolverFixtures.models.appendingPathComponent("bound.mod").path
    static let dayModel = SolverFixtures.models.appendingPathComponent("day.mod").path

    /// Proven optima, with presolve off as the solver runs these programs (with GLPK's MIP
    /// presolver and cover cuts on, a day program whose visits all exceed the free team
    /// slots aborts the process inside GLPK: see GLPKTests' presolvedAwayWithCuts).
    static func exact() -> SearchParameters {
        var p = SearchParameters()
        p.relativeGap = 0
        p.timeLimit = 60
        p.presolve = false
        return p
    }

    /// A small scenario for the model tests, and whether staffing is short (the capacity
    /// relaxation then leaves work undone, so its rows bind).
    enum Case: CustomStringConvertible, Sendable {
        case generated(enterprises: Int, seed: UInt64, staffing: Double)
        case fixture(String)

        var description: String {
            switch self {
            case .generated(let n, let seed, let staffing): return "generated \(n) enterprises, seed \(seed), staffing \(staffing)"
            case .fixture(let path): return path
            }
        }

        func input() throws -> SolverFixtures.Input {
            switch self {
            case .generated(let n, let seed, let staffing): return try SolverFixtures.generated(n, seed: seed, staffing: staffing)
            case .fixture(let path): return try SolverFixtures.read(SolverFixtures.root.appendingPathComponent(path))
            }
        }

        /// Short enough that even the capacity relaxation (no days, no travel) leaves work
        /// undone, so its capacity rows bind.
        var short: Bool {
            if case .fixture(let path) = self { return path.hasSuffix("tight.json") }
            return false
        }

        /// Staffing short enough that on some days the free slots, not the supply of
        /// eligible visits, decide the day program.
        var binding: Bool {
            if case .generated(_, _, let staffing) = self { return staffing < 0.5 }
            return false
        }
    }

    static let boundCases: [Case] = [
        .generated(enterprises: 60, seed: 1, staffing: 1),
        .generated(enterprises: 150, seed: 2, staffing: 0.25),
        .generated(enterprises: 250, seed: 3, staffing: 0.4),
        .generated(enterprises: 200, seed: 4, staffing: 0.6),
        // Fractional unmet weight (D 8.5), an uncertified inspector, a recusal, the white list.
        .fixture("Tests/JointPlanTests/Fixtures/small-valid-scenario.json"),
        .fixture("Scenarios/tight.json"),
    ]

    @Test("bound.mod through MathProg and BoundModel through the C API have the same optimum; the solver's bound is built on it",
          arguments: ModelTests.boundCases)
    func boundModelBothWays(_ c: Case) throws {
        let input = try c.input()
        let s = input.scenario
        let cal = WorkCalendar(s.horizon)
        let bound = BoundModel(s, Duties(scenario: s), cal)
        let swift = try GLPKSolver.solve(bound.linearModel(), Self.exact())
        let dir = try SolverFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("bound.dat")
        try Data(bound.mathProgData().utf8).write(to: data)
        let mathProg = try MathProg.solve(model: Self.boundModel, data: data.path, Self.exact())
        #expect(swift.status == .optimal && mathProg.status == .optimal, "\(c): \(swift.status) / \(mathProg.status)")
        let z = try #require(swift.objective)
        let zm = try #require(mathProg.objective)
        #expect(abs(z - zm) <= 1e-6, "\(c): C API \(z), MathProg \(zm)")
        if c.short { #expect(z > 0.5, "\(c): staffing short, yet the relaxation leaves nothing undone") }

        // The solver writes the same data and reports a bound built on this optimum.
        var options = SolveOptions()
        options.writeModelsDirectory = dir.appendingPathComponent("written").path
        let plan = Solver.solve(s, scenarioData: input.data, options: options)
        let written = try String(contentsOf: dir.appendingPathComponent("written/bound.dat"), encoding: .utf8)
        #expect(written == bound.mathProgData(), "\(c): the solver wrote other bound data")
        let integral = s.policy.unmetWeight.values.allSatisfy { $0 == $0.rounded() }
        let best = bound.structural + (integral ? (z - 1e-6).rounded(.up) : z)
        // The solver keeps the larger of this bound and the day-grouped LP's (both valid).
        let note = plan.solver.stages.first { $0.name == "bound" }?.note ?? ""
        if note.contains("relaxation optimal") {
            #expect(plan.solver.bestBound >= best - 1e-6, "\(c): solver \(plan.solver.bestBound), structural + optimum \(best); \(note)")
        }
        #expect(plan.solver.bestBound <= plan.objective.unmetWeighted + 1e-9)
        #expect(bound.structural <= plan.objective.unmetWeighted + 1e-9)
    }

    // MARK: the day program

    /// `Models/day.mod` data as written by `DayModelData.render`.
    struct DayData {
        var classes: [String] = []
        var rows: [String] = []
        var count: [String: Double] = [:]
        var value: [String: Double] = [:]
        var cap: [String: Double] = [:]
        var use: [(row: String, column: String, value: Double)] = []

        struct Malformed: Error, CustomStringConvertible { var description: String }

        init(_ text: String) throws {
            var body = text
            while let open = body.range(of: "/*"), let close = body.range(of: "*/", range: open.upperBound..<body.endIndex) {
                body.removeSubrange(open.lowerBound..<close.upperBound)
            }
            func number(_ s: Substring) throws -> Double {
                guard let d = Double(s) else { throw Malformed(description: "not a number: \(s)") }
                return d
            }
            func pairs(_ t: ArraySlice<Substring>) throws -> [String: Double] {
                guard t.count % 2 == 0 else { throw Malformed(description: "odd pairs \(t)") }
                var out: [String: Double] = [:]
                var i = t.startIndex
                while i < t.endIndex { out[String(t[i])] = try number(t[i + 1]); i += 2 }
                return out
            }
            for statement in body.split(separator: ";") {
                let t = statement.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" })
                guard let head = t.first, head != "data", head != "end" else { continue }
                guard t.count >= 3, t[2] == ":=" else { throw Malformed(description: "statement \(statement)") }
                let rest = t.dropFirst(3)
                switch (head, t[1]) {
                case ("set", "C"): classes = rest.map(String.init)
                case ("set", "R"): rows = rest.map(String.init)
                case ("param", "count"): count = try pairs(rest)
                case ("param", "value"): value = try pairs(rest)
                case ("param", "cap"): cap = try pairs(rest)
                case ("param", "use"):
                    guard rest.count % 3 == 0 else { throw Malformed(description: "use entries not in threes") }
                    var i = rest.startIndex
                    while i < rest.endIndex { use.append((String(rest[i]), String(rest[i + 1]), try number(rest[i + 2]))); i += 3 }
                default: throw Malformed(description: "unknown statement \(head) \(t[1])")
                }
            }
        }

        /// The program day.mod states, built with the C API: maximise Σ value·y, y integer in
        /// [0, count], Σ use·y ≤ cap per row.
        func linearModel() throws -> LinearModel {
            var m = LinearModel(name: "day", sense: .maximize)
            var column: [String: Int] = [:]
            for c in classes {
                let n = try #require(count[c]), v = try #require(value[c])
                column[c] = m.addColumn("y[\(c)]", lower: 0, upper: n, cost: v, kind: .integer)
            }
            for r in rows {
                let terms = try use.filter { $0.row == r }.map { (try #require(column[$0.column]), $0.value) }
                m.addRow("capacity[\(r)]", terms, upper: try #require(cap[r]))
            }
            return m
        }
    }

    @Test("DayModelData renders a day program that parses back to the very same program")
    func dayDataRoundTrip() throws {
        var m = LinearModel(name: "day-2026-03-02", sense: .maximize)
        // A fixed linear congruential stream: the same program on every run.
        var state: UInt64 = 42
        struct Draws { var next: () -> UInt64; func int(_ r: ClosedRange<Int>) -> Int { r.lowerBound + Int(next() % UInt64(r.count)) } }
        let r = Draws { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 33 }
        let cols = (0..<9).map { m.addColumn("y[\($0 + 1)]", lower: 0, upper: Double(r.int(1...4)), cost: Double(r.int(1...900)) / 7 - 1e-4 * Double(r.int(30...200)), kind: .integer) }
        for d in 0..<4 {
            let some = cols.filter { _ in r.int(0...2) > 0 }
            m.addRow("slots[d\(d)]", some.map { ($0, Double(r.int(1...2))) }, upper: Double(r.int(2...6)))
            m.addRow("minutes[d\(d)]", some.map { ($0, Double(r.int(40...120))) }, upper: Double(r.int(200...600)))
        }
        m.addRow("slots[all]", cols.map { ($0, 2.0) }, upper: 11)
        let back = try DayData(DayModelData.render(m)).linearModel()
        #expect(back.columns.count == m.columns.count && back.rows.count == m.rows.count)
        for (a, b) in zip(m.columns, back.columns) { #expect(a.upper == b.upper && a.cost == b.cost && b.kind == .integer) }
        for (a, b) in zip(m.rows, back.rows) {
            #expect(a.upper == b.upper)
            #expect(a.terms.map(\.column) == b.terms.map(\.column) && a.terms.map(\.value) == b.terms.map(\.value))
        }
        let z = try GLPKSolver.solve(m, Self.exact()).objective
        let dir = try SolverFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(DayModelData.render(m).utf8).write(to: dir.appendingPathComponent("day.dat"))
        let zm = try MathProg.solve(model: Self.dayModel, data: dir.appendingPathComponent("day.dat").path, Self.exact()).objective
        #expect(abs(try #require(z) - (try #require(zm))) <= 1e-6)
    }

    /// Day programs whose capacity rows decide on some days (short staffing).
    static let dayCases: [Case] = [
        .generated(enterprises: 150, seed: 2, staffing: 0.25),
        .generated(enterprises: 120, seed: 8, staffing: 1),
        .fixture("Scenarios/demo.json"),
    ]

    @Test("every day program the solver wrote: day.mod through MathProg has the optimum of the same data through the C API",
          arguments: ModelTests.dayCases)
    func dayModelBothWays(_ c: Case) throws {
        let input = try c.input()
        let dir = try SolverFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        var options = SolveOptions()
        options.writeModelsDirectory = dir.path
        let plan = Solver.solve(input.scenario, scenarioData: input.data, options: options)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        let days = files.filter { $0.hasPrefix("day-") && $0.hasSuffix(".dat") }.sorted()
        // One file per day program the solver reports having solved.
        let note = plan.solver.stages.first { $0.name == "schedule" }?.note ?? ""
        let reported = note.firstMatch(of: #/(\d+) day programs/#).flatMap { Int($0.1) }
        #expect(reported == days.count, "\(c): \(days.count) files, the solver says \(note)")
        #expect(!days.isEmpty)
        // The models beside the data are the ones in Models/.
        for name in ["bound.mod", "day.mod"] {
            let copy = try Data(contentsOf: dir.appendingPathComponent(name))
            #expect(copy == (try Data(contentsOf: SolverFixtures.models.appendingPathComponent(name))), "\(name) copy differs")
        }
        var bindingDays = 0
        for name in days {
            let path = dir.appendingPathComponent(name).path
            let data = try DayData(String(contentsOfFile: path, encoding: .utf8))
            #expect(Set(data.classes) == Set(data.count.keys) && Set(data.classes) == Set(data.value.keys), "\(name)")
            #expect(Set(data.rows) == Set(data.cap.keys), "\(name)")
            #expect(data.use.allSatisfy { data.rows.contains($0.row) && data.classes.contains($0.column) }, "\(name)")
            let model = try data.linearModel()
            let swift = try GLPKSolver.solve(model, Self.exact())
            let mathProg = try MathProg.solve(model: Self.dayModel, data: path, Self.exact())
            #expect(swift.status == .optimal && mathProg.status == .optimal, "\(name): \(swift.status) / \(mathProg.status)")
            let z = try #require(swift.objective), zm = try #require(mathProg.objective)
            #expect(abs(z - zm) <= 1e-6 * max(1, abs(z)), "\(c) \(name): C API \(z), MathProg \(zm)")
            // Days on which capacity, not the supply of visits, decides.
            let unconstrained = data.classes.reduce(0.0) { $0 + max(0, data.value[$1]!) * data.count[$1]! }
            if z < unconstrained - 1e-6 { bindingDays += 1 }
        }
        if c.binding { #expect(bindingDays > 0, "\(c): no day on which capacity binds") }
    }
}
