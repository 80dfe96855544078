import Foundation
import Testing
import JointPlan
@testable import JointPlanRegisters
#if canImport(Glibc)
import Glibc
#endif

/// Issue 25: `template -o` and `export --actuals` write through `OutputFile`. Special files
/// are made in a temporary folder of the test's own, never under /dev.
@Suite struct WorkbookOutputTests {
    let dir: String

    init() throws {
        dir = try Support.temporaryDirectory().path
    }

    func type(_ p: String) -> mode_t {
        var st = stat()
        _ = lstat(p, &st)
        return st.st_mode & S_IFMT
    }

    var example: JSON {
        RegisterTemplate.example(quarter: Quarter(year: 2026, number: 1)!)
    }

    /// Reads the FIFO to its end on a thread of its own while `write` writes into it.
    func throughFIFO(_ write: () throws -> Void) throws -> Data {
        let fifo = dir + "/pipe.xlsx"
        try #require(mkfifo(fifo, 0o600) == 0)
        let received = Locked(Data())
        let finished = DispatchSemaphore(value: 0)
        let reader = Thread {
            if let h = FileHandle(forReadingAtPath: fifo) { received.set(h.readDataToEndOfFile()); try? h.close() }
            finished.signal()
        }
        reader.start()
        try write()
        #expect(finished.wait(timeout: .now() + 60) == .success)
        #expect(type(fifo) == S_IFIFO)
        return received.current
    }

    @Test func theTemplateIntoAFIFOIsWrittenThroughNotReplaced() throws {
        let doc = example
        let data = try throughFIFO { try RegisterTemplate.write(document: doc, to: dir + "/pipe.xlsx") }
        #expect(data.starts(with: [0x50, 0x4B]), "a ZIP container came through the FIFO")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["pipe.xlsx"])
    }

    @Test func theTemplateThroughASymlinkReplacesItsTargetAndKeepsTheLink() throws {
        let target = dir + "/filled.xlsx", link = dir + "/link.xlsx"
        try Data("old".utf8).write(to: URL(fileURLWithPath: target))
        #expect(symlink("filled.xlsx", link) == 0)
        try RegisterTemplate.write(document: example, to: link)
        #expect(type(link) == S_IFLNK)
        #expect(try Data(contentsOf: URL(fileURLWithPath: target)).starts(with: [0x50, 0x4B]))
    }

    @Test func aTemplateThatFailsHalfWayLeavesTheOfficesWorkbookIntact() throws {
        let filled = dir + "/filled.xlsx"
        try Data("the office's filled workbook".utf8).write(to: URL(fileURLWithPath: filled))
        #expect(throws: (any Error).self) { try RegisterTemplate.write(document: .string("not a scenario"), to: filled) }
        // A producer that wrote half a file and then failed: nothing reaches the target.
        #expect(throws: (any Error).self) {
            try OutputFile.write(to: filled) { temporary in
                try Data(repeating: 0x41, count: 100_000).write(to: URL(fileURLWithPath: temporary))
                throw RegisterError("disk full half-way")
            }
        }
        #expect(try String(contentsOfFile: filled, encoding: .utf8) == "the office's filled workbook")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["filled.xlsx"])
    }

    @Test func theActualsSheetGoesThroughOutputFileToo() throws {
        let doc = example
        let scenario = try ScenarioReader.read(json: doc)
        let plan = Solver.solve(scenario, scenarioData: Data(JSONWriter.canonical(doc).utf8))
        let data = try throughFIFO { try ActualsSheet.write(scenario: scenario, plan: plan, to: dir + "/pipe.xlsx") }
        #expect(data.starts(with: [0x50, 0x4B]))
        let target = dir + "/a.xlsx", link = dir + "/link-a.xlsx"
        try Data("old".utf8).write(to: URL(fileURLWithPath: target))
        #expect(symlink("a.xlsx", link) == 0)
        try ActualsSheet.write(scenario: scenario, plan: plan, to: link)
        #expect(type(link) == S_IFLNK)
        #expect(try Data(contentsOf: URL(fileURLWithPath: target)).starts(with: [0x50, 0x4B]))
    }
}
