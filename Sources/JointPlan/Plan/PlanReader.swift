import Foundation

/// Reads a `jointplan.plan/1` document. Structure errors (wrong types, missing fields, bad
/// date/time syntax, duplicate visit ids) are input problems with their JSON path (A14);
/// unknown references are left for the checker, which reports them as rule violations.
public enum PlanReader {
    public static func read(_ data: Data) throws -> Plan {
        let doc: JSON
        do { doc = try JSONParser.parse(data) } catch let e as JSONParseError {
            throw InputProblems([InputProblem(path: "", message: "not valid JSON: \(e)")])
        }
        return try read(doc)
    }

    public static func read(_ doc: JSON) throws -> Plan {
        var problems: [InputProblem] = []
        func err(_ p: String, _ m: String) { problems.append(InputProblem(path: p, message: m)) }
        guard let top = doc.objectValue else { throw InputProblems([InputProblem(path: "", message: "must be an object, got \(doc.typeName)")]) }
        var plan = Plan()
        for k in top.duplicateKeys { err(JSONPath.key("", k), "key appears more than once in the object") }
        if top["format"]?.stringValue != Plan.format {
            err("format", "must be \"\(Plan.format)\", got \(top["format"]?.short ?? "nothing")")
        }
        if let s = top["seed"], s != .null {
            if let v = s.intValue, v >= 0 { plan.seed = UInt64(v) } else if case .number(let lit) = s, let u = UInt64(lit) { plan.seed = u }
            else { err("seed", "must be a non-negative integer, got \(s.short)") }
        }
        if let sc = top["scenario"]?.objectValue {
            plan.scenarioName = sc["name"]?.stringValue ?? ""
            plan.scenarioSHA256 = sc["sha256"]?.stringValue ?? ""
        }
        if let st = top["status"]?.stringValue { plan.status = PlanStatus(rawValue: st) ?? .feasible }

        func str(_ o: JSONObject, _ k: String, _ p: String) -> String? {
            guard let v = o[k] else { err(JSONPath.key(p, k), "is required but missing"); return nil }
            guard let s = v.stringValue, !s.isEmpty else { err(JSONPath.key(p, k), "must be a non-empty string, got \(v.short)"); return nil }
            return s
        }
        func int(_ o: JSONObject, _ k: String, _ p: String) -> Int? {
            guard let v = o[k] else { err(JSONPath.key(p, k), "is required but missing"); return nil }
            guard let i = v.intValue else { err(JSONPath.key(p, k), "must be an integer, got \(v.short)"); return nil }
            return i
        }
        func date(_ o: JSONObject, _ k: String, _ p: String) -> Day? {
            guard let s = str(o, k, p) else { return nil }
            guard let d = Day(s) else { err(JSONPath.key(p, k), "must be a date YYYY-MM-DD, got \(JSONWriter.quote(s))"); return nil }
            return d
        }
        func time(_ o: JSONObject, _ k: String, _ p: String) -> Int? {
            guard let s = str(o, k, p) else { return nil }
            guard let t = ClockTime.parse(s) else { err(JSONPath.key(p, k), "must be a time HH:MM, got \(JSONWriter.quote(s))"); return nil }
            return t
        }
        func list(_ k: String) -> [JSON] {
            guard let v = top[k] else { return [] }
            guard let a = v.arrayValue else { err(k, "must be an array, got \(v.typeName)"); return [] }
            return a
        }

        var seenIds: [String: Int] = [:]
        for (i, v) in list("visits").enumerated() {
            let p = JSONPath.index("visits", i)
            guard let o = v.objectValue else { err(p, "must be an object, got \(v.typeName)"); continue }
            let id = str(o, "id", p)
            if let id {
                if let prev = seenIds[id] { err(JSONPath.key(p, "id"), "duplicate visit id \(JSONWriter.quote(id)) (also visits[\(prev)])") }
                else { seenIds[id] = i }
            }
            let ent = str(o, "enterprise", p), d = date(o, "date", p), s = time(o, "start", p), e = time(o, "end", p)
            var team: [String] = []
            if let t = o["inspectors"] {
                if let a = t.arrayValue {
                    for (j, x) in a.enumerated() {
                        if let sx = x.stringValue, !sx.isEmpty { if !team.contains(sx) { team.append(sx) } }
                        else { err(JSONPath.index(JSONPath.key(p, "inspectors"), j), "must be a non-empty string, got \(x.short)") }
                    }
                } else { err(JSONPath.key(p, "inspectors"), "must be an array, got \(t.typeName)") }
            } else { err(JSONPath.key(p, "inspectors"), "is required but missing") }
            var checks: [Check] = []
            if let c = o["checks"] {
                if let a = c.arrayValue {
                    for (j, x) in a.enumerated() {
                        let cp = JSONPath.index(JSONPath.key(p, "checks"), j)
                        guard let co = x.objectValue else { err(cp, "must be an object, got \(x.typeName)"); continue }
                        if let it = str(co, "item", cp), let oc = int(co, "occurrence", cp), let ins = str(co, "inspector", cp) {
                            checks.append(Check(item: it, occurrence: oc, inspector: ins))
                        }
                    }
                } else { err(JSONPath.key(p, "checks"), "must be an array, got \(c.typeName)") }
            } else { err(JSONPath.key(p, "checks"), "is required but missing") }
            if let id, let ent, let d, let s, let e {
                plan.visits.append(Visit(id: id, enterprise: ent, date: d, start: s, end: e, inspectors: team, checks: checks))
            }
        }
        for (i, v) in list("remoteChecks").enumerated() {
            let p = JSONPath.index("remoteChecks", i)
            guard let o = v.objectValue else { err(p, "must be an object, got \(v.typeName)"); continue }
            if let ent = str(o, "enterprise", p), let it = str(o, "item", p), let oc = int(o, "occurrence", p),
               let d = date(o, "date", p), let ins = str(o, "inspector", p) {
                plan.remoteChecks.append(RemoteCheck(enterprise: ent, item: it, occurrence: oc, date: d, inspector: ins))
            }
        }
        for (i, v) in list("unmet").enumerated() {
            let p = JSONPath.index("unmet", i)
            guard let o = v.objectValue else { err(p, "must be an object, got \(v.typeName)"); continue }
            if let ent = str(o, "enterprise", p), let it = str(o, "item", p), let oc = int(o, "occurrence", p) {
                guard let rs = o["reason"]?.stringValue, let r = UnmetReason(rawValue: rs) else {
                    err(JSONPath.key(p, "reason"), "must be one of \(UnmetReason.allCases.map(\.rawValue).joined(separator: ", ")), got \(o["reason"]?.short ?? "nothing")")
                    continue
                }
                plan.unmet.append(UnmetCheck(enterprise: ent, item: it, occurrence: oc, reason: r))
            }
        }
        if let ob = top["objective"]?.objectValue {
            plan.objective = Objective(unmetWeighted: ob["unmetWeighted"]?.doubleValue ?? .nan,
                                       onsiteVisits: ob["onsiteVisits"]?.intValue ?? -1,
                                       inspectorMinutes: ob["inspectorMinutes"]?.intValue ?? -1)
        } else {
            plan.objective = Objective(unmetWeighted: .nan, onsiteVisits: -1, inspectorMinutes: -1)
        }
        // The KPIs as the file states them (the checker and the report compare them with
        // what they recompute).
        if let k = top["kpis"]?.objectValue {
            var kp = KPIs()
            kp.requiredChecks = k["requiredChecks"]?.intValue ?? 0
            kp.onsiteChecks = k["onsiteChecks"]?.intValue ?? 0
            kp.remoteChecks = k["remoteChecks"]?.intValue ?? 0
            kp.unmetChecks = k["unmetChecks"]?.intValue ?? 0
            if let r = k["unmetByReason"]?.objectValue {
                for reason in UnmetReason.allCases { kp.unmetByReason[reason] = r[reason.rawValue]?.intValue ?? 0 }
            }
            kp.baselineVisits = k["baselineVisits"]?.intValue ?? 0
            kp.visitReductionPct = k["visitReductionPct"]?.doubleValue ?? 0
            kp.visitLowerBound = k["visitLowerBound"]?.intValue ?? 0
            kp.jointVisitRate = k["jointVisitRate"]?.doubleValue ?? 0
            kp.maxVisitsPerEnterprise = k["maxVisitsPerEnterprise"]?.intValue ?? 0
            kp.utilization = (k["utilization"]?.objectValue?.pairs ?? []).map { ($0.0, $0.1.doubleValue ?? 0) }
            plan.kpis = kp
        }
        if let so = top["solver"]?.objectValue {
            plan.solver.engine = so["engine"]?.stringValue ?? plan.solver.engine
            plan.solver.seconds = so["seconds"]?.doubleValue ?? 0
            plan.solver.bestBound = so["bestBound"]?.doubleValue ?? 0
            plan.solver.gap = so["gap"]?.doubleValue ?? 0
            plan.solver.visitBound = so["visitBound"]?.intValue ?? 0
            plan.solver.boundSource = so["bound"]?.stringValue.flatMap(BoundSource.init(rawValue:))
        }
        if let msgs = top["extensions"]?["messages"]?.arrayValue { plan.messages = msgs.compactMap(\.stringValue) }
        plan.highestVisitNumber = max(0, top["extensions"]?["lineage"]?["highestVisitNumber"]?.intValue ?? 0)
        plan.lineageId = top["extensions"]?["lineage"]?["id"]?.stringValue ?? ""
        if !problems.isEmpty { throw InputProblems(problems) }
        return plan
    }
}
