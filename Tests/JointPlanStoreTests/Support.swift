import Foundation
import JointPlan

/// The `jointplan` executable of this build (next to the test bundle in the scratch
/// directory), or `JOINTPLAN_EXECUTABLE` when set.
enum Executable {
    static let path: String = {
        if let p = ProcessInfo.processInfo.environment["JOINTPLAN_EXECUTABLE"] { return p }
        var dir = Bundle.main.bundleURL
        if dir.pathExtension == "xctest" { dir.deleteLastPathComponent() }
        for candidate in [dir, Bundle.main.bundleURL.deletingLastPathComponent(),
                          URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()] {
            let exe = candidate.appendingPathComponent("jointplan").path
            if FileManager.default.isExecutableFile(atPath: exe) { return exe }
        }
        return dir.appendingPathComponent("jointplan").path
    }()

    /// Starts `jointplan arguments…` with stdout piped and stderr discarded.
    static func start(_ arguments: [String]) throws -> (Process, FileHandle) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        try p.run()
        return (p, out.fileHandleForReading)
    }
}

enum Scratch {
    static func directory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jointplan-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A small generated district (60 enterprises) and its solved plan.
    static func solvedDistrict(seed: UInt64 = 1) throws -> (scenario: Scenario, data: Data, plan: Plan) {
        let district = try DistrictGenerator(DistrictParameters(enterprises: 60, seed: seed)).generate()
        let data = Data(DistrictGenerator.fileText(district.scenario).utf8)
        let scenario = try ScenarioReader.read(data)
        var options = SolveOptions()
        options.timeLimitSeconds = 20
        return (scenario, data, Solver.solve(scenario, scenarioData: data, options: options))
    }
}

/// Reads lines from a pipe until one satisfies `stop` or the stream ends.
func readLines(_ handle: FileHandle, until stop: (String) -> Bool) -> [String] {
    var buffer = Data()
    var lines: [String] = []
    while true {
        let chunk = handle.availableData
        if chunk.isEmpty { return lines }
        buffer.append(chunk)
        while let nl = buffer.firstIndex(of: 0x0A) {
            let line = String(decoding: buffer[buffer.startIndex..<nl], as: UTF8.self)
            buffer.removeSubrange(buffer.startIndex...nl)
            lines.append(line)
            if stop(line) { return lines }
        }
    }
}
