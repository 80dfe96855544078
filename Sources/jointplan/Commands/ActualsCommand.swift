import ArgumentParser
import Foundation
import JointPlan
import JointPlanRegisters
import JointPlanStore

/// `jointplan actuals SCENARIO PLAN FILE --db DB`: records what was really done of a plan (the
/// filled sheet of `export --actuals`) in the run store, linked to the plan's run (issue 13, item 6).
struct ActualsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "actuals",
        abstract: "Record the filled actuals sheet in the run store (`actuals SCENARIO PLAN FILE`), or show what is recorded (`actuals show RUN_ID`).",
        subcommands: [Record.self, Show.self], defaultSubcommand: Record.self)

    /// `jointplan actuals show RUN_ID --db DB`: what is recorded of a run's actuals, one line per
    /// planned check, with the completion rate (issue 23).
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List what is recorded of a run's actuals, check by check, and the on-time completion rate.")
        @OptionGroup var language: LanguageOption
        @OptionGroup var database: RunsCommand.DatabaseOption
        @Argument(help: "Run id (see `runs list`).") var id: Int64
        @Flag(help: "Also list the checks left blank (not reported).") var all = false
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let store = try database.open(readOnly: true)
            let run = try RunsCommand.find(store, id)
            let records = try store.actualRecord(runId: id)
            let sheets = try store.actuals(runId: id)
            var completion: Actuals.Completion?
            var scenario: Scenario?
            if let text = try store.scenarioJSON(runId: id), let sc = try? ScenarioReader.read(Data(text.utf8)),
               let plan = try? run.plan(), !records.isEmpty {
                completion = Actuals(plan: plan, recorded: records).completion(scenario: sc)
                scenario = sc
            }
            if json {
                var o = JSONObject([("run", .number(String(id))),
                                    ("sheets", .array(sheets.map { .object(JSONObject([("id", .number(String($0.id))), ("source", .string($0.source)),
                                                                                       ("recordedAt", .string($0.recordedAt))])) })),
                                    ("checks", .array(records))])
                if let completion { o["completion"] = completion.json }
                print(JSONWriter.pretty(.object(o)))
                return
            }
            let t = language.text
            guard !records.isEmpty else { print("run \(id): " + t("completion.none")); return }
            print(t(sheets.count == 1 ? "actuals.show.head.one" : "actuals.show.head.other", id, records.count, sheets.count,
                    sheets.map(\.source).joined(separator: ", ")))
            var rows = [t("actuals.show.columns").components(separatedBy: "|")]
            // Offices report the exceptions: the checks left blank are counted, listed with --all.
            let blank = records.filter { $0["status"]?.stringValue == "notReported" && $0["result"] == nil }
            for r in records where all || !(r["status"]?.stringValue == "notReported" && r["result"] == nil) {
                rows.append([r["visit"]?.stringValue ?? "非现场", r["enterprise"]?.stringValue ?? "", r["item"]?.stringValue ?? "",
                             String(r["occurrence"]?.intValue ?? 0), r["plannedDate"]?.stringValue ?? "", r["status"]?.stringValue ?? "",
                             r["date"]?.stringValue ?? "", r["result"]?.stringValue ?? "",
                             r["note"]?.stringValue ?? r["reason"]?.stringValue ?? "", r["sheet"]?.stringValue ?? ""])
            }
            print(Table.render(rows))
            if !all && !blank.isEmpty { print(t("actuals.show.blank", blank.count)) }
            if let completion { print(CompletionText.lines(completion, t, scenario: scenario).joined(separator: "\n")) }
        }
    }

    /// Reads a filled actuals sheet against its plan; its problems by row and column, exit 1.
    static func load(_ file: String, plan: Plan, horizon: DateSpan? = nil, language: Language = Language.fromEnvironment()) throws -> Actuals {
        try Record.load(file, plan: plan, horizon: horizon, language: language)
    }
}

extension ActualsCommand {
struct Record: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record the filled actuals sheet (what was really done) in the run store, linked to the plan's run.",
        discussion: """
            The run is found by the plan (same scenario, seed, visits and checks) or given with \
            --run. Every problem of the sheet is listed by sheet, row and column (exit 1, nothing \
            recorded): a date outside the horizon, 改期完成 without a date, a visit or check the \
            plan does not have, a result not in the list. Rows left blank count as done as \
            planned; the counts are printed. A second sheet for the same run replaces what it \
            reports check by check (`actuals show RUN_ID` lists what is recorded).
            """)

    @Argument(help: "The scenario of the plan.") var scenario: String
    @Argument(help: "The plan the sheet was made for.") var plan: String
    @Argument(help: "The filled actuals sheet (.xlsx).") var file: String
    @Option(help: "Run database (SQLite).") var db: String = RunStore.defaultPath
    @Option(name: .customLong("run"), help: "The run to link to (default: the recorded run with this plan).") var runId: Int64?
    @Option(help: "Language of the messages: zh or en.") var lang: String?

    func run() throws {
        let (sc, data) = try CommandIO.loadScenario(scenario)
        let p = try CommandIO.loadPlan(plan)
        if !PlanProvenance.matches(p, scenarioData: data) { CommandIO.stderr(PlanProvenance.warning(plan: plan, scenario: scenario)) }
        let language = lang.flatMap(Language.init(rawValue:)) ?? Language.fromEnvironment()
        let actuals = try Self.load(file, plan: p, horizon: sc.horizon.span, language: language)
        guard FileManager.default.fileExists(atPath: db) else {
            CommandIO.stderr("error: no run database at \(db) (record the plan's run with `jointplan solve --db \(db)`)")
            throw ExitCode(1)
        }
        do {
            let store = try RunStore(path: db)
            guard let runId = try runId ?? store.run(matching: p) else {
                CommandIO.stderr("error: \(plan) is not a run recorded in \(db); solve with --db \(db), or give --run ID")
                throw ExitCode(1)
            }
            let id = try store.recordActuals(runId: runId, source: URL(fileURLWithPath: file).lastPathComponent,
                                             entries: actuals.json, counts: actuals.counts)
            let t = Catalogue(lang.flatMap(Language.init(rawValue:)) ?? Language.fromEnvironment())
            print(t("actuals.recorded", id, runId, actuals.summary(t)))
            print(CompletionText.lines(actuals.completion(scenario: sc), t, scenario: sc).joined(separator: "\n"))
        } catch let e as StoreError {
            CommandIO.stderr("error: \(e)")
            throw ExitCode(1)
        }
    }

    /// Reads a filled actuals sheet against its plan; its problems by row and column, exit 1.
    static func load(_ file: String, plan: Plan, horizon: DateSpan? = nil, language: Language = Language.fromEnvironment()) throws -> Actuals {
        do {
            let (actuals, problems) = try ActualsSheet.read(path: file, plan: plan, horizon: horizon, language: language)
            if !problems.isEmpty {
                let t = Catalogue(language)
                var s = "\(file): \(problems.count) problem\(problems.count == 1 ? "" : "s")\n"
                for pr in problems.prefix(500) { s += "  " + pr.text(t) + "\n" }
                FileHandle.standardError.write(Data(s.utf8))
                throw ExitCode(1)
            }
            return actuals
        } catch let e as ExitCode {
            throw e
        } catch {
            CommandIO.stderr("error: \(error)")
            throw ExitCode(1)
        }
    }
}
}

/// 计划按期完成率 as lines of text, overall then by department.
enum CompletionText {
    static func lines(_ c: Actuals.Completion, _ t: Catalogue, scenario: Scenario? = nil) -> [String] {
        func pct(_ x: Double) -> String { Actuals.Completion.percent(x) }
        var out = [t("completion.title") + ":"]
        out.append("  " + t("completion.line", t("completion.overall"), c.overall.onTime, c.overall.planned, pct(c.overall.rate)))
        for (d, n) in c.departments {
            let name = scenario?.department(d).map { "\($0.name) (\(d))" } ?? d
            out.append("  " + t("completion.line", name, n.onTime, n.planned, pct(n.rate)))
        }
        return out
    }
}
