import Foundation
import JointPlan
import JointPlanStore
import JointPlanRegisters

/// A plan version's life in the office as service methods (issue 23): `plan/submit`,
/// `plan/approve`, `plan/file`, `plan/publish` and `plan/show`, the same as `jointplan plan …`.
extension Methods {
    /// `plan/<verb> {"id", "by", "note"?}` → `{"version": {...}}`. A step that is not legal from
    /// the version's state is -32602 at `params.id`, naming both states; nothing is written.
    static func advancePlan(_ state: PlanState) -> @Sendable (Service, Call) throws -> JSON {
        { s, call in
            var p = Params(call.params, allowed: ["id", "by", "note"])
            let id = p.count("id", required: true)
            let by = p.string("by", required: true)
            var note = ""
            if let v = p.object["note"], v != .null {
                if let t = v.stringValue { note = t } else { p.problem("params.note", "must be a string, got \(v.short)") }
            }
            try p.check()
            do {
                let v = try store(s).advance(runId: id!, to: state, by: by!, note: note)
                return .object(JSONObject([("version", v.json)]))
            } catch let e as PlanStateError {
                throw RPCError.invalidParams(path: "params.id", e.message)
            }
        }
    }

    /// `plan/show {"id"}` → `{"version": {...}, "lineage": [{"run", "version", "state"}]}`.
    static func showPlan(_ s: Service, _ call: Call) throws -> JSON {
        var p = Params(call.params, allowed: ["id"])
        let id = p.count("id", required: true)
        try p.check()
        let store = try store(s)
        guard let v = try store.planVersion(runId: id!) else {
            throw RPCError.invalidParams(path: "params.id", "no run with id \(id!)")
        }
        let lineage = try store.lineage(of: id!).map {
            JSON.object(JSONObject([("run", .number(String($0.runId))), ("version", .int($0.version)), ("state", .string($0.state.rawValue))]))
        }
        return .object(JSONObject([("version", v.json), ("lineage", .array(lineage))]))
    }
}

/// What is recorded of a run's actuals, and its on-time completion rate (issue 23).
extension Methods {
    /// `actuals/show {"runId"}` → `{"checks": [...], "sheets": [...], "completion": {"overall", "departments"}}`
    /// (`completion` is absent when nothing is recorded).
    static func showActuals(_ s: Service, _ call: Call) throws -> JSON {
        var p = Params(call.params, allowed: ["runId"])
        let id = p.count("runId", required: true)
        try p.check()
        let store = try store(s)
        guard let run = try store.run(id: id!) else {
            throw RPCError.invalidParams(path: "params.runId", "no run with id \(id!)")
        }
        let records = try store.actualRecord(runId: id!)
        let sheets = try store.actuals(runId: id!).map {
            JSON.object(JSONObject([("id", .number(String($0.id))), ("source", .string($0.source)), ("recordedAt", .string($0.recordedAt))]))
        }
        var o = JSONObject([("runId", .number(String(id!))), ("sheets", .array(sheets)), ("checks", .array(records))])
        if !records.isEmpty, let text = try store.scenarioJSON(runId: id!), let sc = try? ScenarioReader.read(Data(text.utf8)),
           let plan = try? run.plan() {
            o["completion"] = Actuals(plan: plan, recorded: records).completion(scenario: sc).json
        }
        return .object(o)
    }
}
