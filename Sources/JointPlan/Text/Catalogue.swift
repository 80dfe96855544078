import Foundation

/// The language a person reads: Chinese or English. JSON keys, ids and exit codes never change
/// with it; every text a planner reads does.
public enum Language: String, Sendable, CaseIterable {
    case zh, en

    /// The language of the environment: `LC_ALL`, then `LC_MESSAGES`, then `LANG` (the POSIX
    /// order); `zh_*` (or `zh`) is Chinese, anything else English.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Language {
        for key in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            guard let value = environment[key], !value.isEmpty else { continue }
            return value.lowercased().hasPrefix("zh") ? .zh : .en
        }
        return .en
    }
}

/// One table of the string catalogue: the texts of one area of the product, in both languages.
/// Placeholders are `{0}`, `{1}`, …, so each language may put them in its own order.
public struct CatalogueTable: Sendable {
    public let name: String
    public let zh: [String: String]
    public let en: [String: String]

    public init(name: String, zh: [String: String], en: [String: String]) {
        self.name = name
        self.zh = zh
        self.en = en
    }

    public func texts(_ language: Language) -> [String: String] {
        language == .zh ? zh : en
    }
}

/// The string catalogue: every text a person reads, by key, in Chinese and English. The tables
/// live beside this file (one per area); `tables` lists them. A test asserts that every key has
/// both languages with the same placeholders, so a missing translation fails the build's tests.
public struct Catalogue: Sendable {
    /// Every table of the catalogue. An area adds its table here.
    public static let tables: [CatalogueTable] = [
        CatalogueTable.core,
        CatalogueTable.registers,
        CatalogueTable.summary,
        CatalogueTable.export,
        CatalogueTable.notice,
        CatalogueTable.workbook,
        CatalogueTable.report,
        CatalogueTable.whatif,
        CatalogueTable.explain,
        CatalogueTable.diff,
        CatalogueTable.check,
        CatalogueTable.reportText,
        CatalogueTable.validate,
        CatalogueTable.teamDraw,
        CatalogueTable.limits,
        CatalogueTable.lifecycle,
        CatalogueTable.office,
    ]

    private static let merged: [Language: [String: String]] = {
        var out: [Language: [String: String]] = [:]
        for language in Language.allCases {
            var all: [String: String] = [:]
            for table in tables { all.merge(table.texts(language)) { first, _ in first } }
            out[language] = all
        }
        return out
    }()

    public let language: Language

    public init(_ language: Language) {
        self.language = language
    }

    /// The text of `key` with `{0}`, `{1}`, … replaced by `arguments`. A key the catalogue lacks
    /// comes back as the key itself (the catalogue test makes that a failing test, not a crash).
    public func callAsFunction(_ key: String, _ arguments: CustomStringConvertible...) -> String {
        format(key, arguments.map { $0.description })
    }

    public func format(_ key: String, _ arguments: [String]) -> String {
        var text = Catalogue.merged[language]?[key] ?? key
        for (i, argument) in arguments.enumerated() {
            text = text.replacingOccurrences(of: "{\(i)}", with: argument)
        }
        return text
    }

    /// Whether the catalogue has `key` in `language`.
    public static func has(_ key: String, in language: Language) -> Bool {
        merged[language]?[key] != nil
    }
}
