import Foundation
import XCTest
@testable import JointPlan

/// Issue 13, item 5: patches that merge lists by id, RFC 7386 kept as the default, deletions
/// that pins or recusals name refused.
final class ScenarioPatchTests: XCTestCase {
    func parse(_ s: String) throws -> JSON { try JSONParser.parse(Data(s.utf8)) }

    let base = """
    {"format": "jointplan.scenario/1", "horizon": {"start": "2026-01-01", "end": "2026-03-31"},
     "towns": [{"id": "T1"}], "departments": [{"id": "D"}],
     "inspectors": [{"id": "P1", "department": "D", "unavailable": ["2026-01-05"]},
                    {"id": "P2", "department": "D"}, {"id": "P3", "department": "D", "recusals": ["E2"]}],
     "items": [{"id": "i", "department": "D", "categories": ["c"], "minutes": 10, "frequency": {"C": {"count": 1}}}],
     "enterprises": [{"id": "E1", "town": "T1", "categories": ["c"], "tier": "C"},
                     {"id": "E2", "town": "T1", "categories": ["c"], "tier": "C"}],
     "pinned": [{"enterprise": "E1", "date": "2026-01-12", "inspectors": ["P2"]}]}
    """

    func testAOneInspectorPatchChangesOneInspector() throws {
        let patch = try parse(#"{"$patch": "merge-by-id", "inspectors": [{"id": "P1", "maxVisitsPerDay": 2, "unavailable": {"$add": ["2026-02-09/2026-02-13", "2026-01-05"]}}]}"#)
        let r = ScenarioPatch.apply(patch, to: try parse(base))
        XCTAssertEqual(r.kind, .mergeByID)
        XCTAssertEqual(r.problems, [])
        let ins = try XCTUnwrap(r.document["inspectors"]?.arrayValue)
        XCTAssertEqual(ins.count, 3)
        XCTAssertEqual(JSONWriter.compact(ins[0]), #"{"id":"P1","department":"D","unavailable":["2026-01-05","2026-02-09/2026-02-13"],"maxVisitsPerDay":2}"#)
        XCTAssertEqual(ins[1], try parse(base)["inspectors"]?.arrayValue?[1])
        XCTAssertNil(r.document["$patch"])
        XCTAssertEqual(ScenarioReader.problems(json: r.document), [])
    }

    func testThePlainRFC7386PatchStillReplacesArraysAndItsDeletionsThatPinsNameFail() throws {
        // Without "$patch" the same natural patch is RFC 7386: the list is replaced, so P2 and
        // P3 would go — and the pin names P2. It fails, saying so, instead of silently deleting.
        let patch = try parse(#"{"inspectors": [{"id": "P1", "department": "D"}]}"#)
        let r = ScenarioPatch.apply(patch, to: try parse(base))
        XCTAssertEqual(r.kind, .rfc7386)
        XCTAssertEqual(r.document["inspectors"]?.arrayValue?.count, 1)
        XCTAssertEqual(r.problems.map(\.description), [
            #"patch:inspectors: deletes inspector "P2", which the pin pinned[0].inspectors[0] still names; change or remove that in the same patch"#,
        ])
        // RFC 7386 exactly, when declared.
        let explicit = ScenarioPatch.apply(try parse(#"{"$patch": "rfc7386", "policy": {"seed": 7}}"#), to: try parse(base))
        XCTAssertEqual(explicit.document, MergePatch.apply(try parse(#"{"policy": {"seed": 7}}"#), to: try parse(base)))
    }

    func testDeleteAppendPinsByEnterpriseAndDateAndReplace() throws {
        var r = ScenarioPatch.apply(try parse(#"{"$patch": "merge-by-id", "enterprises": [{"id": "E2", "$patch": "delete"}, {"id": "E3", "town": "T1", "categories": ["c"], "tier": "D"}]}"#), to: try parse(base))
        XCTAssertEqual(r.document["enterprises"]?.arrayValue?.compactMap { $0["id"]?.stringValue }, ["E1", "E3"])
        XCTAssertEqual(r.problems.map(\.description), [
            #"patch:enterprises: deletes enterprise "E2", which the recusal inspectors[2].recusals[0] still names; change or remove that in the same patch"#,
        ])
        r = ScenarioPatch.apply(try parse(#"{"$patch": "merge-by-id", "pinned": [{"enterprise": "E1", "date": "2026-01-12", "start": "09:30"}, {"enterprise": "E2", "date": "2026-01-13"}]}"#), to: try parse(base))
        XCTAssertEqual(r.problems, [])
        XCTAssertEqual(JSONWriter.compact(r.document["pinned"]!), #"[{"enterprise":"E1","date":"2026-01-12","inspectors":["P2"],"start":"09:30"},{"enterprise":"E2","date":"2026-01-13"}]"#)
        r = ScenarioPatch.apply(try parse(#"{"$patch": "merge-by-id", "pinned": [{"enterprise": "E1", "date": "2026-01-12", "$patch": "delete"}]}"#), to: try parse(base))
        XCTAssertEqual(r.document["pinned"], .array([]))
        r = ScenarioPatch.apply(try parse(#"{"$patch": "merge-by-id", "towns": [{"$patch": "replace"}, {"id": "T9"}]}"#), to: try parse(base))
        XCTAssertEqual(JSONWriter.compact(r.document["towns"]!), #"[{"id":"T9"}]"#)
    }

    func testProblemsOfThePatchItself() throws {
        let r = ScenarioPatch.apply(try parse(#"{"$patch": "merge-by-id", "inspectors": [{"id": "P9", "$patch": "delete"}, {"id": "P1"}, {"id": "P1"}, {"id": "P2", "$patch": "drop"}]}"#), to: try parse(base))
        XCTAssertEqual(r.problems.map(\.description), [
            "patch:inspectors[0]: deletes P9, which the scenario does not have",
            "patch:inspectors[2]: names P1 a second time in this list",
            #"patch:inspectors[3]["$patch"]: must be "delete" (or an element {"$patch": "replace"} alone), got "drop""#,
        ])
        XCTAssertEqual(ScenarioPatch.apply(try parse(#"{"$patch": "strategic"}"#), to: try parse(base)).problems.map(\.description),
                       [#"patch:$patch: must be "rfc7386" or "merge-by-id", got "strategic""#])
    }

    func testChangesSaidInOneLine() throws {
        let scenario = try ScenarioReader.read(json: try parse(base))
        let leave = ScenarioChange.leave(inspector: "P1", span: DateSpan("2026-02-09/2026-02-13")!)
        var doc = ScenarioPatch.apply(leave, to: try parse(base)).document
        XCTAssertEqual(try ScenarioReader.read(json: doc).inspector("P1")?.unavailable.map(\.description), ["2026-01-05", "2026-02-09/2026-02-13"])
        doc = ScenarioPatch.apply(ScenarioChange.unpin(enterprise: "E1", date: Day("2026-01-12")!), to: try parse(base)).document
        XCTAssertEqual(try ScenarioReader.read(json: doc).pinned.count, 0)
        let half = try ScenarioChange.staffing(department: "D", factor: 0.34, in: scenario)
        doc = ScenarioPatch.apply(half, to: try parse(base)).document
        XCTAssertEqual(try ScenarioReader.read(json: doc).inspectors.map { $0.unavailable.map(\.description) },
                       [["2026-01-05"], ["2026-01-01/2026-03-31"], ["2026-01-01/2026-03-31"]])
        let more = try ScenarioChange.staffing(department: "D", factor: 2, in: scenario)
        XCTAssertEqual(try ScenarioReader.read(json: ScenarioPatch.apply(more, to: try parse(base)).document).inspectors.map(\.id),
                       ["P1", "P2", "P3", "D+1", "D+2", "D+3"])
        XCTAssertThrowsError(try ScenarioChange.staffing(department: "X", factor: 1, in: scenario))
    }
}
