import Foundation
import XCTest
import JointPlan
@testable import JointPlanRegisters

/// Issue 13, item 3: `template --from` then `import` gives back the scenario, on every bundled
/// scenario, also after another writer (openpyxl) has opened and re-saved the workbook.
final class RoundTripTests: XCTestCase {
    func testEveryBundledScenarioSurvivesTemplateAndImport() throws {
        let dir = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        XCTAssertGreaterThanOrEqual(Support.scenarioFiles.count, 4)
        for file in Support.scenarioFiles {
            let original = try Support.json(file)
            let xlsx = dir.appendingPathComponent(file.deletingPathExtension().lastPathComponent + ".xlsx").path
            try RegisterTemplate.write(document: original, to: xlsx)
            let result = try RegisterImport.read(xlsx: xlsx)
            XCTAssertEqual(result.problems.map { $0.text(Catalogue(.en)) }, [], file.lastPathComponent)
            assertSameScenario(result.document, original, file.lastPathComponent)
        }
    }

    func testRoundTripAfterOpenpyxlResavesTheWorkbook() throws {
        let dir = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for file in Support.scenarioFiles {
            let original = try Support.json(file)
            let xlsx = dir.appendingPathComponent("a.xlsx").path, resaved = dir.appendingPathComponent("b.xlsx").path
            try RegisterTemplate.write(document: original, to: xlsx)
            try Support.python("import openpyxl, sys\nwb = openpyxl.load_workbook(sys.argv[1])\nwb.save(sys.argv[2])", xlsx, resaved)
            let result = try RegisterImport.read(xlsx: resaved)
            XCTAssertEqual(result.problems.map { $0.text(Catalogue(.en)) }, [], file.lastPathComponent)
            assertSameScenario(result.document, original, file.lastPathComponent + " (openpyxl)")
        }
    }

    func assertSameScenario(_ a: JSON, _ b: JSON, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        let na = ScenarioDefaults.normalized(a), nb = ScenarioDefaults.normalized(b)
        if na == nb { return }
        // Name the first list element or field that differs, not two megabytes of JSON.
        for key in nb.objectValue?.keys ?? [] where na[key] != nb[key] {
            if let xs = na[key]?.arrayValue, let ys = nb[key]?.arrayValue {
                if xs.count != ys.count { XCTFail("\(name): \(key) has \(xs.count) entries, expected \(ys.count)", file: file, line: line); return }
                for (i, (x, y)) in zip(xs, ys).enumerated() where x != y {
                    XCTFail("\(name): \(key)[\(i)]\n got      \(JSONWriter.canonical(x))\n expected \(JSONWriter.canonical(y))", file: file, line: line)
                    return
                }
            }
            XCTFail("\(name): \(key)\n got      \(JSONWriter.canonical(na[key] ?? .null))\n expected \(JSONWriter.canonical(nb[key] ?? .null))", file: file, line: line)
            return
        }
        XCTFail("\(name): differs", file: file, line: line)
    }
}
