import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a file could not be read or written, in words a user of the command line or the
/// service understands ("no such file: nope.json"), never Foundation's internal error text
/// (`Error Domain=NSCocoaErrorDomain Code=513 …`). Every read and write of a user's path goes
/// through `InputFile` or `OutputFile`, which throw this.
public struct FileProblem: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    public enum Kind: Equatable, Sendable {
        case noSuchFile
        /// A folder where a file was expected; `hint` says what to give instead.
        case isFolder(hint: String?)
        /// A component of the path is a file, not a folder.
        case notAFolder
        case permissionDenied
        /// `export` without `"overwrite": true` (or `OutputFile.write(overwrite: false)`).
        case exists
        case notRegular
        case tooLarge(String)
        /// Anything else: the system's own short text (strerror), never Foundation's.
        case other(String)
    }

    public var path: String
    public var kind: Kind

    public init(_ kind: Kind, path: String) {
        self.kind = kind
        self.path = path
    }

    /// The problem an `errno` value of a failed system call on `path` means.
    public init(errno code: Int32, path: String, hint: String? = nil) {
        self.path = path
        switch code {
        case ENOENT: kind = .noSuchFile
        case EISDIR: kind = .isFolder(hint: hint)
        case ENOTDIR: kind = .notAFolder
        case EACCES, EPERM, EROFS: kind = .permissionDenied
        case EEXIST: kind = .exists
        default: kind = .other(String(cString: strerror(code)))
        }
    }

    public var description: String {
        switch kind {
        case .noSuchFile: return "no such file: \(path)"
        case .isFolder(let hint): return "is a folder: \(path)" + (hint.map { " (\($0))" } ?? "")
        case .notAFolder: return "not a folder: a part of \(path) is a file"
        case .permissionDenied: return "permission denied: \(path)"
        case .exists: return "already exists: \(path) (ask to overwrite it)"
        case .notRegular: return "not a regular file: \(path)"
        case .tooLarge(let why): return "\(path): \(why)"
        case .other(let why): return "\(path): \(why)"
        }
    }

    public var errorDescription: String? { description }
}

/// Reading a user's file with plain errors (`FileProblem`).
public enum InputFile {
    /// The bytes of `path`. `hint` completes "is a folder: …" ("give a scenario file");
    /// `regularOnly` refuses devices, pipes and sockets (the service: they could block a request
    /// forever); `maxBytes` refuses a larger regular file before reading it.
    public static func read(_ path: String, hint: String? = nil, regularOnly: Bool = false,
                            maxBytes: Int? = nil) throws(FileProblem) -> Data {
        var st = stat()
        guard stat(path, &st) == 0 else { throw FileProblem(errno: errno, path: path, hint: hint) }
        let type = st.st_mode & S_IFMT
        if type == S_IFDIR { throw FileProblem(.isFolder(hint: hint), path: path) }
        if regularOnly && type != S_IFREG { throw FileProblem(.notRegular, path: path) }
        if let maxBytes, type == S_IFREG, Int(st.st_size) > maxBytes {
            let mib = String(format: "%.1f", Double(st.st_size) / 1_048_576)
            throw FileProblem(.tooLarge("the file has \(mib) MiB; at most \(maxBytes >> 20) MiB are read"), path: path)
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else { throw FileProblem(errno: errno, path: path, hint: hint) }
        defer { close(fd) }
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
            if n > 0 {
                data.append(contentsOf: chunk[0..<n])
                if let maxBytes, data.count > maxBytes {
                    throw FileProblem(.tooLarge("more than \(maxBytes >> 20) MiB; larger inputs are refused"), path: path)
                }
            } else if n == 0 {
                return data
            } else if errno != EINTR {
                throw FileProblem(errno: errno, path: path, hint: hint)
            }
        }
    }
}

#if canImport(Glibc)
let systemRead = Glibc.read
let systemWrite = Glibc.write
#elseif canImport(Darwin)
let systemRead = Darwin.read
let systemWrite = Darwin.write
#endif
