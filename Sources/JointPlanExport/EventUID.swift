import Crypto
import Foundation
import JointPlan

/// The UIDs of calendar events (RFC 5545 3.8.4.7): stable, so that importing the calendar of a
/// re-planned plan updates the events instead of duplicating them (conventions.md, Calendars).
///
/// A visit is named by its lineage and its visit id (issue 23): visit ids never move across
/// re-plans (`VisitNumbering`: a kept, moved or changed visit keeps its id, a new one gets a
/// number never used in the lineage), and a re-plan keeps its base plan's lineage
/// (`Plan.lineage`: the scenario name and seed of the plan that started it, carried in
/// `extensions.lineage.id`). So the same visit keeps its UID across re-plans and exports, a new
/// visit never takes a cancelled one's UID, and notices, CSV, XLSX and calendars all name a
/// visit by the same id. Another quarter or a what-if variant is another lineage (another seed
/// or name), so another calendar.
///
/// UID = the first 32 hex digits of SHA-256 over the netstrings of `"jointplan/visit-id"`, the
/// lineage, the enterprise id and the visit id — a netstring is `<UTF-8 byte count>:<bytes>,` —
/// followed by `@jointplan`. Remote checks, which have no id, use `"jointplan/remote"`, the
/// scenario name and their own (enterprise, item, occurrence). `scripts/check-exports`
/// recomputes them independently.
///
/// Plans that break rule 6 or repeat an id still get UIDs unique within the file: a repeated
/// UID gets `-2`, `-3`, … in chronological order.
///
/// An export with `--previous` (`ICalendarExporter(previous:published:)`) goes one step
/// further: a visit `PlanDiff` matches with an old one keeps the old visit's published UID —
/// read from the calendars already written, so calendars published under the UIDs of earlier
/// versions (enterprise and anchor check) keep them, and a plan whose ids did move (one made
/// by another solve) is followed all the same (docs/decisions.md, Calendars after a re-plan).
public enum EventUID {
    public static let domain = "jointplan"

    /// The UID of earlier versions (enterprise and anchor check), kept for reading calendars
    /// they published; `ICalendarExporter` no longer gives it to new events.
    public static func visit(scenario: String, enterprise: String, anchor: Check?) -> String {
        if let a = anchor {
            return uid(["jointplan/visit", scenario, enterprise, a.item, String(a.occurrence)])
        }
        return uid(["jointplan/visit-without-checks", scenario, enterprise])
    }

    public static func remote(scenario: String, check r: RemoteCheck) -> String {
        uid(["jointplan/remote", scenario, r.enterprise, r.item, String(r.occurrence)])
    }

    /// The anchor check of a visit: the smallest (item id by UTF-8 bytes, occurrence).
    public static func anchor(of visit: Visit) -> Check? {
        visit.checks.min { a, b in
            a.item != b.item ? Array(a.item.utf8).lexicographicallyPrecedes(Array(b.item.utf8)) : a.occurrence < b.occurrence
        }
    }

    /// A visit's UID: its lineage, enterprise and id.
    public static func visit(lineage: String, enterprise: String, id: String) -> String {
        uid(["jointplan/visit-id", lineage, enterprise, id])
    }

    /// UIDs of all the plan's visits by visit id, unique even for a plan that breaks rule 6.
    public static func visitUIDs(scenario: String, plan: Plan) -> [String: String] {
        var out: [String: String] = [:]
        var seen: [String: Int] = [:]
        for v in Labels.chronological(plan.visits) {
            let base = visit(lineage: plan.lineage, enterprise: v.enterprise, id: v.id)
            let n = (seen[base] ?? 0) + 1
            seen[base] = n
            out[v.id] = n == 1 ? base : base.replacingOccurrences(of: "@", with: "-\(n)@")
        }
        return out
    }

    static func uid(_ parts: [String]) -> String {
        var bytes: [UInt8] = []
        for p in parts {
            let u = Array(p.utf8)
            bytes += Array(String(u.count).utf8) + [UInt8(ascii: ":")] + u + [UInt8(ascii: ",")]
        }
        let digest = SHA256.hash(data: bytes)
        let hex = digest.prefix(16).map { String(format: "%02x", $0) }.joined()
        return hex + "@" + domain
    }
}
