import Foundation
import JointPlan
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 12 through the command line: plain errors for unreadable and unwritable paths, and
/// outputs that honour what their path is. Special files are made in a temporary folder.
@Suite struct CommandFileTests {
    /// Runs `jointplan arguments…` (under `setpriv` when `asNobody`); its status and stderr.
    static func run(_ arguments: [String], asNobody: Bool = false) throws -> (status: Int32, stderr: String) {
        let p = Process()
        if asNobody {
            p.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            p.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", Executable.path] + arguments
        } else {
            p.executableURL = URL(fileURLWithPath: Executable.path)
            p.arguments = arguments
        }
        let err = Pipe()
        p.standardOutput = FileHandle.nullDevice
        p.standardError = err
        try p.run()
        let data = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static func scratch() throws -> String {
        let dir = Fixtures.directory.appendingPathComponent("files-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func aMissingFileAndAFolderAreNamedPlainly() throws {
        let missing = try Self.run(["solve", "nope.json"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no such file: nope.json"))
        let dir = try Self.scratch()
        let folder = try Self.run(["solve", dir + "/"])
        #expect(folder.status == 1)
        #expect(folder.stderr.contains("is a folder: \(dir)/ (give a scenario file)"))
        let validate = try Self.run(["validate", dir])
        #expect(validate.stderr.contains("is a folder: \(dir) (give a scenario file)"))
        for r in [missing, folder, validate] { #expect(!r.stderr.contains("Domain=")) }
    }

    /// Root is not stopped by permission bits, so the command runs as `nobody` against a
    /// folder only root may enter.
    @Test(.enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"),
                   "needs root and setpriv to run a command as nobody"))
    func permissionDeniedIsSaidPlainlyForReadsAndWrites() throws {
        let dir = try Self.scratch()
        let locked = dir + "/locked"
        try FileManager.default.createDirectory(atPath: locked, withIntermediateDirectories: true)
        chmod(locked, 0o700)
        let scenario = try Fixtures.district(60)
        try FileManager.default.copyItem(atPath: scenario, toPath: locked + "/x.json")
        // The fixtures' folder must be reachable by nobody for the command to start at all.
        chmod(Fixtures.directory.path, 0o755)
        chmod(dir, 0o755)
        let write = try Self.run(["generate", "--enterprises", "5", "--seed", "1", "-o", locked + "/new.json"], asNobody: true)
        #expect(write.status == 1)
        #expect(write.stderr.contains("permission denied: \(locked)/new.json"), "\(write.stderr)")
        let read = try Self.run(["solve", locked + "/x.json"], asNobody: true)
        #expect(read.status == 1)
        #expect(read.stderr.contains("permission denied: \(locked)/x.json"), "\(read.stderr)")
        for r in [write, read] { #expect(!r.stderr.contains("Domain=")) }
    }

    /// `solve -o FIFO` and `--report` through a symlink: the FIFO gets the plan and stays a
    /// FIFO, the link stays a link and its target gets the report.
    @Test func solveWritesThroughAFIFOAndFollowsASymlink() throws {
        let dir = try Self.scratch()
        let fifo = dir + "/plan.pipe"
        try #require(mkfifo(fifo, 0o600) == 0)
        try Data("old".utf8).write(to: URL(fileURLWithPath: dir + "/report-real.html"))
        try #require(symlink("report-real.html", dir + "/report.html") == 0)
        let received = Locked(Data())
        let done = DispatchSemaphore(value: 0)
        Thread {
            if let h = FileHandle(forReadingAtPath: fifo) {
                received.set(h.readDataToEndOfFile())
                try? h.close()
            }
            done.signal()
        }.start()
        let r = try Self.run(["solve", try Fixtures.district(60), "-o", fifo, "--report", dir + "/report.html"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(done.wait(timeout: .now() + 60) == .success)
        let plan = try JSONParser.parse(received.current)
        #expect(plan["format"] == .string("jointplan.plan/1"))
        var st = stat()
        #expect(lstat(fifo, &st) == 0 && st.st_mode & S_IFMT == S_IFIFO)
        #expect(lstat(dir + "/report.html", &st) == 0 && st.st_mode & S_IFMT == S_IFLNK)
        let report = try String(contentsOfFile: dir + "/report-real.html", encoding: .utf8)
        #expect(report.contains("<html"))
    }
}
