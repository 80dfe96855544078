import Foundation
import GRDB
import JointPlan

/// One recorded set of actuals: what was really done of a run's plan.
public struct StoredActuals: Sendable, Equatable {
    public var id: Int64
    public var runId: Int64
    public var source: String
    public var recordedAt: String
    public var done: Int, moved: Int, notDone: Int, notReported: Int
}

extension RunStore {
    /// The recorded run whose plan is `plan` (same scenario, seed, visits and remote checks),
    /// newest first; nil when the plan was never recorded.
    /// With `oldestFirst`, the first run recorded with that plan (a re-plan's parent: a re-plan
    /// that changed nothing records the same plan again, and the version it came from is the
    /// first); else the latest (actuals go to the newest version holding the plan).
    public func run(matching plan: Plan, oldestFirst: Bool = false) throws -> Int64? {
        let order = oldestFirst ? "ASC" : "DESC"
        let candidates: [(Int64, String)] = try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT r.id, r.plan FROM run r JOIN scenario s ON s.id = r.scenarioId
                WHERE s.sha256 = ? AND r.seed = ? ORDER BY r.id \(order)
                """, arguments: [plan.scenarioSHA256, String(plan.seed)]).map { ($0["id"], $0["plan"]) }
        }
        for (id, text) in candidates {
            guard let stored = try? PlanReader.read(Data(text.utf8)) else { continue }
            if stored.visits == plan.visits && stored.remoteChecks == plan.remoteChecks && stored.unmet == plan.unmet { return id }
        }
        return nil
    }

    /// Records actuals for a run, in one transaction: the entries (as `Actuals.json` writes them:
    /// enterprise, item, occurrence, plannedDate, status, date?, reason?, visit?) and their counts.
    @discardableResult
    public func recordActuals(runId: Int64, source: String, entries: JSON,
                              counts: (done: Int, moved: Int, notDone: Int, notReported: Int)) throws -> Int64 {
        let now = ISO8601DateFormatter().string(from: Date())
        return try pool.write { db in
            guard try Int64.fetchOne(db, sql: "SELECT id FROM run WHERE id = ?", arguments: [runId]) != nil else {
                throw StoreError("no run \(runId) in \(path)")
            }
            try db.execute(sql: """
                INSERT INTO actuals (runId, source, recordedAt, doneCount, movedCount, notDoneCount, notReportedCount, json)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [runId, source, now, counts.done, counts.moved, counts.notDone, counts.notReported, JSONWriter.compact(entries)])
            let id = db.lastInsertedRowID
            // The run's record by check: a reported status replaces the one before; a row left
            // blank (not reported) adds the check only when nothing was recorded for it.
            let reported = try db.makeStatement(sql: """
                INSERT INTO actualRecord (runId, enterprise, item, occurrence, visitId, plannedDate, status, date, reason, result, note, actualsId)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (runId, enterprise, item, occurrence) DO UPDATE SET
                    visitId = excluded.visitId, plannedDate = excluded.plannedDate, status = excluded.status,
                    date = excluded.date, reason = excluded.reason, result = excluded.result, note = excluded.note,
                    actualsId = excluded.actualsId
                """)
            let blank = try db.makeStatement(sql: """
                INSERT OR IGNORE INTO actualRecord (runId, enterprise, item, occurrence, visitId, plannedDate, status, date, reason, result, note, actualsId)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for e in entries.arrayValue ?? [] {
                let isBlank = e["status"]?.stringValue == "notReported" && e["result"] == nil
                try (isBlank ? blank : reported).execute(arguments: [
                    runId, e["enterprise"]?.stringValue, e["item"]?.stringValue, e["occurrence"]?.intValue,
                    e["visit"]?.stringValue, e["plannedDate"]?.stringValue, e["status"]?.stringValue,
                    e["date"]?.stringValue, e["reason"]?.stringValue, e["result"]?.stringValue,
                    e["note"]?.stringValue ?? "", id])
            }
            for e in entries.arrayValue ?? [] {
                try db.execute(sql: """
                    INSERT INTO actualCheck (actualsId, enterprise, item, occurrence, visitId, plannedDate, status, date, reason)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [id, e["enterprise"]?.stringValue, e["item"]?.stringValue, e["occurrence"]?.intValue,
                                     e["visit"]?.stringValue, e["plannedDate"]?.stringValue, e["status"]?.stringValue,
                                     e["date"]?.stringValue, e["reason"]?.stringValue])
            }
            return id
        }
    }

    /// The actuals recorded for a run, oldest first.
    public func actuals(runId: Int64) throws -> [StoredActuals] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM actuals WHERE runId = ? ORDER BY id", arguments: [runId]).map {
                StoredActuals(id: $0["id"], runId: $0["runId"], source: $0["source"], recordedAt: $0["recordedAt"],
                              done: $0["doneCount"], moved: $0["movedCount"], notDone: $0["notDoneCount"], notReported: $0["notReportedCount"])
            }
        }
    }

    /// Checks of a recorded actuals set with a given status (`done`, `notDone`, `notReported`).
    public func actualChecks(actualsId: Int64, status: String) throws -> [(enterprise: String, item: String, occurrence: Int)] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT enterprise, item, occurrence FROM actualCheck WHERE actualsId = ? AND status = ? ORDER BY enterprise, item, occurrence",
                             arguments: [actualsId, status]).map { ($0["enterprise"], $0["item"], $0["occurrence"]) }
        }
    }

    /// What is recorded of a run's actuals, one entry per planned check, by enterprise, item
    /// and occurrence (the `Actuals.json` shape, plus `sheet`: the source it came from).
    public func actualRecord(runId: Int64) throws -> [JSON] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT r.*, a.source FROM actualRecord r JOIN actuals a ON a.id = r.actualsId
                WHERE r.runId = ? ORDER BY r.enterprise, r.item, r.occurrence
                """, arguments: [runId]).map { row in
                var o = JSONObject([("enterprise", .string(row["enterprise"])), ("item", .string(row["item"])),
                                    ("occurrence", .int(row["occurrence"])), ("plannedDate", .string(row["plannedDate"])),
                                    ("status", .string(row["status"]))])
                if let v: String = row["visitId"] { o["visit"] = .string(v) }
                if let d: String = row["date"] { o["date"] = .string(d) }
                if let r: String = row["reason"] { o["reason"] = .string(r) }
                if let r: String = row["result"] { o["result"] = .string(r) }
                if let n: String = row["note"], !n.isEmpty { o["note"] = .string(n) }
                o["sheet"] = .string(row["source"])
                return .object(o)
            }
        }
    }
}
