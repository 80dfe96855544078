import Foundation
import JointPlan
import Testing
@testable import JointPlanExport

@Suite struct CSVExportTests {
    @Test func quotingFollowsRFC4180() {
        #expect(CSVTable.field("plain") == "plain")
        #expect(CSVTable.field("a,b") == "\"a,b\"")
        #expect(CSVTable.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVTable.field("two\r\nlines") == "\"two\r\nlines\"")
        #expect(CSVTable.field("lf\nonly") == "\"lf\nonly\"")
        #expect(CSVTable.field("中文；分号") == "中文；分号")
        #expect(CSVTable.record(["a", "b,c", ""]) == "a,\"b,c\",\r\n")
    }

    @Test func filesStartWithBOMAndEndRecordsWithCRLF() throws {
        let s = Fixture.scenario()
        let e = CSVExporter(scenario: s, plan: Fixture.plan(s))
        for (path, table) in e.files(path: "/tmp/plan.csv") {
            let bytes = Array(table.data)
            #expect(bytes.prefix(3) == [0xEF, 0xBB, 0xBF], "\(path) has no BOM")
            #expect(bytes.suffix(2) == [13, 10])
            let text = table.text
            #expect(text.dropFirst().hasPrefix(table.header.joined(separator: ",") + "\r\n"))
        }
        #expect(e.files(path: "/tmp/plan.csv").map(\.path) == ["/tmp/plan.csv", "/tmp/plan-visits.csv", "/tmp/plan-remote.csv", "/tmp/plan-unmet.csv"])
        #expect(CSVExporter.sibling("out/checks", "visits") == "out/checks-visits.csv")
    }

    @Test func namesWithCommasQuotesAndFormulasSurvive() throws {
        let s = Fixture.scenario()
        let e = CSVExporter(scenario: s, plan: Fixture.plan(s))
        let text = e.visits.text
        #expect(text.contains(#""悦来客栈; ""老店"", 东区""#))
        #expect(text.contains(#""城关镇, 东区""#))
        // The formula guard: the cell starts with ' so a spreadsheet shows the text.
        #expect(text.contains(",'=1+2 演示酒店,"))
        let back = try CSVTable.parse(text)
        #expect(back.column("enterpriseName").contains(Fixture.formulaName))
        #expect(back.column("enterpriseName").contains("悦来客栈; \"老店\", 东区"))
        #expect(back.column("enterpriseName").contains(Fixture.scriptName))
        // A leading apostrophe is itself guarded, so reading back is exact.
        let t = CSVTable(header: ["a", "n"], rows: [["'quoted", "-5"], ["-x", "+1"]], numericColumns: ["n"])
        #expect(t.text.contains("''quoted,-5\r\n'-x,+1\r\n"))
        #expect(try CSVTable.parse(t.text).rows == t.rows)
    }

    @Test func checksRoundTripToThePlan() throws {
        let s = Fixture.scenario()
        let p = Fixture.plan(s)
        let t = try CSVTable.parse(CSVExporter(scenario: s, plan: p).checks.text)
        #expect(t.header == CSVExporter.checksHeader)
        struct Row: Hashable { var visit, date, start, end, enterprise, item: String; var occurrence: Int; var inspector, team: String }
        let col = Dictionary(uniqueKeysWithValues: t.header.enumerated().map { ($1, $0) })
        let got = t.rows.map { r in
            Row(visit: r[col["visit"]!], date: r[col["date"]!], start: r[col["start"]!], end: r[col["end"]!],
                enterprise: r[col["enterprise"]!], item: r[col["item"]!], occurrence: Int(r[col["occurrence"]!]) ?? -1,
                inspector: r[col["inspector"]!], team: r[col["team"]!])
        }
        let want = p.visits.flatMap { v in
            v.checks.map { c in
                Row(visit: v.id, date: v.date.description, start: ClockTime.format(v.start), end: ClockTime.format(v.end),
                    enterprise: v.enterprise, item: c.item, occurrence: c.occurrence, inspector: c.inspector,
                    team: v.inspectors.joined(separator: ";"))
            }
        }
        #expect(got.count == want.count)
        #expect(Set(got) == Set(want))
        #expect(t.column("itemName").contains(Fixture.longItemName) == false)   // culture is only checked remotely
        #expect(t.column("departmentName").contains("消防救援大队"))
        #expect(t.column("inspectorName").filter { $0 == "王强" }.count == 4)
    }

    @Test func visitsRemoteAndUnmetRoundTrip() throws {
        let s = Fixture.scenario()
        let p = Fixture.plan(s)
        let e = CSVExporter(scenario: s, plan: p)
        let visits = try CSVTable.parse(e.visits.text)
        #expect(visits.header == CSVExporter.visitsHeader)
        #expect(Set(visits.column("visit")) == Set(p.visits.map(\.id)))
        #expect(visits.column("joint") == ["yes", "yes", "yes", "no", "yes"])   // chronological: V1, V2, V4, V3, V5
        #expect(visits.column("itemCount") == ["3", "2", "2", "1", "2"])
        #expect(visits.column("departments").first == "SCJG;XF")
        #expect(visits.column("teamNames").first == "张伟、王强")

        let remote = try CSVTable.parse(e.remote.text)
        #expect(remote.rows.count == 2)
        #expect(remote.column("itemName") == [Fixture.longItemName, Fixture.longItemName])
        #expect(remote.column("date") == ["2026-01-21", "2026-03-03"])
        #expect(remote.column("minutes") == ["15", "15"])

        let unmet = try CSVTable.parse(e.unmet.text)
        #expect(unmet.rows.count == 1)
        #expect(unmet.column("reason") == ["staffing"])
        #expect(unmet.column("reasonText") == ["人手不足"])
        #expect(unmet.column("tier") == ["D"])
    }

    @Test func parserRejectsMalformedFiles() {
        #expect(throws: CSVParseError.self) { try CSVTable.parse("a,b\nc,d\n") }            // LF records
        #expect(throws: CSVParseError.self) { try CSVTable.parse("a,b\r\n\"c,d\r\n") }      // open quote
        #expect(throws: CSVParseError.self) { try CSVTable.parse("a,b\r\nc\r\n") }           // field count
        #expect(throws: CSVParseError.self) { try CSVTable.parse("a,b\r\nc\"x,d\r\n") }      // quote inside a field
        #expect(throws: CSVParseError.self) { try CSVTable.parse("a,b\r\n\"c\"x,d\r\n") }    // text after a quote
        #expect(throws: CSVParseError.self) { try CSVTable.parse("a,b\r\nc,d") }             // no final CRLF
    }

    @Test func emptyPlanGivesHeadersOnly() throws {
        let s = Fixture.scenario()
        let e = CSVExporter(scenario: s, plan: Plan())
        for (_, table) in e.files(path: "x.csv") {
            #expect(table.rows.isEmpty)
            #expect(try CSVTable.parse(table.text).header == table.header)
        }
    }
}
