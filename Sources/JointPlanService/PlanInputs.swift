import Foundation
import JointPlan
import JointPlanStore

/// The scenario and plan that `explain`, `replan` and `export` work on, read from the
/// request: the plan given inline (`plan`) or a recorded run (`runId`), and the scenario given
/// inline, by path, or — when left out with a `runId` — the run's own scenario as recorded.
///
/// Problems are -32602 with their paths: the plan's under `params.plan`, the scenario's
/// relative to the scenario document (as `solve` reports them), an unknown run under
/// `params.runId`.
struct PlanInputs {
    var loaded: LoadedScenario
    var plan: Plan
    /// The plan document as given or recorded.
    var planDocument: JSON
    /// The run the plan comes from, when it was given by `runId`.
    var runId: Int64?
    /// What the client should know but that does not stop the method (a plan made for
    /// another scenario).
    var warnings: [String] = []

    static func load(scenario: ScenarioSource?, plan source: PlanSource, service: Service) throws -> PlanInputs {
        let planDocument: JSON
        var runId: Int64?
        var loaded: LoadedScenario
        switch source {
        case .inline(let doc):
            planDocument = doc
        case .run(let id):
            guard let store = service.store else {
                throw RPCError.internalError("no run database: \(service.storeProblem ?? "the service was started without one")")
            }
            guard let run = try store.run(id: id) else {
                throw RPCError.invalidParams(path: "params.runId", "no run with id \(id)")
            }
            runId = id
            planDocument = (try? JSONParser.parse(Data(run.planJSON.utf8))) ?? .null
        }
        if let scenario {
            loaded = try LoadedScenario.load(scenario, root: service.pathRoot)
        } else {
            // Left out with a runId (Params.scenarioSourceOrRun): the run's scenario, byte
            // for byte as recorded, so its sha256 is the one the plan names.
            guard let id = runId, let text = try service.store?.scenarioJSON(runId: id) else {
                throw RPCError.invalidParams(path: "params", "needs \"scenario\" or \"path\"")
            }
            let bytes = Data(text.utf8)
            do { loaded = LoadedScenario(scenario: try ScenarioReader.read(bytes), bytes: bytes) } catch let e as InputProblems {
                throw RPCError.invalidParams(e.nested(under: "run \(id) scenario"))
            }
        }
        let plan: Plan
        do { plan = try PlanReader.read(planDocument) } catch let e as InputProblems {
            throw RPCError.invalidParams(e.nested(under: runId == nil ? "params.plan" : "run \(runId!) plan"))
        }
        var inputs = PlanInputs(loaded: loaded, plan: plan, planDocument: planDocument, runId: runId)
        if !PlanProvenance.matches(plan, scenarioData: loaded.bytes) {
            inputs.warnings.append("the plan was made for another scenario (its scenario.sha256 matches neither the scenario's bytes nor its canonical JSON); it is read against the scenario given")
        }
        return inputs
    }
}
