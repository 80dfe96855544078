import Foundation
import JointPlan
import JointPlanExport
import JointPlanRegisters
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Methods {
    /// `export {"scenario" | "path", "plan" | "runId", "format": "ics" | "csv" | "html", "by"?,
    /// "dtstamp"?, "directory"?}` → `{"files": [{"name", "mediaType", "content"}]}` (spec 4,
    /// Exports; `jointplan export` and `jointplan report`): the files' text in the result, so
    /// a client on another machine gets them without sharing a disk. With `"directory"` the
    /// service writes them there instead and answers `{"files": [{"name", "path", "bytes"}]}`.
    static func export(_ s: Service, _ call: Call) throws -> JSON {
        var p = Params(call.params, allowed: ["scenario", "path", "plan", "runId", "format", "by", "dtstamp", "directory", "overwrite"])
        let planSource = p.planSource()
        let scenarioSource = p.scenarioSourceOrRun()
        let format = p.string("format", required: true)
        if let f = format, !["ics", "csv", "html"].contains(f) {
            p.problem("params.format", "must be one of ics, csv, html, got \(JSONWriter.quote(f))")
        }
        let groupings = p.choices("by", among: CalendarGrouping.allCases.map(\.rawValue))
        let stampText = p.string("dtstamp")
        var stamp: Date?
        if let t = stampText {
            stamp = ExportFiles.parseStamp(t)
            if stamp == nil { p.problem("params.dtstamp", "must be a UTC time YYYY-MM-DDTHH:MM:SSZ, got \(JSONWriter.quote(t))") }
        }
        if let f = format, f == "csv" || f == "html" {
            if groupings != nil { p.problem("params.by", "applies to format \"ics\" only") }
            if stampText != nil { p.problem("params.dtstamp", "applies to format \"ics\" only") }
        }
        let directory = p.string("directory")
        let overwrite = p.bool("overwrite") ?? false
        if p.object["overwrite"] != nil, directory == nil { p.problem("params.overwrite", "applies with \"directory\" only") }
        try p.check()
        // Confined before anything is read (`serve --root`).
        let target = try directory.map { try s.pathRoot.writing($0, param: "params.directory") }

        let inputs = try PlanInputs.load(scenario: scenarioSource, plan: try planSource.checked("params.plan"), service: s)
        // Files of a recorded run are named for it, so exports of two runs do not collide.
        let stem = inputs.runId.map { "run-\($0)" } ?? "plan"
        let files: [ExportFiles.File]
        switch try format.checked("params.format") {
        case "ics":
            files = try ExportFiles.calendars(inputs, by: (groupings ?? ["inspector"]).compactMap(CalendarGrouping.init(rawValue:)),
                                              now: stamp ?? Date())
        case "csv":
            files = CSVExporter(scenario: inputs.loaded.scenario, plan: inputs.plan).files(path: stem + ".csv").map {
                ExportFiles.File(name: $0.path, mediaType: "text/csv; charset=utf-8", content: $0.table.text)
            }
        default:
            // Each KPI against its target (issue 23); completion from what the run recorded.
            var record: Actuals?
            if let run = inputs.runId, let recorded = try? s.store?.actualRecord(runId: run), !recorded.isEmpty {
                record = Actuals(plan: inputs.plan, recorded: recorded)
            }
            let page = TargetsSection.insert(TargetsSection.html(scenario: inputs.loaded.scenario, plan: inputs.plan, actuals: record, language: .zh),
                                             into: HTMLReport.render(scenario: inputs.loaded.scenario, plan: inputs.plan))
            files = [ExportFiles.File(name: stem + ".html", mediaType: "text/html; charset=utf-8", content: page)]
        }

        var result = JSONObject()
        if let target {
            result["files"] = .array(try ExportFiles.write(files, to: target, root: s.pathRoot, overwrite: overwrite))
        } else {
            result["files"] = .array(files.map { f in
                .object(JSONObject([("name", .string(f.name)), ("mediaType", .string(f.mediaType)), ("content", .string(f.content))]))
            })
        }
        if !inputs.warnings.isEmpty { result["warnings"] = .array(inputs.warnings.map { .string($0) }) }
        return .object(result)
    }
}

/// The files `export` makes, and how they are written when the client names a directory.
enum ExportFiles {
    struct File {
        /// The file's name, without a folder (`inspector-P001.ics`, `plan-visits.csv`).
        var name: String
        var mediaType: String
        var content: String
    }

    /// One `.ics` per inspector, department, town or enterprise of each grouping (RFC 5545).
    static func calendars(_ inputs: PlanInputs, by groupings: [CalendarGrouping], now: Date) throws -> [File] {
        let exporter: ICalendarExporter
        do { exporter = try ICalendarExporter(scenario: inputs.loaded.scenario, plan: inputs.plan, now: now) } catch let e as ExportError {
            switch e {
            case .unknownTimeZone(let id):
                throw RPCError.invalidParams(path: "horizon.timezone", "unknown time zone \(JSONWriter.quote(id)): this system's time zone database cannot write its VTIMEZONE")
            }
        }
        return groupings.flatMap { g in
            exporter.calendars(by: g).map { File(name: $0.fileName, mediaType: "text/calendar; charset=utf-8", content: $0.text) }
        }
    }

    /// Writes every file into `directory` (created if missing) through `OutputFile` (a new
    /// file atomically; a link followed; a device, FIFO or socket refused, since writing
    /// into one may block a worker for ever); answers where
    /// they are. Without `overwrite` no existing file is replaced: if any of the files is
    /// there already, nothing is written and the answer names it. Each file's own path is
    /// confined too (a symlink in the folder must not lead out of the root). Problems are
    /// -32602 on `params.directory`.
    static func write(_ files: [File], to directory: String, root: PathRoot, overwrite: Bool) throws -> [JSON] {
        let fail = { (message: String) in RPCError.invalidParams(path: "params.directory", message) }
        var targets: [String] = []
        for f in files {
            // Names come from ids in the scenario: never a folder of their own.
            guard !f.name.contains("/"), f.name != ".", f.name != ".." else {
                throw fail("cannot write a file named \(JSONWriter.quote(f.name)) (its name comes from an id with \"/\" or \"..\")")
            }
            let path = (directory as NSString).appendingPathComponent(f.name)
            let target = try root.writing(path, param: "params.directory")
            var st = stat()
            if !overwrite, lstat(path, &st) == 0 {
                throw fail("\(FileProblem(.exists, path: path)): nothing was written; give \"overwrite\": true to replace the files")
            }
            targets.append(target)
        }
        return try zip(files, targets).map { f, target in
            let data = Data(f.content.utf8)
            do { try OutputFile.write(data, to: target, overwrite: overwrite, createFolders: true, regularOnly: true) } catch {
                throw fail("cannot write: \(error)")
            }
            return .object(JSONObject([("name", .string(f.name)), ("path", .string(target)), ("bytes", .int(data.count))]))
        }
    }

    /// `2026-01-01T08:00:00Z` (the events' DTSTAMP, for reproducible files), or nil.
    static func parseStamp(_ s: String) -> Date? {
        guard s.utf8.count == 20, s.hasSuffix("Z") else { return nil }
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.date(from: s)
    }
}
