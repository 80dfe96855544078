import Foundation
import JointPlan
import Testing

/// Issue 24, items 10-11 through the command line: the register's contact, materials, issuing
/// office and mail columns reach the notice and the calendars (ORGANIZER, ATTENDEE with the
/// inspectors' names and mail), and the workbook has a sheet for remote checks.
@Suite(.enabled(if: CommandLine14.available, "the jointplan binary is not built"), .serialized)
struct RegisterColumnsTests {
    @Test func contactMaterialsIssuerAndMailColumnsReachNoticesAndCalendars() throws {
        let dir = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let d = dir.path
        #expect(try CommandLine14.run(["template", "--from", "Scenarios/demo.json", "-o", "\(d)/r.xlsx"]).status == 0)
        let fill = try PythonOracle.run(["python3", "-c", """
            import openpyxl, sys
            wb = openpyxl.load_workbook(sys.argv[1])
            def col(ws, name):
                for c in ws[1]:
                    if c.value == name: return c.column
                raise SystemExit("no column " + name)
            ws = wb["检查对象"]
            for r in range(2, ws.max_row + 1): ws.cell(r, col(ws, "联系人"), "王经理 138-0000-0000")
            ws = wb["检查事项"]
            for r in range(2, ws.max_row + 1): ws.cell(r, col(ws, "需准备的材料"), "营业执照、消防台账")
            ws = wb["执法部门"]
            for r in range(2, ws.max_row + 1): ws.cell(r, col(ws, "联系方式"), "李科长 0573-1111111")
            ws = wb["执法人员"]
            for r in range(2, ws.max_row + 1):
                ws.cell(r, col(ws, "邮箱"), ws.cell(r, 1).value.lower() + "@example.gov.cn")
            ws = wb["日历"]
            for r in range(2, ws.max_row + 1):
                if ws.cell(r, 1).value == "发文单位": ws.cell(r, 2, "南湖区综合行政执法局, 联合检查办公室")
                if ws.cell(r, 1).value == "通知联系方式": ws.cell(r, 2, "区执法办 0573-87654321")
            wb.save(sys.argv[2])
            """, "\(d)/r.xlsx", "\(d)/filled.xlsx"])
        #expect(fill.status == 0, "\(fill.output)")
        let imported = try CommandLine14.run(["import", "\(d)/filled.xlsx", "-o", "\(d)/office.json"])
        #expect(imported.status == 0, "\(imported.stderr)")
        let s = try ScenarioReader.read(Data(contentsOf: URL(fileURLWithPath: "\(d)/office.json")))
        #expect(s.enterprises.allSatisfy { $0.contact == "王经理 138-0000-0000" })
        #expect(s.items.allSatisfy { $0.materials == ["营业执照", "消防台账"] })
        #expect(s.departments.allSatisfy { $0.contact == "李科长 0573-1111111" })
        #expect(s.inspectors.allSatisfy { $0.email == $0.id.lowercased() + "@example.gov.cn" })
        #expect(s.noticeIssuer == "南湖区综合行政执法局, 联合检查办公室" && s.noticeContact == "区执法办 0573-87654321")

        let solved = try CommandLine14.run(["solve", "\(d)/office.json", "-o", "\(d)/p.json", "--time-limit", "10"])
        #expect(solved.status == 0, "\(solved.stderr)")
        let e = try CommandLine14.run(["export", "\(d)/office.json", "\(d)/p.json", "--notices", "\(d)/n", "--ics", "\(d)/ics", "--xlsx", "\(d)/p.xlsx"])
        #expect(e.status == 0, "\(e.stderr)")
        let first = try #require(try FileManager.default.contentsOfDirectory(atPath: "\(d)/n").sorted().first)
        let notice = try String(contentsOfFile: "\(d)/n/\(first)", encoding: .utf8)
        for text in ["王经理 138-0000-0000", "<li>营业执照</li>", "李科长 0573-1111111", "区执法办 0573-87654321", "南湖区综合行政执法局, 联合检查办公室"] {
            #expect(notice.contains(text), "the notice lacks \(text)")
        }
        let ics = try FileManager.default.contentsOfDirectory(atPath: "\(d)/ics").filter { $0.hasSuffix(".ics") }.sorted()
        let text = try String(contentsOfFile: "\(d)/ics/\(try #require(ics.first))", encoding: .utf8)
        let unfolded = text.replacingOccurrences(of: "\r\n ", with: "")
        // The issuer's name has a comma: its CN is quoted (RFC 5545 3.2).
        #expect(unfolded.contains("ORGANIZER;CN=\"南湖区综合行政执法局, 联合检查办公室\":urn:x-jointplan:office"))
        let p = s.inspectors[0]
        #expect(unfolded.contains("ATTENDEE;CN=\(p.name);ROLE=REQ-PARTICIPANT;CUTYPE=INDIVIDUAL:mailto:\(p.email)") || !unfolded.contains(p.id),
                "\(unfolded.prefix(3000))")
        #expect(unfolded.contains("ATTENDEE;CN="))
        if PythonOracle.available {
            let parsed = try PythonOracle.run(["python3", "-c", """
                import icalendar, sys
                cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
                ev = [c for c in cal.walk('VEVENT') if c.get('ATTENDEE')][0]
                att = ev.get('ATTENDEE'); att = att if isinstance(att, list) else [att]
                print(ev.get('ORGANIZER').params['CN']); print(att[0].params['CN'], str(att[0]))
                """, "\(d)/ics/\(ics[0])"])
            #expect(parsed.status == 0 && parsed.output.contains("南湖区综合行政执法局, 联合检查办公室"), "\(parsed.output)")
        }
    }
}
