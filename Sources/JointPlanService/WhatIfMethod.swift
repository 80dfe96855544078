import Foundation
import JointPlan

extension Methods {
    /// `whatif {"base": {…} | "path", "patches": [{"name", "patch"}], "options"?, "threads"?}` →
    /// `WhatIfResult.json()` (spec 4, What-if): the base validated here (an invalid base is
    /// -32602), then the base and every variant solved in one child process. A variant whose
    /// patch breaks the scenario is reported in the result with its problems; the others still
    /// run.
    static func whatIf(_ s: Service, _ call: Call) {
        s.onWorker(call) {
            guard !call.isFinished else { return }
            let input: WhatIfInput
            do { input = try WhatIfInput(call.params, root: s.pathRoot) } catch let e as RPCError {
                call.fail(e)
                return
            } catch {
                call.fail(.internalError("\(error)"))
                return
            }
            s.solveSlots.submit { await WhatIfJob(service: s, call: call, input: input).run() }
        }
    }
}

/// The params of `whatif`, checked.
struct WhatIfInput {
    /// The most variants one request may compare: each variant's end must raise the call's
    /// progress by at least 0.1 % (see `VariantProgress`), and a comparison sheet of more
    /// columns is not read by anyone.
    static let maxPatches = 99
    static let maxThreads = 16

    var base: JSON
    var baseName: String
    var patches: [(name: String, patch: JSON)] = []
    var options: SolveOptions
    var threads: Int

    init(_ params: JSON?, root: PathRoot) throws {
        var p = Params(params, allowed: ["base", "path", "patches", "options", "threads"])
        let source = p.scenarioSource(inlineKey: "base")
        options = p.solveOptions()
        threads = Int(p.count("threads") ?? 2)
        if p.object["threads"] != nil, !(1...Self.maxThreads).contains(threads) {
            p.problem("params.threads", "must be between 1 and \(Self.maxThreads), got \(threads)")
        }
        // The base's column is named as `jointplan whatif` names it: its file name without
        // `.json`, or "base" for a document.
        switch source {
        case .file(let path)?:
            let file = URL(fileURLWithPath: path).lastPathComponent
            baseName = file.hasSuffix(".json") ? String(file.dropLast(5)) : file
        default:
            baseName = "base"
        }
        patches = Self.patches(&p, baseName: baseName)
        try p.check()
        let given = try source.checked("params")
        let loaded = try LoadedScenario.load(given, root: root)
        switch given {
        case .inline(let doc): base = doc
        case .file: base = try JSONParser.parse(loaded.bytes)
        }
    }

    /// `patches`: an array of `{"name", "patch"}`, names unique (they name the sheet's
    /// columns) and other than the base's, each patch an RFC 7386 merge patch object.
    private static func patches(_ p: inout Params, baseName: String) -> [(name: String, patch: JSON)] {
        let base = "params.patches"
        guard let v = p.object["patches"], v != .null else {
            p.problem(base, "is required but missing (an array of {\"name\", \"patch\"}; it may be empty)")
            return []
        }
        guard let entries = v.arrayValue else {
            p.problem(base, "must be an array of {\"name\", \"patch\"}, got \(v.typeName)")
            return []
        }
        if entries.count > maxPatches {
            p.problem(base, "has \(entries.count) variants; at most \(maxPatches) are compared in one request")
            return []
        }
        var out: [(name: String, patch: JSON)] = []
        var names: [String: String] = [baseName: "the base"]
        for (n, entry) in entries.enumerated() {
            let path = JSONPath.index(base, n)
            guard let o = entry.objectValue else {
                p.problem(path, "must be an object {\"name\", \"patch\"}, got \(entry.typeName)")
                continue
            }
            for k in o.duplicateKeys { p.problem(JSONPath.key(path, k), "key appears more than once in the object") }
            for k in o.keys where k != "name" && k != "patch" {
                p.problem(JSONPath.key(path, k), "unknown key (known keys: name, patch)")
            }
            var name: String?
            switch o["name"] {
            case nil: p.problem(JSONPath.key(path, "name"), "is required but missing")
            case .string(let s)? where !s.isEmpty:
                if let other = names[s] {
                    p.problem(JSONPath.key(path, "name"), "\(JSONWriter.quote(s)) is already the name of \(other)")
                } else {
                    names[s] = "params.patches[\(n)]"
                    name = s
                }
            case let other?: p.problem(JSONPath.key(path, "name"), "must be a non-empty string, got \(other.short)")
            }
            // A scenario is an object, so a patch that is not one (RFC 7386: it would replace
            // the whole scenario) can never give a variant.
            switch o["patch"] {
            case nil: p.problem(JSONPath.key(path, "patch"), "is required but missing")
            case .object(let patch)?: if let name { out.append((name, .object(patch))) }
            case let other?: p.problem(JSONPath.key(path, "patch"), "must be a merge patch object (RFC 7386), got \(other.typeName)")
            }
        }
        return out
    }
}

/// A what-if in a child process (`WorkerJob`, mode `whatif`): relays its progress as one
/// percentage for the whole comparison, with a notification as each variant ends, and
/// answers with the comparison.
struct WhatIfJob {
    let service: Service
    let call: Call
    let input: WhatIfInput

    var variantCount: Int { input.patches.count + 1 }

    /// The solves run `threads` at a time: the watchdog allows every round its solve's own
    /// allowance, and start-up once.
    var watchdogSeconds: Double {
        let rounds = (variantCount + input.threads - 1) / input.threads
        return Double(rounds) * input.options.timeLimitSeconds * 1.5 + 30
    }

    func run() async {
        guard !call.isFinished else { return }
        let request = JSONObject([
            ("mode", .string("whatif")), ("base", input.base), ("baseName", .string(input.baseName)),
            ("patches", .array(input.patches.map { .object(JSONObject([("name", .string($0.name)), ("patch", $0.patch)])) })),
            ("options", WorkerJob.optionsJSON(input.options)), ("threads", .int(input.threads)),
        ])
        let job = WorkerJob(service: service, call: call, request: .object(request), watchdogSeconds: watchdogSeconds,
                            workName: "the what-if",
                            limitNote: "\(variantCount) variants, time limit \(JSON.format(input.options.timeLimitSeconds)) s each")
        // Lines come in order from one task; the tracker is still Locked, being mutated from
        // a @Sendable closure.
        let tracker = Locked(VariantProgress(names: [input.baseName] + input.patches.map(\.name), call: call))
        let outcome = await job.run(started: { pid in tracker.withLock { $0.start(pid: pid) } },
                                    progress: { p in tracker.withLock { $0.update(p) } })
        switch outcome {
        case .cancelled: return
        case .failed(let e): call.fail(e)
        case .result(let message):
            guard let result = message["whatif"] else {
                call.fail(.internalError("the solver process answered without a what-if result"))
                return
            }
            call.reply(result)
        }
    }
}

/// Turns the child's progress of each variant into one percentage that only grows: a variant
/// still solving counts for up to 90 % of its share, a finished one for all of it, so the end
/// of every variant raises the figure (by at least 10 % / variants) and gets a notification
/// of its own — stage `variant`, naming it, with `variantsDone` of `variants`. Progress within
/// a variant goes out at most five times a second.
struct VariantProgress: Sendable {
    let names: [String]
    let call: Call
    private var share: [Double]
    private var finished: [Bool]
    private var lastSent = Date.distantPast

    init(names: [String], call: Call) {
        self.names = names
        self.call = call
        share = Array(repeating: 0, count: names.count)
        finished = Array(repeating: false, count: names.count)
    }

    private var percent: Double { share.reduce(0, +) / Double(max(1, names.count)) * 100 }
    private var elapsed: Double { Date().timeIntervalSince(call.received) }
    private var doneCount: Int { finished.filter { $0 }.count }

    private func extra(_ k: Int?) -> JSONObject {
        var o = JSONObject()
        if let k { o["variant"] = .string(names[k]) }
        o["variantsDone"] = .int(doneCount)
        o["variants"] = .int(names.count)
        return o
    }

    func start(pid: Int32) {
        call.progress(percent: 0, stage: "start", elapsed: 0, incumbent: nil, bound: nil, gap: nil,
                      note: "solver process \(pid), \(names.count) variant\(names.count == 1 ? "" : "s")", extra: extra(nil))
    }

    mutating func update(_ p: JSON) {
        guard let k = p["variant"]?.intValue, names.indices.contains(k), !finished[k] else { return }
        let stage = p["stage"]?.stringValue ?? ""
        let message = p["message"]?.stringValue ?? ""
        if stage == "done" || stage == "invalid" {
            finished[k] = true
            share[k] = 1
            let what = stage == "done" ? "solved" : "invalid: \(message)"
            call.progress(percent: percent, stage: "variant", elapsed: elapsed, incumbent: p["incumbent"]?.doubleValue,
                          bound: p["bound"]?.doubleValue, gap: p["gap"]?.doubleValue,
                          note: "\(names[k]) \(what) (\(doneCount) of \(names.count) done)", extra: extra(k), milestone: true)
            lastSent = Date()
            return
        }
        let fraction = min(1, max(0, p["fraction"]?.doubleValue ?? 0))
        share[k] = max(share[k], 0.9 * fraction)
        guard Date().timeIntervalSince(lastSent) >= 0.2 else { return }
        lastSent = Date()
        call.progress(percent: percent, stage: stage, elapsed: elapsed, incumbent: p["incumbent"]?.doubleValue,
                      bound: p["bound"]?.doubleValue, gap: p["gap"]?.doubleValue,
                      note: "\(names[k]): \(message)", extra: extra(k))
    }
}
