import ArgumentParser
import Foundation
import JointPlan
import JointPlanRegisters
import JointPlanExport

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
        """)

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

    func validate() throws {
        if ics == nil && csv == nil && actuals == nil { throw ValidationError("give --ics DIR, --csv FILE and/or --actuals FILE.xlsx") }
        if !by.isEmpty && ics == nil { throw ValidationError("--by needs --ics DIR") }
        for b in by where CalendarGrouping(rawValue: b) == nil {
            throw ValidationError("--by: \"\(b)\" is not one of inspector, department, town, enterprise")
        }
        if let s = dtstamp, ExportCommand.parseStamp(s) == nil {
            throw ValidationError("--dtstamp: \"\(s)\" is not YYYY-MM-DDTHH:MM:SSZ")
        }
    }

    func run() throws {
        let model = try CommandIO.loadScenario(scenario).scenario
        let loaded = try CommandIO.loadPlan(plan)
        if !loaded.scenarioName.isEmpty && loaded.scenarioName != model.name {
            CommandIO.stderr("warning: the plan was made for scenario \"\(loaded.scenarioName)\", not \"\(model.name)\"")
        }
        if let dir = ics {
            let now = dtstamp.flatMap(ExportCommand.parseStamp) ?? Date()
            let exporter: ICalendarExporter
            do { exporter = try ICalendarExporter(scenario: model, plan: loaded, now: now) } catch let e as ExportError {
                CommandIO.stderr("\(scenario): \(e)")
                throw ExitCode(1)
            }
            let groupings = by.isEmpty ? [CalendarGrouping.inspector] : by.compactMap(CalendarGrouping.init(rawValue:))
            for g in groupings {
                let files = exporter.calendars(by: g)
                for f in files { try CommandIO.write(f.data, to: (dir as NSString).appendingPathComponent(f.fileName)) }
                CommandIO.stderr("wrote \(files.count) \(g.rawValue) calendar\(files.count == 1 ? "" : "s") to \(dir)")
            }
        }
        if let path = actuals {
            do { try ActualsSheet.write(scenario: model, plan: loaded, to: path) } catch {
                CommandIO.stderr("error: \(error)")
                throw ExitCode(1)
            }
            CommandIO.stderr("wrote \(path) (\(loaded.visits.reduce(0) { $0 + $1.checks.count } + loaded.remoteChecks.count) planned checks)")
        }
        if let path = csv {
            let files = CSVExporter(scenario: model, plan: loaded).files(path: path)
            for f in files { try CommandIO.write(f.table.data, to: f.path) }
            CommandIO.stderr("wrote " + files.map { "\($0.path) (\($0.table.rows.count) rows)" }.joined(separator: ", "))
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
