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
        let problems: [InputProblem]
        switch source! {
        case .inline(let doc): problems = ScenarioReader.problems(json: doc)
        case .file: problems = ScenarioReader.problems(try ScenarioText.bytes(of: source!))
        }
        return .object(JSONObject([("valid", .bool(problems.isEmpty)), ("errors", .array(problems.map(\.json)))]))
    }

    // MARK: solve

    /// `solve {"scenario"} | {"path"}, "options"?` → `{"runId", "plan"}`: validates here
    /// (bad input is -32602 with every problem), then solves in a child process.
    static func solve(_ s: Service, _ call: Call) {
        s.work.async {
            guard !call.isFinished else { return }
            let loaded: LoadedScenario
            let options: SolveOptions
            do {
                var p = Params(call.params, allowed: ["scenario", "path", "options"])
                let source = p.scenarioSource()
                options = p.solveOptions()
                try p.check()
                loaded = try LoadedScenario.load(source!)
            } catch let e as RPCError {
                call.fail(e)
                return
            } catch {
                call.fail(.internalError("\(error)"))
                return
            }
            s.solveSlots.submit {
                SolveJob(service: s, call: call, loaded: loaded, options: options).run()
            }
        }
    }

    // MARK: runs

    private static func store(_ s: Service) throws -> RunStore {
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
        let runs = try store(s).listRuns(limit: limit.map { Int($0) } ?? 100)
        return .object(JSONObject([("runs", .array(runs.map(\.json)))]))
    }

    /// `runs/get {"id", "plan"?: true}` → `{"run": summary, "kpis", "plan"}`.
    static func getRun(_ s: Service, _ call: Call) throws -> JSON {
        var p = Params(call.params, allowed: ["id", "plan"])
        let id = p.count("id", required: true)
        let withPlan = p.bool("plan") ?? true
        try p.check()
        guard let run = try store(s).run(id: id!) else {
            throw RPCError.invalidParams(path: "params.id", "no run with id \(id!)")
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

/// Solves run at most `limit` at a time, each on a thread of its own (it drives a child
/// process); the others wait in line, in order of arrival.
final class SolveSlots: @unchecked Sendable {
    private let limit: Int
    private let lock = NSLock()
    private var running = 0
    private var waiting: [() -> Void] = []

    init(limit: Int) { self.limit = limit }

    func submit(_ job: @escaping () -> Void) {
        lock.lock()
        if running < limit {
            running += 1
            lock.unlock()
            start(job)
        } else {
            waiting.append(job)
            lock.unlock()
        }
    }

    private func start(_ job: @escaping () -> Void) {
        let t = Thread { [self] in
            job()
            lock.lock()
            if waiting.isEmpty {
                running -= 1
                lock.unlock()
            } else {
                let next = waiting.removeFirst()
                lock.unlock()
                start(next)
            }
        }
        t.stackSize = 4 << 20
        t.start()
    }
}

/// One solve in a child process: sends the request, relays progress, enforces a watchdog,
/// and answers with the plan (recorded in the store), or -32603 when the child failed.
struct SolveJob {
    let service: Service
    let call: Call
    let loaded: LoadedScenario
    let options: SolveOptions

    /// The time after which a child is killed: the solve's own limit, with room for the
    /// lower-bound stage and for start-up.
    var watchdogSeconds: Double { options.timeLimitSeconds * 1.5 + 30 }

    func run() {
        // Cancelled while waiting for a slot: already answered.
        guard !call.isFinished else { return }
        let worker: WorkerProcess
        do { worker = try WorkerProcess.spawn(service.configuration.workerCommand) } catch {
            call.fail(.internalError("\(error)"))
            return
        }
        service.liveWorkers.enter()
        let grace = service.configuration.cancelGrace
        call.onCancel { worker.stop(grace: grace) }
        call.progress(percent: 0, stage: "start", elapsed: 0, incumbent: nil, bound: nil, gap: nil,
                      note: "solver process \(worker.pid)")

        let watchdog = Watchdog()
        let limit = watchdogSeconds
        DispatchQueue.global().asyncAfter(deadline: .now() + limit) {
            if watchdog.fire() { worker.kill(signal: SIGKILL) }
        }

        var options = JSONObject([("timeLimitSeconds", .double(self.options.timeLimitSeconds)),
                                  ("mipGap", .double(self.options.mipGap))])
        if let seed = self.options.seed { options["seed"] = .number(String(seed)) }
        let request = JSONObject([("scenarioText", .string(String(decoding: loaded.bytes, as: UTF8.self))),
                                  ("options", .object(options))])
        _ = worker.send(Data((JSONWriter.compact(.object(request)) + "\n").utf8))

        var plan: JSON?
        var failure: JSON?
        let lines = LineReader(fd: worker.output, maxLineBytes: 1 << 30)
        while let line = lines.next() {
            guard case .text(let data) = line, let message = try? JSONParser.parse(data) else {
                service.logger.warning("solver process \(worker.pid) wrote a line that is not a message")
                continue
            }
            if let p = message["progress"] {
                call.progress(percent: (p["fraction"]?.doubleValue ?? 0) * 100, stage: p["stage"]?.stringValue ?? "",
                              elapsed: p["elapsed"]?.doubleValue ?? 0, incumbent: p["incumbent"]?.doubleValue,
                              bound: p["bound"]?.doubleValue, gap: p["gap"]?.doubleValue,
                              note: p["message"]?.stringValue ?? "")
            } else if let p = message["plan"] {
                plan = p
            } else if let e = message["error"] {
                failure = e
            }
        }
        let end = worker.wait()
        let timedOut = !watchdog.disarm()
        service.liveWorkers.leave()
        service.logger.info("solver process \(worker.pid) \(end.description)\(call.isFinished ? " (its request was cancelled)" : "")")

        // Cancelled: answered -32800 already, the plan (if any) is discarded.
        guard !call.isFinished else { return }
        if let plan {
            finish(plan)
        } else if let failure {
            call.fail(RPCError(code: failure["code"]?.intValue ?? RPCError.internalErrorCode,
                               message: failure["message"]?.stringValue ?? "the solver failed", data: failure["data"]))
        } else if timedOut {
            call.fail(.internalError("the solve did not finish within \(JSON.format(limit)) s (time limit \(JSON.format(self.options.timeLimitSeconds)) s); its process was killed"))
        } else {
            service.logger.error("solver process \(worker.pid) \(end.description) without a result")
            var data = JSONObject()
            switch end {
            case .exited(let code): data["exitStatus"] = .int(Int(code))
            case .signaled(let sig): data["signal"] = .int(Int(sig))
            }
            call.fail(.internalError("the solver process \(end.description) before answering; the service goes on",
                                     data: .object(data)))
        }
    }

    private func finish(_ plan: JSON) {
        guard call.claimCompletion() else { return }
        let decoded: Plan
        do { decoded = try PlanReader.read(plan) } catch {
            call.fail(.internalError("the solver returned a plan that does not read back: \(error)"))
            return
        }
        var runId = JSON.null
        var warnings: [JSON] = []
        if let store = service.store {
            do {
                let id = try store.record(scenario: loaded.scenario, scenarioJSON: loaded.bytes, plan: decoded,
                                          options: options, planDocument: plan)
                runId = .number(String(id))
            } catch {
                service.logger.error("the run was not recorded: \(error)")
                warnings.append(.string("the run was not recorded: \(error)"))
            }
        } else if let problem = service.storeProblem {
            warnings.append(.string("the run was not recorded: no run database (\(problem))"))
        }
        var result = JSONObject([("runId", runId), ("plan", plan)])
        if !warnings.isEmpty { result["warnings"] = .array(warnings) }
        call.reply(.object(result))
    }
}

/// Decides, once, whether the watchdog or the normal end came first.
private final class Watchdog: @unchecked Sendable {
    private let lock = NSLock()
    private var state: Bool?
    /// The watchdog's turn: true if the solve was still running (it is now timed out).
    func fire() -> Bool { lock.lock(); defer { lock.unlock() }; if state == nil { state = true; return true }; return false }
    /// The normal end: true if it came before the watchdog.
    func disarm() -> Bool { lock.lock(); defer { lock.unlock() }; if state == nil { state = false; return true }; return state == false }
}
