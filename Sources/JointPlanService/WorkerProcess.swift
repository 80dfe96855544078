import Foundation
import JointPlan
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process that runs one solve (`jointplan serve --worker`), seen from the service:
/// its stdin (the request, then kept open: closing it asks the child to stop), its stdout
/// (progress lines and the result), and its end.
///
/// Solving in a child keeps the service alive whatever happens inside GLPK: an `abort()` or
/// a crash kills only the child, and the request is answered -32603. The child's stderr is
/// the service's stderr (logs only; stdout is never shared).
final class WorkerProcess: Sendable {
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

    let pid: pid_t
    /// Read end of the child's stdout.
    let output: Int32
    /// The write end of the child's stdin (-1 once closed), whether a request is being
    /// written to it, and whether the child has been reaped.
    private struct State: Sendable {
        var input: Int32
        var sending = false
        var reaped = false
    }
    private let state: Locked<State>

    /// Serialises pipe creation and spawning, so that no child inherits the pipe ends of
    /// another child (every end is close-on-exec; `dup2` in the child clears it for 0 and 1).
    private static let spawnLock = Locked(())

    private init(pid: pid_t, input: Int32, output: Int32) {
        self.pid = pid; self.output = output
        state = Locked(State(input: input))
    }

    /// Starts `argv[0]` (an absolute path) with `argv`; stdin and stdout are pipes to the
    /// service, stderr is inherited.
    static func spawn(_ argv: [String]) throws -> WorkerProcess {
        try spawnLock.withLock { _ in try spawnLocked(argv) }
    }

    private static func spawnLocked(_ argv: [String]) throws -> WorkerProcess {
        var toChild: [Int32] = [0, 0], fromChild: [Int32] = [0, 0]
        guard pipe(&toChild) == 0 else { throw WorkerError("cannot create a pipe: \(String(cString: strerror(errno)))") }
        guard pipe(&fromChild) == 0 else {
            close(toChild[0]); close(toChild[1])
            throw WorkerError("cannot create a pipe: \(String(cString: strerror(errno)))")
        }
        for fd in toChild + fromChild { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }

        #if canImport(Glibc)
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        #else
        var actions: posix_spawn_file_actions_t?
        var attributes: posix_spawnattr_t?
        #endif
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        // The service ignores SIGPIPE; the child gets the default back (a child whose
        // reader is gone may die of it), and an empty signal mask.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        sigaddset(&defaults, SIGTERM)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var noMask = sigset_t()
        sigemptyset(&noMask)
        posix_spawnattr_setsigmask(&attributes, &noMask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        var pid: pid_t = 0
        let rc = cArgs.withUnsafeBufferPointer { args in
            posix_spawn(&pid, argv[0], &actions, &attributes, args.baseAddress!, environ)
        }
        close(toChild[0]); close(fromChild[1])
        guard rc == 0 else {
            close(toChild[1]); close(fromChild[0])
            throw WorkerError("cannot start the solver process \(argv[0]): \(String(cString: strerror(rc)))")
        }
        return WorkerProcess(pid: pid, input: toChild[1], output: fromChild[0])
    }

    /// Writes the request to the child's stdin (and keeps stdin open). False when the child
    /// is gone.
    func send(_ data: Data) -> Bool {
        let fd = state.withLock { s -> Int32 in
            guard s.input >= 0 else { return -1 }
            s.sending = true
            return s.input
        }
        guard fd >= 0 else { return false }
        defer {
            state.withLock { s in
                s.sending = false
                if s.reaped && s.input >= 0 { close(s.input); s.input = -1 }
            }
        }
        return data.withUnsafeBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n > 0 { offset += n; continue }
                if n < 0 && errno == EINTR { continue }
                return false
            }
            return true
        }
    }

    /// Asks the child to stop: closes its stdin (the child cancels its GLPK searches, which
    /// stop with `glp_ios_terminate`), and kills it if it is still there after `grace`.
    func stop(grace: TimeInterval) {
        let closed = state.withLock { s -> Bool in
            // The request is still being written: closing the descriptor under the writer
            // would be unsafe; kill instead, which ends the write with EPIPE.
            if s.sending { return false }
            if s.input >= 0 { close(s.input); s.input = -1 }
            return true
        }
        guard closed else {
            kill(signal: SIGKILL)
            return
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + grace) { [self] in kill(signal: SIGKILL) }
    }

    /// Sends a signal unless the child has been reaped (its pid may then belong to another
    /// process).
    func kill(signal: Int32) {
        state.withLock { s in
            if !s.reaped { _ = sendSignal(pid, signal) }
        }
    }

    /// Waits for the child to end and reaps it. It first waits without reaping, so that
    /// `kill` never signals a pid that was already recycled.
    func wait() -> Termination {
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0 && errno == EINTR {}
        state.withLock { s in
            s.reaped = true
            if s.input >= 0 && !s.sending { close(s.input); s.input = -1 }
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        close(output)
        // WIFEXITED / WTERMSIG by hand: the C macros are not imported.
        let sig = status & 0x7F
        return sig == 0 ? .exited((status >> 8) & 0xFF) : .signaled(sig)
    }
}

struct WorkerError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

private func sendSignal(_ pid: pid_t, _ sig: Int32) -> Int32 {
    #if canImport(Glibc)
    return Glibc.kill(pid, sig)
    #else
    return Darwin.kill(pid, sig)
    #endif
}
