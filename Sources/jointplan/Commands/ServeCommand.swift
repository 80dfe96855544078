import ArgumentParser
import Foundation
import JointPlan
import JointPlanService
import JointPlanStore

/// `jointplan serve [--db FILE]`: the JSON-RPC 2.0 service on stdin/stdout (spec 4,
/// Service; docs/protocol.md). `--worker` is the hidden mode in which the service runs each
/// solve as a child process of itself.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve JSON-RPC 2.0 on stdin/stdout (one message per line), recording solves in the run database.",
        discussion: """
            Methods: solve, validate, whatif, replan, explain, export, runs/list, runs/get, runs/visits, $/cancelRequest, shutdown \
            (see docs/protocol.md). stdout carries protocol messages only; logs go to stderr. \
            Each solve runs in a child process, so a failure inside GLPK costs one request, not \
            the service. Lines longer than 64 MiB are refused (solve large scenarios by "path").
            """)

    @OptionGroup var language: LanguageOption
    @Option(help: "Run database (SQLite) where solves are recorded.")
    var db: String = RunStore.defaultPath

    @Flag(name: .customLong("no-db"), help: "Do not record runs (runs/list answers an empty list; runs/get fails).")
    var noDatabase = false

    @Option(help: "Solves running at once; more wait in line.")
    var workers = 2

    @Option(name: .customLong("log-level"), help: "Logging on stderr: trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    @Option(help: "Confine every path a request names (read and written) to this folder, after resolving symlinks and \"..\"; relative paths are taken from it.")
    var root: String?

    @Flag(help: .hidden)
    var worker = false

    func validate() throws {
        guard (1...64).contains(workers) else { throw ValidationError("--workers must be between 1 and 64") }
        let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
        guard levels.contains(logLevel) else { throw ValidationError("--log-level must be one of \(levels.joined(separator: ", "))") }
        if let root, let problem = Service.rootProblem(root) { throw ValidationError("--root: \(problem)") }
    }

    func run() throws {
        if worker {
            let status = SolveWorker.run()
            if status != 0 { throw ExitCode(status) }
            return
        }
        var config = Service.Configuration(database: noDatabase ? nil : db,
                                           workerCommand: [Service.executablePath, "serve", "--worker"])
        config.maxConcurrentSolves = workers
        config.root = root
        let status = Service.serve(configuration: config, logLevel: logLevel)
        if status != 0 { throw ExitCode(status) }
    }
}
