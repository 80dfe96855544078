import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes an output the way its path asks (issue 12). Every output of the command line and
/// the service goes through `write` — `solve -o`, `--report`, `report -o`, `export`,
/// `generate -o`, the service's `export` with a directory:
///
/// - a regular file, or a name that does not exist yet: written atomically — a temporary
///   file beside it, then `rename` over it — so a reader never sees half a plan, and a
///   crash leaves the old file; an existing file keeps its permission bits;
/// - a symbolic link: followed; its target is written by these same rules (a link to a
///   regular file is replaced atomically *at the target*, the link stays a link);
/// - a character or block device, a FIFO or a socket: opened and written through, never
///   replaced (`-o /dev/null`, `-o /dev/stdout`, a pipe from `mkfifo`);
/// - a folder: refused ("is a folder: …").
public enum OutputFile {
    /// Writes `data` to `path`. With `overwrite: false` an existing path (of any kind) is
    /// refused with `.exists` and never replaced, even by a racing writer (the temporary
    /// file is linked in, which fails if the name appeared meanwhile). With
    /// `createFolders`, missing parent folders are made.
    ///
    /// With `regularOnly` (the service), a device, FIFO or socket — reached directly or by
    /// a link — is refused with `.notRegular` before it is opened: writing into a FIFO blocks
    /// until a reader comes, which may be never, and would hold a worker for good (issue 25).
    public static func write(_ data: Data, to path: String, overwrite: Bool = true,
                             createFolders: Bool = false, regularOnly: Bool = false) throws(FileProblem) {
        var target = path
        // Follow symbolic links by hand, so that a dangling one creates its target and a
        // loop is caught (the kernel's own limit is 40).
        for _ in 0..<40 {
            var st = stat()
            guard lstat(target, &st) == 0 else {
                let e = errno
                guard e == ENOENT else { throw FileProblem(errno: e, path: path) }
                if createFolders { try makeFolders(for: target, reporting: path) }
                return try replaceAtomically(data, at: target, mode: nil, overwrite: false, reporting: path)
            }
            switch st.st_mode & S_IFMT {
            case S_IFLNK:
                if !overwrite { throw FileProblem(.exists, path: path) }
                target = try linkTarget(target, reporting: path)
            case S_IFREG:
                if !overwrite { throw FileProblem(.exists, path: path) }
                return try replaceAtomically(data, at: target, mode: st.st_mode & 0o7777, overwrite: true, reporting: path)
            case S_IFDIR:
                throw FileProblem(.isFolder(hint: "give a file name"), path: path)
            default:
                if !overwrite { throw FileProblem(.exists, path: path) }
                if regularOnly { throw FileProblem(.notRegular, path: path) }
                return try writeThrough(data, to: target, reporting: path)
            }
        }
        throw FileProblem(.other("too many levels of symbolic links"), path: path)
    }

    /// Writes the file that `produce` makes at a temporary path (libxlsxwriter writes only
    /// to a path of its own) to `path` by the rules of `write`: the old file stays intact
    /// when `produce` fails half-way, a link is followed, a FIFO or device is written
    /// through, never replaced. The temporary file is removed in every case.
    public static func write(to path: String, overwrite: Bool = true, createFolders: Bool = false,
                             producing produce: (_ temporaryPath: String) throws -> Void) throws {
        var template = Array((NSTemporaryDirectory() as NSString).appendingPathComponent("jointplan-out.XXXXXX").utf8CString)
        guard let dir = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw FileProblem(errno: errno, path: NSTemporaryDirectory())
        }
        let folder = String(cString: dir)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let temporary = (folder as NSString).appendingPathComponent((path as NSString).lastPathComponent.isEmpty ? "out" : (path as NSString).lastPathComponent)
        do { try produce(temporary) } catch {
            // The producer names its temporary file; the user knows the file they asked for.
            throw FileProblem(.other("\(error)".replacingOccurrences(of: temporary, with: path)), path: path)
        }
        let data: Data
        do { data = try InputFile.read(temporary, hint: nil, regularOnly: true) } catch {
            throw FileProblem(.other("cannot read back the file just made"), path: path)
        }
        try write(data, to: path, overwrite: overwrite, createFolders: createFolders)
    }

    /// What the link at `link` points to, relative to the link's folder when not absolute.
    public static func linkTarget(_ link: String, reporting path: String) throws(FileProblem) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink(link, &buffer, Int(PATH_MAX))
        guard n >= 0 else { throw FileProblem(errno: errno, path: path) }
        let dest = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if dest.hasPrefix("/") { return dest }
        return (folder(of: link) as NSString).appendingPathComponent(dest)
    }

    static func folder(of path: String) -> String {
        let d = (path as NSString).deletingLastPathComponent
        return d.isEmpty ? "." : d
    }

    static func makeFolders(for file: String, reporting path: String) throws(FileProblem) {
        let dir = folder(of: file)
        var st = stat()
        if stat(dir, &st) == 0 { return }
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        } catch {
            // Find out why with the system's own words (Foundation's are not for users).
            var probe = dir
            while !probe.isEmpty, probe != "/", probe != ".", stat(probe, &st) != 0, errno == ENOENT {
                probe = folder(of: probe)
            }
            if stat(probe, &st) == 0, (st.st_mode & S_IFMT) != S_IFDIR { throw FileProblem(.notAFolder, path: path) }
            if access(probe, W_OK) != 0 { throw FileProblem(errno: errno, path: path) }
            throw FileProblem(.other("cannot create the folder \(dir)"), path: path)
        }
    }

    /// A temporary file in the target's folder, written and synced, then renamed over the
    /// target (or, without `overwrite`, linked to it, which fails if it exists).
    static func replaceAtomically(_ data: Data, at target: String, mode: mode_t?, overwrite: Bool,
                                  reporting path: String) throws(FileProblem) {
        let dir = folder(of: target)
        let name = (target as NSString).lastPathComponent
        var template = Array("\(dir)/.\(name).XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            let e = errno
            // The folder is missing, unwritable, …: say it of the path the user gave.
            throw FileProblem(errno: e, path: e == ENOENT ? dir : path)
        }
        let temp = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var committed = false
        defer {
            if !committed { unlink(temp) }
        }
        do {
            defer { close(fd) }
            // mkstemp makes 0600; give the file the mode it had, or what a new file gets.
            let umaskNow = umask(0); umask(umaskNow)
            fchmod(fd, mode ?? (0o666 & ~umaskNow))
            try writeAll(data, fd: fd, reporting: path)
            guard fsync(fd) == 0 else { throw FileProblem(errno: errno, path: path) }
        }
        if overwrite {
            guard rename(temp, target) == 0 else { throw FileProblem(errno: errno, path: path) }
        } else {
            guard link(temp, target) == 0 else {
                let e = errno
                throw e == EEXIST ? FileProblem(.exists, path: path) : FileProblem(errno: e, path: path)
            }
            unlink(temp)
        }
        committed = true
    }

    /// A device, FIFO or socket: opened for writing and written, never replaced. (A FIFO
    /// blocks here until a reader opens it, as `cat > fifo` does.)
    static func writeThrough(_ data: Data, to target: String, reporting path: String) throws(FileProblem) {
        var fd: Int32
        repeat { fd = open(target, O_WRONLY | O_NOCTTY | O_CLOEXEC) } while fd < 0 && errno == EINTR
        guard fd >= 0 else { throw FileProblem(errno: errno, path: path) }
        defer { close(fd) }
        try writeAll(data, fd: fd, reporting: path)
    }

    static func writeAll(_ data: Data, fd: Int32, reporting path: String) throws(FileProblem) {
        var failure: Int32 = 0
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < raw.count {
                let n = systemWrite(fd, raw.baseAddress! + offset, raw.count - offset)
                if n > 0 { offset += n } else if n < 0 && errno == EINTR { continue } else {
                    failure = n < 0 ? errno : EIO
                    return
                }
            }
        }
        if failure != 0 { throw FileProblem(errno: failure, path: path) }
    }
}
