import Foundation
import Testing
@testable import JointPlanExport

/// Issue 25: visit ids that differ only in characters a file name cannot hold still get
/// notices of their own.
@Suite struct NoticeNameTests {
    @Test func idsThatWouldCollideGetDistinctFileNames() {
        let ids = ["V/1", "V_1", "V\\1", "V:1", "V 1", "检1", "检2", "V1", ""]
        let names = ids.map(NoticeExporter.fileName)
        #expect(Set(names).count == ids.count, "\(names)")
        #expect(NoticeExporter.fileName("V_1") == "notice-V_1.html")
        #expect(NoticeExporter.fileName("V001") == "notice-V001.html")
        #expect(names.allSatisfy { !$0.contains("/") && $0.hasPrefix("notice-") && $0.hasSuffix(".html") })
    }
}
