import Foundation
import JointPlan
import Subprocess
#if canImport(System)
import System
#else
import SystemPackage
#endif

/// A child process that runs one solve (`jointplan serve --worker`), driven through
/// swift-subprocess: its stdin (the request, then kept open: closing it asks the child to
/// stop), its stdout (progress lines and the result), and its end. stderr is the service's
/// (logs only; stdout is never shared).
///
/// Solving in a child keeps the service alive whatever happens inside GLPK: an `abort()` or
/// a crash kills only the child, and the request is answered -32603. swift-subprocess
/// spawns it with default signal dispositions and an empty mask, gives no other child its
/// pipe ends, and signals it through a pidfd, so a kill never reaches a recycled pid.
enum WorkerProcess {
    enum Termination: Equatable, Sendable {
        case exited(Int32)
        case signaled(Int32)

        var description: String {
            switch self {
            case .exited(let code): return "exited with status \(code)"
            case .signaled(let sig):
                let name = strsignal(sig).map { String(cString: $0) } ?? "signal"
                return "was killed by signal \(sig) (\(name))"
            }
        }
    }

    /// How a run ended: the child's end, and whether the watchdog killed it.
    struct End: Sendable {
        var termination: Termination
        var timedOut: Bool
    }

    /// Runs `argv[0]` (an absolute path) with `argv`, writes `request` to its stdin and keeps
    /// stdin open; `started` gets the pid, `line` every line the child writes on stdout (in
    /// order, on one task). When `stop` fires, stdin is closed (the child cancels its GLPK
    /// searches) and the child is killed if it is still there `grace` seconds later; after
    /// `watchdog` seconds it is killed outright.
    static func run(_ argv: [String], request: Data, stop: StopSignal, grace: Double, watchdog: Double,
                    started: @Sendable (Int32) -> Void, line: @Sendable (Data) -> Void) async throws -> End {
        let timedOut = Locked(false)
        let result = try await Subprocess.run(
            .path(FilePath(argv[0])), arguments: Arguments(Array(argv.dropFirst())),
            input: .inputWriter, output: .sequence, error: .currentStandardError
        ) { execution in
            started(execution.processIdentifier.value)
            let writer = execution.standardInputWriter
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    // A child that died before reading its request ends the write with
                    // EPIPE; its end is reported below all the same.
                    _ = try? await writer.write(Array(request))
                }
                group.addTask {
                    guard await stop.wait() else { return }  // the run ended first
                    async let closed: Void = { try? await writer.finish() }()
                    try? await Task.sleep(for: .seconds(grace))
                    if !Task.isCancelled { try? execution.send(signal: .kill) }
                    _ = await closed
                }
                group.addTask {
                    try? await Task.sleep(for: .seconds(watchdog))
                    if !Task.isCancelled {
                        timedOut.set(true)
                        try? execution.send(signal: .kill)
                    }
                }
                var lines = LineSplitter()
                for try await buffer in execution.standardOutput {
                    buffer.withUnsafeBytes { lines.append($0) }
                    while let l = lines.next() { line(l) }
                }
                if let rest = lines.rest() { line(rest) }
                // stdout ended: the child is gone or going; stop the helpers.
                group.cancelAll()
            }
        }
        let termination: Termination
        switch result.terminationStatus {
        case .exited(let code): termination = .exited(code)
        case .signaled(let sig): termination = .signaled(sig)
        }
        return End(termination: termination, timedOut: timedOut.current)
    }
}

/// Fires once, from any thread (`$/cancelRequest`'s hook), and is awaited by the child's
/// run. Firing before the run waits is remembered.
final class StopSignal: Sendable {
    private struct State: Sendable {
        var fired = false
        var waiter: CheckedContinuation<Bool, Never>?
    }
    private let state = Locked(State())

    init() {}

    func fire() {
        let waiter = state.withLock { s -> CheckedContinuation<Bool, Never>? in
            s.fired = true
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume(returning: true)
    }

    /// True when fired; false when the waiting task was cancelled first.
    func wait() async -> Bool {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Bool, Never>) in
                let now = state.withLock { s -> Bool? in
                    if s.fired { return true }
                    if Task.isCancelled { return false }
                    s.waiter = c
                    return nil
                }
                if let now { c.resume(returning: now) }
            }
        } onCancel: {
            let waiter = state.withLock { s -> CheckedContinuation<Bool, Never>? in
                defer { s.waiter = nil }
                return s.waiter
            }
            waiter?.resume(returning: false)
        }
    }
}

/// Splits a byte stream into lines (`\n`), whatever the chunks.
struct LineSplitter {
    private var buffer: [UInt8] = []
    private var start = 0

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        if start > 0 && start == buffer.count { buffer.removeAll(keepingCapacity: true); start = 0 }
        buffer.append(contentsOf: bytes)
    }

    mutating func next() -> Data? {
        guard let nl = buffer[start...].firstIndex(of: 0x0A) else {
            if start > 0 { buffer.removeFirst(start); start = 0 }
            return nil
        }
        let line = Data(buffer[start..<nl])
        start = nl + 1
        return line
    }

    mutating func rest() -> Data? {
        defer { buffer = []; start = 0 }
        return start < buffer.count ? Data(buffer[start...]) : nil
    }
}

struct WorkerError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
