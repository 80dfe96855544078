import Foundation
import JointPlan
import Testing
@testable import JointPlanExport

/// Calendars that follow a re-plan (issue 14, item 3), read back by Python's `icalendar` (the
/// independent parser) and compared with `PlanDiff` (what `jointplan diff` prints).
@Suite(.enabled(if: PythonOracle.available, "python3 with the icalendar package is not installed (pip install icalendar)"))
struct ReplanCalendarTests {
    /// The fixture plan re-planned: V00001 moved to 10:30, V00002 without its fire check (the
    /// check its UID was anchored on), V00004 with another team, V00005 dropped (its checks
    /// unmet), V00003 kept.
    static func replanned(_ s: Scenario, _ p: Plan) -> Plan {
        var q = p
        q.visits[0].start = 10 * 60 + 30
        q.visits[0].end = 11 * 60 + 25
        q.visits[3].inspectors = ["P002", "P005"]
        q.visits[3].checks[1].inspector = "P005"
        let fire = q.visits[1].checks.remove(at: 1)
        q.visits[1].end -= 10
        q.unmet.append(UnmetCheck(enterprise: q.visits[1].enterprise, item: fire.item, occurrence: fire.occurrence, reason: .staffing))
        let dropped = q.visits.remove(at: 4)
        q.unmet += dropped.checks.map { UnmetCheck(enterprise: dropped.enterprise, item: $0.item, occurrence: $0.occurrence, reason: .staffing) }
        Evaluation(scenario: s).finish(&q, requiredChecks: p.kpis.requiredChecks)
        return q
    }

    /// Every event of every .ics in `dir` as the parser reads it: file → [(uid, sequence, status)].
    static func parse(_ dir: URL) throws -> [String: [(uid: String, sequence: Int, status: String, summary: String)]] {
        let script = """
        import json, pathlib, sys, icalendar
        out = {}
        for f in sorted(pathlib.Path(sys.argv[1]).glob("*.ics")):
            cal = icalendar.Calendar.from_ical(f.read_bytes())
            out[f.name] = [[str(e["UID"]), int(e.get("SEQUENCE", 0)), str(e.get("STATUS", "")), str(e.get("SUMMARY", ""))]
                           for e in cal.walk("VEVENT")]
        print(json.dumps(out, ensure_ascii=False))
        """
        let r = try PythonOracle.run(["python3", "-c", script, dir.path])
        #expect(r.status == 0, "\(r.output)")
        let doc = try JSONSerialization.jsonObject(with: Data(r.output.utf8)) as? [String: [[Any]]] ?? [:]
        return doc.mapValues { events in
            events.map { ($0[0] as! String, $0[1] as! Int, $0[2] as! String, $0[3] as! String) }
        }
    }

    @Test func reExportKeepsUIDsRaisesSequenceAndCancelsWhatIsGone() throws {
        let s = Fixture.scenario()
        let old = Fixture.plan(s)
        let new = Self.replanned(s, old)
        let dir = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }

        // The first export, as the office published it.
        let first = try ICalendarExporter(scenario: s, plan: old, now: Fixture.now)
        for g in CalendarGrouping.allCases { for f in first.calendars(by: g) { try f.data.write(to: dir.appendingPathComponent(f.fileName)) } }
        func published() throws -> PublishedEvents {
            var p = PublishedEvents()
            for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
                p.merge(try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8))
            }
            return p
        }
        let before = try published()
        #expect(!before.sequences.isEmpty && before.sequences.values.allSatisfy { $0 == 0 })
        #expect(before.visitUIDs.count == old.visits.count)

        // The re-export over it.
        let second = try ICalendarExporter(scenario: s, plan: new, now: Fixture.now, previous: old, published: before)
        for g in CalendarGrouping.allCases { for f in second.calendars(by: g) { try f.data.write(to: dir.appendingPathComponent(f.fileName)) } }
        let events = try Self.parse(dir)

        let diff = PlanDiff.compare(scenario: s, a: old, b: new)
        #expect(diff.unchanged.count == 1 && diff.moved.count == 1 && diff.changed.count == 2 && diff.removed.count == 1 && diff.added.isEmpty)
        let uidOld = Dictionary(uniqueKeysWithValues: old.visits.map { ($0.id, first.uid(ofVisit: $0.id)!) })
        let uidNew = Dictionary(uniqueKeysWithValues: new.visits.map { ($0.id, second.uid(ofVisit: $0.id)!) })
        // V00002 lost the check its UID was anchored on, and keeps its UID all the same.
        #expect(uidNew["V00002"] == uidOld["V00002"] && EventUID.anchor(of: new.visits[1]) != EventUID.anchor(of: old.visits[1]))
        let all = events.values.flatMap { $0 }
        func of(_ uid: String) -> [(uid: String, sequence: Int, status: String, summary: String)] { all.filter { $0.uid == uid } }

        for pair in diff.unchanged {
            #expect(uidOld[pair.a.id] == uidNew[pair.b.id])           // kept: same UID
            let e = of(uidNew[pair.b.id]!)
            #expect(!e.isEmpty && e.allSatisfy { $0.sequence == 0 && $0.status == "CONFIRMED" })
        }
        for pair in diff.moved + diff.changed {
            #expect(uidOld[pair.a.id] == uidNew[pair.b.id])           // same UID, so clients update it
            let e = of(uidNew[pair.b.id]!)
            #expect(e.contains { $0.sequence == 1 && $0.status == "CONFIRMED" })
        }
        for v in diff.removed {
            let e = of(uidOld[v.id]!)
            // Cancelled in every calendar that showed it: its enterprise, town, both inspectors, both departments.
            #expect(e.count == 6 && e.allSatisfy { $0.status == "CANCELLED" && $0.sequence == 1 && $0.summary.hasPrefix("已取消：") })
        }
        // V00004's team lost P003: P003's calendar cancels it, P005's shows it (SEQUENCE 1).
        let v4 = uidNew["V00004"]!
        #expect(events["inspector-P003.ics"]!.contains { $0.uid == v4 && $0.status == "CANCELLED" })
        #expect(events["inspector-P005.ics"]!.contains { $0.uid == v4 && $0.status == "CONFIRMED" && $0.sequence == 1 })
        #expect(second.changeCounts.changed == 3 && second.changeCounts.cancelled == 1)
        // What the calendars received (issue 24): the removed visit in its 2 inspectors'
        // calendars and V00004 in P003's — 3 events in 3 calendars for 1 visit gone.
        let byInspector = ICalendarExporter.cancelledEvents(in: second.calendars(by: .inspector))
        #expect(byInspector.events == 3 && byInspector.calendars == 3, "\(byInspector)")

        // A second re-export of the same re-plan raises nothing more for unchanged events, and
        // a further change goes one above what the files now hold.
        // The files now name V00002 by the UID it kept, not by its new anchor.
        let now = try published()
        #expect(now.visitUIDs["V00002"] == uidOld["V00002"])
        var third = new
        third.visits[0].start += 30
        third.visits[0].end += 30
        third.visits[1].start += 30
        third.visits[1].end += 30
        let again = try ICalendarExporter(scenario: s, plan: third, now: Fixture.now, previous: new, published: now)
        #expect(again.calendar(by: .enterprise, key: "E00001")!.text.contains("SEQUENCE:2\r\n"))
        #expect(again.uid(ofVisit: "V00002") == uidOld["V00002"])
    }

    /// scripts/check-replan-calendars (icalendar) and scripts/check-exports --replanned agree
    /// with the diff on the re-exported files.
    @Test func scriptsAgreeWithTheDiff() throws {
        let s = Fixture.scenario()
        let old = Fixture.plan(s)
        let new = Self.replanned(s, old)
        let root = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let a = root.appendingPathComponent("old"), b = root.appendingPathComponent("new")
        for d in [a, b] { try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true) }
        let first = try ICalendarExporter(scenario: s, plan: old, now: Fixture.now)
        var published = PublishedEvents()
        for g in CalendarGrouping.allCases {
            for f in first.calendars(by: g) {
                try f.data.write(to: a.appendingPathComponent(f.fileName))
                try f.data.write(to: b.appendingPathComponent(f.fileName))
                published.merge(f.text)
            }
        }
        let second = try ICalendarExporter(scenario: s, plan: new, now: Fixture.now, previous: old, published: published)
        for g in CalendarGrouping.allCases { for f in second.calendars(by: g) { try f.data.write(to: b.appendingPathComponent(f.fileName)) } }
        let diff = root.appendingPathComponent("diff.json")
        try Data(JSONWriter.pretty(PlanDiff.compare(scenario: s, a: old, b: new).json).utf8).write(to: diff)
        let script = PythonOracle.repository.appendingPathComponent("scripts/check-replan-calendars").path
        let r = try PythonOracle.run(["python3", script, a.path, b.path, diff.path])
        #expect(r.status == 0 && r.output.contains("0 problem(s)") && r.output.contains("cancelled: 1"), "\(r.output)")
        let planPath = root.appendingPathComponent("plan.json"), scenarioPath = root.appendingPathComponent("scenario.json")
        try new.encoded().write(to: planPath)
        try Fixture.scenarioJSON(s).write(to: scenarioPath)
        let c = try PythonOracle.run(["python3", PythonOracle.script, b.path, "--plan", planPath.path, "--scenario", scenarioPath.path, "--replanned"])
        #expect(c.status == 0, "\(c.output)")
    }

    @Test func locationIsTheAddressWithTheTown() throws {
        var s = Fixture.scenario()
        s.enterprises[0].address = "新兴街道建设路12号"
        s.index()
        let e = try ICalendarExporter(scenario: s, plan: Fixture.plan(s), now: Fixture.now)
        let f = e.calendar(by: .enterprise, key: "E00001")!
        #expect(f.text.contains("LOCATION:新兴街道建设路12号（新兴街道）\r\n"))
        let en = try ICalendarExporter(scenario: s, plan: Fixture.plan(s), now: Fixture.now, language: .en)
        let g = en.calendar(by: .inspector, key: "P001")!
        #expect(g.text.contains("LOCATION:新兴街道建设路12号 (新兴街道)\r\n"))
        #expect(g.text.contains("joint inspection") && !g.text.contains("联合检查 ·"))
    }
}
