import Foundation
import JointPlan
import JointPlanStore
import Logging
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `jointplan serve`: JSON-RPC 2.0 over stdin/stdout, one message per line (spec 4, Service;
/// conventions: JSON-RPC over stdio as MCP does it). See docs/protocol.md for every method.
///
/// One thread reads stdin in chunks and parses each line; every request then runs on its
/// own (quick methods on a work queue; `solve`, `whatif` and `replan` in a child process
/// driven by a thread of their own, `WorkerJob`), so the reader keeps reading while GLPK works: `$/cancelRequest` reaches a
/// running solve, and responses go out in order of completion. Whatever arrives — garbage,
/// a 100 MB line, invalid UTF-8, a crashing solve — the service answers and goes on.
///
/// Topics: `Configuration`, `run()`, `methods` (the method table), `Methods` (their bodies),
/// `WorkerJob` and `SolveWorker` (the two sides of a child process).
public final class Service: Sendable {
    /// How the service is set up.
    public struct Configuration: Sendable {
        /// The run database (`RunStore`); nil serves without recording runs.
        public var database: String?
        /// The command that runs one solve in a child process (`[path, "serve", "--worker"]`).
        public var workerCommand: [String]
        /// Child processes (solves, what-ifs, re-plans) running at once; more wait in line
        /// (each uses up to two threads; a what-if up to its `threads`).
        public var maxConcurrentSolves = 2
        /// Requests worked on at once off the reader thread (validate, export, runs/…, and
        /// the checking of solve/whatif/replan before they wait for a child), per lane.
        public var maxConcurrentRequests = 16
        /// Requests that wait for a worker, per lane. One more is answered -32603 "busy" at
        /// once rather than queued without end behind work that may never finish (issue 25).
        public var maxWaitingRequests = 1024
        /// Longest request line kept (64 MiB): a longer line is skipped without being
        /// buffered and answered -32600. Larger scenarios are solved by `path`.
        public var maxLineBytes = 64 << 20
        /// Seconds a cancelled child gets to stop its search before it is killed.
        public var cancelGrace: TimeInterval = 3
        /// `serve --root DIR`: every path a request names must lie inside DIR (symlinks and
        /// `..` resolved); nil reads and writes wherever the service's user may.
        public var root: String?
        public var input: Int32 = 0
        public var output: Int32 = 1
        public init(database: String?, workerCommand: [String]) {
            self.database = database
            self.workerCommand = workerCommand
        }
    }

    /// One method: runs on the reader thread and must not block (it hands its work to
    /// `perform` or to a solve slot).
    typealias Method = @Sendable (Service, Call) -> Void

    let configuration: Configuration
    let logger: Logger
    let output: OutputChannel
    let store: RunStore?
    let storeProblem: String?
    let work = DispatchQueue(label: "jointplan.serve.work", attributes: .concurrent)
    /// Owns stdin and the line reader: every request is parsed and dispatched here, in order.
    private let reader = DispatchQueue(label: "jointplan.serve.reader")
    let solveSlots: SolveSlots
    /// Where request paths may lead (`Configuration.root`).
    let pathRoot: PathRoot

    /// Requests in flight by id (the id's compact JSON), for `$/cancelRequest`, and whether
    /// `shutdown` has been asked.
    private struct State: Sendable {
        var inFlight: [String: [Call]] = [:]
        var shuttingDown = false
    }
    private let state = Locked(State())
    /// Per lane: requests on a worker now (at most `maxConcurrentRequests`) and those waiting
    /// for one (at most `maxWaitingRequests`), in order of arrival.
    private struct LaneState: Sendable {
        var running = 0
        var waiting: [@Sendable () -> Void] = []
    }
    private let lanes = Locked([Lane: LaneState]())
    /// The work lanes: the run database's reads (`runs/…`) have a lane of their own, so a
    /// flood of exports or validations cannot keep `runs/list` from being answered.
    enum Lane: Hashable, Sendable { case work, runs }
    /// Calls not yet answered, and children not yet reaped: the service exits when both
    /// are done after end of input or `shutdown`.
    private let openCalls = DispatchGroup()
    let liveWorkers = DispatchGroup()
    private let done = DispatchSemaphore(value: 0)

    /// The method table: adding a method is one line here.
    let methods: [String: Method] = [
        "solve": { s, c in Methods.solve(s, c) },
        "whatif": { s, c in Methods.whatIf(s, c) },
        "replan": { s, c in Methods.replan(s, c) },
        "explain": { s, c in s.perform(c, Methods.explain) },
        "export": { s, c in s.perform(c, Methods.export) },
        "validate": { s, c in s.perform(c, Methods.validate) },
        "runs/list": { s, c in s.perform(c, lane: .runs, Methods.listRuns) },
        "runs/get": { s, c in s.perform(c, lane: .runs, Methods.getRun) },
        "runs/visits": { s, c in s.perform(c, lane: .runs, Methods.visits) },
        "plan/submit": { s, c in s.perform(c, lane: .runs, Methods.advancePlan(.submitted)) },
        "plan/approve": { s, c in s.perform(c, lane: .runs, Methods.advancePlan(.approved)) },
        "plan/file": { s, c in s.perform(c, lane: .runs, Methods.advancePlan(.filed)) },
        "plan/publish": { s, c in s.perform(c, lane: .runs, Methods.advancePlan(.published)) },
        "plan/show": { s, c in s.perform(c, lane: .runs, Methods.showPlan) },
        "actuals/show": { s, c in s.perform(c, lane: .runs, Methods.showActuals) },
        "$/cancelRequest": { s, c in s.cancelRequest(c) },
        "shutdown": { s, c in s.shutdown(c) },
    ]

    public init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        solveSlots = SolveSlots(limit: max(1, configuration.maxConcurrentSolves))
        if let root = configuration.root {
            // Fails closed: a root that cannot be resolved confines to nothing.
            pathRoot = (try? PathRoot(confiningTo: root)) ?? PathRoot.nowhere
        } else {
            pathRoot = .none
        }
        var store: RunStore?
        var problem: String?
        if let path = configuration.database {
            do { store = try RunStore(path: path) } catch {
                problem = "\(error)"
                logger.error("serving without a run database: \(error)")
            }
        }
        self.store = store
        self.storeProblem = problem

        // Protocol messages get a descriptor of their own, and fd 1 points at stderr from
        // now on, so no stray print — ours or a library's — can corrupt the stream.
        var out = configuration.output
        if configuration.output == 1 {
            let d = dup(1)
            if d >= 0 {
                _ = fcntl(d, F_SETFD, FD_CLOEXEC)
                dup2(2, 1)
                out = d
            }
        }
        output = OutputChannel(fd: out)
    }

    /// Serves until end of input or `shutdown`, then waits for the work in flight and
    /// returns the exit status (0).
    public func run() -> Int32 {
        // A client that closes its end must not kill the service with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        logger.info("serving JSON-RPC 2.0 on stdin/stdout\(store.map { " (runs recorded in \($0.path))" } ?? "")")
        // The reader blocks in read(2) on stdin for the service's whole life: a serial queue
        // of its own, so it never holds a worker the other requests need.
        reader.async { [self] in
            readLoop()
            logger.info("end of input; finishing the requests in flight")
            openCalls.notify(queue: .global()) { [self] in done.signal() }
        }
        done.wait()
        liveWorkers.wait()
        output.flush()
        logger.info("service stopped")
        return 0
    }

    // MARK: - Reading and dispatch

    private func readLoop() {
        let lines = LineReader(fd: configuration.input, maxLineBytes: configuration.maxLineBytes)
        while let line = lines.next() {
            switch line {
            case .tooLong(let bytes):
                logger.warning("refused a line of \(bytes) bytes")
                output.send(RPCMessage.error(id: .null, .invalidRequest(
                    "the line has \(bytes) bytes; messages longer than \(configuration.maxLineBytes) bytes are refused (solve a large scenario by \"path\")")))
            case .text(let data):
                handle(line: data)
            }
        }
    }

    private func handle(line data: Data) {
        // Blank lines are ignored (conventions).
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return }
        let message: JSON
        do { message = try JSONParser.parse(data) } catch let e as JSONParseError {
            output.send(RPCMessage.error(id: .null, .parseError(e.description)))
            return
        } catch {
            output.send(RPCMessage.error(id: .null, .parseError("\(error)")))
            return
        }
        if case .array(let entries) = message {
            guard !entries.isEmpty else {
                output.send(RPCMessage.error(id: .null, .invalidRequest("an empty batch")))
                return
            }
            let batch = BatchReply(members: entries.count, output: output)
            for entry in entries { dispatch(entry, deliver: batch.deliver) }
        } else {
            let out = output
            dispatch(message, deliver: { if let r = $0 { out.send(r) } })
        }
    }

    /// Checks that a message is a request or notification and starts it.
    private func dispatch(_ message: JSON, deliver: @escaping @Sendable (JSON?) -> Void) {
        guard let o = message.objectValue else {
            deliver(RPCMessage.error(id: .null, .invalidRequest("expected a request object, got \(message.typeName)")))
            return
        }
        if let problem = Self.requestProblem(o) {
            deliver(RPCMessage.error(id: .null, .invalidRequest(problem)))
            return
        }
        let id = o["id"]
        // `requestProblem` has checked that "method" is a string; a guard, not a trap.
        guard let method = o["method"]?.stringValue else {
            deliver(RPCMessage.error(id: .null, .invalidRequest("\"method\" must be a string")))
            return
        }
        let call = Call(id: id, method: method, params: o["params"], output: output, deliver: deliver,
                        finished: { [weak self] c, e in self?.finished(c, e) })
        register(call)
        let refused = state.withLock { $0.shuttingDown } && method != "$/cancelRequest"
        if refused {
            call.fail(.invalidRequest("the service is shutting down"))
        } else if let m = methods[method] {
            m(self, call)
        } else {
            call.fail(.methodNotFound(method))
        }
    }

    /// Why an object is not a JSON-RPC 2.0 request, or nil when it is one.
    static func requestProblem(_ o: JSONObject) -> String? {
        if !o.duplicateKeys.isEmpty { return "key \(JSONWriter.quote(o.duplicateKeys[0])) appears more than once" }
        guard o["jsonrpc"] == .string("2.0") else { return "\"jsonrpc\" must be \"2.0\"" }
        guard let m = o["method"] else { return "\"method\" is missing" }
        guard m.stringValue != nil else { return "\"method\" must be a string, got \(m.typeName)" }
        if let id = o["id"] {
            switch id {
            case .string, .number, .null: break
            default: return "\"id\" must be a string, a number or null, got \(id.typeName)"
            }
        }
        if let p = o["params"] {
            switch p {
            case .object, .array: break
            default: return "\"params\" must be an object or an array, got \(p.typeName)"
            }
        }
        for k in o.keys where !["jsonrpc", "id", "method", "params"].contains(k) {
            return "unknown member \(JSONWriter.quote(k))"
        }
        return nil
    }

    private func register(_ call: Call) {
        openCalls.enter()
        guard let id = call.id else { return }
        let key = JSONWriter.compact(id)
        state.withLock { $0.inFlight[key, default: []].append(call) }
    }

    private func finished(_ call: Call, _ error: RPCError?) {
        if let id = call.id {
            let key = JSONWriter.compact(id)
            state.withLock { s in
                s.inFlight[key]?.removeAll { $0 === call }
                if s.inFlight[key]?.isEmpty == true { s.inFlight[key] = nil }
            }
        }
        let ms = Int(Date().timeIntervalSince(call.received) * 1000)
        let who = call.id.map { "id \(JSONWriter.compact($0))" } ?? "notification"
        if let error {
            logger.info("\(call.method) (\(who)) answered \(error.code) after \(ms) ms: \(error.message)")
        } else {
            logger.info("\(call.method) (\(who)) done in \(ms) ms")
        }
        openCalls.leave()
    }

    /// Runs a quick method's work off the reader thread and answers with its result or
    /// error (`InputProblems` become -32602 with `data.errors`).
    func perform(_ call: Call, lane: Lane = .work, _ body: @escaping @Sendable (Service, Call) throws -> JSON) {
        onWorker(call, lane: lane) { [self] in
            guard !call.isFinished else { return }
            do { call.reply(try body(self, call)) } catch let e as RPCError {
                call.fail(e)
            } catch let e as InputProblems {
                call.fail(.invalidParams(e.problems))
            } catch {
                call.fail(.internalError("\(error)"))
            }
        }
    }

    /// Runs `body` on one of the lane's `maxConcurrentRequests` workers, or queues it (up
    /// to `maxWaitingRequests`) until one is free; past that it answers -32603 "busy" at once.
    /// GCD alone would start a thread per blocked request up to its own limit and then queue
    /// without end, and `runs/list` would no longer be answered (issue 25).
    func onWorker(_ call: Call, lane: Lane = .work, _ body: @escaping @Sendable () -> Void) {
        let limit = max(1, configuration.maxConcurrentRequests)
        let waitLimit = max(0, configuration.maxWaitingRequests)
        enum Admission { case run, queued, refused }
        let admission = lanes.withLock { l -> Admission in
            var state = l[lane] ?? LaneState()
            defer { l[lane] = state }
            if state.running < limit { state.running += 1; return .run }
            if state.waiting.count < waitLimit { state.waiting.append(body); return .queued }
            return .refused
        }
        switch admission {
        case .run: startWorker(lane, body)
        case .queued: break
        case .refused:
            logger.warning("\(call.method) refused: \(limit) requests in progress and \(waitLimit) waiting")
            call.fail(.internalError("busy: \(limit) requests are in progress and \(waitLimit) waiting; try again when one has been answered",
                                     data: .object(JSONObject([("busy", .bool(true)), ("limit", .int(limit))]))))
        }
    }

    /// Runs `body`, then the lane's next waiting request on the same worker, if any.
    private func startWorker(_ lane: Lane, _ body: @escaping @Sendable () -> Void) {
        work.async { [self] in
            var next: (@Sendable () -> Void)? = body
            while let job = next {
                job()
                next = lanes.withLock { l -> (@Sendable () -> Void)? in
                    var state = l[lane] ?? LaneState()
                    defer { l[lane] = state }
                    if state.waiting.isEmpty { state.running -= 1; return nil }
                    return state.waiting.removeFirst()
                }
            }
        }
    }

    // MARK: - Control methods

    /// `$/cancelRequest {"id"}` (LSP): the request with that id is answered -32800 and its
    /// work stopped. Unknown or finished ids are ignored (the request may have just ended).
    private func cancelRequest(_ call: Call) {
        var params = Params(call.params, allowed: ["id"])
        let target = params.object["id"]
        if target == nil { params.problem("params.id", "is required but missing") }
        if let t = target {
            switch t {
            case .string, .number, .null: break
            default: params.problem("params.id", "must be a string, a number or null, got \(t.typeName)")
            }
        }
        do { try params.check() } catch let e as RPCError { call.fail(e); return } catch {}
        guard let target else { call.fail(.invalidParams(path: "params.id", "is required but missing")); return }
        let key = JSONWriter.compact(target)
        let targets = state.withLock { ($0.inFlight[key] ?? []).filter { $0 !== call } }
        for t in targets {
            logger.info("cancelling \(t.method) (id \(key))")
            t.cancel()
        }
        call.reply(.null)
    }

    /// `shutdown`: answered at once; from then on every request (except `$/cancelRequest`)
    /// is answered -32600 "the service is shutting down" until end of input, when the
    /// service finishes the requests in flight and exits 0. Exiting at end of input, and
    /// not as soon as the work in flight is done, is what makes the answer certain: a
    /// request already written behind `shutdown` is always read and refused, never lost
    /// to the exit (issue 12: 5 of 20 went unanswered when the service exited early).
    private func shutdown(_ call: Call) {
        let first = state.withLock { s in
            defer { s.shuttingDown = true }
            return !s.shuttingDown
        }
        call.reply(.null)
        if first { logger.info("shutdown requested; refusing new requests until end of input") }
    }
}

extension Service {
    /// Serves stdin/stdout until end of input or `shutdown` with logs on stderr at
    /// `logLevel` (trace, debug, info, notice, warning, error, critical); returns the exit
    /// status.
    public static func serve(configuration: Configuration, logLevel: String) -> Int32 {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Service(configuration: configuration, logger: Logger(label: "jointplan.serve")).run()
    }

    /// Why `serve --root DIR` cannot confine to DIR (it does not exist, is not a folder),
    /// or nil when it can.
    public static func rootProblem(_ root: String) -> String? {
        do { _ = try PathRoot(confiningTo: root); return nil } catch { return error.description }
    }

    /// The running executable's absolute path (to start solver processes of the same build).
    public static var executablePath: String {
        #if os(Linux)
        if let p = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return p }
        #endif
        if let p = Bundle.main.executablePath { return p }
        let arg0 = CommandLine.arguments.first ?? "jointplan"
        return URL(fileURLWithPath: arg0, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).path
    }
}
