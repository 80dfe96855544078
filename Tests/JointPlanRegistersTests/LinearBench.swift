import Foundation
import Testing
import JointPlan
import Spreadsheet
@testable import JointPlanRegisters

/// Issue 25, item 7: a bench, not a test — it asserts nothing about time and runs only when
/// asked (`JOINTPLAN_BENCH=1 swift test --filter LinearBench`, a release build with
/// `-c release`). It prints how long the register import takes on 20,000 rows with 20,000
/// problems, and a merge-by-id patch touching 20,000 enterprises against `{}`.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["JOINTPLAN_BENCH"] == "1", "set JOINTPLAN_BENCH=1 to run the benches"))
struct LinearBench {
    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let t = Date()
        try body()
        return Date().timeIntervalSince(t)
    }

    /// The example district with 20,000 enterprises, as register sheets.
    static func sheets(enterprises n: Int, blankTown: Bool, junk: Bool) throws -> [RegisterSheet] {
        let doc = RegisterTemplate.example(quarter: Quarter(year: 2026, number: 1)!)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try RegisterTemplate.write(document: doc, to: dir + "/t.xlsx")
        let wb = try WorkbookReader(path: dir + "/t.xlsx")
        return wb.sheetNames.compactMap { wb.sheet($0) }.map { s in
            guard s.name == "检查对象", let head = s.rows.first, let example = s.rows.present.first(where: { $0.index == 1 })?.row else {
                return RegisterSheet(name: s.name, rows: s.rows)
            }
            var rows: [WorkbookReader.Row] = [head]
            for i in 0..<n {
                var cells = Array(example)
                cells[0] = .text(String(format: "E%05d", i))
                if blankTown { cells[2] = .empty }
                if junk { cells[4] = .text("Z"); cells[3] = .text("nope\(i)") }
                rows.append(WorkbookReader.Row(cells))
            }
            return RegisterSheet(name: s.name, rows: WorkbookReader.Rows(rows))
        }
    }

    @Test func registerImportWith20000Problems() throws {
        for (name, blank, junk) in [("town column blank", true, false), ("junk tier and category", false, true)] {
            let sheets = try Self.sheets(enterprises: 20_000, blankTown: blank, junk: junk)
            var problems = 0
            let s = Self.seconds { problems = RegisterImport.read(sheets: sheets).problems.count }
            print("bench: register import, 20,000 rows, \(name): \(problems) problems in \(String(format: "%.2f", s)) s")
        }
    }

    @Test func mergeByIDPatchOf20000Enterprises() throws {
        var base = JSONObject()
        base["format"] = .string(Scenario.format)
        base["enterprises"] = .array((0..<20_000).map { i in
            .object(JSONObject([("id", .string(String(format: "E%05d", i))), ("name", .string("企业\(i)")), ("tier", .string("A"))]))
        })
        let doc = JSON.object(base)
        let patch = JSON.object(JSONObject([("$patch", .string("merge-by-id")), ("enterprises", .array((0..<20_000).map { i in
            .object(JSONObject([("id", .string(String(format: "E%05d", 19_999 - i))), ("tier", .string("B"))]))
        }))]))
        let empty = JSON.object(JSONObject([("$patch", .string("merge-by-id"))]))
        var changed = 0
        let s1 = Self.seconds { _ = ScenarioPatch.apply(empty, to: doc) }
        let s2 = Self.seconds { changed = ScenarioPatch.apply(patch, to: doc).document["enterprises"]?.arrayValue?.filter { $0["tier"] == .string("B") }.count ?? 0 }
        print("bench: merge-by-id, 20,000 enterprises: {} \(String(format: "%.2f", s1)) s, the patch \(String(format: "%.2f", s2)) s (\(changed) changed)")
    }
}
