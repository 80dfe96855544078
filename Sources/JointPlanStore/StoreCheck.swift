import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension RunStore {
    /// Checks a database file before anything opens it for writing (issue 25: another
    /// application's SQLite file was switched to WAL and given GRDB's migration table before
    /// the command failed; a damaged file was read and written without a word; a database of
    /// a newer jointplan was accepted). Through a read-only connection, so nothing is changed:
    ///
    /// - a missing or empty file is a new database: nothing to check;
    /// - a file that is not SQLite (its first 16 bytes), or not a regular file, is refused;
    /// - `PRAGMA quick_check` must say `ok`;
    /// - a database with tables must be ours: GRDB's `grdb_migrations` with our first step;
    /// - every applied step must be one this jointplan knows: an unknown one means a newer
    ///   jointplan wrote the file, and it is refused naming the step.
    static func checkBeforeOpening(_ path: String) throws {
        var st = stat()
        guard stat(path, &st) == 0 else { return }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw StoreError("the run database \(path) is not a regular file; give a database file with --db")
        }
        if st.st_size == 0 { return }
        guard let handle = FileHandle(forReadingAtPath: path) else { return }
        let magic = (try? handle.read(upToCount: 16)) ?? Data()
        try? handle.close()
        guard magic == Data("SQLite format 3\u{0}".utf8) else {
            throw StoreError("\(path) is not an SQLite database; it was left untouched (give another --db)")
        }
        var config = Configuration()
        config.readonly = true
        config.label = "jointplan.store.check"
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
            _ = try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") }
        } catch let e as DatabaseError where e.resultCode.primaryResultCode == .SQLITE_NOTADB || e.resultCode.primaryResultCode == .SQLITE_CORRUPT {
            throw StoreError("the run database \(path) is damaged (\(e.message ?? "\(e.resultCode)")); it was left untouched: restore it from a backup or give another --db")
        } catch {
            // Not readable read-only here (a WAL file whose index cannot be made, …): the
            // ordinary open reports it in its own words.
            return
        }
        do { try vet(queue, path) } catch let e as DatabaseError where e.resultCode.primaryResultCode == .SQLITE_CORRUPT || e.resultCode.primaryResultCode == .SQLITE_NOTADB {
            throw StoreError("the run database \(path) is damaged (\(e.message ?? "\(e.resultCode)")); it was left untouched: restore it from a backup or give another --db")
        }
    }

    private static func vet(_ queue: DatabaseQueue, _ path: String) throws {
        try queue.read { db in
            let check = try String.fetchAll(db, sql: "PRAGMA quick_check(5)")
            guard check == ["ok"] else {
                throw StoreError("the run database \(path) is damaged (quick_check: \(check.prefix(3).joined(separator: "; "))); it was left untouched: restore it from a backup, or check it with `sqlite3 \(path) \"PRAGMA integrity_check\"`")
            }
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            if tables.isEmpty { return }
            let known = Schema.migrator.migrations
            let notOurs = StoreError("\(path) is not a jointplan run database (it holds the tables \(tables.prefix(8).joined(separator: ", "))); it was left untouched: give another --db")
            guard tables.contains("grdb_migrations") else { throw notOurs }
            let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
            let unknown = applied.filter { !known.contains($0) }
            if !unknown.isEmpty {
                throw StoreError("the run database \(path) was written by a newer jointplan (schema step \(unknown.map { "\"\($0)\"" }.joined(separator: ", ")) is unknown to this one); it was left untouched: use that jointplan, or give another --db")
            }
            guard let first = known.first, applied.contains(first) else { throw notOurs }
        }
    }
}
