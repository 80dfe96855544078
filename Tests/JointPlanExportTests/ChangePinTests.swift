import Foundation
import JointPlan
import Testing

/// Issue 25: `change pin --base` accepts only a pin that `validate` accepts too.
@Suite(.enabled(if: CommandLine14.available, "the jointplan binary is not built"))
struct ChangePinTests {
    @Test func aPinOnAHolidayIsRefusedAsValidateWouldRefuseIt() throws {
        let dir = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let base = dir.appendingPathComponent("d.json").path
        #expect(try CommandLine14.run(["generate", "--enterprises", "30", "--seed", "1", "-o", base]).status == 0)
        let doc = try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath: base)))
        // An enterprise with required checks (a pin on one without any is refused too, issue 24):
        // the one the generator already pinned, with items.
        let enterprise = try #require(doc["pinned"]?.arrayValue?.first?["enterprise"]?.stringValue)
        // 2026-01-01 is New Year's Day: the reader takes the pin, the review refuses it.
        let refused = try CommandLine14.run(["change", "pin", enterprise, "2026-01-01", "--base", base])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("not a working day"))
        let accepted = try CommandLine14.run(["change", "pin", enterprise, "2026-01-05", "--base", base])
        #expect(accepted.status == 0)
        // …and what it wrote, merged into the base, validates.
        let patch = try JSONParser.parse(Data(accepted.stdout.utf8))
        let merged = ScenarioPatch.apply(patch, to: doc).document
        let file = dir.appendingPathComponent("merged.json").path
        try Data(JSONWriter.pretty(merged).utf8).write(to: URL(fileURLWithPath: file))
        #expect(try CommandLine14.run(["validate", file]).status == 0)
    }
}
