import Foundation
import JointPlan

/// One request (or notification) being served: its id, method and params, and the rules
/// that keep a script from ever waiting in vain (conventions, JSON-RPC over stdio):
/// - it is answered exactly once — by its result, its error, or -32800 when cancelled;
/// - a notification (no `id`) is never answered;
/// - progress notifications go out only while it is unanswered, so none follows the
///   response (they are queued on the same serial writer, under the same lock).
final class Call: Sendable {
    /// The request's id; nil for a notification. (`"id": null` is a request, `.null`.)
    let id: JSON?
    let method: String
    let params: JSON?
    /// `params._meta.progressToken` (MCP), when the client asked for progress.
    let progressToken: JSON?
    let received = Date()

    private enum Phase: Sendable { case active, completing, finished }
    private struct State: Sendable {
        var phase = Phase.active
        var cancelHooks: [@Sendable () -> Void] = []
        var lastProgress = -1.0
        var lastStage = ""
        var lastSent = Date.distantPast
    }
    private let state = Locked(State())
    private let output: OutputChannel
    /// Delivers the response message (nil for a notification) — to the writer, or to the
    /// batch it belongs to. Called under the state's lock, exactly once.
    private let deliver: @Sendable (JSON?) -> Void
    /// Runs once when the call is over (unregisters it, counts it done).
    private let finished: @Sendable (Call, RPCError?) -> Void

    init(id: JSON?, method: String, params: JSON?, output: OutputChannel,
         deliver: @escaping @Sendable (JSON?) -> Void, finished: @escaping @Sendable (Call, RPCError?) -> Void) {
        self.id = id
        self.method = method
        self.params = params
        self.progressToken = params?["_meta"]?["progressToken"]
        self.output = output
        self.deliver = deliver
        self.finished = finished
    }

    var isNotification: Bool { id == nil }
    var isFinished: Bool { state.withLock { $0.phase == .finished } }

    /// Answers the call with a result; ignored when it was already answered (cancelled).
    func reply(_ result: JSON) { finish(.success(result)) }

    /// Answers the call with an error; ignored when it was already answered.
    func fail(_ error: RPCError) { finish(.failure(error)) }

    private func finish(_ outcome: Result<JSON, RPCError>) {
        let answered = state.withLock { s -> Bool in
            guard s.phase != .finished else { return false }
            finishLocked(&s, outcome)
            return true
        }
        guard answered else { return }
        if case .failure(let e) = outcome { finished(self, e) } else { finished(self, nil) }
    }

    /// Marks the call answered and delivers the answer — under the lock, so no progress
    /// notification can follow it.
    private func finishLocked(_ s: inout State, _ outcome: Result<JSON, RPCError>) {
        s.phase = .finished
        s.cancelHooks = []
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
        state.withLock { s in
            guard s.phase == .active else { return false }
            s.phase = .completing
            return true
        }
    }

    /// `$/cancelRequest`: answers -32800 at once and runs the cancel hooks (which stop the
    /// work, e.g. the solve's child process). No effect once the work is complete.
    func cancel() {
        let hooks = state.withLock { s -> [@Sendable () -> Void]? in
            guard s.phase == .active else { return nil }
            let hooks = s.cancelHooks
            finishLocked(&s, .failure(.cancelled))
            return hooks
        }
        guard let hooks else { return }
        finished(self, .cancelled)
        for h in hooks { h() }
    }

    /// Registers what stops the work when the call is cancelled; runs it at once if the
    /// call is already over.
    func onCancel(_ hook: @escaping @Sendable () -> Void) {
        let kept = state.withLock { s -> Bool in
            guard s.phase == .active || s.phase == .completing else { return false }
            s.cancelHooks.append(hook)
            return true
        }
        if !kept { hook() }
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
        state.withLock { s in
        guard s.phase != .finished else { return }
        let value = (min(100, max(0, percent)) * 10).rounded() / 10
        guard value > s.lastProgress else { return }
        let now = Date()
        guard milestone || stage != s.lastStage || value >= 100 || now.timeIntervalSince(s.lastSent) >= 0.1 else { return }
        s.lastProgress = value
        s.lastStage = stage
        s.lastSent = now
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
        // Queued under the lock, so the answer (also queued under it) comes after it.
        output.send(RPCMessage.notification("notifications/progress", .object(p)))
        }
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
final class BatchReply: Sendable {
    private struct State: Sendable {
        var pending: Int
        var responses: [JSON] = []
    }
    private let state: Locked<State>
    private let output: OutputChannel

    /// - Parameter members: how many entries of the batch will deliver (requests,
    ///   notifications and invalid entries alike).
    init(members: Int, output: OutputChannel) {
        state = Locked(State(pending: members))
        self.output = output
    }

    /// One member's response (nil for a notification).
    func deliver(_ response: JSON?) {
        state.withLock { s in
            if let response { s.responses.append(response) }
            s.pending -= 1
            if s.pending == 0, !s.responses.isEmpty { output.send(.array(s.responses)) }
        }
    }
}
