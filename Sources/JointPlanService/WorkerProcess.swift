import Foundation
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
final class WorkerProcess: @unchecked Sendable {
    enum Termination: Equatable {
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
    private var input: Int32
    private let lock = NSLock()
    private var sending = false
    private var reaped = false

    /// Serialises pipe creation and spawning, so that no child inherits the pipe ends of
    /// another child (every end is close-on-exec; `dup2` in the child clears it for 0 and 1).
    private static let spawnLock = NSLock()

    private init(pid: pid_t, input: Int32, output: Int32) {
        self.pid = pid; self.input = input; self.output = output
    }

    /// Starts `argv[0]` (an absolute path) with `argv`; stdin and stdout are pipes to the
    /// service, stderr is inherited.
    static func spawn(_ argv: [String]) throws -> WorkerProcess {
        spawnLock.lock(); defer { spawnLock.unlock() }
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
        lock.lock()
        guard input >= 0 else { lock.unlock(); return false }
        sending = true
        let fd = input
        lock.unlock()
        defer {
            lock.lock()
            sending = false
            if reaped && input >= 0 { close(input); input = -1 }
            lock.unlock()
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
        lock.lock()
        if sending {
            // The request is still being written: closing the descriptor under the writer
            // would be unsafe; kill instead, which ends the write with EPIPE.
            lock.unlock()
            kill(signal: SIGKILL)
            return
        }
        if input >= 0 { close(input); input = -1 }
        lock.unlock()
        DispatchQueue.global().asyncAfter(deadline: .now() + grace) { [self] in kill(signal: SIGKILL) }
    }

    /// Sends a signal unless the child has been reaped (its pid may then belong to another
    /// process).
    func kill(signal: Int32) {
        lock.lock(); defer { lock.unlock() }
        if !reaped { _ = sendSignal(pid, signal) }
    }

    /// Waits for the child to end and reaps it. It first waits without reaping, so that
    /// `kill` never signals a pid that was already recycled.
    func wait() -> Termination {
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0 && errno == EINTR {}
        lock.lock()
        reaped = true
        if input >= 0 && !sending { close(input); input = -1 }
        lock.unlock()
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
