import Foundation
import GRDB
import JointPlan

/// Where a plan version is in the office (issue 23; Qiyang's 主要负责人审批制, 报市司法局备案,
/// 一公开): drafted by the planner, submitted for approval, approved by the head of the office,
/// filed with the justice bureau, published. Each step is legal only from the one before.
public enum PlanState: String, CaseIterable, Sendable, Comparable {
    case draft, submitted, approved, filed, published

    /// The state this one may move to; nil for `published`.
    public var next: PlanState? {
        let all = Self.allCases
        let i = all.firstIndex(of: self)!
        return i + 1 < all.count ? all[i + 1] : nil
    }

    /// The state a move to this one must start from; nil for `draft`.
    public var previous: PlanState? {
        let all = Self.allCases
        let i = all.firstIndex(of: self)!
        return i > 0 ? all[i - 1] : nil
    }

    /// From approval on, a version's visits, teams and seed can no longer change.
    public var isLocked: Bool { self >= .approved }

    /// The verb of the command and service method that moves a plan into this state.
    public var verb: String {
        switch self {
        case .draft: return "draft"
        case .submitted: return "submit"
        case .approved: return "approve"
        case .filed: return "file"
        case .published: return "publish"
        }
    }

    public init?(verb: String) {
        guard let s = Self.allCases.first(where: { $0.verb == verb }) else { return nil }
        self = s
    }

    public static func < (a: PlanState, b: PlanState) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// One step of a plan version's life: who moved it into `state`, when, and why.
public struct PlanStep: Sendable, Equatable {
    public var state: PlanState
    public var by: String
    /// ISO 8601, UTC, with milliseconds.
    public var at: String
    public var note: String

    public var json: JSON {
        .object(JSONObject([("state", .string(state.rawValue)), ("by", .string(by)), ("at", .string(at)),
                            ("note", .string(note))]))
    }
}

/// A recorded run seen as a plan version: its state, its place in its lineage (the run it was
/// re-planned from, and its number there) and every step it went through.
public struct PlanVersion: Sendable, Equatable {
    public var runId: Int64
    public var state: PlanState
    /// 1 for a plan solved from scratch; the parent's version + 1 for a re-plan.
    public var version: Int
    public var parentRunId: Int64?
    /// When the run was recorded (the draft's date).
    public var createdAt: String
    public var steps: [PlanStep]

    public var json: JSON {
        .object(JSONObject([
            ("run", .number(String(runId))), ("state", .string(state.rawValue)), ("version", .int(version)),
            ("parent", parentRunId.map { .number(String($0)) } ?? .null), ("createdAt", .string(createdAt)),
            ("locked", .bool(state.isLocked)), ("steps", .array(steps.map(\.json))),
        ]))
    }
}

/// A step that is not legal now: the message says which state the version is in and which one
/// the step needs.
public struct PlanStateError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}

extension RunStore {
    /// The run as a plan version; nil when there is no such run.
    public func planVersion(runId: Int64) throws -> PlanVersion? {
        try pool.read { db in try Self.planVersion(db, runId) }
    }

    static func planVersion(_ db: Database, _ runId: Int64) throws -> PlanVersion? {
        guard let row = try Row.fetchOne(db, sql: "SELECT id, state, version, parentRunId, createdAt FROM run WHERE id = ?",
                                         arguments: [runId]) else { return nil }
        let steps = try Row.fetchAll(db, sql: "SELECT state, byName, at, note FROM planStep WHERE runId = ? ORDER BY id",
                                     arguments: [runId]).map {
            PlanStep(state: PlanState(rawValue: $0["state"]) ?? .draft, by: $0["byName"], at: $0["at"], note: $0["note"])
        }
        return PlanVersion(runId: row["id"], state: PlanState(rawValue: row["state"]) ?? .draft, version: row["version"],
                           parentRunId: row["parentRunId"], createdAt: row["createdAt"], steps: steps)
    }

    /// Moves a version one step on (submit, approve, file, publish), recording who, when and
    /// the note, in one transaction. A step from any state but the one before fails with
    /// `PlanStateError` naming both, and nothing is written.
    @discardableResult
    public func advance(runId: Int64, to state: PlanState, by: String, note: String = "",
                        language: Language = .en) throws -> PlanVersion {
        let t = Catalogue(language)
        let who = by.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !who.isEmpty else { throw PlanStateError(message: t("lifecycle.noName", state.verb)) }
        let now = Self.timestamp(Date())
        return try pool.write { db in
            guard let current = try Self.planVersion(db, runId) else {
                throw PlanStateError(message: t("lifecycle.noRun", runId, path))
            }
            guard let from = state.previous else {
                throw PlanStateError(message: t("lifecycle.notAStep", state.rawValue))
            }
            guard current.state == from else {
                func name(_ s: PlanState) -> String { t("lifecycle.state.\(s.rawValue)") }
                throw PlanStateError(message: t("lifecycle.illegal", t("lifecycle.verb.\(state.verb)"), runId, name(current.state), name(from),
                                                PlanState.allCases.map(name).joined(separator: " → ")))
            }
            try db.execute(sql: "UPDATE run SET state = ? WHERE id = ?", arguments: [state.rawValue, runId])
            if state.isLocked { try db.execute(sql: "INSERT OR IGNORE INTO planLock (runId) VALUES (?)", arguments: [runId]) }
            try db.execute(sql: "INSERT INTO planStep (runId, state, byName, at, note) VALUES (?, ?, ?, ?, ?)",
                           arguments: [runId, state.rawValue, who, now, note])
            return try Self.planVersion(db, runId)!
        }
    }

    /// Every version of the lineage `runId` belongs to, oldest first (the root and its re-plans).
    public func lineage(of runId: Int64) throws -> [PlanVersion] {
        try pool.read { db in
            var root = runId
            var seen: Set<Int64> = [root]
            while let p = try Int64.fetchOne(db, sql: "SELECT parentRunId FROM run WHERE id = ?", arguments: [root]), seen.insert(p).inserted {
                root = p
            }
            var out: [PlanVersion] = []
            var frontier = [root]
            while let id = frontier.first {
                frontier.removeFirst()
                if let v = try Self.planVersion(db, id) { out.append(v) }
                frontier += try Int64.fetchAll(db, sql: "SELECT id FROM run WHERE parentRunId = ? ORDER BY id", arguments: [id])
            }
            return out.sorted { $0.runId < $1.runId }
        }
    }
}
