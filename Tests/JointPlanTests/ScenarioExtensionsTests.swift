import Foundation
import Testing
@testable import JointPlan

/// The enterprise `address` (spec 2) and the `extensions` keys the notices read
/// (docs/decisions.md, Notices).
struct ScenarioExtensionsTests {
    @Test func addressAndNoticeExtensionsAreRead() throws {
        let doc = ScenarioFixture.json
            .editing(["enterprises", 0, "address"]) { _ in .string("新兴街道建设路12号") }
            .editing(["items", 0, "extensions"]) { _ in .object(JSONObject([("materials", .array([.string("许可证"), .int(3), .string("台账")]))])) }
            .editing(["items", 1, "extensions"]) { _ in .object(JSONObject([("materials", .string("检测报告"))])) }
            .editing(["departments", 0, "extensions"]) { _ in .object(JSONObject([("contact", .string("王科长 0573-1"))])) }
            .editing(["extensions"]) { _ in .object(JSONObject([("noticeContact", .string("综合执法办 0573-2")), ("noticeIssuer", .int(7))])) }
        let s = try ScenarioReader.read(json: doc)
        #expect(s.enterprises[0].address == "新兴街道建设路12号")
        #expect(s.enterprises.dropFirst().allSatisfy { $0.address.isEmpty })
        #expect(s.items[0].materials == ["许可证", "台账"])        // a non-string entry is skipped
        #expect(s.items[1].materials == ["检测报告"])
        #expect(s.departments[0].contact == "王科长 0573-1")
        #expect(s.noticeContact == "综合执法办 0573-2" && s.noticeIssuer.isEmpty)   // not a string: ignored
    }

    @Test func addressMustBeAString() throws {
        let doc = ScenarioFixture.json.editing(["enterprises", 0, "address"]) { _ in .int(12) }
        #expect(throws: InputProblems.self) { try ScenarioReader.read(json: doc) }
        do { _ = try ScenarioReader.read(json: doc) } catch let e as InputProblems {
            #expect(e.problems.contains { $0.path == "enterprises[0].address" })
        }
    }
}
