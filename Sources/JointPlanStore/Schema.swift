import GRDB

/// The database schema as a list of named migration steps (GRDB's `DatabaseMigrator`).
///
/// A step, once shipped, never changes: a new column or table is a new step appended at the
/// end, so a database written by an older jointplan is upgraded in place when it is opened.
enum Schema {
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()

        // Scenarios are kept once per content hash: many runs of one scenario share its row.
        m.registerMigration("v1 scenarios and runs") { db in
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
        m.registerMigration("v2 visits and checks") { db in
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
        m.registerMigration("v3 actuals") { db in
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

        return m
    }
}
