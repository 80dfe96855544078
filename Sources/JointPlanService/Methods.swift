import Foundation
import JointPlan
import JointPlanStore

/// The service's methods (docs/protocol.md has their params, results and examples).
enum Methods {
    // MARK: validate

    /// `validate {"scenario"} | {"path"}` → `{"valid", "errors": [{"path", "message"}]}`.
    static func validate(_ s: Service, _ call: Call) throws -> JSON {
        var p = Params(call.params, allowed: ["scenario", "path"])
        let source = p.scenarioSource()
        try p.check()
        let scenarioSource = try source.checked("params")
        var problems: [InputProblem] = []
        var warnings: [InputProblem] = []
        do {
            let scenario: Scenario
            switch scenarioSource {
            case .inline(let doc): scenario = try ScenarioReader.read(json: doc)
            case .file: scenario = try ScenarioReader.read(try ScenarioText.bytes(of: scenarioSource, root: s.pathRoot))
            }
            // What the reader accepts but is surely a mistake (`ScenarioReview`).
            let review = ScenarioReview(scenario)
            problems = review.errors
            warnings = review.warnings
        } catch let e as InputProblems {
            problems = e.problems
        }
        return .object(JSONObject([("valid", .bool(problems.isEmpty)), ("errors", .array(problems.map(\.json))),
                                   ("warnings", .array(warnings.map(\.json)))]))
    }

    // MARK: solve

    /// `solve {"scenario"} | {"path"}, "options"?` → `{"runId", "plan"}`: validates here
    /// (bad input is -32602 with every problem), then solves in a child process.
    static func solve(_ s: Service, _ call: Call) {
        s.onWorker(call) {
            guard !call.isFinished else { return }
            let loaded: LoadedScenario
            let options: SolveOptions
            do {
                var p = Params(call.params, allowed: ["scenario", "path", "options"])
                let source = p.scenarioSource()
                options = p.solveOptions()
                try p.check()
                loaded = try LoadedScenario.load(try source.checked("params"), root: s.pathRoot)
                // One validation (issue 24): what `validate` refuses, solve refuses, with the same paths.
                let review = ScenarioReview(loaded.scenario, seed: options.seed)
                if !review.errors.isEmpty { throw RPCError.invalidParams(review.errors) }
            } catch let e as RPCError {
                call.fail(e)
                return
            } catch {
                call.fail(.internalError("\(error)"))
                return
            }
            s.solveSlots.submit {
                await SolveJob(service: s, call: call, loaded: loaded, options: options).run()
            }
        }
    }

    // MARK: runs

    static func store(_ s: Service) throws -> RunStore {
        guard let store = s.store else {
            throw RPCError.internalError("no run database: \(s.storeProblem ?? "the service was started without one")")
        }
        return store
    }

    /// `runs/list {"limit"?}` → `{"runs": [summary, …]}`, newest first.
    static func listRuns(_ s: Service, _ call: Call) throws -> JSON {
        var p = Params(call.params, allowed: ["limit"])
        let limit = p.count("limit")
        try p.check()
        // Without a database there are no runs: an empty list and a warning saying why, not
        // an internal error (issue 25: a client listing runs of `serve --no-db` is not wrong).
        guard let store = s.store else {
            let why = "no run database: \(s.storeProblem ?? "the service was started without one (--no-db)")"
            return .object(JSONObject([("runs", .array([])), ("warnings", .array([.string(why)]))]))
        }
        let runs = try store.listRuns(limit: limit.map { Int($0) } ?? 100)
        return .object(JSONObject([("runs", .array(runs.map(\.json)))]))
    }

    /// `runs/get {"id", "plan"?: true}` → `{"run": summary, "kpis", "plan"}`.
    static func getRun(_ s: Service, _ call: Call) throws -> JSON {
        var p = Params(call.params, allowed: ["id", "plan"])
        let id = p.count("id", required: true)
        let withPlan = p.bool("plan") ?? true
        try p.check()
        let runId = try id.checked("params.id")
        guard let run = try store(s).run(id: runId) else {
            throw RPCError.invalidParams(path: "params.id", "no run with id \(runId)")
        }
        var o = JSONObject([("run", run.summary.json), ("kpis", run.kpis)])
        if withPlan { o["plan"] = (try? JSONParser.parse(run.planJSON)) ?? .null }
        return .object(o)
    }

    /// `runs/visits {"runId"?, "town"?, "department"?, "inspector"?, "date"?, "limit"?}` →
    /// `{"visits": [...]}`: the recorded visits matching every condition given.
    static func visits(_ s: Service, _ call: Call) throws -> JSON {
        var p = Params(call.params, allowed: ["runId", "town", "department", "inspector", "date", "limit"])
        var q = VisitQuery()
        q.runId = p.count("runId")
        q.town = p.string("town")
        q.department = p.string("department")
        q.inspector = p.string("inspector")
        if let d = p.string("date") {
            if let span = DateSpan(d), span.start <= span.end { q.date = span }
            else { p.problem("params.date", "must be a date YYYY-MM-DD or a range YYYY-MM-DD/YYYY-MM-DD, got \(JSONWriter.quote(d))") }
        }
        q.limit = Int(p.count("limit") ?? 1000)
        try p.check()
        return .object(JSONObject([("visits", .array(try store(s).visits(q).map(\.json)))]))
    }
}

/// Child-process work (solves, what-ifs, re-plans) runs at most `limit` at a time, each as a
/// task of its own (it awaits a child process; no GLPK runs in the service); the others wait
/// in line, in order of arrival.
final class SolveSlots: Sendable {
    private struct State: Sendable {
        var running = 0
        var waiting: [@Sendable () async -> Void] = []
    }
    private let limit: Int
    private let state = Locked(State())

    init(limit: Int) { self.limit = limit }

    func submit(_ job: @escaping @Sendable () async -> Void) {
        let now = state.withLock { s -> Bool in
            guard s.running < limit else {
                s.waiting.append(job)
                return false
            }
            s.running += 1
            return true
        }
        if now { start(job) }
    }

    private func start(_ job: @escaping @Sendable () async -> Void) {
        Task { [self] in
            await job()
            let next = state.withLock { s -> (@Sendable () async -> Void)? in
                if s.waiting.isEmpty {
                    s.running -= 1
                    return nil
                }
                return s.waiting.removeFirst()
            }
            if let next { start(next) }
        }
    }
}
/// One solve in a child process (`WorkerJob`): relays progress, and answers with the plan
/// (recorded in the store), or -32603 when the child failed.
struct SolveJob {
    let service: Service
    let call: Call
    let loaded: LoadedScenario
    let options: SolveOptions

    /// The time after which a child is killed: the solve's own limit, with room for the
    /// lower-bound stage and for start-up.
    var watchdogSeconds: Double { options.timeLimitSeconds * 1.5 + 30 }

    func run() async {
        // Cancelled while waiting for a slot: already answered.
        guard !call.isFinished else { return }
        let request = JSONObject([("mode", .string("solve")),
                                  ("scenarioText", .string(String(decoding: loaded.bytes, as: UTF8.self))),
                                  ("options", WorkerJob.optionsJSON(options))])
        let job = WorkerJob(service: service, call: call, request: .object(request), watchdogSeconds: watchdogSeconds,
                            workName: "the solve", limitNote: "time limit \(JSON.format(options.timeLimitSeconds)) s")
        let outcome = await job.run(started: { pid in
            call.progress(percent: 0, stage: "start", elapsed: 0, incumbent: nil, bound: nil, gap: nil,
                          note: "solver process \(pid)")
        }, progress: { p in call.relay(p) })
        switch outcome {
        case .cancelled: return
        case .failed(let e): call.fail(e)
        case .result(let message):
            guard let plan = message["plan"] else {
                call.fail(.internalError("the solver process answered without a plan"))
                return
            }
            finish(plan)
        }
    }

    private func finish(_ plan: JSON) {
        guard call.claimCompletion() else { return }
        let decoded: Plan
        do { decoded = try PlanReader.read(plan) } catch {
            call.fail(.internalError("the solver returned a plan that does not read back: \(error)"))
            return
        }
        let recording = RunRecording(service: service, scenario: loaded.scenario, scenarioJSON: loaded.bytes,
                                     plan: decoded, options: options, method: Solver.Method.jointplan.rawValue,
                                     planDocument: plan)
        var result = JSONObject([("runId", recording.runId), ("plan", plan)])
        // Where the plan runs short, by department (issue 14, item 6).
        result["bottleneck"] = Bottleneck(scenario: loaded.scenario, plan: decoded).json
        if !recording.warnings.isEmpty { result["warnings"] = .array(recording.warnings) }
        call.reply(.object(result))
    }
}
