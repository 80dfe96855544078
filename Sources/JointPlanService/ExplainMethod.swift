import Foundation
import JointPlan

extension Methods {
    /// `explain {"scenario" | "path", "plan" | "runId", "enterprise"}` or `{…, "department",
    /// "date"}` → the explanation as `jointplan explain --json` prints it (issue 5, Explain):
    /// an enterprise's duties, draw values, visits and the binding reason of each unmet check,
    /// or a department's load on one date. Runs in the service (no GLPK).
    static func explain(_ s: Service, _ call: Call) throws -> JSON {
        var p = Params(call.params, allowed: ["scenario", "path", "plan", "runId", "enterprise", "department", "date"])
        let planSource = p.planSource()
        let scenarioSource = p.scenarioSourceOrRun()
        let enterprise = p.string("enterprise")
        let department = p.string("department")
        let date = p.date("date")
        // As the CLI: one enterprise, or one department on one date.
        func has(_ key: String) -> Bool { p.object[key].map { $0 != .null } ?? false }
        let given = (has("enterprise"), has("department"), has("date"))
        switch given {
        case (true, false, false), (false, true, true): break
        case (false, true, false): p.problem("params.date", "is required with \"department\" (the date whose load to show)")
        case (false, false, true): p.problem("params.department", "is required with \"date\"")
        case (false, false, false): p.problem("params", "needs \"enterprise\", or \"department\" and \"date\"")
        case (true, _, _): p.problem("params", "takes \"enterprise\" or \"department\" with \"date\", not both")
        }
        try p.check()
        let inputs = try PlanInputs.load(scenario: scenarioSource, plan: try planSource.checked("params.plan"), service: s)
        let explainer = Explainer(scenario: inputs.loaded.scenario, plan: inputs.plan)
        var explanation: JSON
        do {
            if let enterprise {
                explanation = try explainer.enterprise(enterprise).json
            } else {
                explanation = try explainer.department(try department.checked("params.department"), on: try date.checked("params.date")).json
            }
        } catch let e as InputProblems {
            // The explainer names the CLI's options (`--enterprise`); here they are params.
            throw RPCError.invalidParams(e.problems.map { problem in
                guard problem.path.hasPrefix("--") else { return problem }
                return InputProblem(path: "params." + problem.path.dropFirst(2), message: problem.message)
            })
        }
        if !inputs.warnings.isEmpty, case .object(var o) = explanation {
            o["warnings"] = .array(inputs.warnings.map { .string($0) })
            explanation = .object(o)
        }
        return explanation
    }
}
