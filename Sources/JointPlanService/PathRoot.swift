import Foundation
import JointPlan
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the paths a request names may lead (`serve --root DIR`, issue 12). With a root,
/// every `path` a request reads and every `directory` (and file in it) `export` writes must
/// be inside DIR once symbolic links and `..` are resolved; relative paths are taken from
/// DIR. Anything else is -32602 naming the path. Without a root the service reads and
/// writes what its user may, relative to its working directory, as the command line does
/// (docs/protocol.md).
struct PathRoot: Sendable {
    /// The root folder, resolved (`realpath`); nil: no confinement.
    let folder: String?

    /// No confinement.
    static let none = PathRoot(folder: nil)
    /// Confines to no folder at all (a root that could not be resolved: fail closed).
    static let nowhere = PathRoot(folder: "/\u{0}")

    /// Confines to `folder`, which must exist and be a folder.
    init(confiningTo folder: String) throws(FileProblem) {
        guard let real = Self.realPath(folder) else { throw FileProblem(errno: errno, path: folder) }
        var st = stat()
        guard stat(real, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else { throw FileProblem(.notAFolder, path: folder) }
        self.folder = real
    }

    private init(folder: String?) { self.folder = folder }

    /// The file a request names for reading, resolved, or -32602 on `param` when it lies
    /// outside the root (or does not exist, with a root: it cannot be resolved).
    func reading(_ path: String, param: String) throws -> String {
        guard let folder else { return path }
        let joined = path.hasPrefix("/") ? path : folder + "/" + path
        guard let real = Self.realPath(joined) else {
            let e = errno
            // Outside or inside? Resolved as for a file still to be written, so that a
            // missing file outside the root is "outside", never "no such file" (which
            // would tell what exists out there).
            _ = try writing(path, param: param)
            throw RPCError.invalidParams(path: param, FileProblem(errno: e, path: path).description)
        }
        try check(real, named: path, param: param)
        return real
    }

    /// A path a request names for writing (it need not exist yet), resolved: its longest
    /// existing part through `realpath`, the rest added after that (a `..` in the part that
    /// does not exist is refused). -32602 on `param` when outside the root.
    func writing(_ path: String, param: String) throws -> String {
        try writing(path, named: path, param: param, depth: 0)
    }

    private func writing(_ path: String, named: String, param: String, depth: Int) throws -> String {
        guard let folder else { return URL(fileURLWithPath: path).path }
        let joined = path.hasPrefix("/") ? path : folder + "/" + path
        var existing = joined
        var rest: [String] = []
        while Self.realPath(existing) == nil {
            let name = (existing as NSString).lastPathComponent
            let parent = (existing as NSString).deletingLastPathComponent
            guard !parent.isEmpty, parent != existing else { break }
            rest.insert(name, at: 0)
            existing = parent
        }
        guard let base = Self.realPath(existing) else {
            throw RPCError.invalidParams(path: param, "\(JSONWriter.quote(named)) is outside the service's root \(folder)")
        }
        if rest.contains("..") {
            throw RPCError.invalidParams(path: param, "\(JSONWriter.quote(named)) has \"..\" after a folder that does not exist; give a path inside the service's root \(folder)")
        }
        let real = ([base] + rest.filter { $0 != "." && !$0.isEmpty }).joined(separator: "/")
        // A dangling symlink is not resolved by realpath: follow it by hand (the writer
        // would create its target), so a link planted in the folder cannot lead out.
        var st = stat()
        if lstat(real, &st) == 0, (st.st_mode & S_IFMT) == S_IFLNK {
            guard depth < 40, let target = try? OutputFile.linkTarget(real, reporting: named) else {
                throw RPCError.invalidParams(path: param, "\(JSONWriter.quote(named)): too many levels of symbolic links")
            }
            return try writing(target, named: named, param: param, depth: depth + 1)
        }
        try check(real, named: named, param: param)
        return real
    }

    private func check(_ real: String, named path: String, param: String) throws {
        guard let folder else { return }
        if real == folder || real.hasPrefix(folder == "/" ? "/" : folder + "/") { return }
        throw RPCError.invalidParams(path: param, "\(JSONWriter.quote(path)) is outside the service's root \(folder)")
    }

    /// `realpath(3)`: absolute, with every link and `..` resolved; nil when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }
}
