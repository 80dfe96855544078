import Foundation
import GRDB
import JointPlan

/// The planning office's archive of runs (spec 4, Store): an SQLite database holding the
/// scenarios (once per content hash), every recorded run (options, seed, status, objective,
/// KPIs, timings, engine, plan) and its visits and checks, queryable by town, department,
/// inspector and date.
///
/// The file is opened in WAL mode with a busy timeout, so the command line and a running
/// `jointplan serve` can use one database at once: readers never wait, and a writer waits
/// up to `busyTimeout` for another process's write to finish. A run is recorded in one
/// transaction, so a crash or a kill leaves either the whole run or nothing.
///
/// Topics: `record(scenario:scenarioJSON:plan:options:method:planDocument:progress:)`, `listRuns(limit:)`,
/// `run(id:)`, `deleteRun(id:)`, `visits(runId:town:department:inspector:date:)`,
/// `integrityCheck()`.
public final class RunStore: Sendable {
    /// The database a command uses when none is given: `jointplan.sqlite` in the working
    /// directory (spec 4).
    public static let defaultPath = "jointplan.sqlite"

    public let path: String
    /// True when opened with `readOnly:` — every connection is SQLite read-only
    /// (`SQLITE_OPEN_READONLY` and `PRAGMA query_only`), so nothing can be written.
    public let isReadOnly: Bool
    /// A `DatabasePool` (WAL) for a writable store, a read-only `DatabaseQueue` otherwise.
    // Internal, not private: the actuals records (ActualsStore.swift) share it.
    let pool: any DatabaseWriter

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    public init(path: String, busyTimeout: TimeInterval = 30) throws {
        self.path = path
        isReadOnly = false
        var config = Configuration()
        // Another process may hold the write lock (a long run being recorded); wait for it
        // rather than fail at once.
        config.busyMode = .timeout(busyTimeout)
        config.label = "jointplan.store"
        // Before the pool opens it (and switches it to WAL): ours, whole, not newer.
        try Self.checkBeforeOpening(path)
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: config)
        } catch let e as DatabaseError {
            throw StoreError("cannot open the run database \(path): \(e.message ?? e.description)")
        }
        self.pool = pool
        try Self.migrate(pool, path: path)
    }

    /// Opens an existing database for reading only (`runs list`, `show`, `export`): no
    /// migration, no WAL switch, no connection that could write — so a database on a
    /// read-only file, folder or medium can be listed (issue 12: it failed with "attempt to
    /// write a readonly database"). A database whose schema is older than this jointplan's
    /// is refused with a message saying how to upgrade it.
    public init(readOnlyAt path: String, busyTimeout: TimeInterval = 30) throws {
        self.path = path
        isReadOnly = true
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(busyTimeout)
        config.label = "jointplan.store.readonly"
        config.prepareDatabase { db in
            // Belt and braces: even a statement that slipped through cannot write.
            try db.execute(sql: "PRAGMA query_only = ON")
        }
        try Self.checkBeforeOpening(path)
        let queue: DatabaseQueue
        do {
            queue = try Self.openForReading(path, config)
        } catch let e as DatabaseError {
            throw StoreError("cannot open the run database \(path) for reading: \(e.message ?? e.description)")
        }
        pool = queue
        let missing: [String]
        do {
            let applied = try queue.read { db in try Schema.migrator.appliedIdentifiers(db) }
            missing = Schema.migrator.migrations.filter { !applied.contains($0) }
        } catch let e as DatabaseError {
            throw StoreError("cannot read the run database \(path): \(e.message ?? e.description)")
        }
        if !missing.isEmpty {
            throw StoreError("the run database \(path) has an older schema (missing \(missing.joined(separator: ", "))); open it once with write access (`jointplan solve --db`) to upgrade it")
        }
    }

    /// A read-only connection. A WAL database needs its `-shm` index even to be read; in a
    /// folder where that file cannot be made (read-only folder or medium, another user's
    /// folder) SQLite refuses ("attempt to write a readonly database"), and the file is then
    /// opened as immutable (`?immutable=1`): nobody who could change it can be writing
    /// there without that index either, short of root.
    private static func openForReading(_ path: String, _ config: Configuration) throws -> DatabaseQueue {
        do {
            let queue = try DatabaseQueue(path: path, configuration: config)
            _ = try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") }
            return queue
        } catch let e as DatabaseError where [ResultCode.SQLITE_READONLY, .SQLITE_CANTOPEN].contains(e.resultCode.primaryResultCode) {
            let queue = try DatabaseQueue(path: "file:" + uriEscaped(path) + "?immutable=1", configuration: config)
            _ = try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") }
            return queue
        }
    }

    /// A path as the path part of an SQLite `file:` URI (RFC 3986 escapes for `%`, `?`, `#`).
    private static func uriEscaped(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var out = ""
        for u in absolute.utf8 {
            switch u {
            case UInt8(ascii: "%"), UInt8(ascii: "?"), UInt8(ascii: "#"): out += String(format: "%%%02X", u)
            default: out += String(decoding: [u], as: UTF8.self)
            }
        }
        return out
    }

    /// Whether the connection refuses writes (`PRAGMA query_only`), for the tests.
    public func refusesWrites() throws -> Bool {
        try pool.read { db in try Bool.fetchOne(db, sql: "PRAGMA query_only") ?? false }
    }

    /// Applies the schema's missing steps. GRDB's migrator reads which steps are applied
    /// before it takes the write lock, so two processes opening a new database at once can
    /// both try the first step; the loser's step fails inside its own transaction (nothing
    /// is written) and a second pass finds the step applied.
    private static func migrate(_ pool: DatabasePool, path: String) throws {
        var lastError: Error?
        for _ in 0..<5 {
            do {
                try Schema.migrator.migrate(pool)
                return
            } catch {
                lastError = error
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        throw StoreError("cannot prepare the run database \(path): \(lastError.map { "\($0)" } ?? "unknown error")")
    }

    // MARK: - Recording

    /// Records one run — its scenario (unless already kept), the run row, every visit, team
    /// member and check — in one transaction, and returns the run's id.
    ///
    /// - Parameters:
    ///   - scenarioJSON: the scenario document as given (its bytes are kept verbatim). Its
    ///     identity is the plan's `scenario.sha256` (spec 3), which the solver computed from
    ///     the same bytes.
    ///   - planDocument: the plan document as the solver wrote it, stored verbatim (with its
    ///     KPIs) when given; otherwise `plan.json()`.
    ///   - progress: called inside the transaction after every 10,000 visits written (for
    ///     long recordings, and for the test that kills a recording half-way).
    @discardableResult
    public func record(scenario: Scenario, scenarioJSON: Data, plan: Plan, options: SolveOptions,
                       method: String = "jointplan", planDocument: JSON? = nil, parent: Int64? = nil,
                       progress: ((Int) -> Void)? = nil) throws -> Int64 {
        guard !plan.scenarioSHA256.isEmpty else {
            throw StoreError("the plan does not name its scenario's sha256; solve with the scenario's bytes to record it")
        }
        guard let scenarioText = String(data: scenarioJSON, encoding: .utf8) else {
            throw StoreError("the scenario document is not UTF-8")
        }
        let document = planDocument ?? plan.json()
        let planText = JSONWriter.compact(document)
        let kpisText = JSONWriter.compact(document["kpis"] ?? plan.kpis.json)
        let optionsText = JSONWriter.compact(Self.optionsJSON(options))
        let now = Self.timestamp(Date())
        let rows = VisitRows(scenario: scenario, plan: plan)

        return try pool.write { db -> Int64 in
            try db.execute(sql: "INSERT OR IGNORE INTO scenario (sha256, name, json, createdAt) VALUES (?, ?, ?, ?)",
                           arguments: [plan.scenarioSHA256, scenario.name, scenarioText, now])
            guard let scenarioId = try Int64.fetchOne(db, sql: "SELECT id FROM scenario WHERE sha256 = ?",
                                                      arguments: [plan.scenarioSHA256]) else {
                throw StoreError("the scenario row vanished while recording")
            }
            // A re-plan is a new draft version of its parent's lineage (issue 23).
            var version = 1
            if let parent {
                guard let v = try Int.fetchOne(db, sql: "SELECT version FROM run WHERE id = ?", arguments: [parent]) else {
                    throw StoreError("no run \(parent) in \(path) to be the re-plan's parent")
                }
                version = v + 1
            }
            try db.execute(sql: """
                INSERT INTO run (scenarioId, options, seed, status, method, unmetWeighted, onsiteVisits,
                                 inspectorMinutes, kpis, bestBound, gap, seconds, engine, createdAt, plan,
                                 visitCount, checkCount, parentRunId, version)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [
                    scenarioId, optionsText, String(plan.seed), plan.status.rawValue, method,
                    plan.objective.unmetWeighted, plan.objective.onsiteVisits, plan.objective.inspectorMinutes,
                    kpisText, plan.solver.bestBound, plan.solver.gap, plan.solver.seconds,
                    plan.solver.engine, now, planText, rows.visits.count, rows.checkCount, parent, version,
                ])
            let runId = db.lastInsertedRowID
            let visit = try db.makeStatement(sql: """
                INSERT INTO visit (runId, visitId, enterprise, town, date, start, "end", departments, inspectors)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let member = try db.makeStatement(sql: "INSERT INTO visitInspector (runId, visitId, inspector) VALUES (?, ?, ?)")
            let check = try db.makeStatement(sql: """
                INSERT INTO visitCheck (runId, visitId, item, occurrence, inspector, department) VALUES (?, ?, ?, ?, ?, ?)
                """)
            for (n, v) in rows.visits.enumerated() {
                try visit.execute(arguments: [runId, v.id, v.enterprise, v.town, v.date, v.start, v.end,
                                              v.departmentsJSON, v.inspectorsJSON])
                for p in v.inspectors { try member.execute(arguments: [runId, v.id, p]) }
                for c in v.checks {
                    try check.execute(arguments: [runId, v.id, c.item, c.occurrence, c.inspector, c.department])
                }
                if (n + 1) % 10_000 == 0 { progress?(n + 1) }
            }
            return runId
        }
    }

    /// The options as recorded with a run (and as the service's `solve` takes them).
    public static func optionsJSON(_ o: SolveOptions) -> JSON {
        var obj = JSONObject([("timeLimitSeconds", .double(o.timeLimitSeconds)), ("mipGap", .double(o.mipGap))])
        if let s = o.seed { obj["seed"] = .number(String(s)) }
        // The work limits, when given: with the seed they make the run reproducible.
        if let n = o.iterations { obj["iterations"] = .int(n) }
        if let n = o.windows { obj["windows"] = .int(n) }
        if !o.warmStart { obj["warmStart"] = .bool(false) }
        obj["threads"] = .int(o.threads)
        return .object(obj)
    }

    // MARK: - Reading

    private static let summaryColumns = """
        r.id, r.scenarioId, s.name AS scenarioName, s.sha256, r.createdAt, r.status, r.method, r.seed, r.options,
        r.unmetWeighted, r.onsiteVisits, r.inspectorMinutes, r.bestBound, r.gap, r.seconds, r.engine,
        r.visitCount, r.checkCount, r.state, r.version, r.parentRunId
        """

    /// Recorded runs, newest first.
    public func listRuns(limit: Int? = nil) throws -> [RunSummary] {
        try pool.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT \(Self.summaryColumns) FROM run r JOIN scenario s ON s.id = r.scenarioId
                ORDER BY r.id DESC LIMIT ?
                """, arguments: [limit.map { max(0, $0) } ?? -1])
            return rows.map(Self.summary)
        }
    }

    /// One run with its KPIs and plan; nil when there is no run with this id.
    public func run(id: Int64) throws -> StoredRun? {
        try pool.read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT \(Self.summaryColumns), r.kpis, r.plan FROM run r JOIN scenario s ON s.id = r.scenarioId
                WHERE r.id = ?
                """, arguments: [id]) else { return nil }
            let kpiText: String = row["kpis"]
            return StoredRun(summary: Self.summary(row), kpis: (try? JSONParser.parse(kpiText)) ?? .null,
                             planJSON: row["plan"])
        }
    }

    /// The scenario document a run was solved for, exactly as it was given.
    public func scenarioJSON(runId: Int64) throws -> String? {
        try pool.read { db in
            try String.fetchOne(db, sql: "SELECT s.json FROM run r JOIN scenario s ON s.id = r.scenarioId WHERE r.id = ?",
                                arguments: [runId])
        }
    }

    /// Deletes a run with its visits and checks (and its scenario when no other run uses
    /// it); false when there was no such run.
    @discardableResult
    public func deleteRun(id: Int64) throws -> Bool {
        try pool.write { db in
            guard let scenarioId = try Int64.fetchOne(db, sql: "SELECT scenarioId FROM run WHERE id = ?", arguments: [id]) else {
                return false
            }
            if let state = try String.fetchOne(db, sql: "SELECT state FROM run WHERE id = ?", arguments: [id]),
               PlanState(rawValue: state)?.isLocked == true {
                throw StoreError("run \(id) is \(state): an approved plan version is kept as it is and cannot be deleted")
            }
            try db.execute(sql: "DELETE FROM run WHERE id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM scenario WHERE id = ? AND NOT EXISTS (SELECT 1 FROM run WHERE scenarioId = ?)",
                           arguments: [scenarioId, scenarioId])
            return true
        }
    }

    /// Visits of recorded runs matching every given condition, by run, date, start and id.
    public func visits(_ q: VisitQuery) throws -> [StoredVisit] {
        var conditions: [String] = []
        var args: [(any DatabaseValueConvertible)?] = []
        if let r = q.runId { conditions.append("v.runId = ?"); args.append(r) }
        if let t = q.town { conditions.append("v.town = ?"); args.append(t) }
        if let d = q.date {
            conditions.append("v.date BETWEEN ? AND ?")
            args.append(d.start.description); args.append(d.end.description)
        }
        if let d = q.department {
            conditions.append("EXISTS (SELECT 1 FROM visitCheck c WHERE c.runId = v.runId AND c.visitId = v.visitId AND c.department = ?)")
            args.append(d)
        }
        if let p = q.inspector {
            conditions.append("EXISTS (SELECT 1 FROM visitInspector i WHERE i.runId = v.runId AND i.visitId = v.visitId AND i.inspector = ?)")
            args.append(p)
        }
        args.append(q.limit.map { max(0, $0) } ?? -1)
        let sql = """
            SELECT v.* FROM visit v \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
            ORDER BY v.runId, v.date, v.start, v.visitId LIMIT ?
            """
        return try pool.read { db in
            try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map { row in
                StoredVisit(runId: row["runId"], visitId: row["visitId"], enterprise: row["enterprise"], town: row["town"],
                            date: row["date"], start: row["start"], end: row["end"],
                            departments: Self.strings(row["departments"]), inspectors: Self.strings(row["inspectors"]))
            }
        }
    }

    /// Visits of recorded runs matching every condition given (nil matches everything).
    public func visits(runId: Int64? = nil, town: String? = nil, department: String? = nil, inspector: String? = nil,
                       date: DateSpan? = nil) throws -> [StoredVisit] {
        try visits(VisitQuery(runId: runId, town: town, department: department, inspector: inspector, date: date))
    }

    /// The result of `PRAGMA integrity_check`: `["ok"]` for a sound file.
    public func integrityCheck() throws -> [String] {
        try pool.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
    }

    /// Runs whose detail rows do not match their recorded counts (always empty: a run is
    /// written in one transaction). Returns the ids of such runs.
    public func incompleteRuns() throws -> [Int64] {
        try pool.read { db in
            try Int64.fetchAll(db, sql: """
                SELECT r.id FROM run r
                WHERE r.visitCount != (SELECT count(*) FROM visit v WHERE v.runId = r.id)
                   OR r.checkCount != (SELECT count(*) FROM visitCheck c WHERE c.runId = r.id)
                """)
        }
    }

    /// Visits whose run is missing (always zero: the foreign keys cascade).
    public func orphanVisitCount() throws -> Int {
        try pool.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM visit WHERE runId NOT IN (SELECT id FROM run)") ?? 0
        }
    }

    // MARK: - Rows

    private static func summary(_ row: Row) -> RunSummary {
        let optionsText: String = row["options"]
        let seedText: String = row["seed"]
        return RunSummary(
            id: row["id"], scenarioId: row["scenarioId"], scenarioName: row["scenarioName"], scenarioSHA256: row["sha256"],
            createdAt: row["createdAt"], status: row["status"], method: row["method"], seed: UInt64(seedText) ?? 0,
            options: (try? JSONParser.parse(optionsText)) ?? .null,
            objective: Objective(unmetWeighted: row["unmetWeighted"], onsiteVisits: row["onsiteVisits"],
                                 inspectorMinutes: row["inspectorMinutes"]),
            bestBound: row["bestBound"], gap: row["gap"], seconds: row["seconds"], engine: row["engine"],
            visitCount: row["visitCount"], checkCount: row["checkCount"],
            state: PlanState(rawValue: row["state"] ?? "draft") ?? .draft, version: row["version"] ?? 1,
            parentRunId: row["parentRunId"])
    }

    private static func strings(_ text: String) -> [String] {
        ((try? JSONParser.parse(text))?.arrayValue ?? []).compactMap(\.stringValue)
    }

    static func timestamp(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: d)
    }
}

/// A plan's visits flattened into the rows of the `visit`, `visitInspector` and `visitCheck`
/// tables, computed before the transaction so the write lock is held only for writing.
private struct VisitRows {
    struct CheckRow { var item: String; var occurrence: Int; var inspector: String; var department: String }
    struct VisitRow {
        var id, enterprise, town, date, start, end, departmentsJSON, inspectorsJSON: String
        var inspectors: [String]
        var checks: [CheckRow]
    }
    var visits: [VisitRow] = []
    var checkCount = 0

    init(scenario: Scenario, plan: Plan) {
        let departmentOrder = Dictionary(scenario.departments.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        visits.reserveCapacity(plan.visits.count)
        for v in plan.visits {
            let checks = v.checks.map { c in
                CheckRow(item: c.item, occurrence: c.occurrence, inspector: c.inspector,
                         department: scenario.item(c.item)?.department ?? "")
            }
            let departments = Set(checks.map(\.department)).filter { !$0.isEmpty }
                .sorted { (departmentOrder[$0] ?? Int.max, $0) < (departmentOrder[$1] ?? Int.max, $1) }
            // A team lists each member once (spec 3.1 rule 2 counts distinct inspectors).
            var seen = Set<String>()
            let team = v.inspectors.filter { seen.insert($0).inserted }
            visits.append(VisitRow(
                id: v.id, enterprise: v.enterprise, town: scenario.enterprise(v.enterprise)?.town ?? "",
                date: v.date.description, start: ClockTime.format(v.start), end: ClockTime.format(v.end),
                departmentsJSON: JSONWriter.compact(.array(departments.map { .string($0) })),
                inspectorsJSON: JSONWriter.compact(.array(team.map { .string($0) })),
                inspectors: team, checks: checks))
            checkCount += checks.count
        }
    }
}
