import Foundation
import JointPlan
import Testing
@testable import JointPlanStore

/// Issue 12: `runs list/show/export` open the database read-only. The tests run as root,
/// whom permission bits do not stop, so "read-only" is checked where root cannot cheat: the
/// connection itself (`PRAGMA query_only`, a write refused by SQLite), and the file's bytes
/// (unchanged after reading). `ReadOnlyRunsCommandTests` runs the commands as nobody, for
/// whom the bits hold.
@Suite struct ReadOnlyStoreTests {
    /// The file's bytes, to show that reading changed none of them.
    static func digest(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    @Test func aReadOnlyStoreReadsEverythingAndCannotWrite() throws {
        let dir = try Scratch.directory()
        let path = dir.appendingPathComponent("runs.sqlite").path
        let (scenario, data, plan) = try Scratch.solvedDistrict()
        let id = try RunStore(path: path).record(scenario: scenario, scenarioJSON: data, plan: plan, options: SolveOptions())
        chmod(path, 0o444)
        let before = try Self.digest(path)

        let store = try RunStore(readOnlyAt: path)
        #expect(store.isReadOnly)
        #expect(try store.refusesWrites())
        #expect(try store.listRuns().map(\.id) == [id])
        #expect(try store.run(id: id)?.plan().visits == plan.visits)
        #expect(try store.scenarioJSON(runId: id) == String(decoding: data, as: UTF8.self))
        #expect(try store.visits(VisitQuery(runId: id)).count == plan.visits.count)
        // Root could write the 0444 file; the connection must refuse.
        #expect(throws: (any Error).self) { try store.deleteRun(id: id) }
        #expect(throws: (any Error).self) {
            try store.record(scenario: scenario, scenarioJSON: data, plan: plan, options: SolveOptions())
        }
        #expect(try Self.digest(path) == before)
        #expect(try RunStore(readOnlyAt: path).listRuns().count == 1)
    }

    @Test func aMissingSchemaIsRefusedNotMigrated() throws {
        let dir = try Scratch.directory()
        let path = dir.appendingPathComponent("empty.sqlite").path
        FileManager.default.createFile(atPath: path, contents: nil)
        #expect(throws: StoreError.self) { try RunStore(readOnlyAt: path) }
        // Nothing was written into it.
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).isEmpty)
    }
}
