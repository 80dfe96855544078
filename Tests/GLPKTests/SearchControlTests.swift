import Foundation
import GLPK
import Testing

/// Controlling a search that would run long: the time limit, a stop on request, progress
/// reports, and independent searches on parallel OS threads (GLPK's environment is
/// thread-local in Debian's build).
@Suite("GLPK search control")
struct SearchControlTests {
    /// 60 items, 5 rows: GLPK does not prove its optimum within a minute on this machine.
    static let hard = Instances.Knapsack(items: 60, dimensions: 5, seed: 2026)

    /// The LP relaxation's value: no bound of the integer search may be weaker than it.
    static func relaxation(_ m: LinearModel) throws -> Double {
        var p = SearchParameters()
        p.relaxationOnly = true
        return try #require(GLPKSolver.solve(m, p).objective)
    }

    @Test("a 1 s time limit on a hard 60-item knapsack returns within a few seconds with a solution and a bound on the right side",
          arguments: [false, true])
    func timeLimit(negated: Bool) throws {
        let m = Self.hard.model(negated: negated)
        let lp = try Self.relaxation(m)
        var p = SearchParameters()
        p.timeLimit = 1
        p.relativeGap = 0
        let clock = Date()
        let r = try GLPKSolver.solve(m, p)
        let wall = Date().timeIntervalSince(clock)
        #expect(wall < 4, "took \(wall) s")
        #expect(r.status == .feasible || r.status == .optimal, "\(r.status): \(r.note)")
        let z = try #require(r.objective)
        let b = try #require(r.bound)
        #expect(Instances.isSolution(r.values, of: m, objective: z))
        if negated {
            // Minimising: the bound is a lower bound, between the relaxation and the objective.
            #expect(b <= z + 1e-6 && b >= lp - 1e-6, "relaxation \(lp), bound \(b), objective \(z)")
        } else {
            #expect(b >= z - 1e-6 && b <= lp + 1e-6, "relaxation \(lp), bound \(b), objective \(z)")
        }
        if r.status == .feasible { #expect(r.note == "time limit") }
    }

    @Test("shouldStop returning true stops the search at once (glp_ios_terminate); after a few polls it stops there",
          arguments: [true, false])
    func stopOnRequest(presolve: Bool) throws {
        let m = Self.hard.model()
        var p = SearchParameters()
        p.timeLimit = 30
        p.relativeGap = 0
        p.presolve = presolve
        p.shouldStop = { true }
        let clock = Date()
        let r = try GLPKSolver.solve(m, p)
        #expect(Date().timeIntervalSince(clock) < 3)
        #expect(r.note == "stopped on request")
        #expect(r.status == .feasible || r.status == .noSolution)

        let polls = Recorder<Int>()
        p.shouldStop = { polls.append(1); return polls.all.count >= 50 }
        let clock2 = Date()
        let later = try GLPKSolver.solve(m, p)
        #expect(Date().timeIntervalSince(clock2) < 10)
        #expect(polls.all.count == 50)
        #expect(later.note == "stopped on request")
    }

    @Test("progress reports arrive during a search: nodes never decrease, incumbents within the bound")
    func progress() throws {
        let reports = Recorder<SearchProgress>()
        var p = SearchParameters()
        p.timeLimit = 1.5
        p.relativeGap = 0
        p.progress = { reports.append($0) }
        let r = try GLPKSolver.solve(Self.hard.model(), p)
        let seen = reports.all
        #expect(!seen.isEmpty)
        #expect(zip(seen, seen.dropFirst()).allSatisfy { $0.nodes <= $1.nodes })
        #expect(seen.contains { $0.incumbent != nil })
        for s in seen {
            if let i = s.incumbent, let b = s.bound { #expect(i <= b + 1e-6, "incumbent \(i) above bound \(b)") }
            if let i = s.incumbent { #expect(i <= (r.objective ?? .infinity) + 1e-6, "an incumbent better than the final solution") }
        }
    }

    @Test("an absolute gap stops the search as soon as incumbent and bound are that close")
    func absoluteGap() throws {
        var p = SearchParameters()
        p.timeLimit = 20
        p.relativeGap = 0
        p.absoluteGap = 1e9   // any incumbent is close enough
        let clock = Date()
        let r = try GLPKSolver.solve(Self.hard.model(), p)
        #expect(Date().timeIntervalSince(clock) < 5)
        #expect(r.status == .optimal, "proven within the absolute gap")
        #expect(r.note == "absolute gap reached")
    }

    @Test("four searches on four threads give exactly the sequential results")
    func parallelThreads() throws {
        let models = (0..<4).map { Instances.Knapsack(items: 24, dimensions: 3, seed: 500 + UInt64($0)).model() }
        var p = SearchParameters()
        p.relativeGap = 0
        p.timeLimit = 30
        let sequential = try models.map { try GLPKSolver.solve($0, p) }
        for r in sequential { #expect(r.status == .optimal) }

        let results = Recorder<(Int, SearchResult?)>()
        let params = p
        var threads: [GLPKThread] = []
        for (n, m) in models.enumerated() {
            let t = try GLPKThread(name: "search-\(n)")
            t.submit { results.append((n, try? GLPKSolver.solve(m, params))) }
            threads.append(t)
        }
        for t in threads { t.join() }
        let parallel = Dictionary(uniqueKeysWithValues: results.all.map { ($0.0, $0.1) })
        for n in models.indices {
            let r = try #require(parallel[n] ?? nil, "thread \(n) failed")
            #expect(r.status == sequential[n].status)
            #expect(r.objective == sequential[n].objective, "model \(n)")
            #expect(r.values == sequential[n].values, "model \(n)")
        }
    }
}
