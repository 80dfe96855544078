import Foundation
import JointPlan
import Testing
@testable import JointPlanRegisters

/// Issue 23, item 3(a): under rule 11 the draw list shows each drawn enterprise's public random
/// order of inspectors (随机选派), in draw-list.html and draw-list.xlsx; re-derived here from the
/// seed by Python's hashlib, independently of `TeamDraw`.
@Suite struct PublicationOrderTests {
    @Test func theDrawListShowsEachDrawnEnterprisesOrderOfInspectors() throws {
        // Every inspector with a mail address (the register's 邮箱): none may go out.
        var doc = try CarryOverTests.document().objectValue!
        doc["inspectors"] = .array(doc["inspectors"]!.arrayValue!.map { p in
            var o = p.objectValue!
            o["extensions"] = .object(JSONObject([("email", .string("\(o["id"]!.stringValue!.lowercased())@nanhu.example.gov.cn"))]))
            return .object(o)
        })
        let (s, _, p) = try CarryOverTests.solve(.object(doc))
        #expect(s.policy.inspectorDispatch == .random && s.inspectors.allSatisfy { !$0.email.isEmpty })
        let pub = Publication(scenario: s, plan: p, actuals: nil)
        // One row per drawn enterprise and department of its drawn items.
        var expected = Set<String>()
        for d in Duties(scenario: s, seed: p.seed).duties where d.drawn {
            expected.insert(s.enterprises[d.enterprise].id + "|" + s.items[d.item].department)
        }
        #expect(Set(pub.orders.map { $0.enterprise + "|" + $0.departmentId }) == expected)
        #expect(pub.orders.count == expected.count && !expected.isEmpty)
        // Every inspector of the department, each once; not the register's order everywhere.
        for o in pub.orders {
            let members = s.inspectors.filter { $0.department == o.departmentId }.map { "\($0.name)（\($0.id)）" }
            #expect(Set(o.inspectors) == Set(members) && o.inspectors.count == members.count)
        }
        #expect(pub.orders.contains { o in o.inspectors != s.inspectors.filter { $0.department == o.departmentId }.map { "\($0.name)（\($0.id)）" } })

        let html = String(decoding: pub.drawListHTML, as: UTF8.self)
        let first = pub.orders[0]
        #expect(html.contains("<h2 id=orders>执法人员随机顺序（随机选派）</h2>"))
        #expect(html.contains("<td>\(first.enterprise)</td><td>\(first.name)</td><td>\(first.department)</td><td class=o>1. \(first.inspectors[0])　2. \(first.inspectors[1])"))
        // Names appear only in that section; nothing private anywhere: no mail, no recusal.
        let head = try #require(html.components(separatedBy: "<h2 id=orders>").first)
        for i in s.inspectors { #expect(!head.contains(i.name), "\(i.name)") }
        #expect(!html.contains("nanhu.example") && !html.contains("mailto") && !html.contains("回避企业") && !html.contains("recusal"))
        let results = String(decoding: pub.resultsHTML, as: UTF8.self)
        for i in s.inspectors { #expect(!results.contains(i.name), "\(i.name)") }
        #expect(!results.contains("nanhu.example"))

        // The workbook's sheet, checked against tickets computed by Python from the seed.
        let dir = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try pub.write(to: dir.path)
        let scenarioFile = dir.appendingPathComponent("scenario.json")
        try Data(JSONWriter.canonical(.object(doc)).utf8).write(to: scenarioFile)
        let out = try Support.python("""
            import hashlib, json, re, sys, openpyxl
            s = json.load(open(sys.argv[2])); seed = sys.argv[3]
            names = {d["name"]: d["id"] for d in s["departments"]}
            wb = openpyxl.load_workbook(sys.argv[1]); ws = wb["执法人员顺序"]
            assert [c.value for c in ws[1]] == ["企业编号", "企业名称", "检查部门", "执法人员顺序"], [c.value for c in ws[1]]
            rows = 0
            for e, name, dept, order in ws.iter_rows(min_row=2, values_only=True):
                members = [p for p in s["inspectors"] if p["department"] == names[dept]]
                def t(p): return int.from_bytes(hashlib.sha256(f"{seed}|{e}|{p['id']}".encode()).digest()[:8], "big")
                want = [p["id"] for p in sorted(members, key=lambda p: (t(p), p["id"].encode()))]
                got = re.findall(r"（([^）]+)）", order)
                assert got == want, (e, dept, got, want)
                rows += 1
            print(rows, wb.sheetnames)
            """, dir.appendingPathComponent("draw-list.xlsx").path, scenarioFile.path, String(p.seed))
        #expect(out == "\(pub.orders.count) ['抽查名单', '执法人员顺序', '复核方法']\n", "\(out)")
    }

    @Test func underOptimisedDispatchThereIsNoOrderToPublish() throws {
        var doc = try CarryOverTests.document().objectValue!
        var policy = doc["policy"]!.objectValue!
        policy["inspectorDispatch"] = .string("optimised")
        doc["policy"] = .object(policy)
        let (s, _, p) = try CarryOverTests.solve(.object(doc))
        let pub = Publication(scenario: s, plan: p, actuals: nil)
        #expect(pub.orders.isEmpty)
        let html = String(decoding: pub.drawListHTML, as: UTF8.self)
        #expect(!html.contains("执法人员随机顺序") && html.contains("不随机选派"))
        for i in s.inspectors { #expect(!html.contains(i.name), "\(i.name)") }
    }
}
