import Foundation
import JointPlan

/// One request (or notification) being served: its id, method and params, and the rules
/// that keep a script from ever waiting in vain (conventions, JSON-RPC over stdio):
/// - it is answered exactly once — by its result, its error, or -32800 when cancelled;
/// - a notification (no `id`) is never answered;
/// - progress notifications go out only while it is unanswered, so none follows the
///   response (they are queued on the same serial writer, under the same lock).
final class Call: @unchecked Sendable {
    /// The request's id; nil for a notification. (`"id": null` is a request, `.null`.)
    let id: JSON?
    let method: String
    let params: JSON?
    /// `params._meta.progressToken` (MCP), when the client asked for progress.
    let progressToken: JSON?
    let received = Date()

    private enum State { case active, completing, finished }
    private let lock = NSLock()
    private var state = State.active
    private var cancelHooks: [() -> Void] = []
    private var lastProgress = -1.0
    private var lastStage = ""
    private var lastSent = Date.distantPast
    private let output: OutputChannel
    /// Delivers the response message (nil for a notification) — to the writer, or to the
    /// batch it belongs to. Called under `lock`, exactly once.
    private let deliver: (JSON?) -> Void
    /// Runs once when the call is over (unregisters it, counts it done).
    private let finished: (Call, RPCError?) -> Void

    init(id: JSON?, method: String, params: JSON?, output: OutputChannel,
         deliver: @escaping (JSON?) -> Void, finished: @escaping (Call, RPCError?) -> Void) {
        self.id = id
        self.method = method
        self.params = params
        self.progressToken = params?["_meta"]?["progressToken"]
        self.output = output
        self.deliver = deliver
        self.finished = finished
    }

    var isNotification: Bool { id == nil }
    var isFinished: Bool { lock.lock(); defer { lock.unlock() }; return state == .finished }

    /// Answers the call with a result; ignored when it was already answered (cancelled).
    func reply(_ result: JSON) { finish(.success(result)) }

    /// Answers the call with an error; ignored when it was already answered.
    func fail(_ error: RPCError) { finish(.failure(error)) }

    private func finish(_ outcome: Result<JSON, RPCError>) {
        lock.lock()
        guard state != .finished else { lock.unlock(); return }
        finishLocked(outcome)
        lock.unlock()
        if case .failure(let e) = outcome { finished(self, e) } else { finished(self, nil) }
    }

    private func finishLocked(_ outcome: Result<JSON, RPCError>) {
        state = .finished
        cancelHooks = []
        guard let id else { deliver(nil); return }
        switch outcome {
        case .success(let r): deliver(RPCMessage.result(id: id, r))
        case .failure(let e): deliver(RPCMessage.error(id: id, e))
        }
    }

    /// Claims the right to answer with a result: after this, `$/cancelRequest` no longer
    /// applies (the work is done; LSP lets a server answer such a request normally). False
    /// when the call was already answered.
    func claimCompletion() -> Bool {
        lock.lock(); defer { lock.unlock() }
        guard state == .active else { return false }
        state = .completing
        return true
    }

    /// `$/cancelRequest`: answers -32800 at once and runs the cancel hooks (which stop the
    /// work, e.g. the solve's child process). No effect once the work is complete.
    func cancel() {
        lock.lock()
        guard state == .active else { lock.unlock(); return }
        let hooks = cancelHooks
        finishLocked(.failure(.cancelled))
        lock.unlock()
        finished(self, .cancelled)
        for h in hooks { h() }
    }

    /// Registers what stops the work when the call is cancelled; runs it at once if the
    /// call is already over.
    func onCancel(_ hook: @escaping () -> Void) {
        lock.lock()
        if state == .active || state == .completing {
            cancelHooks.append(hook)
            lock.unlock()
        } else {
            lock.unlock()
            hook()
        }
    }

    /// Sends `notifications/progress` (MCP shape) when the client asked for progress, the
    /// call is unanswered, and the progress increased (MCP: it increases every time). Within
    /// one stage at most ten a second go out (a solve reports every planning day).
    ///
    /// `extra` adds fields of the method's own (`whatif`: the variant); a `milestone` (the end
    /// of a what-if variant) is never held back by the rate limit.
    func progress(percent: Double, stage: String, elapsed: Double, incumbent: Double?, bound: Double?, gap: Double?, note: String,
                  extra: JSONObject = JSONObject(), milestone: Bool = false) {
        guard let token = progressToken else { return }
        lock.lock(); defer { lock.unlock() }
        guard state != .finished else { return }
        let value = (min(100, max(0, percent)) * 10).rounded() / 10
        guard value > lastProgress else { return }
        let now = Date()
        guard milestone || stage != lastStage || value >= 100 || now.timeIntervalSince(lastSent) >= 0.1 else { return }
        lastProgress = value
        lastStage = stage
        lastSent = now
        var text = "\(stage) \(JSON.format(value))% · \(String(format: "%.1f", elapsed)) s"
        if let incumbent { text += " · incumbent \(JSON.format(incumbent))" }
        if let bound { text += " · bound \(JSON.format(bound))" }
        if let gap { text += String(format: " · gap %.1f%%", gap * 100) }
        if !note.isEmpty { text += " · " + note }
        var p = JSONObject([("progressToken", token), ("progress", .double(value)), ("total", .int(100)),
                            ("message", .string(text)), ("stage", .string(stage)),
                            ("elapsed", .double((elapsed * 1000).rounded() / 1000))])
        p["incumbent"] = incumbent.map { .double($0) } ?? .null
        p["bound"] = bound.map { .double($0) } ?? .null
        p["gap"] = gap.map { .double($0) } ?? .null
        for (k, v) in extra.pairs { p[k] = v }
        output.send(RPCMessage.notification("notifications/progress", .object(p)))
    }
}

extension Call {
    /// Relays one progress object of a solver process (`{"stage", "elapsed", "fraction",
    /// "incumbent", "bound", "gap", "message"}`, see `SolveWorker`) as it is.
    func relay(_ p: JSON) {
        progress(percent: (p["fraction"]?.doubleValue ?? 0) * 100, stage: p["stage"]?.stringValue ?? "",
                 elapsed: p["elapsed"]?.doubleValue ?? 0, incumbent: p["incumbent"]?.doubleValue,
                 bound: p["bound"]?.doubleValue, gap: p["gap"]?.doubleValue, note: p["message"]?.stringValue ?? "")
    }
}

/// The responses of one batch, written together as one array once every request in it is
/// answered (JSON-RPC 2.0, batch); a batch of notifications only gets no answer at all.
final class BatchReply: @unchecked Sendable {
    private let lock = NSLock()
    private var pending: Int
    private var responses: [JSON] = []
    private let output: OutputChannel

    /// - Parameter members: how many entries of the batch will deliver (requests,
    ///   notifications and invalid entries alike).
    init(members: Int, output: OutputChannel) {
        pending = members
        self.output = output
    }

    /// One member's response (nil for a notification).
    func deliver(_ response: JSON?) {
        lock.lock(); defer { lock.unlock() }
        if let response { responses.append(response) }
        pending -= 1
        if pending == 0, !responses.isEmpty { output.send(.array(responses)) }
    }
}
