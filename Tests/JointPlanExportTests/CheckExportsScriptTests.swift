import Foundation
import JointPlan
import Testing
@testable import JointPlanExport

/// Runs `scripts/check-exports` (Python with the `icalendar` package, an independent parser)
/// on the exports of the fixture plan. When `python3 -c 'import icalendar'` fails the tests are
/// skipped with that reason in the test log; CI installs the package (`pip install icalendar`).
enum PythonOracle {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let script = repository.appendingPathComponent("scripts/check-exports").path

    static let available: Bool = (try? run(["python3", "-c", "import icalendar"]).status) == 0

    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = arguments
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Writes every calendar grouping, the CSV files, the plan and the scenario into a new
    /// directory; returns it with the paths of the plan and scenario files.
    static func export(_ s: Scenario, _ p: Plan) throws -> (dir: URL, plan: String, scenario: String) {
        let dir = try Fixture.temporaryDirectory()
        let out = dir.appendingPathComponent("exports")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let e = try ICalendarExporter(scenario: s, plan: p, now: Fixture.now)
        for g in CalendarGrouping.allCases {
            for f in e.calendars(by: g) { try f.data.write(to: out.appendingPathComponent(f.fileName)) }
        }
        for (path, table) in CSVExporter(scenario: s, plan: p).files(path: out.appendingPathComponent("plan.csv").path) {
            try table.data.write(to: URL(fileURLWithPath: path))
        }
        let planPath = dir.appendingPathComponent("plan.json")
        try p.encoded().write(to: planPath)
        let scenarioPath = dir.appendingPathComponent("scenario.json")
        try Fixture.scenarioJSON(s).write(to: scenarioPath)
        return (out, planPath.path, scenarioPath.path)
    }
}

@Suite(.enabled(if: PythonOracle.available, "python3 with the icalendar package is not installed (pip install icalendar)"))
struct CheckExportsScriptTests {
    @Test func fixtureExportsPassTheIndependentParser() throws {
        let s = Fixture.scenario()
        let p = Fixture.plan(s)
        let (dir, plan, scenario) = try PythonOracle.export(s, p)
        defer { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent()) }
        let r = try PythonOracle.run(["python3", PythonOracle.script, dir.path, "--plan", plan, "--scenario", scenario])
        #expect(r.status == 0, "\(r.output)")
        #expect(r.output.contains("15 calendar(s), 4 CSV file(s) compared with the plan: 0 problem(s)"), "\(r.output)")
    }

    @Test func daylightSavingZoneMatchesTheZoneDatabase() throws {
        // Europe/Berlin changes offset inside the horizon; the script compares the offset our
        // VTIMEZONE gives each event with Python's zoneinfo.
        var s = Fixture.scenario(timezone: "Europe/Berlin")
        var p = Fixture.plan(s)
        p.visits[4].date = Day("2026-03-30")!   // after the change to summer time
        s.index()
        let (dir, plan, scenario) = try PythonOracle.export(s, p)
        defer { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent()) }
        let r = try PythonOracle.run(["python3", PythonOracle.script, dir.path, "--plan", plan, "--scenario", scenario])
        #expect(r.status == 0, "\(r.output)")
    }

    @Test func theParserCatchesBrokenFiles() throws {
        let s = Fixture.scenario()
        let p = Fixture.plan(s)
        let (dir, plan, scenario) = try PythonOracle.export(s, p)
        defer { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent()) }
        let file = dir.appendingPathComponent("inspector-P001.ics")
        let original = try String(contentsOf: file, encoding: .utf8)

        // A visit moved by an hour in the file but not in the plan.
        try original.replacingOccurrences(of: "DTSTART;TZID=Asia/Shanghai:20260112T093000",
                                          with: "DTSTART;TZID=Asia/Shanghai:20260112T083000").write(to: file, atomically: true, encoding: .utf8)
        var r = try PythonOracle.run(["python3", PythonOracle.script, file.path, "--plan", plan, "--scenario", scenario])
        #expect(r.status == 1 && r.output.contains("DTSTART 2026-01-12 08:30:00"), "\(r.output)")

        // Unfolded: a line longer than 75 octets.
        try ICalendarText.unfold(original).write(to: file, atomically: true, encoding: .utf8)
        r = try PythonOracle.run(["python3", PythonOracle.script, file.path])
        #expect(r.status == 1 && r.output.contains("more than 75"), "\(r.output)")

        // LF line ends.
        try original.replacingOccurrences(of: "\r\n", with: "\n").write(to: file, atomically: true, encoding: .utf8)
        r = try PythonOracle.run(["python3", PythonOracle.script, file.path])
        #expect(r.status == 1, "\(r.output)")

        // An event missing from a calendar.
        try original.write(to: file, atomically: true, encoding: .utf8)
        var q = p
        q.visits.append(Visit(id: "V00100", enterprise: "E00001", date: Day("2026-02-02")!, start: 540, end: 600,
                              inspectors: ["P001", "P002"], checks: [Check(item: "food-safety", occurrence: 9, inspector: "P001")]))
        let extraPlan = dir.deletingLastPathComponent().appendingPathComponent("extra.json")
        try q.encoded().write(to: extraPlan)
        r = try PythonOracle.run(["python3", PythonOracle.script, file.path, "--plan", extraPlan.path, "--scenario", scenario])
        #expect(r.status == 1 && r.output.contains("missing the event of visit V00100"), "\(r.output)")

        // A CSV with LF records and no BOM.
        let csv = dir.appendingPathComponent("plan-visits.csv")
        let text = try String(contentsOf: csv, encoding: .utf8)
        try String(text.dropFirst()).replacingOccurrences(of: "\r\n", with: "\n").write(to: csv, atomically: true, encoding: .utf8)
        r = try PythonOracle.run(["python3", PythonOracle.script, csv.path])
        #expect(r.status == 1 && r.output.contains("BOM") && r.output.contains("LF without CR"), "\(r.output)")
    }
}

@Suite struct FixtureTests {
    /// The hand-made plan the export tests use obeys every rule of spec 3.1.
    @Test func fixturePlanIsValid() {
        let s = Fixture.scenario()
        let report = PlanChecker.check(scenario: s, plan: Fixture.plan(s))
        #expect(report.valid, "\(report.violations.map(\.message))")
        #expect(report.required == 13)
    }
}

/// Renders the fixture's report with headless Chromium through `scripts/screenshot-report`
/// (skipped, with the reason in the test log, where Chromium is not installed:
/// `apt-get install -y chromium fonts-noto-cjk`).
enum Chromium {
    static let available: Bool = ["chromium", "chromium-browser", "google-chrome"].contains { name in
        (try? PythonOracle.run(["sh", "-c", "command -v \(name)"]).status) == 0
    }
    static let script = PythonOracle.repository.appendingPathComponent("scripts/screenshot-report").path
}

@Suite(.enabled(if: Chromium.available, "headless Chromium is not installed (apt-get install -y chromium)"))
struct ReportScreenshotTests {
    @Test func reportRendersToANonBlankScreenshot() throws {
        let dir = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let s = Fixture.scenario()
        let html = dir.appendingPathComponent("report.html")
        try Data(HTMLReport.render(scenario: s, plan: Fixture.plan(s)).utf8).write(to: html)
        let png = dir.appendingPathComponent("report.png")
        let r = try PythonOracle.run(["python3", Chromium.script, html.path, png.path])
        #expect(r.status == 0, "\(r.output)")
        #expect(FileManager.default.fileExists(atPath: png.path))

        // A blank page must be refused: the check can fail.
        let blank = dir.appendingPathComponent("blank.html")
        try Data("<!DOCTYPE html><html><body></body></html>".utf8).write(to: blank)
        let b = try PythonOracle.run(["python3", Chromium.script, blank.path, dir.appendingPathComponent("blank.png").path, "--size", "600,400"])
        #expect(b.status == 1 && b.output.contains("looks blank"), "\(b.output)")
    }
}
