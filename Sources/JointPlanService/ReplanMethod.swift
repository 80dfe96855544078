import Foundation
import JointPlan

extension Methods {
    /// `replan {"scenario" | "path", "plan" | "runId", "from", "changes"?, "options"?}` →
    /// `{"runId", "plan", "report", "check"}` (spec 4, Re-plan; `jointplan replan`): every
    /// visit before `from` stays as it is, the rest of the quarter is planned again under the
    /// scenario with `changes` (an RFC 7386 merge patch) applied, in a child process. The new
    /// plan is recorded as a run of method `replan`: a new draft version whose parent is the
    /// base plan's run (`runId`, or the recorded run with that plan), as `jointplan replan --db`.
    static func replan(_ s: Service, _ call: Call) {
        s.onWorker(call) {
            guard !call.isFinished else { return }
            let input: ReplanInput
            do { input = try ReplanInput(call.params, service: s) } catch let e as RPCError {
                call.fail(e)
                return
            } catch {
                call.fail(.internalError("\(error)"))
                return
            }
            s.solveSlots.submit { await ReplanJob(service: s, call: call, input: input).run() }
        }
    }
}

/// The params of `replan`, checked: the changed scenario validated (its problems are -32602
/// with paths into the changed scenario), the date inside its horizon.
struct ReplanInput {
    /// The scenario with the changes applied; its bytes are the canonical JSON of the changed
    /// document when there are changes (the new plan's `scenario.sha256`, A23), the given
    /// scenario's otherwise.
    var changed: LoadedScenario
    var base: PlanInputs
    var from: Day
    var options: SolveOptions

    init(_ params: JSON?, service: Service) throws {
        var p = Params(params, allowed: ["scenario", "path", "plan", "runId", "from", "changes", "options"])
        let planSource = p.planSource()
        let scenarioSource = p.scenarioSourceOrRun()
        let from = p.date("from", required: true)
        var changes: JSON?
        if let c = p.object["changes"], c != .null {
            if c.objectValue == nil {
                p.problem("params.changes", "must be a merge patch object (RFC 7386), got \(c.typeName)")
            } else {
                // A key given twice is ambiguous: which value did the planner mean?
                for problem in InputProblems(MergePatch.problems(c)).nested(under: "params.changes") {
                    p.problem(problem.path, problem.message)
                }
                changes = c
            }
        }
        options = p.solveOptions()
        try p.check()
        base = try PlanInputs.load(scenario: scenarioSource, plan: try planSource.checked("params.plan"), service: service)

        // Every problem of the request at once: the seed, the changed scenario, the date.
        var problems: [InputProblem] = []
        // The draw must not change under the planner's feet: the base plan's seed.
        if let seed = options.seed, seed != base.plan.seed {
            problems.append(InputProblem(path: "params.options.seed",
                                         message: "a re-plan keeps the base plan's seed \(base.plan.seed) so that the required checks do not change; got \(seed)"))
        }
        options.seed = base.plan.seed

        changed = base.loaded
        if let changes {
            let patched = ScenarioPatch.apply(changes, to: try JSONParser.parse(base.loaded.bytes))
            // The patch's own problems beyond repeated keys (reported above): its kind, ids to
            // merge by, deletions that pins or recusals still name.
            let own = patched.problems.filter { !$0.message.hasPrefix("key appears more than once") }
                .map { InputProblem(path: String($0.path.dropFirst("patch:".count)), message: $0.message) }
            if !own.isEmpty { throw RPCError.invalidParams(problems + InputProblems(own).nested(under: "params.changes")) }
            let document = patched.document
            do {
                changed = LoadedScenario(scenario: try ScenarioReader.read(json: document),
                                         bytes: Data(JSONWriter.canonical(document).utf8))
            } catch let e as InputProblems {
                // Paths into the changed scenario, as `jointplan replan` reports them.
                throw RPCError.invalidParams(problems + e.problems)
            }
        }
        let horizon = changed.scenario.horizon
        let fromDay = try from.checked("params.from")
        if fromDay < horizon.start || fromDay > horizon.end {
            problems.append(InputProblem(path: "params.from", message: "\(fromDay) is outside the horizon \(horizon.start)..\(horizon.end)"))
        }
        if !problems.isEmpty { throw RPCError.invalidParams(problems) }
        self.from = fromDay
    }
}

/// A re-plan in a child process (`WorkerJob`, mode `replan`): relays its progress, records
/// the new plan, and answers with it, what changed, and the checker's verdict.
struct ReplanJob {
    let service: Service
    let call: Call
    let input: ReplanInput

    func run() async {
        guard !call.isFinished else { return }
        let request = JSONObject([
            ("mode", .string("replan")),
            ("scenarioText", .string(String(decoding: input.changed.bytes, as: UTF8.self))),
            ("plan", input.base.planDocument), ("from", .string(input.from.description)),
            ("options", WorkerJob.optionsJSON(input.options)),
        ])
        let job = WorkerJob(service: service, call: call, request: .object(request),
                            watchdogSeconds: input.options.timeLimitSeconds * 1.5 + 30, workName: "the re-plan",
                            limitNote: "time limit \(JSON.format(input.options.timeLimitSeconds)) s")
        let outcome = await job.run(started: { pid in
            call.progress(percent: 0, stage: "start", elapsed: 0, incumbent: nil, bound: nil, gap: nil,
                          note: "solver process \(pid), re-planning from \(input.from)")
        }, progress: { call.relay($0) })
        switch outcome {
        case .cancelled: return
        case .failed(let e): call.fail(e)
        case .result(let message):
            guard let result = message["replan"], let plan = result["plan"] else {
                call.fail(.internalError("the solver process answered without a re-planned plan"))
                return
            }
            finish(plan: plan, report: result["report"] ?? .null, check: result["check"] ?? .null)
        }
    }

    private func finish(plan: JSON, report: JSON, check: JSON) {
        guard call.claimCompletion() else { return }
        let decoded: Plan
        do { decoded = try PlanReader.read(plan) } catch {
            call.fail(.internalError("the re-plan returned a plan that does not read back: \(error)"))
            return
        }
        let recording = RunRecording(service: service, scenario: input.changed.scenario, scenarioJSON: input.changed.bytes,
                                     plan: decoded, options: input.options, method: "replan", planDocument: plan,
                                     parentOf: input.base.plan, parentRun: input.base.runId)
        var result = JSONObject([("runId", recording.runId), ("plan", plan), ("report", report), ("check", check)])
        if let base = input.base.runId { result["baseRunId"] = .number(String(base)) }
        // The new draft version's parent (issue 23), as `jointplan replan --db` records it.
        if let parent = recording.parent { result["parentRunId"] = .number(String(parent)) }
        let warnings = input.base.warnings.map { JSON.string($0) } + recording.warnings
        if !warnings.isEmpty { result["warnings"] = .array(warnings) }
        call.reply(.object(result))
    }
}
