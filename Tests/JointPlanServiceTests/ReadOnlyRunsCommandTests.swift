import Foundation
import JointPlan
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 12: `runs list`, `show` and `export` work on a read-only database. Run as nobody
/// (setpriv), for whom permission bits hold — as root they would prove nothing: a 0444 file
/// in a folder nobody may write, and a 0444 file in a 0555 folder (no `-shm` can be made,
/// the case that failed with "attempt to write a readonly database").
@Suite struct ReadOnlyRunsCommandTests {
    @Test(.enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"),
                   "needs root and setpriv to run the commands as nobody"))
    func runsCommandsWorkOnAReadOnlyFileAndFolder() throws {
        let base = Fixtures.directory.appendingPathComponent("readonly-\(UUID().uuidString)").path
        let db = base + "/db/runs.sqlite"
        try FileManager.default.createDirectory(atPath: base + "/db", withIntermediateDirectories: true)
        let solved = try CommandFileTests.run(["solve", try Fixtures.district(60), "-o", base + "/plan.json", "--db", db])
        try #require(solved.status == 0, "\(solved.stderr)")
        chmod(Fixtures.directory.path, 0o755)
        chmod(base, 0o755)
        chmod(db, 0o444)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: db))

        for folderMode: mode_t in [0o777, 0o555] {
            chmod(base + "/db", folderMode)
            for args in [["runs", "list", "--db", db], ["runs", "show", "1", "--db", db], ["runs", "export", "1", "--db", db]] {
                let r = try CommandFileTests.run(args, asNobody: true)
                #expect(r.status == 0, "folder \(String(folderMode, radix: 8)), \(args.joined(separator: " ")): \(r.stderr)")
                #expect(!r.stderr.contains("readonly database"))
            }
            #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == bytes)
        }
        chmod(base + "/db", 0o755)
        // Deleting needs write access, and says so plainly.
        let delete = try CommandFileTests.run(["runs", "delete", "1", "--db", db], asNobody: true)
        #expect(delete.status == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == bytes)
    }
}
