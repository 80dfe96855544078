import Foundation
import JointPlan
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one writer of protocol messages: every response and notification goes through its
/// serial queue as one line, so messages never interleave, and their order is the order in
/// which they were sent.
final class OutputChannel: Sendable {
    private let fd: Int32
    private let queue = DispatchQueue(label: "jointplan.serve.output")
    /// Only touched on `queue`; `Locked` so the compiler can check that.
    private let broken = Locked(false)

    init(fd: Int32) { self.fd = fd }

    /// Queues one message; it is written as compact JSON followed by `\n`.
    func send(_ message: JSON) {
        let line = JSONWriter.compact(message) + "\n"
        queue.async { [self] in writeLine(line) }
    }

    /// Waits until every queued message is written.
    func flush() { queue.sync {} }

    private func writeLine(_ line: String) {
        guard !broken.current else { return }
        var bytes = Array(line.utf8)
        var offset = 0
        let count = bytes.count
        while offset < count {
            let n = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress! + offset, count - offset) }
            if n > 0 { offset += n; continue }
            if n < 0 && errno == EINTR { continue }
            // The reader went away (EPIPE; SIGPIPE is ignored): keep serving until input
            // ends, writing nothing more.
            broken.set(true)
            return
        }
    }
}
