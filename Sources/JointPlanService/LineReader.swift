import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits a byte stream (a file descriptor) into lines, reading it in chunks, so that no
/// single input can make the reader buffer without bound: a line longer than `maxLineBytes`
/// is skipped up to its newline and reported as `.tooLong` instead of being kept.
///
/// The stream is NDJSON (conventions: one message per line, UTF-8); a trailing `\r` is
/// dropped, and a last line without a newline (input ended mid-message) is still returned.
final class LineReader {
    enum Line {
        case text(Data)
        /// A line longer than the cap; `bytes` is its full length (which was not kept).
        case tooLong(bytes: Int)
    }

    let fd: Int32
    let maxLineBytes: Int
    private var buffer: [UInt8] = []
    /// Start of the current line in `buffer`, and how far it has been searched for `\n`.
    private var lineStart = 0
    private var scanned = 0
    /// Set while skipping the rest of an over-long line; counts its bytes.
    private var skipping: Int?
    private var ended = false
    private let chunkSize: Int

    init(fd: Int32, maxLineBytes: Int, chunkSize: Int = 1 << 16) {
        self.fd = fd
        self.maxLineBytes = maxLineBytes
        self.chunkSize = chunkSize
    }

    /// The next line, or nil at end of input (or on a read error, which ends the stream).
    func next() -> Line? {
        while true {
            // A complete line already buffered?
            if let nl = newline(from: scanned) {
                let start = lineStart
                lineStart = nl + 1
                scanned = lineStart
                if let skipped = skipping {
                    skipping = nil
                    compact()
                    return .tooLong(bytes: skipped + (nl - start))
                }
                var end = nl
                if end > start, buffer[end - 1] == 0x0D { end -= 1 }
                let line = Data(buffer[start..<end])
                compact()
                return .text(line)
            }
            scanned = buffer.count
            // No newline yet: drop what an over-long line has accumulated beyond the cap.
            if skipping != nil || buffer.count - lineStart > maxLineBytes {
                skipping = (skipping ?? 0) + (buffer.count - lineStart)
                buffer.removeAll(keepingCapacity: false)
                lineStart = 0
                scanned = 0
            }
            if ended {
                if let skipped = skipping {
                    skipping = nil
                    return .tooLong(bytes: skipped)
                }
                guard lineStart < buffer.count else { return nil }
                let line = Data(buffer[lineStart...])
                buffer.removeAll()
                lineStart = 0
                scanned = 0
                return .text(line)
            }
            fill()
        }
    }

    /// The index of the next `\n` at or after `start` (memchr: a 100 MB line is scanned at
    /// memory speed even in a debug build).
    private func newline(from start: Int) -> Int? {
        guard start < buffer.count else { return nil }
        return buffer.withUnsafeBytes { raw -> Int? in
            guard let p = memchr(raw.baseAddress! + start, 0x0A, raw.count - start) else { return nil }
            return raw.baseAddress!.distance(to: UnsafeRawPointer(p))
        }
    }

    private func fill() {
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, chunkSize) }
            if n > 0 {
                buffer.append(contentsOf: chunk[0..<n])
                return
            }
            if n < 0 && errno == EINTR { continue }
            ended = true
            return
        }
    }

    /// Drops consumed lines from the front once they are a large share of the buffer, so
    /// reading many short lines stays linear.
    private func compact() {
        if lineStart == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 20)
            lineStart = 0
            scanned = 0
        } else if lineStart > 1 << 16, lineStart * 2 > buffer.count {
            buffer.removeFirst(lineStart)
            scanned -= lineStart
            lineStart = 0
        }
    }
}
