import Foundation
import GRDB
import Testing
@testable import JointPlanStore

/// Issue 25: the store checks a file before it writes to it.
@Suite struct StoreCheckTests {
    let dir: String
    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("store-check-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    /// Byte 18 of an SQLite header: 1 for a rollback journal, 2 for WAL.
    func journalByte(_ path: String) throws -> UInt8 { try Data(contentsOf: URL(fileURLWithPath: path))[18] }

    @Test func anotherApplicationsDatabaseIsRefusedUntouched() throws {
        let path = dir + "/other.sqlite"
        do {
            let q = try DatabaseQueue(path: path)
            try q.write { db in try db.execute(sql: "CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount REAL); INSERT INTO invoices VALUES (1, 9.5)") }
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        do { _ = try RunStore(path: path); Issue.record("a foreign database was opened") } catch let e as StoreError {
            #expect(e.message.contains("not a jointplan run database"))
            #expect(e.message.contains("invoices"))
        }
        #expect(throws: StoreError.self) { try RunStore(readOnlyAt: path) }
        // Not switched to WAL, no migration table, not a byte changed.
        #expect(try journalByte(path) == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test func aFileThatIsNotSQLiteIsRefused() throws {
        let path = dir + "/notes.sqlite"
        try Data("my notes, not a database".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: StoreError.self) { try RunStore(path: path) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "my notes, not a database")
    }

    @Test func aDatabaseOfANewerJointplanIsRefusedNamingTheStep() throws {
        let path = dir + "/runs.sqlite"
        do {
            let store = try RunStore(path: path)
            try store.pool.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9 inspections by drone')") }
        }
        do { _ = try RunStore(path: path); Issue.record("a newer schema was accepted") } catch let e as StoreError {
            #expect(e.message.contains("v9 inspections by drone"))
            #expect(e.message.contains("newer jointplan"))
        }
        #expect(throws: StoreError.self) { try RunStore(readOnlyAt: path) }
    }

    @Test func aDamagedDatabaseIsRefused() throws {
        let path = dir + "/runs.sqlite"
        do {
            let store = try RunStore(path: path)
            try store.pool.write { db in
                try db.execute(sql: "CREATE TABLE filler (x TEXT)")
                for i in 0..<2000 { try db.execute(sql: "INSERT INTO filler VALUES (?)", arguments: [String(repeating: "x", count: 100) + "\(i)"]) }
            }
        }
        // Fold the WAL back into the file, then scribble over pages in its middle.
        do {
            let q = try DatabaseQueue(path: path)
            try q.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE") }
        }
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        let page = 4096
        try #require(data.count > 20 * page)
        for i in (8 * page)..<(12 * page) { data[i] = UInt8(truncatingIfNeeded: i &* 31) }
        try data.write(to: URL(fileURLWithPath: path))
        do { _ = try RunStore(path: path); Issue.record("a damaged database was opened") } catch let e as StoreError {
            #expect(e.message.contains("damaged"))
        }
    }

    @Test func aNewAndAnOrdinaryDatabaseStillOpen() throws {
        let path = dir + "/runs.sqlite"
        _ = try RunStore(path: path)
        _ = try RunStore(path: path)
        _ = try RunStore(readOnlyAt: path)
        FileManager.default.createFile(atPath: dir + "/empty.sqlite", contents: Data())
        _ = try RunStore(path: dir + "/empty.sqlite")
    }
}
