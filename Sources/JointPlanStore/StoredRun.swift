import Foundation
import JointPlan

/// One recorded run as the run list shows it: which scenario, with which options, what came
/// out (status, objective, timings) — everything but the plan itself.
public struct RunSummary: Sendable, Equatable {
    public var id: Int64
    public var scenarioId: Int64
    public var scenarioName: String
    public var scenarioSHA256: String
    /// ISO 8601, UTC, with milliseconds.
    public var createdAt: String
    public var status: String
    public var method: String
    public var seed: UInt64
    /// The solve options as recorded (`timeLimitSeconds`, `mipGap`, `seed`, the work limits `iterations` and `windows` when given, `threads`).
    public var options: JSON
    public var objective: Objective
    public var bestBound: Double
    public var gap: Double
    public var seconds: Double
    public var engine: String
    public var visitCount: Int
    public var checkCount: Int
    /// Where the version is in the office (issue 23); `draft` for runs recorded before.
    public var state: PlanState = .draft
    /// 1 for a plan solved from scratch, the parent's + 1 for a re-plan.
    public var version: Int = 1
    /// The run this one was re-planned from.
    public var parentRunId: Int64?

    /// The summary as the service's `runs/list` and `jointplan runs list --json` show it.
    public var json: JSON {
        .object(JSONObject([
            ("id", .number(String(id))), ("createdAt", .string(createdAt)),
            ("scenario", .object(JSONObject([("id", .number(String(scenarioId))), ("name", .string(scenarioName)),
                                             ("sha256", .string(scenarioSHA256))]))),
            ("status", .string(status)), ("method", .string(method)), ("seed", .number(String(seed))),
            ("options", options), ("objective", objective.json),
            ("solver", .object(JSONObject([("engine", .string(engine)), ("seconds", .double(seconds)),
                                           ("bestBound", .double(bestBound)), ("gap", .double(gap))]))),
            ("visits", .int(visitCount)), ("checks", .int(checkCount)),
            ("state", .string(state.rawValue)), ("version", .int(version)),
            ("parent", parentRunId.map { .number(String($0)) } ?? .null),
        ]))
    }
}

/// A recorded run with its KPIs and its plan exactly as it was recorded (a
/// `jointplan.plan/1` document that `PlanReader` reads back).
public struct StoredRun: Sendable {
    public var summary: RunSummary
    public var kpis: JSON
    /// The plan document's text (compact JSON).
    public var planJSON: String

    /// The recorded plan, decoded again.
    public func plan() throws -> Plan { try PlanReader.read(Data(planJSON.utf8)) }
}

/// One on-site visit of a recorded run, as the visit queries return it.
public struct StoredVisit: Sendable, Equatable {
    public var runId: Int64
    public var visitId: String
    public var enterprise: String
    public var town: String
    /// `YYYY-MM-DD`.
    public var date: String
    /// `HH:MM`.
    public var start: String
    public var end: String
    /// The departments whose items the visit checks, in scenario order.
    public var departments: [String]
    public var inspectors: [String]

    public var json: JSON {
        .object(JSONObject([
            ("runId", .number(String(runId))), ("visit", .string(visitId)), ("enterprise", .string(enterprise)),
            ("town", .string(town)), ("date", .string(date)), ("start", .string(start)), ("end", .string(end)),
            ("departments", .array(departments.map { .string($0) })),
            ("inspectors", .array(inspectors.map { .string($0) })),
        ]))
    }
}

/// Which visits of the store a query asks for; every field left nil matches everything.
public struct VisitQuery: Sendable {
    public var runId: Int64?
    public var town: String?
    /// Visits with at least one check of an item of this department.
    public var department: String?
    /// Visits whose team includes this inspector.
    public var inspector: String?
    /// A date `YYYY-MM-DD` or a range `YYYY-MM-DD/YYYY-MM-DD` (both ends included).
    public var date: DateSpan?
    public var limit: Int?
    public init(runId: Int64? = nil, town: String? = nil, department: String? = nil, inspector: String? = nil,
                date: DateSpan? = nil, limit: Int? = nil) {
        self.runId = runId; self.town = town; self.department = department; self.inspector = inspector
        self.date = date; self.limit = limit
    }
}

/// What went wrong with the store, in words a user can act on.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
