import Crypto
import Foundation
import JointPlan

/// The UIDs of calendar events (RFC 5545 3.8.4.7): stable, so that importing the calendar of a
/// re-planned plan updates the events instead of duplicating them (conventions.md, Calendars).
///
/// A visit's id (`V00001`) is renumbered by every solve, so it is not used. A visit is instead
/// named by what it is for: its enterprise and its *anchor check*, the smallest
/// (item id, occurrence) among its checks. In a valid plan every required check appears exactly
/// once (spec rule 6), so no two visits share an anchor and the UID is unique in every calendar;
/// when a re-plan moves a visit to another day or changes its team, its anchor — and its UID —
/// stay the same, and the calendar program moves the event. (When re-planning merges two visits,
/// the merged visit keeps one of the two UIDs; the other event is left over in a calendar
/// that was imported rather than subscribed.)
///
/// UID = the first 32 hex digits of SHA-256 over the netstrings of
/// `"jointplan/visit"`, the scenario name, the enterprise id, the anchor item id and the anchor
/// occurrence in decimal — a netstring is `<UTF-8 byte count>:<bytes>,` — followed by
/// `@jointplan`. Remote checks use `"jointplan/remote"` and their own (enterprise, item,
/// occurrence). `scripts/check-exports` recomputes them independently.
///
/// Plans that break rule 6 (two visits with the same anchor, a visit with no checks) still get
/// UIDs unique within the file: a visit without checks is named by its date and start, and a
/// repeated UID gets `-2`, `-3`, … in chronological order.
///
/// An export with `--previous` (`ICalendarExporter(previous:published:)`) goes one step
/// further: a visit `PlanDiff` matches with an old one keeps the old visit's published UID,
/// even when it lost its anchor check (docs/decisions.md, Calendars after a re-plan).
public enum EventUID {
    public static let domain = "jointplan"

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

    /// UIDs of all the plan's visits by visit id, unique even for a plan that breaks rule 6.
    public static func visitUIDs(scenario: String, plan: Plan) -> [String: String] {
        var out: [String: String] = [:]
        var seen: [String: Int] = [:]
        for v in Labels.chronological(plan.visits) {
            var base = visit(scenario: scenario, enterprise: v.enterprise, anchor: anchor(of: v))
            if v.checks.isEmpty {
                base = uid(["jointplan/visit-without-checks", scenario, v.enterprise, v.date.description, ClockTime.format(v.start)])
            }
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
