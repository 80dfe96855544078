import GRDB

/// The database schema as a list of named migration steps (GRDB's `DatabaseMigrator`).
///
/// A step, once shipped, never changes: a new column or table is a new step appended at the
/// end, so a database written by an older jointplan is upgraded in place when it is opened.
enum Schema {
    static var migrator: DatabaseMigrator { migrator(through: nil) }

    /// The schema's steps up to and including the one named `last` (all of them for nil): the
    /// tests make a database as an older jointplan left it, and open it with this one.
    static func migrator(through last: String?) -> DatabaseMigrator {
        var m = DatabaseMigrator()
        var stopped = false
        func step(_ name: String, _ body: @escaping @Sendable (Database) throws -> Void) {
            guard !stopped else { return }
            m.registerMigration(name, migrate: body)
            if name == last { stopped = true }
        }

        // Scenarios are kept once per content hash: many runs of one scenario share its row.
        step("v1 scenarios and runs") { db in
            try db.execute(sql: """
                CREATE TABLE scenario (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    sha256 TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL,
                    json TEXT NOT NULL,
                    createdAt TEXT NOT NULL
                );
                CREATE TABLE run (
                    -- AUTOINCREMENT: a deleted run's id is never handed out again, so an id
                    -- quoted in a report keeps naming the same run.
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    scenarioId INTEGER NOT NULL REFERENCES scenario(id) ON DELETE RESTRICT,
                    options TEXT NOT NULL,
                    -- The seed is a 64-bit unsigned integer (spec 2.1), beyond SQLite's
                    -- signed INTEGER, so it is kept as its decimal text.
                    seed TEXT NOT NULL,
                    status TEXT NOT NULL,
                    method TEXT NOT NULL,
                    unmetWeighted REAL NOT NULL,
                    onsiteVisits INTEGER NOT NULL,
                    inspectorMinutes INTEGER NOT NULL,
                    kpis TEXT NOT NULL,
                    bestBound REAL NOT NULL,
                    gap REAL NOT NULL,
                    seconds REAL NOT NULL,
                    engine TEXT NOT NULL,
                    createdAt TEXT NOT NULL,
                    plan TEXT NOT NULL,
                    -- The counts a reader compares with the detail rows: a run whose visits
                    -- are not all there would be a partial write, which the single
                    -- transaction of `RunStore.record` rules out.
                    visitCount INTEGER NOT NULL,
                    checkCount INTEGER NOT NULL
                );
                CREATE INDEX run_scenario ON run(scenarioId);
                """)
        }

        // One row per on-site visit and per check, so the planning office can ask which
        // visits a town, a department, an inspector or a date has in a run (spec 4, Store).
        step("v2 visits and checks") { db in
            try db.execute(sql: """
                CREATE TABLE visit (
                    runId INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
                    visitId TEXT NOT NULL,
                    enterprise TEXT NOT NULL,
                    town TEXT NOT NULL,
                    date TEXT NOT NULL,
                    start TEXT NOT NULL,
                    "end" TEXT NOT NULL,
                    departments TEXT NOT NULL,
                    inspectors TEXT NOT NULL,
                    PRIMARY KEY (runId, visitId)
                );
                CREATE INDEX visit_town ON visit(town, date);
                CREATE INDEX visit_date ON visit(date);
                CREATE INDEX visit_enterprise ON visit(enterprise);
                CREATE TABLE visitCheck (
                    runId INTEGER NOT NULL,
                    visitId TEXT NOT NULL,
                    item TEXT NOT NULL,
                    occurrence INTEGER NOT NULL,
                    inspector TEXT NOT NULL,
                    department TEXT NOT NULL,
                    FOREIGN KEY (runId, visitId) REFERENCES visit(runId, visitId) ON DELETE CASCADE
                );
                CREATE INDEX visitCheck_visit ON visitCheck(runId, visitId);
                CREATE INDEX visitCheck_department ON visitCheck(department, runId);
                CREATE INDEX visitCheck_inspector ON visitCheck(inspector, runId);
                -- Team members, including those who perform no check of their own (the second
                -- officer of spec 3.1 rule 2), so "an inspector's visits" is one indexed lookup.
                CREATE TABLE visitInspector (
                    runId INTEGER NOT NULL,
                    visitId TEXT NOT NULL,
                    inspector TEXT NOT NULL,
                    PRIMARY KEY (runId, visitId, inspector),
                    FOREIGN KEY (runId, visitId) REFERENCES visit(runId, visitId) ON DELETE CASCADE
                ) WITHOUT ROWID;
                CREATE INDEX visitInspector_inspector ON visitInspector(inspector, runId);
                """)
        }

        // What was really done of a run's plan (issue 13, actuals): its own record, linked to
        // the run, one row per planned check with its reported status.
        step("v3 actuals") { db in
            try db.execute(sql: """
                CREATE TABLE actuals (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    runId INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
                    source TEXT NOT NULL,
                    recordedAt TEXT NOT NULL,
                    doneCount INTEGER NOT NULL,
                    movedCount INTEGER NOT NULL,
                    notDoneCount INTEGER NOT NULL,
                    notReportedCount INTEGER NOT NULL,
                    json TEXT NOT NULL
                );
                CREATE INDEX actuals_run ON actuals(runId);
                CREATE TABLE actualCheck (
                    actualsId INTEGER NOT NULL REFERENCES actuals(id) ON DELETE CASCADE,
                    enterprise TEXT NOT NULL,
                    item TEXT NOT NULL,
                    occurrence INTEGER NOT NULL,
                    visitId TEXT,
                    plannedDate TEXT NOT NULL,
                    status TEXT NOT NULL,
                    date TEXT,
                    reason TEXT,
                    PRIMARY KEY (actualsId, enterprise, item, occurrence)
                ) WITHOUT ROWID;
                CREATE INDEX actualCheck_status ON actualCheck(status, actualsId);
                """)
        }

        // Plan versions and their life in the office (issue 23): a run is a plan version in a
        // state (draft → submitted → approved → filed → published), with who moved it, when,
        // and why; a re-plan names its parent. Once approved a version cannot change: the
        // triggers refuse any write to its plan, seed, visits, teams or checks, and its
        // deletion, whatever program holds the file.
        step("v4 plan versions and states") { db in
            try db.execute(sql: """
                ALTER TABLE run ADD COLUMN state TEXT NOT NULL DEFAULT 'draft';
                ALTER TABLE run ADD COLUMN parentRunId INTEGER REFERENCES run(id);
                ALTER TABLE run ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
                CREATE TABLE planStep (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    runId INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
                    state TEXT NOT NULL,
                    byName TEXT NOT NULL,
                    at TEXT NOT NULL,
                    note TEXT NOT NULL DEFAULT ''
                );
                CREATE INDEX planStep_run ON planStep(runId);
                CREATE TRIGGER run_state_order BEFORE UPDATE OF state ON run
                WHEN NOT ((OLD.state = 'draft' AND NEW.state = 'submitted')
                       OR (OLD.state = 'submitted' AND NEW.state = 'approved')
                       OR (OLD.state = 'approved' AND NEW.state = 'filed')
                       OR (OLD.state = 'filed' AND NEW.state = 'published'))
                BEGIN SELECT RAISE(ABORT, 'plan state may only move one step forward'); END;
                CREATE TRIGGER run_locked_update BEFORE UPDATE OF scenarioId, options, seed, plan, visitCount, checkCount,
                    unmetWeighted, onsiteVisits, inspectorMinutes, kpis ON run
                WHEN OLD.state IN ('approved', 'filed', 'published')
                BEGIN SELECT RAISE(ABORT, 'an approved plan version cannot change'); END;
                CREATE TRIGGER run_locked_delete BEFORE DELETE ON run
                WHEN OLD.state IN ('approved', 'filed', 'published')
                BEGIN SELECT RAISE(ABORT, 'an approved plan version cannot be deleted'); END;
                -- The runs approved, in a table of their own: the visit triggers look a run up
                -- here, not in run, whose rows hold the whole plan (reading a state column
                -- added after it walks the plan's overflow pages: 50 times slower recording).
                CREATE TABLE planLock (runId INTEGER PRIMARY KEY REFERENCES run(id));
                CREATE TRIGGER planLock_keep BEFORE DELETE ON planLock
                BEGIN SELECT RAISE(ABORT, 'an approved plan version stays approved'); END;
                """)
            for table in ["visit", "visitCheck", "visitInspector"] {
                for (event, row) in [("INSERT", "NEW"), ("UPDATE", "OLD"), ("DELETE", "OLD")] {
                    try db.execute(sql: """
                        CREATE TRIGGER \(table)_locked_\(event.lowercased()) BEFORE \(event) ON \(table)
                        WHEN EXISTS (SELECT 1 FROM planLock WHERE runId = \(row).runId)
                        BEGIN SELECT RAISE(ABORT, 'an approved plan version cannot change'); END;
                        """)
                }
            }
        }

        // What is recorded of a run's actuals, one row per planned check (issue 23): a later
        // sheet replaces a check's status, date, result and note where it reports one, and
        // never adds a second row for the same check.
        step("v5 actuals by check, with results") { db in
            try db.execute(sql: """
                CREATE TABLE actualRecord (
                    runId INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
                    enterprise TEXT NOT NULL,
                    item TEXT NOT NULL,
                    occurrence INTEGER NOT NULL,
                    visitId TEXT,
                    plannedDate TEXT NOT NULL,
                    status TEXT NOT NULL,
                    date TEXT,
                    reason TEXT,
                    result TEXT,
                    note TEXT NOT NULL DEFAULT '',
                    actualsId INTEGER NOT NULL REFERENCES actuals(id) ON DELETE CASCADE,
                    PRIMARY KEY (runId, enterprise, item, occurrence)
                ) WITHOUT ROWID;
                """)
        }

        return m
    }
}
