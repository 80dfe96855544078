import Foundation
import Testing
@testable import JointPlan

/// Issue 12: what `validate` says beyond the reader — traps that used to pass silently.
/// Each test edits the valid fixture (which has no such trap) in one place.
@Suite struct ScenarioReviewTests {
    static func review(_ edits: [([Step], JSON?)]) throws -> ScenarioReview {
        var doc = ScenarioFixture.json
        for (path, value) in edits { doc = doc.setting(path, value) }
        return ScenarioReview(try ScenarioReader.read(json: doc))
    }

    static func pin(_ fields: [(String, JSON)]) -> JSON { .object(JSONObject(fields)) }

    @Test func theFixtureHasNoTrap() throws {
        let r = try Self.review([])
        #expect(r.errors.isEmpty, "\(r.errors)")
        #expect(r.warnings.isEmpty, "\(r.warnings)")
    }

    @Test func aCategoryNoItemNamesIsAWarningWithItsCountAndTheNearestName() throws {
        let r = try Self.review([(["enterprises", 3, "categories"], .array([str("restuarant")])),
                                 (["enterprises", 6, "categories"], .array([str("restuarant")]))])
        #expect(r.errors.isEmpty)
        #expect(r.warnings.count == 1)
        let w = try #require(r.warnings.first)
        #expect(w.path == "enterprises[3].categories[0]")
        #expect(w.message.contains("\"restuarant\" is named by no item"))
        #expect(w.message.contains("2 enterprises"))
        #expect(w.message.contains("did you mean \"restaurant\"?"))
    }

    @Test func anItemNoEnterpriseCanHaveIsAWarning() throws {
        let r = try Self.review([(["items", 3, "categories"], .array([str("ktv")]))])
        #expect(r.errors.isEmpty)
        #expect(r.warnings.map(\.path) == ["items[3].categories"])
        #expect(r.warnings[0].message.contains("fire-exits"))
    }

    @Test func aLastCheckedOnOrAfterTheHorizonStartIsAnError() throws {
        var r = try Self.review([(["enterprises", 0, "lastChecked", "food-safety"], str("2026-02-01")),
                                 (["enterprises", 5, "lastChecked", "gas-safety"], str("2026-01-01"))])
        // (E00001's pin on 2026-01-12 is now too soon after that lastChecked: the pin verdict,
        // issue 24, says so too.)
        #expect(r.errors.contains { $0.path == "pinned[0]" && $0.message.contains("minSpacingDays") })
        r.errors.removeAll { $0.path.hasPrefix("pinned") }
        #expect(r.errors.map(\.path) == ["enterprises[0].lastChecked.food-safety", "enterprises[5].lastChecked.gas-safety"]
                || r.errors.map(\.path) == ["enterprises[0].lastChecked[\"food-safety\"]", "enterprises[5].lastChecked[\"gas-safety\"]"],
                "\(r.errors)")
        #expect(r.errors.allSatisfy { $0.message.contains("is not before the horizon's start 2026-01-01") })
    }

    /// Every way a pin cannot hold on its own, each at its own path with its reason.
    @Test func everyPinThatCannotHoldIsAnErrorWithItsPathAndReason() throws {
        let pins: [JSON] = [
            Self.pin([("enterprise", str("E00002")), ("date", str("2026-02-16"))]),                         // 0 Spring Festival
            Self.pin([("enterprise", str("E00002")), ("date", str("2026-01-10"))]),                         // 1 a Saturday
            Self.pin([("enterprise", str("E00002")), ("date", str("2026-01-13")), ("start", str("12:30"))]), // 2 in the break
            Self.pin([("enterprise", str("E00002")), ("date", str("2026-01-13")), ("start", str("17:20")),
                      ("items", .array([str("fire-exits")]))]),                                              // 3 ends past dayEnd
            Self.pin([("enterprise", str("E00002")), ("date", str("2026-01-13")), ("start", str("11:40")),
                      ("items", .array([str("fire-exits")]))]),                                              // 4 runs into the break
            Self.pin([("enterprise", str("E00002")), ("date", str("2026-01-13")), ("start", str("08:00"))]), // 5 before dayStart
            Self.pin([("enterprise", str("E00007")), ("date", str("2026-02-10")),
                      ("inspectors", .array([str("P001")]))]),                                               // 6 leave AND recused
            Self.pin([("enterprise", str("E00002")), ("date", str("2026-01-13")),
                      ("inspectors", .array([str("P002"), str("P004")]))]),                                  // 7 uncertified
            Self.pin([("enterprise", str("E00001")), ("date", str("2026-01-22"))]),                         // 8 blackout
            Self.pin([("enterprise", str("E00003")), ("date", str("2026-01-13")),
                      ("items", .array([str("food-safety")]))]),                                             // 9 item does not apply
            Self.pin([("enterprise", str("E00002")), ("date", str("2026-01-13")), ("start", str("10:00")),
                      ("inspectors", .array([str("P002")]))]),                                               // 10 fine
        ]
        let r = try Self.review([(["pinned"], .array(pins))])
        func at(_ path: String) -> [String] { r.errors.filter { $0.path == path }.map(\.message) }
        #expect(at("pinned[0].date").contains { $0.contains("2026-02-16 is not a working day (a holiday)") }, "\(r.errors)")
        #expect(at("pinned[1].date").contains { $0.contains("is not a working day (ISO weekday 6") })
        #expect(at("pinned[2].start").contains { $0.contains("12:30 is in the break 12:00-13:30") })
        #expect(at("pinned[3].start").contains { $0.contains("lasts at least 35 minutes (visitBaseMinutes 10 + fire-exits 25) and would end at 17:55, after dayEnd 17:30") })
        #expect(at("pinned[4].start").contains { $0.contains("would run into the break 12:00-13:30") })
        #expect(at("pinned[5].start").contains { $0.contains("08:00 is before dayStart 09:00") })
        #expect(at("pinned[6].inspectors[0]").contains { $0.contains("P001 is unavailable on 2026-02-10") })
        #expect(at("pinned[6].inspectors[0]").contains { $0.contains("P001 is recused from E00007") })
        #expect(at("pinned[7].inspectors[1]").contains { $0.contains("P004 is not certified") })
        #expect(at("pinned[7].inspectors[0]").isEmpty)
        #expect(at("pinned[8].date").contains { $0.contains("E00001 has a blackout on 2026-01-22") })
        #expect(at("pinned[9].items[0]").contains { $0.contains("item food-safety does not apply to E00003") })
        #expect(!r.errors.contains { $0.path.hasPrefix("pinned[10]") }, "\(r.errors)")
        // The same function, called for one pin (as the solver may).
        let s = try ScenarioReader.read(json: ScenarioFixture.json.setting(["pinned"], .array(pins)))
        #expect(PinRules.problems(of: s.pinned[10], in: s, calendar: WorkCalendar(s.horizon)).isEmpty)
        #expect(PinRules.problems(of: s.pinned[2], in: s, calendar: WorkCalendar(s.horizon)).count == 1)
    }
}
