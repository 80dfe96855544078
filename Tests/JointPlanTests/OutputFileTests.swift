import Foundation
import Testing
@testable import JointPlan
#if canImport(Glibc)
import Glibc
#endif

/// Issue 12: writing a path honours what it is. Every special file is made here, in a
/// temporary folder of the test's own — never under /dev.
@Suite struct OutputFileTests {
    let dir: String

    init() throws {
        var template = Array((URL(fileURLWithPath: NSTemporaryDirectory()).path + "/jointplan-output-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        dir = String(cString: try #require(made))
    }

    func path(_ name: String) -> String { dir + "/" + name }

    func lstatOf(_ p: String) -> stat {
        var st = stat()
        #expect(lstat(p, &st) == 0, "lstat \(p)")
        return st
    }

    func type(_ p: String) -> mode_t { lstatOf(p).st_mode & S_IFMT }

    /// Only the files the test made: no temporary file left behind.
    func entries() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted() }

    @Test func aNewNameIsWrittenAtomicallyAsAFileOfTheUsualMode() throws {
        let p = path("plan.json")
        try OutputFile.write(Data("new".utf8), to: p)
        #expect(try String(contentsOfFile: p, encoding: .utf8) == "new")
        #expect(type(p) == S_IFREG)
        let umaskNow = umask(0); umask(umaskNow)
        #expect(lstatOf(p).st_mode & 0o777 == 0o666 & ~umaskNow)
        #expect(entries() == ["plan.json"])
    }

    @Test func anExistingFileIsReplacedByRenameAndKeepsItsMode() throws {
        let p = path("plan.json")
        try Data("old".utf8).write(to: URL(fileURLWithPath: p))
        chmod(p, 0o640)
        let before = lstatOf(p).st_ino
        try OutputFile.write(Data("new".utf8), to: p)
        #expect(try String(contentsOfFile: p, encoding: .utf8) == "new")
        // A new inode: the old file was replaced whole (rename), never truncated in place.
        #expect(lstatOf(p).st_ino != before)
        #expect(lstatOf(p).st_mode & 0o777 == 0o640)
        #expect(entries() == ["plan.json"])
    }

    @Test func aSymlinkIsFollowedAndStaysALink() throws {
        let target = path("real.json"), link = path("link.json")
        try Data("old".utf8).write(to: URL(fileURLWithPath: target))
        #expect(symlink("real.json", link) == 0)
        try OutputFile.write(Data("through the link".utf8), to: link)
        #expect(type(link) == S_IFLNK)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "through the link")
        #expect(entries() == ["link.json", "real.json"])
    }

    @Test func aDanglingSymlinkCreatesItsTarget() throws {
        let link = path("link.json")
        #expect(symlink(path("made.json"), link) == 0)
        try OutputFile.write(Data("made".utf8), to: link)
        #expect(type(link) == S_IFLNK)
        #expect(try String(contentsOfFile: path("made.json"), encoding: .utf8) == "made")
    }

    /// `solve -o /dev/null` as root replaced the machine's /dev/null with a regular file. A
    /// device made here with the same numbers (1, 3: the null device) must stay a device.
    @Test(.enabled(if: getuid() == 0, "mknod of a character device needs root (CI runs as root)"))
    func aCharacterDeviceIsWrittenThroughNotReplaced() throws {
        let dev = path("null")
        let nullDevice: dev_t = (1 << 8) | 3
        try #require(mknod(dev, S_IFCHR | 0o666, nullDevice) == 0, "mknod: \(String(cString: strerror(errno)))")
        let before = lstatOf(dev)
        try OutputFile.write(Data(repeating: 0x41, count: 100_000), to: dev)
        let after = lstatOf(dev)
        #expect(after.st_mode & S_IFMT == S_IFCHR)
        #expect(after.st_ino == before.st_ino)
        #expect(after.st_rdev == nullDevice)
        #expect(entries() == ["null"])

        // Through a symlink too (`-o /dev/stdout` is a link to a device or a pipe).
        #expect(symlink(dev, path("out")) == 0)
        try OutputFile.write(Data("x".utf8), to: path("out"))
        #expect(type(path("null")) == S_IFCHR)
        #expect(type(path("out")) == S_IFLNK)
    }

    @Test func aFIFOIsWrittenThroughToItsReader() throws {
        let fifo = path("pipe")
        try #require(mkfifo(fifo, 0o600) == 0)
        let payload = Data((0..<200_000).map { UInt8($0 % 251) })  // more than a pipe buffer
        let received = Locked(Data())
        let finished = DispatchSemaphore(value: 0)
        let reader = Thread {
            if let h = FileHandle(forReadingAtPath: fifo) {
                received.set(h.readDataToEndOfFile())
                try? h.close()
            }
            finished.signal()
        }
        reader.start()
        try OutputFile.write(payload, to: fifo)
        #expect(finished.wait(timeout: .now() + 30) == .success)
        #expect(received.current == payload)
        #expect(type(fifo) == S_IFIFO)
        #expect(entries() == ["pipe"])
    }

    @Test func aFolderIsRefusedInPlainWords() throws {
        let sub = path("calendars")
        try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: true)
        #expect(throws: FileProblem(.isFolder(hint: "give a file name"), path: sub)) {
            try OutputFile.write(Data("x".utf8), to: sub)
        }
    }

    @Test func withoutOverwriteAnExistingFileIsKept() throws {
        let p = path("run-1.csv")
        try Data("mine".utf8).write(to: URL(fileURLWithPath: p))
        #expect(throws: FileProblem(.exists, path: p)) {
            try OutputFile.write(Data("theirs".utf8), to: p, overwrite: false)
        }
        #expect(try String(contentsOfFile: p, encoding: .utf8) == "mine")
        // …and a new name is still written.
        try OutputFile.write(Data("new".utf8), to: path("run-2.csv"), overwrite: false)
        #expect(entries() == ["run-1.csv", "run-2.csv"])
    }

    @Test func missingFoldersAreMadeWhenAsked() throws {
        let p = path("a/b/plan.json")
        #expect(throws: FileProblem(.noSuchFile, path: path("a/b"))) {
            try OutputFile.write(Data("x".utf8), to: p)
        }
        try OutputFile.write(Data("x".utf8), to: p, createFolders: true)
        #expect(type(p) == S_IFREG)
    }

    @Test func readProblemsAreSaidPlainly() throws {
        #expect(throws: FileProblem(.noSuchFile, path: "nope.json")) { try InputFile.read("nope.json") }
        #expect(FileProblem(.noSuchFile, path: "nope.json").description == "no such file: nope.json")
        #expect(throws: FileProblem(.isFolder(hint: "give a scenario file"), path: dir)) {
            try InputFile.read(dir, hint: "give a scenario file")
        }
        #expect(FileProblem(.isFolder(hint: "give a scenario file"), path: "Scenarios/").description
                == "is a folder: Scenarios/ (give a scenario file)")
        // Root is not stopped by permission bits, so the errno is given directly.
        #expect(FileProblem(errno: EACCES, path: "/root/x.json").description == "permission denied: /root/x.json")
        #expect(FileProblem(errno: EROFS, path: "/x.json").description == "permission denied: /x.json")
        #expect(!FileProblem(errno: ENOSPC, path: "x").description.contains("Domain"))
        try #require(mkfifo(path("pipe"), 0o600) == 0)
        #expect(throws: FileProblem(.notRegular, path: path("pipe"))) { try InputFile.read(path("pipe"), regularOnly: true) }
    }
}
