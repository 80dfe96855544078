import XCTest
@testable import JointPlan

final class CatalogueTests: XCTestCase {
    /// Every key of every table has both languages, with the same placeholders.
    func testEveryKeyHasBothLanguagesWithTheSamePlaceholders() {
        for table in Catalogue.tables {
            XCTAssertEqual(Set(table.zh.keys), Set(table.en.keys),
                           "table \(table.name): keys missing in one language: \(Set(table.zh.keys).symmetricDifference(table.en.keys).sorted())")
            for (key, zh) in table.zh {
                guard let en = table.en[key] else { continue }
                XCTAssertEqual(placeholders(zh), placeholders(en), "table \(table.name) key \(key)")
                XCTAssertFalse(zh.isEmpty || en.isEmpty, "table \(table.name) key \(key) is empty")
            }
        }
    }

    func testNoKeyIsInTwoTables() {
        var seen: [String: String] = [:]
        for table in Catalogue.tables {
            for key in table.en.keys {
                XCTAssertNil(seen[key], "key \(key) in tables \(seen[key] ?? "") and \(table.name)")
                seen[key] = table.name
            }
        }
    }

    func testPlaceholdersAreFilledInEachLanguagesOrder() {
        XCTAssertEqual(Catalogue(.en)("tier", "D"), "credit-risk tier D")
        XCTAssertEqual(Catalogue(.zh)("tier", "D"), "信用风险等级D")
    }

    func testLanguageComesFromTheEnvironmentInPosixOrder() {
        XCTAssertEqual(Language.fromEnvironment(["LANG": "zh_CN.UTF-8"]), .zh)
        XCTAssertEqual(Language.fromEnvironment(["LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"]), .en)
        XCTAssertEqual(Language.fromEnvironment(["LC_ALL": "", "LANG": "zh_TW.UTF-8"]), .zh)
        XCTAssertEqual(Language.fromEnvironment([:]), .en)
        XCTAssertEqual(Language.fromEnvironment(["LANG": "C.UTF-8"]), .en)
    }

    private func placeholders(_ s: String) -> Set<String> {
        var out = Set<String>()
        var rest = Substring(s)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            out.insert(String(rest[open...close]))
            rest = rest[rest.index(after: close)...]
        }
        return out
    }
}
