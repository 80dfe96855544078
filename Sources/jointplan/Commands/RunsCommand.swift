import ArgumentParser
import Foundation
import JointPlan
import JointPlanStore

/// `jointplan runs list|show|export|delete`: the planning office's archive of recorded runs
/// (spec 4, Store).
struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List, show, re-export or delete runs recorded in the run database.",
        subcommands: [List.self, Show.self, Export.self, Delete.self, Stress.self])

    struct DatabaseOption: ParsableArguments {
        @Option(help: "Run database (SQLite).")
        var db: String = RunStore.defaultPath

        /// Opens an existing database; a missing file is an error (reading must not create one).
        /// `readOnly` (list, show, export) opens it so that nothing can be written: a
        /// read-only file or folder works.
        func open(readOnly: Bool = false) throws -> RunStore {
            guard FileManager.default.fileExists(atPath: db) else {
                CommandIO.stderr("error: no run database at \(db) (record runs with `jointplan solve --db \(db)` or `jointplan serve`)")
                throw ExitCode(1)
            }
            do { return readOnly ? try RunStore(readOnlyAt: db) : try RunStore(path: db) } catch {
                CommandIO.stderr("error: \(error)")
                throw ExitCode(1)
            }
        }
    }

    static func find(_ store: RunStore, _ id: Int64) throws -> StoredRun {
        guard let run = try store.run(id: id) else {
            CommandIO.stderr("error: no run \(id) in \(store.path)")
            throw ExitCode(1)
        }
        return run
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List recorded runs, newest first.")
        @OptionGroup var language: LanguageOption
        @OptionGroup var database: DatabaseOption
        @Option(help: "Show at most this many runs.") var limit: Int?
        @Flag(help: "Print JSON instead of a table.") var json = false

        func run() throws {
            let runs = try database.open(readOnly: true).listRuns(limit: limit)
            if json {
                print(JSONWriter.pretty(.array(runs.map(\.json))))
                return
            }
            let t = language.text
            guard !runs.isEmpty else { CommandIO.stderr(t("runs.none", database.db)); return }
            var rows = [t("runs.header").components(separatedBy: "|")]
            for r in runs {
                let status = Catalogue.has("status.\(r.status)", in: t.language) && t.language == .zh ? t("status.\(r.status)") : r.status
                rows.append([String(r.id), t("runs.version", r.version) + (r.parentRunId.map { " ← \($0)" } ?? ""), t("lifecycle.state.\(r.state.rawValue)"),
                             String(r.createdAt.prefix(19)).replacingOccurrences(of: "T", with: " "),
                             r.scenarioName, status, r.method, String(r.seed), JSON.format(r.objective.unmetWeighted),
                             String(r.objective.onsiteVisits), String(r.objective.inspectorMinutes),
                             String(format: "%.1f%%", r.gap * 100), String(format: "%.1f", r.seconds)])
            }
            print(Table.render(rows))
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a run: options, objective, KPIs; with a filter, its matching visits.")
        @OptionGroup var language: LanguageOption
        @OptionGroup var database: DatabaseOption
        @Argument(help: "Run id (see `runs list`).") var id: Int64
        @Option(help: "Only visits in this town.") var town: String?
        @Option(help: "Only visits with a check of this department.") var department: String?
        @Option(help: "Only visits whose team includes this inspector.") var inspector: String?
        @Option(help: "Only visits on this date or range (YYYY-MM-DD or YYYY-MM-DD/YYYY-MM-DD).") var date: String?
        @Flag(help: "List the run's visits (all of them when no filter is given).") var visits = false
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            if let d = date, DateSpan(d) == nil { throw ValidationError("--date must be YYYY-MM-DD or YYYY-MM-DD/YYYY-MM-DD, got \(d)") }
        }

        func run() throws {
            let store = try database.open(readOnly: true)
            let run = try RunsCommand.find(store, id)
            let wantVisits = visits || town != nil || department != nil || inspector != nil || date != nil
            let found = wantVisits
                ? try store.visits(VisitQuery(runId: id, town: town, department: department, inspector: inspector,
                                              date: date.flatMap { DateSpan($0) }))
                : []
            if json {
                var o = JSONObject([("run", run.summary.json), ("kpis", run.kpis)])
                if wantVisits { o["visits"] = .array(found.map(\.json)) }
                print(JSONWriter.pretty(.object(o)))
                return
            }
            let s = run.summary
            var lines = [
                "run \(s.id), recorded \(s.createdAt); version \(s.version)\(s.parentRunId.map { " (re-plan of run \($0))" } ?? ""), \(s.state.rawValue)",
                "scenario: \(s.scenarioName) (sha256 \(s.scenarioSHA256))",
                "method \(s.method), seed \(s.seed), options \(JSONWriter.compact(s.options))",
                "status \(s.status); unmet weighted \(JSON.format(s.objective.unmetWeighted)), on-site visits \(s.objective.onsiteVisits), inspector minutes \(s.objective.inspectorMinutes)",
                "solver \(s.engine): \(String(format: "%.2f", s.seconds)) s, best bound \(JSON.format(s.bestBound)), gap \(String(format: "%.2f%%", s.gap * 100))",
                "\(s.visitCount) visits, \(s.checkCount) on-site checks",
            ]
            if let k = run.kpis.objectValue {
                lines.append("KPIs:")
                for (key, value) in k.pairs { lines.append("  \(key): \(JSONWriter.compact(value))") }
            }
            print(lines.joined(separator: "\n"))
            if wantVisits {
                var rows = [["visit", "date", "start", "end", "enterprise", "town", "departments", "inspectors"]]
                for v in found {
                    rows.append([v.visitId, v.date, v.start, v.end, v.enterprise, v.town,
                                 v.departments.joined(separator: ","), v.inspectors.joined(separator: ",")])
                }
                print("\(found.count) visit\(found.count == 1 ? "" : "s")")
                if found.count > 0 { print(Table.render(rows)) }
            }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a recorded run's plan (jointplan.plan/1) to a file or stdout.")
        @OptionGroup var language: LanguageOption
        @OptionGroup var database: DatabaseOption
        @Argument(help: "Run id.") var id: Int64
        @Option(name: .shortAndLong, help: "Plan file to write (stdout when omitted).") var output: String?
        @Option(name: .customLong("scenario-output"), help: "Also write the run's scenario, exactly as recorded, here.")
        var scenarioOutput: String?

        func run() throws {
            let store = try database.open(readOnly: true)
            let run = try RunsCommand.find(store, id)
            let plan = try JSONParser.parse(run.planJSON)
            try CommandIO.write(Data((JSONWriter.pretty(plan) + "\n").utf8), to: output)
            if let scenarioOutput, let text = try store.scenarioJSON(runId: id) {
                try CommandIO.write(Data(text.utf8), to: scenarioOutput)
            }
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a recorded run with its visits and checks.")
        @OptionGroup var language: LanguageOption
        @OptionGroup var database: DatabaseOption
        @Argument(help: "Run id.") var id: Int64

        func run() throws {
            let store = try database.open()
            let deleted: Bool
            do { deleted = try store.deleteRun(id: id) } catch let e as StoreError {
                CommandIO.stderr("error: \(e)")
                throw ExitCode(1)
            }
            guard deleted else {
                CommandIO.stderr("error: no run \(id) in \(store.path)")
                throw ExitCode(1)
            }
            CommandIO.stderr("deleted run \(id)")
        }
    }

    /// Records one large synthetic run in one transaction, printing `visits N` on stdout
    /// every 10,000 visits while the transaction is open: the store's tests kill it there
    /// (SIGKILL) and check that nothing of the run is visible afterwards.
    struct Stress: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a large synthetic run (store tests).", shouldDisplay: false)
        @OptionGroup var language: LanguageOption
        @OptionGroup var database: DatabaseOption
        @Option(help: "Visits in the synthetic run.") var visits = 200_000

        func run() throws {
            let district = try DistrictGenerator(DistrictParameters(enterprises: 60, seed: 1)).generate()
            let data = Data(DistrictGenerator.fileText(district.scenario).utf8)
            let scenario = try ScenarioReader.read(data)
            var plan = Plan()
            plan.scenarioName = "synthetic run for the store's tests"
            // Not a hash: the plan is not solved from these bytes, and says so.
            plan.scenarioSHA256 = "synthetic-stress-run"
            plan.status = .feasible
            let days = WorkCalendar(scenario.horizon).days
            let team = Array(scenario.inspectors.prefix(2).map(\.id))
            let itemsOf = scenario.enterprises.map { e in scenario.items.filter { scenario.applies($0, to: e) }.prefix(3) }
            for n in 0..<max(0, visits) {
                let e = scenario.enterprises[n % scenario.enterprises.count]
                let items = itemsOf[n % scenario.enterprises.count]
                plan.visits.append(Visit(
                    id: String(format: "V%07d", n + 1), enterprise: e.id, date: days[n % days.count],
                    start: 9 * 60, end: 10 * 60, inspectors: team,
                    checks: items.map { Check(item: $0.id, occurrence: 1, inspector: team[0]) }))
            }
            plan.objective = Objective(unmetWeighted: 0, onsiteVisits: plan.visits.count, inspectorMinutes: 120 * plan.visits.count)
            let store = try RunStore(path: database.db)
            let out = FileHandle.standardOutput
            out.write(Data("recording \(plan.visits.count) visits\n".utf8))
            let id = try store.record(scenario: scenario, scenarioJSON: data, plan: plan, options: SolveOptions(),
                                      method: "synthetic", progress: { n in out.write(Data("visits \(n)\n".utf8)) })
            out.write(Data("recorded run \(id)\n".utf8))
        }
    }
}

/// Left-aligned text columns for the run tables.
enum Table {
    static func render(_ rows: [[String]]) -> String {
        guard let width = rows.map(\.count).max() else { return "" }
        var widths = Array(repeating: 0, count: width)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        return rows.map { r in
            r.enumerated().map { i, c in i == r.count - 1 ? c : c.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
