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

/// Issue 24, item 3: a notice fits one A4 page up to 12 items, seal included; a longer one
/// runs on, keeping the signature and seal together. Printed by Chromium and its pages counted.
struct NoticePageTests {
    /// The fixture's first visit carrying `n` items, each with three materials to prepare.
    static func notice(items n: Int, language: Language = .zh) -> NoticeFile {
        var s = NoticeTests.scenario()
        var p = Fixture.plan(s)
        let v = p.visits[0]
        let names = ["食品安全", "消防安全", "特种设备", "计量器具", "明码标价", "广告发布", "卫生许可", "从业人员健康",
                     "燃气使用", "安全生产", "环境保护", "垃圾分类", "户外招牌", "消毒记录", "进货查验"]
        var checks: [Check] = []
        for k in 0..<n {
            var item = Item(id: "notice-item-\(k)", department: s.departments[k % s.departments.count].id, minutes: 10)
            item.name = names[k % names.count] + "检查"
            item.materials = ["相关许可证照原件及复印件", "近三个月的\(names[k % names.count])台账和记录", "负责人身份证明"]
            s.items.append(item)
            checks.append(Check(item: item.id, occurrence: 1, inspector: v.inspectors[k % v.inspectors.count]))
        }
        s.index()
        p.visits[0].checks = checks
        return NoticeExporter(scenario: s, plan: p, language: language).notice(p.visits[0])
    }

    /// Pages of the notice printed by headless Chromium, and the page holding the seal.
    static func printed(_ n: NoticeFile) throws -> (pages: Int, sealPage: Int?) {
        let dir = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let html = dir.appendingPathComponent(n.fileName)
        try n.data.write(to: html)
        let pdf = dir.appendingPathComponent("notice.pdf")
        let r = try PythonOracle.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                                      "--user-data-dir=\(dir.appendingPathComponent("profile").path)",
                                      "--print-to-pdf=\(pdf.path)", html.absoluteString])
        #expect(r.status == 0, "\(r.output)")
        // JOINTPLAN_NOTICE_DEMO=DIR keeps the HTML and PDF (docs/notice-6-items.png is made from one).
        if let keep = ProcessInfo.processInfo.environment["JOINTPLAN_NOTICE_DEMO"] {
            let items = n.html.components(separatedBy: "<td class=\"n\">").count - 1
            try? FileManager.default.createDirectory(atPath: keep, withIntermediateDirectories: true)
            try? FileManager.default.removeItem(atPath: "\(keep)/notice-\(items)-items.pdf")
            try? FileManager.default.removeItem(atPath: "\(keep)/notice-\(items)-items.html")
            try? FileManager.default.copyItem(at: pdf, to: URL(fileURLWithPath: "\(keep)/notice-\(items)-items.pdf"))
            try? FileManager.default.copyItem(at: html, to: URL(fileURLWithPath: "\(keep)/notice-\(items)-items.html"))
        }
        let text = String(decoding: try Data(contentsOf: pdf), as: UTF8.self)
        // Skia writes one `/Type /Page` object per page (and one `/Type /Pages`).
        let pages = text.components(separatedBy: "/Type /Page").count - 1 - (text.components(separatedBy: "/Type /Pages").count - 1)
        var sealPage: Int?
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/pdftotext") {
            for page in 1...max(1, pages) {
                let t = try PythonOracle.run(["pdftotext", "-f", "\(page)", "-l", "\(page)", pdf.path, "-"])
                if t.output.contains("盖章") { sealPage = page }
            }
        }
        return (pages, sealPage)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium"), "no /usr/bin/chromium"),
          arguments: [1, 6, 12])
    func upToTwelveItemsFitOneA4PageWithTheSeal(items: Int) throws {
        let n = Self.notice(items: items)
        #expect(n.html.contains("notice-item-\(items - 1)") == false)  // ids are not shown, names are
        let (pages, seal) = try Self.printed(n)
        #expect(pages == 1, "\(items) items: \(pages) pages")
        if let seal { #expect(seal == 1) }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium"), "no /usr/bin/chromium"))
    func aLongerNoticeRepeatsTheHeaderRowAndKeepsTheSealWithTheSignature() throws {
        let n = Self.notice(items: 24)
        #expect(n.html.contains("<thead>") && n.html.contains("display: table-header-group"))
        #expect(n.html.contains("<div class=\"closing\">") && n.html.contains(".closing { break-inside: avoid"))
        let (pages, seal) = try Self.printed(n)
        #expect(pages >= 2)
        if let seal { #expect(seal == pages, "the seal is on page \(seal) of \(pages)") }
    }
}
