import Foundation
import JointPlan
import Testing
@testable import JointPlanExport

/// Notices to enterprises (issue 14, item 2).
struct NoticeTests {
    static func scenario() -> Scenario {
        var s = Fixture.scenario()
        s.enterprises[0].address = "新兴街道建设路12号"
        s.items[0].materials = ["食品经营许可证", "从业人员健康证明", "进货查验记录"]
        s.departments[0].contact = "王科长 0573-12345678"
        s.noticeContact = "南湖区综合执法办 0573-87654321"
        s.noticeIssuer = "南湖区综合行政执法局"
        s.index()
        return s
    }

    @Test func oneNoticePerVisitWithEverythingTheEnterpriseNeeds() throws {
        let s = Self.scenario()
        let p = Fixture.plan(s)
        let notices = NoticeExporter(scenario: s, plan: p).notices
        #expect(notices.count == p.visits.count)
        #expect(Set(notices.map(\.fileName)).count == notices.count)
        let n = try #require(notices.first { $0.visit == "V00001" })
        let html = n.html
        for text in ["检查通知书", "某某餐饮有限公司", "新兴街道建设路12号", "2026年1月12日", "星期一", "09:30–10:25",
                     "张伟（市场监管局）", "王强（消防救援大队）", "食品安全", "消防安全", "瓶装液化气使用",
                     "<li>食品经营许可证</li>", "<li>进货查验记录</li>",
                     "与该事项有关的许可证照、管理制度、台账和记录",      //消防安全 has no materials: the default
                     "市场监管局：王科长 0573-12345678", "南湖区综合执法办 0573-87654321", "南湖区综合行政执法局", "联合检查"] {
            #expect(html.contains(text), "missing \(text)")
        }
        // No script, no URL: it prints offline.
        #expect(!html.contains("<script") && !html.contains("http"))
        // The scenario's strings are escaped.
        let v2 = try #require(notices.first { $0.visit == "V00002" })
        #expect(!v2.html.contains(Fixture.scriptName) && v2.html.contains("&lt;script&gt;"))
    }

    @Test func englishNotice() throws {
        let s = Self.scenario()
        let n = NoticeExporter(scenario: s, plan: Fixture.plan(s), language: .en).notices[0]
        #expect(n.html.contains("Notice of inspection") && n.html.contains("Materials to prepare") && n.html.contains("1/12/2026"))
        #expect(!n.html.contains("检查通知书"))
    }

    /// The page as Chromium renders it: printed to PDF and its text read back (pdftotext when
    /// installed), or else the DOM Chromium built (`--dump-dom`).
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium"), "no /usr/bin/chromium"))
    func chromiumRendersTheNotice() throws {
        let s = Self.scenario()
        let n = NoticeExporter(scenario: s, plan: Fixture.plan(s)).notices[0]
        let dir = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let html = dir.appendingPathComponent(n.fileName)
        try n.data.write(to: html)
        let pdf = dir.appendingPathComponent("notice.pdf")
        let r = try PythonOracle.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                                      "--user-data-dir=\(dir.appendingPathComponent("profile").path)",
                                      "--print-to-pdf=\(pdf.path)", html.absoluteString])
        #expect(r.status == 0, "\(r.output)")
        let data = try Data(contentsOf: pdf)
        #expect(data.starts(with: Data("%PDF".utf8)) && data.count > 10_000)
        let dom = try PythonOracle.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu",
                                        "--user-data-dir=\(dir.appendingPathComponent("profile").path)", "--dump-dom", html.absoluteString])
        #expect(dom.output.contains("检查通知书") && dom.output.contains("某某餐饮有限公司") && dom.output.contains("食品经营许可证"))
    }
}
