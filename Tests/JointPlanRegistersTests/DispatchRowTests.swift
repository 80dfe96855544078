import Foundation
import XCTest
import JointPlan
@testable import JointPlanRegisters

/// Rule 11: the registers carry policy.inspectorDispatch as a policy row in Chinese
/// (随机选派 / 优化指派), both ways, and an office's own words for it import.
final class DispatchRowTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws { dir = try Support.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func roundTrip(_ mode: String?) throws -> (Scenario, String) {
        var doc = RegisterTemplate.example(quarter: try XCTUnwrap(Quarter("2026Q2"))).objectValue!
        if let mode {
            var policy = doc["policy"]?.objectValue ?? JSONObject()
            policy["inspectorDispatch"] = .string(mode)
            doc["policy"] = .object(policy)
        }
        let path = dir.appendingPathComponent("r-\(mode ?? "default").xlsx").path
        try RegisterTemplate.write(document: .object(doc), to: path)
        let shown = try Support.python("""
            import openpyxl, sys
            ws = openpyxl.load_workbook(sys.argv[1])["参数"]
            print([r[1].value for r in ws.iter_rows() if r[0].value == "检查人员选派"][0])
            """, path)
        let r = try RegisterImport.read(xlsx: path)
        XCTAssertEqual(r.problems, [])
        return (try ScenarioReader.read(json: r.document), shown.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    func testRandomIsTheDefaultAndReadsAs随机选派() throws {
        let (s, shown) = try roundTrip(nil)
        XCTAssertEqual(shown, "随机选派")
        XCTAssertEqual(s.policy.inspectorDispatch, .random)
    }

    func testOptimisedRoundTripsAs优化指派() throws {
        let (s, shown) = try roundTrip("optimised")
        XCTAssertEqual(shown, "优化指派")
        XCTAssertEqual(s.policy.inspectorDispatch, .optimised)
    }

    func testOfficeWordsAndUnknownWords() {
        XCTAssertEqual(CellText.dispatch("随机选派"), "random")
        XCTAssertEqual(CellText.dispatch("双随机"), "random")
        XCTAssertEqual(CellText.dispatch("优化指派"), "optimised")
        XCTAssertEqual(CellText.dispatch("Optimized"), "optimised")
        // Anything else goes through as written, for the validator to name policy.inspectorDispatch.
        XCTAssertEqual(CellText.dispatch("领导指定"), "领导指定")
    }
}
