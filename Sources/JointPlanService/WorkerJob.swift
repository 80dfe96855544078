import Foundation
import JointPlan
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One request's GLPK work in a child process (`jointplan serve --worker`), seen from the
/// service: it starts the child, sends the request line, relays the child's progress lines,
/// stops the child when the call is cancelled, kills it when it outlives its watchdog, and
/// says how it ended. `solve`, `whatif` and `replan` all run through it, so whatever GLPK
/// does — `abort()`, a crash, a search that never ends — costs one request, not the service.
///
/// The child's lines are `{"progress": {…}}` while it works and one last message: the
/// result (`{"plan": …}`, `{"whatif": …}`, `{"replan": …}`) or `{"error": {"code",
/// "message", "data"}}` (see `SolveWorker`).
struct WorkerJob: Sendable {
    /// How the child's work ended.
    enum Outcome: Sendable {
        /// The child's last message that is not progress (its result).
        case result(JSON)
        /// The child answered an error, crashed, or was killed by the watchdog.
        case failed(RPCError)
        /// The call was cancelled (already answered -32800); whatever the child made is
        /// discarded.
        case cancelled
    }

    let service: Service
    let call: Call
    /// The request line the child reads (`mode`, its inputs, `options`).
    let request: JSON
    /// Seconds after which the child is killed.
    let watchdogSeconds: Double
    /// What the watchdog's message calls the work and its own limit ("the solve", "time
    /// limit 60 s").
    let workName: String
    let limitNote: String

    /// Runs the child to its end. `started` gets the child's pid once it runs; `progress`
    /// gets each progress line's object, in the order written.
    func run(started: @escaping @Sendable (Int32) -> Void, progress: @escaping @Sendable (JSON) -> Void) async -> Outcome {
        let stop = StopSignal()
        call.onCancel { stop.fire() }
        let messages = Locked<(result: JSON?, failure: JSON?)>((nil, nil))
        let pid = Locked<Int32>(0)
        let (service, call) = (self.service, self.call)
        service.liveWorkers.enter()
        defer { service.liveWorkers.leave() }
        let end: WorkerProcess.End
        do {
            end = try await WorkerProcess.run(
                service.configuration.workerCommand, request: Data((JSONWriter.compact(request) + "\n").utf8), stop: stop,
                grace: service.configuration.cancelGrace, watchdog: watchdogSeconds,
                started: { p in pid.set(p); started(p) },
                line: { data in
                    guard let message = try? JSONParser.parse(data) else {
                        service.logger.warning("solver process \(pid.current) wrote a line that is not a message")
                        return
                    }
                    if let p = message["progress"] {
                        if !call.isFinished { progress(p) }
                    } else if let e = message["error"] {
                        messages.withLock { $0.failure = e }
                    } else {
                        messages.withLock { $0.result = message }
                    }
                })
        } catch {
            return .failed(.internalError("cannot run the solver process \(service.configuration.workerCommand.first ?? ""): \(error)"))
        }
        let worker = pid.current
        service.logger.info("solver process \(worker) \(end.termination.description)\(call.isFinished ? " (its request was cancelled)" : "")")

        if call.isFinished { return .cancelled }
        let (result, failure) = messages.current
        if let result { return .result(result) }
        if let failure {
            return .failed(RPCError(code: failure["code"]?.intValue ?? RPCError.internalErrorCode,
                                    message: failure["message"]?.stringValue ?? "the solver failed", data: failure["data"]))
        }
        if end.timedOut {
            return .failed(.internalError("\(workName) did not finish within \(JSON.format(watchdogSeconds)) s (\(limitNote)); its process was killed"))
        }
        service.logger.error("solver process \(worker) \(end.termination.description) without a result")
        var data = JSONObject()
        switch end.termination {
        case .exited(let code): data["exitStatus"] = .int(Int(code))
        case .signaled(let sig): data["signal"] = .int(Int(sig))
        }
        return .failed(.internalError("the solver process \(end.termination.description) before answering; the service goes on",
                                      data: .object(data)))
    }

    /// The options as the child reads them back (`Params.solveOptions`).
    static func optionsJSON(_ o: SolveOptions) -> JSON {
        var options = JSONObject([("timeLimitSeconds", .double(o.timeLimitSeconds)), ("mipGap", .double(o.mipGap))])
        if let seed = o.seed { options["seed"] = .number(String(seed)) }
        if let n = o.iterations { options["iterations"] = .int(n) }
        if let n = o.windows { options["windows"] = .int(n) }
        if !o.warmStart { options["warmStart"] = .bool(false) }
        return .object(options)
    }
}

/// Records a plan made in a child process in the run database, when the service has one:
/// the run's id (`null` when not recorded) and the warnings that say why not.
struct RunRecording {
    var runId: JSON = .null
    var warnings: [JSON] = []

    /// The version it records: `parent` for a re-plan (a new draft version naming it, issue 23).
    var parent: Int64?

    init(service: Service, scenario: Scenario, scenarioJSON: Data, plan: Plan, options: SolveOptions,
         method: String, planDocument: JSON, parentOf base: Plan? = nil, parentRun: Int64? = nil) {
        if let store = service.store {
            do {
                // A re-plan's parent: the run it was given by, else the recorded run with the
                // base plan (as `jointplan replan --db` finds it); none when the base was never
                // recorded (then the re-plan is a version 1 of its own).
                var parent = parentRun
                if parent == nil, let base { parent = try store.run(matching: base, oldestFirst: true) }
                self.parent = parent
                let id = try store.record(scenario: scenario, scenarioJSON: scenarioJSON, plan: plan,
                                          options: options, method: method, planDocument: planDocument, parent: parent)
                runId = .number(String(id))
            } catch {
                service.logger.error("the run was not recorded: \(error)")
                warnings.append(.string("the run was not recorded: \(error)"))
            }
        } else if let problem = service.storeProblem {
            warnings.append(.string("the run was not recorded: no run database (\(problem))"))
        }
    }
}
