import Foundation
import Testing
@testable import JointPlan

/// Every literal key the sources pass to a catalogue (`t("…")`) is in the catalogue, so a key
/// missing in both languages fails too (the other test catches one missing in one language).
struct CatalogueUsageTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources")

    @Test func everyLiteralKeyIsInTheCatalogue() throws {
        let regex = try NSRegularExpression(pattern: #"\bt\("([A-Za-z][A-Za-z0-9.]*)"[,)]"#)
        var keys = Set<String>()
        let files = FileManager.default.enumerator(at: Self.sources, includingPropertiesForKeys: nil)!
        for case let url as URL in files where url.pathExtension == "swift" {
            let text = try String(contentsOf: url, encoding: .utf8)
            for m in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                keys.insert(String(text[Range(m.range(at: 1), in: text)!]))
            }
        }
        #expect(keys.count > 100)
        for key in keys.sorted() {
            #expect(Catalogue.has(key, in: .zh) && Catalogue.has(key, in: .en), "\(key) is not in the catalogue")
        }
        // The keys built at run time.
        for r in UnmetReason.allCases { #expect(Catalogue.has("reason.\(r.rawValue)", in: .en)) }
        for s in ["optimal", "feasible", "timeLimit", "infeasible"] { #expect(Catalogue.has("status.\(s)", in: .zh)) }
        for d in 1...7 { #expect(Catalogue.has("weekday.\(d)", in: .en)) }
        for b in BoundSource.allCases { #expect(Catalogue.has("bound.\(b.rawValue)", in: .zh) && Catalogue.has("bound.\(b.rawValue)", in: .en)) }
        for g in ["inspector", "department", "town", "enterprise"] { #expect(Catalogue.has("grouping.\(g)", in: .zh)) }
    }
}
