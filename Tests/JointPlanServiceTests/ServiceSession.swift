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

    /// Runs `jointplan arguments…` to the end; returns its status.
    @discardableResult
    static func run(_ arguments: [String]) throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = arguments
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }

    /// Runs `jointplan arguments…` to the end; returns its status and what it wrote on stdout.
    static func output(_ arguments: [String]) throws -> (status: Int32, stdout: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// Scenario files the tests share, generated once by `jointplan generate`.
enum Fixtures {
    static let directory: URL = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jointplan-service-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }()

    private static let lock = NSLock()

    /// A generated district of `enterprises` enterprises (seed 1): 60 solve in a fraction of
    /// a second, 3,000 take seconds (long enough to cancel or crash one mid-search).
    static func district(_ enterprises: Int) throws -> String {
        lock.lock(); defer { lock.unlock() }
        let path = directory.appendingPathComponent("district-\(enterprises).json").path
        if !FileManager.default.fileExists(atPath: path) {
            let status = try Executable.run(["generate", "--enterprises", "\(enterprises)", "--seed", "1", "-o", path])
            precondition(status == 0, "jointplan generate failed")
        }
        return path
    }

    static func scratchDatabase() -> String {
        directory.appendingPathComponent("runs-\(UUID().uuidString).sqlite").path
    }
}

/// One `jointplan serve` process driven over pipes, as a script would: lines in, every
/// message out collected with the time it arrived.
final class ServiceSession: @unchecked Sendable {
    struct Received {
        var at: Date
        /// The message, or nil when the line was not JSON (which the service never writes).
        var message: JSON?
        var raw: String
    }

    let process = Process()
    private let stdin: FileHandle
    private let lock = NSLock()
    private let arrived = NSCondition()
    private var received: [Received] = []
    private var stdoutEnded = false
    let logPath: String

    init(database: String? = nil, arguments: [String] = [], environment: [String: String] = [:]) throws {
        signal(SIGPIPE, SIG_IGN)
        process.executableURL = URL(fileURLWithPath: Executable.path)
        process.arguments = ["serve", "--db", database ?? Fixtures.scratchDatabase()] + arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        logPath = Fixtures.directory.appendingPathComponent("serve-\(UUID().uuidString).log").path
        FileManager.default.createFile(atPath: logPath, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: logPath)
        try process.run()
        stdin = input.fileHandleForWriting
        let reader = output.fileHandleForReading
        let thread = Thread { [self] in readAll(reader) }
        thread.start()
    }

    private func readAll(_ handle: FileHandle) {
        var buffer = Data()
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
            var lines: [Received] = []
            while let nl = buffer.firstIndex(of: 0x0A) {
                let line = Data(buffer[buffer.startIndex..<nl])
                buffer.removeSubrange(buffer.startIndex...nl)
                lines.append(Received(at: Date(), message: try? JSONParser.parse(line), raw: String(decoding: line, as: UTF8.self)))
            }
            if !lines.isEmpty {
                arrived.lock()
                received.append(contentsOf: lines)
                arrived.broadcast()
                arrived.unlock()
            }
        }
        arrived.lock()
        if !buffer.isEmpty { received.append(Received(at: Date(), message: nil, raw: String(decoding: buffer, as: UTF8.self))) }
        stdoutEnded = true
        arrived.broadcast()
        arrived.unlock()
    }

    /// Everything received so far.
    var messages: [Received] {
        arrived.lock(); defer { arrived.unlock() }
        return received
    }

    func send(raw: Data) throws { try stdin.write(contentsOf: raw) }
    func send(_ line: String) throws { try send(raw: Data((line + "\n").utf8)) }
    func send(_ message: JSON) throws { try send(JSONWriter.compact(message)) }

    func closeInput() throws { try stdin.close() }

    /// Waits until a received message satisfies `match`; returns it (nil on timeout or end).
    func wait(timeout: TimeInterval = 60, for match: (JSON) -> Bool) -> JSON? {
        let deadline = Date().addingTimeInterval(timeout)
        arrived.lock(); defer { arrived.unlock() }
        var scanned = 0
        while true {
            while scanned < received.count {
                if let m = received[scanned].message, match(m) { return m }
                scanned += 1
            }
            if stdoutEnded || !arrived.wait(until: deadline) { return nil }
        }
    }

    /// The response to request `id`.
    func response(_ id: JSON, timeout: TimeInterval = 60) -> JSON? {
        wait(timeout: timeout) { $0["id"] == id && ($0["result"] != nil || $0["error"] != nil) }
    }

    /// Waits for the process to exit; nil if it is still running at the deadline (it is
    /// then killed: a hang).
    func waitForExit(timeout: TimeInterval = 60) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            if Date() > deadline {
                process.terminate()
                kill(process.processIdentifier, SIGKILL)
                return nil
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        // Let the reader collect the last lines.
        arrived.lock()
        let end = Date().addingTimeInterval(5)
        while !stdoutEnded && arrived.wait(until: end) {}
        arrived.unlock()
        return process.terminationReason == .exit ? process.terminationStatus : -process.terminationStatus
    }

    /// The service's child processes (its solves), from /proc.
    var children: [pid_t] {
        let task = "/proc/\(process.processIdentifier)/task"
        let threads = (try? FileManager.default.contentsOfDirectory(atPath: task)) ?? []
        return threads.flatMap { t -> [pid_t] in
            let text = (try? String(contentsOfFile: "\(task)/\(t)/children", encoding: .utf8)) ?? ""
            return text.split(separator: " ").compactMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
    }

    /// Peak resident memory of the service in MiB (VmHWM).
    var peakMemoryMiB: Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return nil }
        return line.split(separator: " ").compactMap { Int($0) }.first.map { $0 / 1024 }
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }
}

/// Builders for requests.
enum RPC {
    static func request(_ id: JSON, _ method: String, _ params: JSONObject? = nil) -> JSON {
        var o = JSONObject([("jsonrpc", .string("2.0")), ("id", id), ("method", .string(method))])
        if let params { o["params"] = .object(params) }
        return .object(o)
    }

    static func notification(_ method: String, _ params: JSONObject? = nil) -> JSON {
        var o = JSONObject([("jsonrpc", .string("2.0")), ("method", .string(method))])
        if let params { o["params"] = .object(params) }
        return .object(o)
    }

    static func progressMeta(_ token: String) -> (String, JSON) {
        ("_meta", .object(JSONObject([("progressToken", .string(token))])))
    }

    static func errorCode(_ response: JSON?) -> Int? { response?["error"]?["code"]?.intValue }

    /// Is this a progress notification for `token`?
    static func isProgress(_ m: JSON, _ token: String) -> Bool {
        m["method"] == .string("notifications/progress") && m["params"]?["progressToken"] == .string(token)
    }
}
