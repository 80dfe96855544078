import Foundation
import JointPlan
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The child side of the service's GLPK work (`jointplan serve --worker`): reads one request
/// line on stdin, does the work its `mode` names, and writes NDJSON on stdout —
///
///     {"progress": {"stage", "elapsed", "fraction", "incumbent", "bound", "gap", "message"}}
///     …
///     the result                   or          {"error": {"code", "message", "data"}}
///
/// Modes and their requests (`options` as the service's `solve` takes them):
/// - `solve` (the default): `{"scenarioText": "<the scenario's bytes>", "options"}` →
///   `{"plan": {…jointplan.plan/1…}}`.
/// - `whatif`: `{"base": {…scenario…}, "baseName", "patches": [{"name", "patch"}], "options",
///   "threads"}` → `{"whatif": WhatIfResult.json()}`. Each progress object also names its
///   `variant` (0 = the base) and `name`; a variant's last one has stage `done` (solved) or
///   `invalid` (its scenario did not validate).
/// - `replan`: `{"scenarioText", "plan": {…the base plan…}, "from": "YYYY-MM-DD", "options"}` →
///   `{"replan": {"plan", "report": ReplanReport.json, "check": {"valid", "violations",
///   "violationCounts"}}}`.
///
/// End of stdin while working cancels the work (the service closes it for `$/cancelRequest`,
/// and it also closes when the service dies, so a worker never outlives its service by more
/// than a GLPK callback).
public enum SolveWorker {
    /// Runs the worker; returns the process exit status.
    public static func run() -> Int32 {
        // Keep the protocol on a private descriptor and point fd 1 at stderr, so nothing
        // else (a library's printf) can ever reach the service's reader.
        let out = dup(1)
        guard out >= 0 else { return 2 }
        dup2(2, 1)
        let writer = WorkerOutput(fd: out)

        // The service writes the request as one line; it is trusted, so the cap only guards
        // against a broken pipe feeding garbage forever.
        let input = LineReader(fd: 0, maxLineBytes: 1 << 30)
        guard case .text(let line)? = input.next() else {
            writer.fail(.internalError("the solver process got no request"))
            return 2
        }
        let request: JSON
        do { request = try JSONParser.parse(line) } catch {
            writer.fail(.internalError("the solver process got a malformed request: \(error)"))
            return 2
        }

        let cancellation = Cancellation()
        // The service closes our stdin to cancel: wait for end of input on a queue of its
        // own (raw reads: the line reader stays with this thread; what it buffered past
        // the request does not matter, only the end does).
        DispatchQueue(label: "jointplan.worker.stdin").async {
            var byte: UInt8 = 0
            while true {
                let n = read(0, &byte, 1)
                if n > 0 || (n < 0 && errno == EINTR) { continue }
                break
            }
            cancellation.cancel()
        }

        do {
            switch request["mode"]?.stringValue ?? "solve" {
            case "solve": try solve(request, writer, cancellation)
            case "whatif": try whatIf(request, writer, cancellation)
            case "replan": try replan(request, writer, cancellation)
            case let other: throw RPCError.internalError("the solver process has no mode \(JSONWriter.quote(other))")
            }
        } catch let e as RPCError {
            writer.fail(e)
        } catch let e as InputProblems {
            writer.fail(.invalidParams(e.problems))
        } catch {
            writer.fail(.internalError("\(error)"))
        }
        return 0
    }

    private static func options(_ request: JSON) throws -> SolveOptions {
        var params = Params(.object(JSONObject([("options", request["options"] ?? .null)])), allowed: ["options"])
        let options = params.solveOptions()
        try params.check()
        return options
    }

    private static func progressObject(_ p: SolveProgress) -> JSONObject {
        var o = JSONObject([("stage", .string(p.stage)), ("elapsed", .double(p.elapsed)), ("fraction", .double(p.fraction))])
        o["incumbent"] = p.incumbent.map { .double($0) } ?? .null
        o["bound"] = p.bound.map { .double($0) } ?? .null
        o["gap"] = p.gap.map { .double($0) } ?? .null
        o["message"] = .string(p.message)
        return o
    }

    private static func solve(_ request: JSON, _ writer: WorkerOutput, _ cancellation: Cancellation) throws {
        let bytes = Data((request["scenarioText"]?.stringValue ?? "").utf8)
        let options = try options(request)
        let scenario = try ScenarioReader.read(bytes)
        let solved = Solver.solve(scenario, scenarioData: bytes, options: options, progress: { p in
            writer.send(.object(JSONObject([("progress", .object(progressObject(p)))])))
        }, cancel: cancellation)
        // Starts on the 15-minute grid, as `jointplan solve` writes them (docs/decisions.md).
        let plan = TimeGrid.apply(solved, scenario: scenario, minutes: TimeGrid.defaultMinutes).0
        writer.send(.object(JSONObject([("plan", plan.json())])))
    }

    private static func whatIf(_ request: JSON, _ writer: WorkerOutput, _ cancellation: Cancellation) throws {
        var options = try options(request)
        // Each variant's bound on its own thread beside its schedule, as `solve` (and
        // `jointplan whatif`): a bound after the schedule never ran under a short time limit.
        options.threads = 2
        let base = request["base"] ?? .null
        let baseName = request["baseName"]?.stringValue ?? "base"
        let patches = (request["patches"]?.arrayValue ?? []).map { (name: $0["name"]?.stringValue ?? "", patch: $0["patch"] ?? .null) }
        let threads = max(1, min(64, request["threads"]?.intValue ?? 2))
        let result = WhatIf.run(base: base, baseName: baseName, patches: patches, options: options, threads: threads,
                                progress: { k, name, p in
            var o = progressObject(p)
            o["variant"] = .int(k)
            o["name"] = .string(name)
            writer.send(.object(JSONObject([("progress", .object(o))])))
        }, cancel: cancellation)
        // Variants that did not validate were never solved: their end is reported here, so
        // the service can count every variant done.
        for (k, v) in result.variants.enumerated() where !v.problems.isEmpty {
            let o = JSONObject([("stage", .string("invalid")), ("elapsed", .double(0)), ("fraction", .double(1)),
                                ("message", .string("\(v.problems.count) problem\(v.problems.count == 1 ? "" : "s") in the variant")),
                                ("variant", .int(k)), ("name", .string(v.name))])
            writer.send(.object(JSONObject([("progress", .object(o))])))
        }
        writer.send(.object(JSONObject([("whatif", result.json())])))
    }

    private static func replan(_ request: JSON, _ writer: WorkerOutput, _ cancellation: Cancellation) throws {
        let bytes = Data((request["scenarioText"]?.stringValue ?? "").utf8)
        let options = try options(request)
        let scenario = try ScenarioReader.read(bytes)
        let base = try PlanReader.read(request["plan"] ?? .null)
        guard let from = request["from"]?.stringValue.flatMap(Day.init) else {
            throw RPCError.internalError("the solver process got no re-plan date")
        }
        let (replanned, report) = Solver.replan(scenario, scenarioData: bytes, base: base, from: from, options: options,
                                                progress: { p in
            writer.send(.object(JSONObject([("progress", .object(progressObject(p)))])))
        }, cancel: cancellation)
        let plan = TimeGrid.apply(replanned, scenario: scenario, minutes: TimeGrid.defaultMinutes, from: from, keep: report.keptVisitIds).0
        let check = PlanChecker.check(scenario: scenario, plan: plan, scenarioData: bytes).json
        let verdict = JSONObject([("valid", check["valid"] ?? .null), ("violations", check["violations"] ?? .array([])),
                                  ("violationCounts", check["violationCounts"] ?? .null)])
        writer.send(.object(JSONObject([("replan", .object(JSONObject([
            ("plan", plan.json()), ("report", report.json), ("check", .object(verdict)),
        ])))])))
    }
}

/// The worker's stdout: whole lines, one writer at a time (the solver may report progress
/// from more than one thread).
private final class WorkerOutput: Sendable {
    /// The descriptor, held by the lock: one writer at a time.
    private let fd: Locked<Int32>
    init(fd: Int32) { self.fd = Locked(fd) }

    /// Writes the work's error as the last message.
    func fail(_ error: RPCError) {
        send(.object(JSONObject([("error", error.json)])))
    }

    func send(_ message: JSON) {
        let bytes = Array((JSONWriter.compact(message) + "\n").utf8)
        fd.withLock { fd in
            var offset = 0
            while offset < bytes.count {
                let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, bytes.count - offset) }
                if n > 0 { offset += n; continue }
                if n < 0 && errno == EINTR { continue }
                return
            }
        }
    }
}
