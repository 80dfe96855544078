import Foundation
import JointPlan
import Testing
@testable import JointPlanStore

@Suite struct RunStoreTests {
    @Test func aRecordedRunReadsBackAsItWasSolved() throws {
        let dir = try Scratch.directory()
        let path = dir.appendingPathComponent("runs.sqlite").path
        let (scenario, data, plan) = try Scratch.solvedDistrict()
        #expect(plan.visits.count > 5)
        var options = SolveOptions()
        options.timeLimitSeconds = 20
        options.seed = 7

        let store = try RunStore(path: path)
        let id = try store.record(scenario: scenario, scenarioJSON: data, plan: plan, options: options)
        let runs = try store.listRuns()
        #expect(runs.map(\.id) == [id])
        let s = try #require(runs.first)
        #expect(s.objective == plan.objective)
        #expect(s.status == plan.status.rawValue)
        #expect(s.seed == plan.seed)
        #expect(s.scenarioSHA256 == plan.scenarioSHA256)
        #expect(s.visitCount == plan.visits.count)
        #expect(s.checkCount == plan.visits.reduce(0) { $0 + $1.checks.count })
        #expect(s.options["seed"] == .number("7"))
        #expect(s.options["timeLimitSeconds"]?.doubleValue == 20)

        // A fresh connection (another process would see the same) reads the same run back.
        let reopened = try RunStore(path: path)
        let stored = try #require(try reopened.run(id: id))
        let back = try stored.plan()
        #expect(back.visits == plan.visits)
        #expect(back.remoteChecks == plan.remoteChecks)
        #expect(back.unmet == plan.unmet)
        #expect(back.seed == plan.seed && back.status == plan.status && back.objective == plan.objective)
        #expect(stored.kpis == plan.kpis.json)
        #expect(try reopened.scenarioJSON(runId: id) == String(decoding: data, as: UTF8.self))

        // A second run of the same scenario shares its scenario row; newest first.
        let second = try reopened.record(scenario: scenario, scenarioJSON: data, plan: plan, options: SolveOptions(), method: "greedyJoint")
        let both = try reopened.listRuns()
        #expect(both.map(\.id) == [second, id])
        #expect(both[0].scenarioId == both[1].scenarioId)
        #expect(both[0].method == "greedyJoint")
        #expect(try reopened.listRuns(limit: 1).map(\.id) == [second])
        #expect(try reopened.integrityCheck() == ["ok"])
    }

    @Test func visitsAreFoundByTownDepartmentInspectorAndDate() throws {
        let dir = try Scratch.directory()
        let (scenario, data, plan) = try Scratch.solvedDistrict(seed: 2)
        let store = try RunStore(path: dir.appendingPathComponent("runs.sqlite").path)
        let id = try store.record(scenario: scenario, scenarioJSON: data, plan: plan, options: SolveOptions())

        func ids(_ q: VisitQuery) throws -> Set<String> { Set(try store.visits(q).map(\.visitId)) }
        func expected(_ keep: (Visit) -> Bool) -> Set<String> { Set(plan.visits.filter(keep).map(\.id)) }
        func department(_ c: Check) -> String { scenario.item(c.item)!.department }

        #expect(try ids(VisitQuery(runId: id)) == expected { _ in true })
        let first = try #require(plan.visits.first)
        let town = scenario.enterprise(first.enterprise)!.town
        #expect(try ids(VisitQuery(runId: id, town: town)) == expected { scenario.enterprise($0.enterprise)!.town == town })
        let dept = department(first.checks[0])
        #expect(try ids(VisitQuery(runId: id, department: dept)) == expected { $0.checks.contains { department($0) == dept } })
        let inspector = first.inspectors.last!
        #expect(try ids(VisitQuery(runId: id, inspector: inspector)) == expected { $0.inspectors.contains(inspector) })
        #expect(try ids(VisitQuery(runId: id, date: DateSpan(first.date, first.date))) == expected { $0.date == first.date })
        let span = DateSpan(first.date, first.date + 20)
        let combined = try ids(VisitQuery(runId: id, department: dept, inspector: inspector, date: span))
        #expect(combined == expected { v in
            span.contains(v.date) && v.inspectors.contains(inspector) && v.checks.contains { department($0) == dept }
        })
        #expect(try store.visits(runId: id, town: "no such town").isEmpty)
        #expect(try store.visits(runId: id, town: town).count == expected { scenario.enterprise($0.enterprise)!.town == town }.count)

        // A visit row carries what a calendar needs.
        let row = try #require(try store.visits(VisitQuery(runId: id)).first { $0.visitId == first.id })
        #expect(row.enterprise == first.enterprise && row.date == first.date.description)
        #expect(row.start == ClockTime.format(first.start) && row.end == ClockTime.format(first.end))
        #expect(row.inspectors == first.inspectors)
        #expect(Set(row.departments) == Set(first.checks.map(department)))
    }

    @Test func deletingARunRemovesItsVisitsAndChecks() throws {
        let dir = try Scratch.directory()
        let (scenario, data, plan) = try Scratch.solvedDistrict()
        let store = try RunStore(path: dir.appendingPathComponent("runs.sqlite").path)
        let keep = try store.record(scenario: scenario, scenarioJSON: data, plan: plan, options: SolveOptions())
        let gone = try store.record(scenario: scenario, scenarioJSON: data, plan: plan, options: SolveOptions())
        #expect(try store.deleteRun(id: gone))
        #expect(try store.deleteRun(id: gone) == false)
        #expect(try store.run(id: gone) == nil)
        #expect(try store.visits(VisitQuery(runId: gone)).isEmpty)
        #expect(try store.visits(VisitQuery(runId: keep)).count == plan.visits.count)
        #expect(try store.listRuns().map(\.id) == [keep])
        #expect(try store.incompleteRuns().isEmpty)
        // The last run of a scenario takes the scenario with it.
        #expect(try store.deleteRun(id: keep))
        #expect(try store.scenarioJSON(runId: keep) == nil)
        #expect(try store.orphanVisitCount() == 0)
        #expect(try store.integrityCheck() == ["ok"])
    }

    @Test func aRecordingThatFailsHalfWayLeavesNothing() throws {
        let dir = try Scratch.directory()
        let (scenario, data, plan) = try Scratch.solvedDistrict()
        let store = try RunStore(path: dir.appendingPathComponent("runs.sqlite").path)
        // The last visit repeats the first one's id: the insert fails after every other
        // visit was written, inside the run's transaction.
        var broken = plan
        var twin = broken.visits[broken.visits.count - 1]
        twin.id = broken.visits[0].id
        broken.visits[broken.visits.count - 1] = twin
        #expect(throws: (any Error).self) {
            try store.record(scenario: scenario, scenarioJSON: data, plan: broken, options: SolveOptions())
        }
        #expect(try store.listRuns().isEmpty)
        #expect(try store.visits(VisitQuery()).isEmpty)
        #expect(try store.scenarioJSON(runId: 1) == nil)

        var anonymous = plan
        anonymous.scenarioSHA256 = ""
        #expect(throws: StoreError.self) {
            try store.record(scenario: scenario, scenarioJSON: data, plan: anonymous, options: SolveOptions())
        }
        #expect(try store.listRuns().isEmpty)
    }

    /// The acceptance test of "nothing lost": a process recording a large run (30,000
    /// visits, 90,000 checks, 60,000 team rows in one transaction) is killed with SIGKILL
    /// when a third of it is written; the database reopens sound, with the earlier run
    /// complete and nothing of the killed one.
    @Test func aProcessKilledWhileRecordingLeavesNoPartialRun() throws {
        let dir = try Scratch.directory()
        let db = dir.appendingPathComponent("runs.sqlite").path
        let (first, firstOut) = try Executable.start(["runs", "stress", "--db", db, "--visits", "2000"])
        _ = readLines(firstOut) { _ in false }
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)

        let (victim, out) = try Executable.start(["runs", "stress", "--db", db, "--visits", "30000"])
        let seen = readLines(out) { $0 == "visits 10000" }
        #expect(seen.last == "visits 10000", "the recording did not get under way: \(seen)")
        kill(victim.processIdentifier, SIGKILL)
        victim.waitUntilExit()
        #expect(victim.terminationReason == .uncaughtSignal && victim.terminationStatus == SIGKILL)

        let store = try RunStore(path: db)
        #expect(try store.integrityCheck() == ["ok"])
        let runs = try store.listRuns()
        #expect(runs.map(\.visitCount) == [2000])
        #expect(try store.incompleteRuns().isEmpty)
        #expect(try store.orphanVisitCount() == 0)
        #expect(try store.visits(VisitQuery()).count == 2000)
        print("kill test: SIGKILL after \(seen.last ?? "?") of 30000; integrity_check ok; runs \(runs.map(\.id)), \(try store.visits(VisitQuery()).count) visits, no partial run")

        // The database takes the next run as usual.
        let (again, againOut) = try Executable.start(["runs", "stress", "--db", db, "--visits", "500"])
        _ = readLines(againOut) { _ in false }
        again.waitUntilExit()
        #expect(again.terminationStatus == 0)
        #expect(try store.listRuns().map(\.visitCount) == [500, 2000])
    }

    /// Two processes recording runs into one new database at the same time both succeed
    /// (WAL, busy timeout, and a migration that tolerates a concurrent first open).
    @Test func twoProcessesRecordingAtOnceBothSucceed() throws {
        let dir = try Scratch.directory()
        let db = dir.appendingPathComponent("runs.sqlite").path
        let a = try Executable.start(["runs", "stress", "--db", db, "--visits", "8000"])
        let b = try Executable.start(["runs", "stress", "--db", db, "--visits", "8000"])
        let outA = readLines(a.1) { _ in false }, outB = readLines(b.1) { _ in false }
        a.0.waitUntilExit()
        b.0.waitUntilExit()
        #expect(a.0.terminationStatus == 0, "first writer: \(outA.suffix(2))")
        #expect(b.0.terminationStatus == 0, "second writer: \(outB.suffix(2))")
        let store = try RunStore(path: db)
        #expect(try store.listRuns().map(\.visitCount) == [8000, 8000])
        #expect(try store.incompleteRuns().isEmpty)
        #expect(try store.integrityCheck() == ["ok"])
    }
}
