import Foundation
import JointPlan
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The child side of a service solve (`jointplan serve --worker`): reads one request line
/// on stdin, solves, and writes NDJSON on stdout —
///
///     {"progress": {"stage", "elapsed", "fraction", "incumbent", "bound", "gap", "message"}}
///     …
///     {"plan": {…jointplan.plan/1…}}          or          {"error": {"code", "message", "data"}}
///
/// The request is `{"scenarioText": "<the scenario's bytes>", "options": {…}}` (the options
/// as the service's `solve` takes them). End of stdin while solving cancels the solve (the
/// service closes it for `$/cancelRequest`, and it also closes when the service dies, so a
/// worker never outlives its service by more than a GLPK callback).
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
            writer.send(.object(JSONObject([("error", RPCError.internalError("the solver process got no request").json)])))
            return 2
        }
        let request: JSON
        do { request = try JSONParser.parse(line) } catch {
            writer.send(.object(JSONObject([("error", RPCError.internalError("the solver process got a malformed request: \(error)").json)])))
            return 2
        }
        let bytes = Data((request["scenarioText"]?.stringValue ?? "").utf8)
        var params = Params(.object(JSONObject([("options", request["options"] ?? .null)])), allowed: ["options"])
        let options = params.solveOptions()
        let scenario: Scenario
        do {
            try params.check()
            scenario = try ScenarioReader.read(bytes)
        } catch let e as RPCError {
            writer.send(.object(JSONObject([("error", e.json)])))
            return 0
        } catch let e as InputProblems {
            writer.send(.object(JSONObject([("error", RPCError.invalidParams(e.problems).json)])))
            return 0
        } catch {
            writer.send(.object(JSONObject([("error", RPCError.internalError("\(error)").json)])))
            return 0
        }

        let cancellation = Cancellation()
        let watcher = Thread {
            while input.next() != nil {}
            cancellation.cancel()
        }
        watcher.start()

        let plan = Solver.solve(scenario, scenarioData: bytes, options: options, progress: { p in
            var o = JSONObject([("stage", .string(p.stage)), ("elapsed", .double(p.elapsed)), ("fraction", .double(p.fraction))])
            o["incumbent"] = p.incumbent.map { .double($0) } ?? .null
            o["bound"] = p.bound.map { .double($0) } ?? .null
            o["gap"] = p.gap.map { .double($0) } ?? .null
            o["message"] = .string(p.message)
            writer.send(.object(JSONObject([("progress", .object(o))])))
        }, cancel: cancellation)
        writer.send(.object(JSONObject([("plan", plan.json())])))
        return 0
    }
}

/// The worker's stdout: whole lines, one writer at a time (the solver may report progress
/// from more than one thread).
private final class WorkerOutput: @unchecked Sendable {
    private let fd: Int32
    private let lock = NSLock()
    init(fd: Int32) { self.fd = fd }

    func send(_ message: JSON) {
        let bytes = Array((JSONWriter.compact(message) + "\n").utf8)
        lock.lock(); defer { lock.unlock() }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if n > 0 { offset += n; continue }
            if n < 0 && errno == EINTR { continue }
            return
        }
    }
}
