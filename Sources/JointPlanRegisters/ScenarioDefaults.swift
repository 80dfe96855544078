import Foundation
import JointPlan

/// The defaults of spec section 2 as JSON, and a scenario document with all of them applied:
/// the form in which two scenarios that mean the same are equal (the round trip of issue 13,
/// item 3, compares this form).
public enum ScenarioDefaults {
    static let policy: [String: JSON] = [
        "minInspectorsPerVisit": .int(2), "visitBaseMinutes": .int(10), "maxVisitsPerDay": .int(4),
        "travelWithinTownMinutes": .int(15), "travelBetweenTownsMinutes": .int(40),
        "maxOnsiteVisits.A": .int(1), "maxOnsiteVisits.B": .int(1), "maxOnsiteVisits.C": .int(2), "maxOnsiteVisits.D": .int(3),
        "whitelistMaxOnsiteVisitsPerYear": .int(1),
        "unmetWeight.A": .int(1), "unmetWeight.B": .int(2), "unmetWeight.C": .int(4), "unmetWeight.D": .int(8),
        "sampling": .string("coordinated"), "inspectorDispatch": .string("random"), "seed": .int(0),
    ]

    /// Every field the spec defines, with its default where the document leaves it out;
    /// numbers in one spelling (`2.0` and `2` alike, `0.050` and `0.05` alike), `extensions`
    /// dropped (not part of the registers), keys sorted by the canonical writer.
    public static func normalized(_ doc: JSON) -> JSON {
        guard let top = doc.objectValue else { return doc }
        var out = JSONObject()
        out["format"] = top["format"] ?? .string(Scenario.format)
        out["name"] = top["name"] ?? .string("")
        let h = top["horizon"]?.objectValue ?? JSONObject()
        out["horizon"] = .object(JSONObject([
            ("start", h["start"] ?? .null), ("end", h["end"] ?? .null),
            ("workdays", h["workdays"] ?? .array((1...5).map { .int($0) })),
            ("holidays", h["holidays"] ?? .array([])), ("extraWorkdays", h["extraWorkdays"] ?? .array([])),
            ("dayStart", h["dayStart"] ?? .string("09:00")), ("dayEnd", h["dayEnd"] ?? .string("17:30")),
            ("breaks", .array((h["breaks"]?.arrayValue ?? []).map { b in
                .object(JSONObject([("start", b["start"] ?? .null), ("end", b["end"] ?? .null)]))
            })),
            ("timezone", h["timezone"] ?? .string("Asia/Shanghai")),
        ]))
        func list(_ key: String, _ f: (JSONObject) -> JSONObject) -> JSON {
            .array((top[key]?.arrayValue ?? []).map { .object(f($0.objectValue ?? JSONObject())) })
        }
        out["towns"] = list("towns") { t in
            JSONObject([("id", t["id"] ?? .null), ("name", t["name"] ?? .string("")), ("travel", t["travel"] ?? .object(JSONObject()))])
        }
        out["departments"] = list("departments") { d in JSONObject([("id", d["id"] ?? .null), ("name", d["name"] ?? .string(""))]) }
        out["inspectors"] = list("inspectors") { p in
            var o = JSONObject([("id", p["id"] ?? .null), ("name", p["name"] ?? .string("")), ("department", p["department"] ?? .null),
                                ("certified", p["certified"] ?? .bool(true)), ("unavailable", p["unavailable"] ?? .array([])),
                                ("recusals", p["recusals"] ?? .array([]))])
            if let m = p["maxVisitsPerDay"] { o["maxVisitsPerDay"] = m }
            return o
        }
        out["items"] = list("items") { i in
            let remote = i["remote"]?.objectValue
            return JSONObject([("id", i["id"] ?? .null), ("name", i["name"] ?? .string("")), ("department", i["department"] ?? .null),
                               ("categories", i["categories"] ?? .array([])), ("minutes", i["minutes"] ?? .null),
                               ("remote", .object(JSONObject([("allowed", remote?["allowed"] ?? .bool(false)), ("minutes", remote?["minutes"] ?? .int(0))]))),
                               ("delegable", i["delegable"] ?? .bool(false)), ("frequency", i["frequency"] ?? .object(JSONObject())),
                               ("minSpacingDays", i["minSpacingDays"] ?? .int(0))])
        }
        out["enterprises"] = list("enterprises") { e in
            JSONObject([("id", e["id"] ?? .null), ("name", e["name"] ?? .string("")), ("town", e["town"] ?? .null),
                        ("categories", e["categories"] ?? .array([])), ("tier", e["tier"] ?? .null),
                        ("whitelisted", e["whitelisted"] ?? .bool(false)), ("address", e["address"] ?? .string("")),
                        ("blackout", e["blackout"] ?? .array([])), ("onsiteVisitsThisYear", e["onsiteVisitsThisYear"] ?? .int(0)),
                        ("lastChecked", e["lastChecked"] ?? .object(JSONObject()))])
        }
        let p = top["policy"]?.objectValue ?? JSONObject()
        var pol = JSONObject()
        for key in policy.keys.sorted() {
            let parts = key.split(separator: ".").map(String.init)
            if parts.count == 2 {
                var tiers = pol[parts[0]]?.objectValue ?? JSONObject()
                tiers[parts[1]] = p[parts[0]]?[parts[1]] ?? policy[key]!
                pol[parts[0]] = .object(tiers)
            } else {
                pol[key] = p[key] ?? policy[key]!
            }
        }
        out["policy"] = .object(pol)
        out["pinned"] = list("pinned") { x in
            var o = JSONObject([("enterprise", x["enterprise"] ?? .null), ("date", x["date"] ?? .null),
                                ("inspectors", x["inspectors"] ?? .array([])), ("items", x["items"] ?? .array([]))])
            if let s = x["start"] { o["start"] = s }
            return o
        }
        return numbersInOneSpelling(.object(out))
    }

    static func numbersInOneSpelling(_ v: JSON) -> JSON {
        switch v {
        case .number(let lit): return .number(NumberText.canonical(lit))
        case .array(let a): return .array(a.map(numbersInOneSpelling))
        case .object(let o): return .object(JSONObject(o.pairs.map { ($0.0, numbersInOneSpelling($0.1)) }))
        default: return v
        }
    }
}

/// Number literals as the import writes them: integral values as integers, others in the
/// shortest decimal that reads back as the same Double (`4.4999999999999998E-2` → `0.045`),
/// which is what an office typed.
enum NumberText {
    static func canonical(_ literal: String) -> String {
        if JSON.number(literal).intValue != nil { return String(Int(literal)!) }
        guard let d = Double(literal), d.isFinite else { return literal }
        return of(d)
    }

    static func of(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return "\(d)"
    }

    /// `"5%"`, `"12.5%"` → `"0.05"`, `"0.125"` exactly, on the digits (spec 2.1 rounds the draw
    /// size on the decimal as written).
    static func percent(_ s: String) -> String? {
        let digits = s.trimmingCharacters(in: .whitespaces)
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              digits.filter({ $0 == "." }).count <= 1, digits.first != ".", digits.last != "." else { return nil }
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        var intPart = String(parts[0])
        let frac = parts.count > 1 ? String(parts[1]) : ""
        while intPart.count < 3 { intPart = "0" + intPart }
        let whole = String(intPart.dropLast(2))
        var fraction = String(intPart.suffix(2)) + frac
        while fraction.hasSuffix("0") { fraction.removeLast() }
        let w = String(Int(whole) ?? 0)
        return fraction.isEmpty ? w : w + "." + fraction
    }
}
