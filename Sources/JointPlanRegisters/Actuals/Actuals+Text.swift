import Foundation
import JointPlan

/// Issue 24: the texts of actuals and rollovers in the reader's language (the English ones
/// stay word for word what they were).
extension Actuals {
    /// `N planned checks: … done as planned, …` in `t`'s language.
    public func summary(_ t: Catalogue) -> String {
        let c = counts
        return t("actuals.summary", entries.count, c.done, c.moved, c.notDone, c.notReported)
    }
}

extension Rollover {
    /// `explanation(document:enterprise:)` in `language`: the checks carried over to this
    /// quarter for an enterprise, a heading and one line per check.
    public static func explanation(document: JSON, enterprise: String, language: Language) -> [String] {
        guard language != .en else { return explanation(document: document, enterprise: enterprise) }
        let t = Catalogue(language)
        guard let e = document["enterprises"]?.arrayValue?.first(where: { $0["id"]?.stringValue == enterprise }),
              let ro = e["extensions"]?["rollover"], let list = ro["notDone"]?.arrayValue, !list.isEmpty else { return [] }
        var out = [t("rollover.carriedHeading", ro["from"]?.stringValue ?? t("rollover.lastQuarter"))]
        for x in list {
            let last = x["lastChecked"]?.stringValue.map { t("rollover.lastChecked", $0) } ?? t("rollover.neverChecked")
            let reason = x["reason"]?.stringValue ?? ""
            let why = Catalogue.has("reason.\(reason)", in: language) ? t("reason.\(reason)") : reason
            out.append("  \(x["item"]?.stringValue ?? "?") #\(x["occurrence"]?.intValue ?? 0)：\(why) — \(last)")
        }
        return out
    }
}
