import ArgumentParser
import Foundation
import JointPlan
import JointPlanRegisters
import JointPlanExport
import JointPlanStore

/// `jointplan export SCENARIO PLAN [--ics DIR [--by inspector|department|town|enterprise]…]
/// [--csv FILE]`: writes the calendars and tables the planning office imports (spec 4, Exports).
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a plan as iCalendar files (one per inspector, department, town or enterprise) and/or CSV.",
        discussion: """
        --ics DIR writes one .ics per inspector (default), department, town or enterprise into DIR \
        (RFC 5545: CRLF, folded lines, VTIMEZONE, UIDs stable across re-plans). Repeat --by for several groupings.
        --csv FILE writes FILE (one row per on-site check) and its siblings FILE-visits.csv, FILE-remote.csv and \
        FILE-unmet.csv (RFC 4180, UTF-8 with BOM).
        --previous OLD_PLAN (with --ics): the calendars follow a re-plan: each visit keeps its UID, a changed visit's \
        SEQUENCE is raised above what DIR's files held, and a visit of OLD_PLAN no longer in a calendar is written \
        there with STATUS:CANCELLED.
        --notices DIR writes one printable HTML notice (检查通知书) per visit, in Chinese unless --lang says \
        otherwise (the enterprise reads it, not the server); --pdf also prints each to PDF with ONE headless \
        Chromium for the whole batch (CHROMIUM names the browser); --combine town|day prints instead one PDF \
        per town or per day, every notice on its own page (notices-town-T01.pdf), to print as a batch. \
        Progress on stderr (a terminal, or --progress).
        --xlsx FILE writes one workbook: KPIs, bottleneck, all visits, one sheet per department, unmet checks, \
        inspector days. Headers and texts follow --lang.
        --publication DIR writes the 一公开 files: draw-list.html and draw-list.xlsx (抽查名单: each drawn enterprise \
        by name, items, departments, month planned, the seed and how to re-derive the draw), results.html and \
        results.xlsx (抽查结果公示: per check done, its result and note, the date and the publication deadline, 20 \
        working days after the check; then the checks not done and why). With --publication, --actuals names the \
        FILLED actuals sheet to read the results from (nothing else is written to it). Nothing private goes out.
        A plan whose scenario.sha256 does not match the scenario is refused (exit 1) unless --force.
        """)

    @OptionGroup var language: LanguageOption
    @Argument(help: "The scenario file (jointplan.scenario/1).")
    var scenario: String

    @Argument(help: "The plan file (jointplan.plan/1).")
    var plan: String

    @Option(name: .long, help: "Directory for the .ics files (created if missing).")
    var ics: String?

    @Option(name: .long, help: "Whose calendars: inspector, department, town or enterprise (repeatable; default inspector).")
    var by: [String] = []

    @Option(name: .long, help: "CSV file of the on-site checks; its -visits, -remote and -unmet siblings are written next to it.")
    var csv: String?

    @Option(name: .long, help: "Actuals sheet to write (.xlsx): every planned check, for departments to mark done, not done (with a reason) or done on another date.")
    var actuals: String?
    @Option(name: .long, help: "DTSTAMP of the events as YYYY-MM-DDTHH:MM:SSZ (default: now), for reproducible files.")
    var dtstamp: String?

    @Option(name: .long, help: "The plan the calendars in --ics DIR were exported from: keep UIDs, raise SEQUENCE, cancel what is gone.")
    var previous: String?

    @Option(name: .long, help: "Directory for one HTML notice to the enterprise (检查通知书) per visit.")
    var notices: String?

    @Flag(name: .long, help: "With --notices: also print each notice to PDF with headless Chromium (one browser for all).")
    var pdf = false

    @Option(name: .long, help: "With --pdf: one combined PDF per town or per day instead of one per notice.")
    var combine: NoticeExporter.Grouping?

    @Flag(name: .long, help: "Show the PDF progress bar on stderr even when it is not a terminal.")
    var progress = false

    @Option(name: .long, help: "XLSX workbook to write (KPIs, bottleneck, visits, one sheet per department, unmet, inspector days).")
    var xlsx: String?

    @Option(name: .long, help: "Directory for the 一公开 files: draw-list.html/.xlsx and results.html/.xlsx (with --actuals: the filled sheet to read results from).")
    var publication: String?

    @Option(name: .long, help: "With --publication and no --actuals: take the results recorded for the plan's run in this run database (`jointplan actuals`).")
    var db: String?

    @OptionGroup var force: ForceOption

    func validate() throws {
        if ics == nil && csv == nil && notices == nil && xlsx == nil && actuals == nil && publication == nil {
            throw ValidationError("give --ics DIR, --csv FILE, --notices DIR, --xlsx FILE, --publication DIR and/or --actuals FILE.xlsx")
        }
        if previous != nil && ics == nil { throw ValidationError("--previous needs --ics DIR") }
        if pdf && notices == nil { throw ValidationError("--pdf needs --notices DIR") }
        if combine != nil && !pdf { throw ValidationError("--combine needs --pdf") }
        if !by.isEmpty && ics == nil { throw ValidationError("--by needs --ics DIR") }
        for b in by where CalendarGrouping(rawValue: b) == nil {
            throw ValidationError("--by: \"\(b)\" is not one of inspector, department, town, enterprise")
        }
        if let s = dtstamp, ExportCommand.parseStamp(s) == nil {
            throw ValidationError("--dtstamp: \"\(s)\" is not YYYY-MM-DDTHH:MM:SSZ")
        }
    }

    func run() throws {
        let (model, data) = try CommandIO.loadScenario(scenario)
        let loaded = try CommandIO.loadPlan(plan)
        let lang = language.language, t = language.text
        try force.require(loaded, plan, matches: data, scenario, t)
        if let dir = ics {
            let now = dtstamp.flatMap(ExportCommand.parseStamp) ?? Date()
            let old = try previous.map(CommandIO.loadPlan)
            let groupings = by.isEmpty ? [CalendarGrouping.inspector] : by.compactMap(CalendarGrouping.init(rawValue:))
            // What DIR's calendars last published: the UIDs to keep and the SEQUENCE to raise.
            var published = PublishedEvents()
            if old != nil {
                for name in (try? FileManager.default.contentsOfDirectory(atPath: dir))?.sorted() ?? [] where name.hasSuffix(".ics") {
                    guard let d = FileManager.default.contents(atPath: (dir as NSString).appendingPathComponent(name)) else { continue }
                    published.merge(String(decoding: d, as: UTF8.self))
                }
            }
            let exporter: ICalendarExporter
            do {
                exporter = try ICalendarExporter(scenario: model, plan: loaded, now: now, language: lang, previous: old, published: published)
            } catch let e as ExportError {
                CommandIO.stderr("\(scenario): \(e)")
                throw ExitCode(1)
            }
            try Self.makeFolder(dir)
            // What the calendars received (issue 24: "0 cancelled visits" while 7 calendars got a
            // STATUS:CANCELLED — a visit that moved to another inspector is cancelled in the old
            // inspector's calendar though it is still in the plan).
            var cancelledEvents = 0, cancelledCalendars = 0
            for g in groupings {
                let files = exporter.calendars(by: g)
                for f in files { try CommandIO.write(f.data, to: (dir as NSString).appendingPathComponent(f.fileName)) }
                let cancelled = ICalendarExporter.cancelledEvents(in: files)
                cancelledEvents += cancelled.events
                cancelledCalendars += cancelled.calendars
                CommandIO.stderr(t("cli.wroteCalendars", files.count, t("grouping.\(g.rawValue)"), dir))
            }
            if old != nil {
                let counts = exporter.changeCounts
                CommandIO.stderr(t("cli.wroteCancelledEvents", cancelledEvents, cancelledCalendars, counts.cancelled, counts.changed))
            }
        }
        if let dir = publication {
            // The filled sheet is read (and checked as `jointplan actuals` checks it), not written.
            var record = try actuals.map { try ActualsCommand.load($0, plan: loaded, horizon: model.horizon.span, language: lang) }
            if record == nil, let db {
                // What every sheet recorded for the plan's run, amended check by check.
                do {
                    let store = try RunStore(readOnlyAt: db)
                    guard let run = try store.run(matching: loaded) else {
                        CommandIO.stderr("error: \(plan) is not a run recorded in \(db)")
                        throw ExitCode(1)
                    }
                    record = Actuals(plan: loaded, recorded: try store.actualRecord(runId: run))
                } catch let e as StoreError {
                    CommandIO.stderr("error: \(e)")
                    throw ExitCode(1)
                }
            }
            let pub = Publication(scenario: model, plan: loaded, actuals: record)
            do {
                let files = try pub.write(to: dir)
                CommandIO.stderr(t("cli.wrote", files.joined(separator: ", ")) + t("publication.counts", pub.draw.count, pub.results.count, pub.notDone.count, pub.unreported))
            } catch {
                CommandIO.stderr("error: \(dir): \(error)")
                throw ExitCode(1)
            }
        }
        if let path = actuals, publication == nil {
            do { try ActualsSheet.write(scenario: model, plan: loaded, to: path) } catch {
                CommandIO.stderr("error: \(error)")
                throw ExitCode(1)
            }
            CommandIO.stderr(t("cli.wroteActuals", path, loaded.visits.reduce(0) { $0 + $1.checks.count } + loaded.remoteChecks.count))
        }
        if let path = csv {
            let files = CSVExporter(scenario: model, plan: loaded, language: lang).files(path: path)
            for f in files { try CommandIO.write(f.table.data, to: f.path) }
            CommandIO.stderr(t("cli.wrote", files.map { "\($0.path) (\($0.table.rows.count))" }.joined(separator: ", ")))
        }
        if let dir = notices {
            // The enterprise reads the notice: Chinese whatever the server's locale, --lang to override.
            let files = NoticeExporter(scenario: model, plan: loaded, language: language.readerLanguage).notices
            try Self.makeFolder(dir)
            for f in files { try CommandIO.write(f.data, to: (dir as NSString).appendingPathComponent(f.fileName)) }
            CommandIO.stderr(t("cli.wroteNotices", files.count, dir))
            if pdf {
                let show = progress || CommandIO.stderrIsTerminal
                if let grouping = combine {
                    let exporter = NoticeExporter(scenario: model, plan: loaded, language: language.readerLanguage)
                    let groups = exporter.combined(by: grouping, from: files)
                    for g in groups { try CommandIO.write(g.data, to: (dir as NSString).appendingPathComponent(g.fileName)) }
                    let printed = try NoticePrinter.printAll(groups.map { (dir as NSString).appendingPathComponent($0.fileName) }, t, progress: show)
                    CommandIO.stderr(t("cli.wroteCombined", printed, t("combine.\(grouping.rawValue)"), files.count, dir))
                } else {
                    let printed = try NoticePrinter.printAll(files.map { (dir as NSString).appendingPathComponent($0.fileName) }, t, progress: show)
                    CommandIO.stderr(t("cli.wrotePDF", printed))
                }
            }
        }
        if let path = xlsx {
            // Through `OutputFile`, as every other output: a FIFO, device or link is written
            // by its rules, not renamed over (issue 25).
            let book = WorkbookExporter(scenario: model, plan: loaded, language: lang)
            do { try book.write(to: path) } catch {
                CommandIO.stderr("error: \(error)")
                throw ExitCode(1)
            }
            CommandIO.stderr(t("cli.wrote", path))
        }
    }

    /// Makes `dir` and its parents, saying why not in plain words (issue 25: Foundation's
    /// "NSCocoaErrorDomain Code=516" reached the user when a file stood where the folder goes).
    static func makeFolder(_ dir: String) throws {
        var built = dir.hasPrefix("/") ? "/" : ""
        for part in dir.split(separator: "/") {
            built += (built.isEmpty || built.hasSuffix("/") ? "" : "/") + part
            var st = stat()
            if stat(built, &st) == 0 {
                if (st.st_mode & S_IFMT) == S_IFDIR { continue }
                CommandIO.stderr("error: \(FileProblem(.notAFolder, path: dir))")
                throw ExitCode(1)
            }
            if mkdir(built, 0o777) != 0 && errno != EEXIST {
                CommandIO.stderr("error: \(FileProblem(errno: errno, path: dir))")
                throw ExitCode(1)
            }
        }
    }

    /// `2026-01-01T08:00:00Z`.
    static func parseStamp(_ s: String) -> Date? {
        let u = Array(s.utf8)
        guard u.count == 20, u[10] == UInt8(ascii: "T"), u[19] == UInt8(ascii: "Z"),
              let day = Day(String(s.prefix(10))),
              let hm = ClockTime.parse(String(s.dropFirst(11).prefix(5))), hm < 1440, u[16] == UInt8(ascii: ":"),
              let sec = Int(String(s.dropFirst(17).prefix(2))), (0..<60).contains(sec) else { return nil }
        return Date(timeIntervalSince1970: Double(day.number * 86400 + hm * 60 + sec))
    }
}

extension NoticeExporter.Grouping: ExpressibleByArgument {}
