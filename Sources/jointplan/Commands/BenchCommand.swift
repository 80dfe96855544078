import ArgumentParser
import Foundation
import JointPlan

/// `jointplan bench [SCENARIO …]`: jointplan against the two baselines, each run in its own
/// child process (`jointplan solve --method …`) so that wall time and peak memory are the
/// run's own; figures are reported as ratios against the baselines run in the same command.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark jointplan against department-alone and greedy-joint planning on scenarios.")

    @OptionGroup var language: LanguageOption
    @Argument(help: "Scenario files (default: every .json directly in Scenarios/).") var scenarios: [String] = []
    @Option(name: .customLong("time-limit"), help: "Seconds per solve.") var timeLimit: Double = 60
    @Flag(help: "Also time jointplan on generated districts of 2,000, 5,000, 10,000 and 20,000 enterprises.")
    var scaling = false
    @Flag(help: "Run each plan through the plan checker and show its verdict.") var check = false
    @Flag(help: "Measure against the independent first-fit peer (firstfit.py joint and separate) instead of the built-in baselines: objective, bound, gap, wall, peak memory, jointplan ÷ peer and a verdict.")
    var peer = false
    @Option(help: "Folder of the peer planners (firstfit.py).") var peers = "../shared/peers"
    @Option(help: "Python interpreter for the peer.") var python = "python3"
    @Flag(help: "Also bench six generated roster districts (2k comfortable, tiny departments and short; 5k, 10k, 20k).")
    var rosterDistricts = false
    @Option(help: "With --peer: the dispatch modes to bench each scenario in (rule 11): random, optimised or both (then a row shows the price of the draw).")
    var dispatch: DispatchChoice = .both

    enum DispatchChoice: String, ExpressibleByArgument, CaseIterable {
        case random, optimised, both
        var modes: [InspectorDispatch] { self == .both ? [.random, .optimised] : [InspectorDispatch(rawValue: rawValue)!] }
    }

    func run() throws {
        var files = scenarios
        if files.isEmpty {
            let dir = "Scenarios"
            files = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [])
                .filter { $0.hasSuffix(".json") }.sorted().map { dir + "/" + $0 }
        }
        guard !files.isEmpty || scaling || rosterDistricts else { throw ValidationError("no scenarios given and none in ./Scenarios") }
        let me = CommandLine.arguments[0]
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("jointplan-bench-\(getpid())")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tmp) }
        if rosterDistricts {
            for (name, options) in PeerBench.rosterDistricts {
                let path = tmp.appendingPathComponent(name).path
                CommandIO.stderr("bench: generating \(name) (\(options.joined(separator: " ")))…")
                let r = try Child.run(me, ["generate"] + options + ["-o", path])
                guard r.status == 0 else { throw ValidationError("generate \(options.joined(separator: " ")) failed (exit \(r.status))") }
                files.append(path)
            }
        }
        if peer {
            try PeerRun(me: me, peers: peers, python: python, timeLimit: timeLimit, check: check, tmp: tmp, modes: dispatch.modes).bench(files)
            if !scaling { return }
            files = []
        }

        var rows: [[String]] = []
        for file in files {
            let (sc, _) = try CommandIO.loadScenario(file)
            var results: [Solver.Method: Run] = [:]
            for m in Solver.Method.allCases {
                CommandIO.stderr("bench: \(file) \(m.rawValue)…")
                let out = tmp.appendingPathComponent("\(m.rawValue).json").path
                let r = try Child.run(me, ["solve", file, "--method", m.rawValue, "-o", out, "--time-limit", String(timeLimit), "--no-timings"])
                guard r.status == 0 || r.status == 1, let plan = try? PlanReader.read(Data(contentsOf: URL(fileURLWithPath: out))) else {
                    throw ValidationError("solve \(file) --method \(m.rawValue) failed (exit \(r.status))")
                }
                var verdict = ""
                if check {
                    let report = PlanChecker.check(scenario: sc, plan: plan)
                    verdict = report.valid ? language.text("bench.valid") : language.text("bench.invalid", report.violations.count)
                }
                results[m] = Run(plan: Evaluated(sc, plan), seconds: r.seconds, peakKB: r.peakKB, verdict: verdict)
            }
            let name = (file as NSString).lastPathComponent
            for m in Solver.Method.allCases {
                let r = results[m]!
                rows.append([name, m.rawValue, JSON.format(r.plan.objective.unmetWeighted), String(r.plan.objective.onsiteVisits),
                             String(r.plan.objective.inspectorMinutes), String(r.plan.kpis.visitLowerBound),
                             m == .jointplan ? JSON.format(r.plan.bound) : "-",
                             m == .jointplan ? String(format: "%.1f%%", r.plan.gap * 100) : "-",
                             String(format: "%.1f%%", r.plan.kpis.jointVisitRate * 100),
                             String(format: "%.1f%%", r.plan.kpis.visitReductionPct),
                             String(format: "%.2f", r.seconds), String(format: "%.0f", Double(r.peakKB) / 1024)]
                            + (check ? [r.verdict] : []))
            }
            let j = results[.jointplan]!
            for base in [Solver.Method.greedyJoint, .departmentAlone] {
                let b = results[base]!
                rows.append([name, "jointplan ÷ \(base.rawValue)", ratio(j.plan.objective.unmetWeighted, b.plan.objective.unmetWeighted),
                             ratio(Double(j.plan.objective.onsiteVisits), Double(b.plan.objective.onsiteVisits)),
                             ratio(Double(j.plan.objective.inspectorMinutes), Double(b.plan.objective.inspectorMinutes)),
                             "", "", "", "", "", ratio(j.seconds, b.seconds), ratio(Double(j.peakKB), Double(b.peakKB))]
                            + (check ? [""] : []))
            }
        }
        if !files.isEmpty {
            var header = language.text("bench.header").split(separator: ",").map(String.init)
            if check { header.append(language.text("bench.check")) }
            print(Table.render([header] + rows))
        }

        if scaling {
            var srows: [[String]] = []
            var base: (checks: Int, seconds: Double)?
            for n in [2000, 5000, 10000, 20000] {
                let scen = tmp.appendingPathComponent("scale-\(n).json").path
                _ = try Child.run(me, ["generate", "--enterprises", String(n), "--seed", "11", "--inspectors", String(max(20, n / 100)), "-o", scen])
                let (sc, _) = try CommandIO.loadScenario(scen)
                let checks = Duties(scenario: sc).totalChecks
                let out = tmp.appendingPathComponent("scale-\(n)-plan.json").path
                CommandIO.stderr("bench: scaling \(n) enterprises…")
                let r = try Child.run(me, ["solve", scen, "-o", out, "--time-limit", String(timeLimit), "--no-timings"])
                let plan = try PlanReader.read(Data(contentsOf: URL(fileURLWithPath: out)))
                if base == nil { base = (checks, r.seconds) }
                let perK = r.seconds / Double(max(1, checks)) * 1000
                let basePerK = base!.seconds / Double(max(1, base!.checks)) * 1000
                srows.append([String(n), String(checks), JSON.format(plan.objective.unmetWeighted), String(plan.objective.onsiteVisits),
                              String(format: "%.2f", r.seconds), String(format: "%.3f", perK), ratio(perK, basePerK),
                              String(format: "%.0f", Double(r.peakKB) / 1024)])
            }
            print("")
            print(Table.render([language.text("bench.scalingHeader").split(separator: ",").map(String.init)] + srows))
        }
    }

    private func ratio(_ a: Double, _ b: Double) -> String {
        if b == 0 { return a == 0 ? "1.00" : "∞" }
        return String(format: "%.2f", a / b)
    }

    struct Run {
        var plan: Evaluated
        var seconds: Double
        var peakKB: Int
        var verdict: String
    }

    /// A plan with its recomputed objective and KPIs.
    struct Evaluated {
        var objective: Objective
        var kpis: KPIs
        var bound: Double
        /// The plan's reported gap: (unmet weighted − bound) ÷ unmet weighted.
        var gap: Double
        /// The lower bound on inspector minutes of plans doing this plan's checks.
        var minutesBound: Int
        /// The visit lower bound with the pins (`Solver.visitBound`): the KPI's, raised where a
        /// pinned date leaves a department's check for another visit.
        var visitBound: Int
        /// (inspector minutes − that bound) ÷ inspector minutes.
        var minutesGap: Double { objective.inspectorMinutes > 0 ? Double(objective.inspectorMinutes - minutesBound) / Double(objective.inspectorMinutes) : 0 }
        init(_ s: Scenario, _ p: Plan) {
            let e = Evaluation(scenario: s)
            objective = e.objective(p)
            kpis = e.kpis(p, requiredChecks: Duties(scenario: s, seed: p.seed).totalChecks)
            bound = p.solver.bestBound
            gap = p.solver.gap
            minutesBound = MinutesBound.lowerBound(s, p)
            visitBound = Solver.visitBound(s, p, calendar: WorkCalendar(s.horizon))
        }
    }
}

/// A child process with its wall time and peak resident memory.
///
/// The peak comes from GNU `/usr/bin/time -f %M` when it is installed: posix_spawn starts a
/// child with the parent's memory (vfork), and Linux keeps that high-water mark in the
/// child's `ru_maxrss` across exec, so wait4's figure is never below the bench's own size
/// (every run after district.json read ≈ 70 MB). `time` forks a fresh child whose figure is
/// its own; without it, wait4's rusage is used.
enum Child {
    struct Result { var status: Int32; var seconds: Double; var peakKB: Int }

    static let gnuTime = "/usr/bin/time"

    /// Runs `exe` with `args`; its stdout and stderr go to the files given (else /dev/null).
    static func run(_ exe: String, _ args: [String], stdout: String = "/dev/null", stderr: String = "/dev/null") throws -> Result {
        var path = exe.contains("/") ? exe : (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
            .map { "\($0)/\(exe)" }.first { FileManager.default.isExecutableFile(atPath: $0) } ?? exe
        var args = args
        var peakFile: String?
        if FileManager.default.isExecutableFile(atPath: gnuTime) {
            let f = FileManager.default.temporaryDirectory.appendingPathComponent("jointplan-bench-peak-\(getpid())-\(UUID().uuidString)").path
            args = ["-f", "%M", "-o", f, path] + args
            path = gnuTime
            peakFile = f
        }
        defer { if let f = peakFile { try? FileManager.default.removeItem(atPath: f) } }
        var pid: pid_t = 0
        let argv = ([path] + args).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // The child's summary goes to a file or /dev/null; its plan goes to a file.
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let start = Date()
        let rc = posix_spawn(&pid, path, &actions, nil, argv, environ)
        guard rc == 0 else { throw ValidationError("cannot start \(path): \(String(cString: strerror(rc)))") }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let seconds = Date().timeIntervalSince(start)
        let exit: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        var peak = Int(usage.ru_maxrss)
        if let f = peakFile, let text = try? String(contentsOfFile: f, encoding: .utf8),
           let kb = text.split(whereSeparator: \.isNewline).last.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) {
            peak = kb
        }
        return Result(status: exit, seconds: seconds, peakKB: peak)
    }
}
