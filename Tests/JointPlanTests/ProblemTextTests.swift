import Foundation
import Testing
@testable import JointPlan

/// validate's messages in Chinese (issue 14, item 1): the reader's forms, read from a real
/// invalid scenario.
struct ProblemTextTests {
    @Test func theReadersCommonFormsReadInChinese() throws {
        let text = """
        {"format": "jointplan.scenario/1", "name": "x", "horizon": {"start": "2026-01-01", "end": "2026-13-01", "dayStart": "25:00"},
         "towns": [{"id": "T1", "travl": {}}], "departments": [{"id": "D"}, {"id": "D"}],
         "inspectors": [{"id": "P1", "department": "DX"}],
         "items": [{"id": "i", "department": "D", "categories": ["c"], "minutes": "20"}],
         "enterprises": [{"id": "E1", "town": "T9", "categories": ["c"], "tier": "A", "whitelisted": 1}]}
        """
        var problems: [InputProblem] = []
        do { _ = try ScenarioReader.read(Data(text.utf8)) } catch let e as InputProblems { problems = e.problems }
        let zh = problems.map { ProblemText.line($0, .zh) }
        for expected in ["horizon.end: 必须是日期 YYYY-MM-DD，实际为 \"2026-13-01\"",
                         "horizon.dayStart: 必须是时间 HH:MM（00:00-23:59），实际为 \"25:00\"",
                         "departments[1].id: 编号 \"D\" 重复（另见 departments[0]）",
                         "towns[0].travl: 未知的键 \"travl\"（是否指 \"travel\"？）",
                         "items[0].minutes: 必须是整数，实际为 \"20\"",
                         "enterprises[0].town: 未知的镇街 \"T9\"",
                         "enterprises[0].whitelisted: 必须是 true 或 false，实际为 1",
                         "inspectors[0].department: 未知的部门 \"DX\""] {
            #expect(zh.contains(expected), "missing \(expected) in \(zh)")
        }
        // English is the reader's own wording, byte for byte; an unknown form stays as it is.
        #expect(problems.map { ProblemText.line($0, .en) } == problems.map(\.description))
        #expect(ProblemText.localized("something new", .zh) == "something new")
    }
}
