import Foundation
import JointPlan
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads one method's `params` object, collecting every problem with its JSON path
/// (`params.options.mipGap: must be a number in [0, 1), got "x"`), so that -32602 lists them
/// all in `data.errors` the way `validate` lists a scenario's problems.
///
/// Unknown keys are errors (as in a scenario, spec 2: typos are caught), except `_meta`,
/// which MCP reserves for the progress token.
struct Params {
    let object: JSONObject
    private(set) var problems: [InputProblem] = []

    init(_ params: JSON?, allowed: [String]) {
        switch params {
        case nil, .null?:
            object = JSONObject()
        case .object(let o)?:
            object = o
            for k in o.duplicateKeys { problems.append(InputProblem(path: JSONPath.key("params", k), message: "key appears more than once in the object")) }
            for k in o.keys where k != "_meta" && !allowed.contains(k) {
                let known = allowed.isEmpty ? "this method takes no params" : "known keys: \(allowed.joined(separator: ", "))"
                problems.append(InputProblem(path: JSONPath.key("params", k), message: "unknown key (\(known))"))
            }
        case .some(let other):
            object = JSONObject()
            problems.append(InputProblem(path: "params", message: "must be an object (named params), got \(other.typeName)"))
        }
    }

    mutating func problem(_ path: String, _ message: String) {
        problems.append(InputProblem(path: path, message: message))
    }

    /// Throws -32602 with every problem found so far.
    func check() throws {
        if !problems.isEmpty { throw RPCError.invalidParams(problems) }
    }

    mutating func string(_ key: String, required: Bool = false) -> String? {
        guard let v = object[key], v != .null else {
            if required { problem(JSONPath.key("params", key), "is required but missing") }
            return nil
        }
        guard let s = v.stringValue, !s.isEmpty else {
            problem(JSONPath.key("params", key), "must be a non-empty string, got \(v.short)")
            return nil
        }
        return s
    }

    /// A non-negative integer that fits 63 bits (run ids, limits).
    mutating func count(_ key: String, required: Bool = false) -> Int64? {
        guard let v = object[key], v != .null else {
            if required { problem(JSONPath.key("params", key), "is required but missing") }
            return nil
        }
        guard let i = v.intValue, i >= 0 else {
            problem(JSONPath.key("params", key), "must be a non-negative integer, got \(v.short)")
            return nil
        }
        return Int64(i)
    }

    mutating func bool(_ key: String) -> Bool? {
        guard let v = object[key], v != .null else { return nil }
        guard let b = v.boolValue else {
            problem(JSONPath.key("params", key), "must be true or false, got \(v.short)")
            return nil
        }
        return b
    }

    /// The scenario of `solve`/`validate`: `{"scenario": {…}}` or `{"path": "…"}` — exactly one.
    /// `whatif` names its inline scenario `base` (`inlineKey`).
    mutating func scenarioSource(inlineKey: String = "scenario") -> ScenarioSource? {
        let inline = object[inlineKey], path = object["path"]
        switch (inline, path) {
        case (nil, nil):
            problem("params", "needs \"\(inlineKey)\" (the scenario document) or \"path\" (a scenario file)")
            return nil
        case (.some, .some):
            problem("params", "takes \"\(inlineKey)\" or \"path\", not both")
            return nil
        case (let doc?, nil):
            guard doc.objectValue != nil else {
                problem(JSONPath.key("params", inlineKey), "must be a scenario object, got \(doc.typeName)")
                return nil
            }
            return .inline(doc)
        case (nil, let given?):
            // `"path": null` is a path of the wrong type, not a missing one: without this
            // `string` would give nil with no problem and the method would go on without
            // a scenario (issue 25: a force-unwrap crashed the service here).
            if given == .null { problem("params.path", "must be a non-empty string, got null"); return nil }
            return string("path", required: true).map { .file($0) }
        }
    }

    /// The scenario of a method that also reads a plan: as `scenarioSource()`, but it may be
    /// left out when the plan is a recorded run's (`runId`): nil then means the run's own
    /// scenario (once `check()` has passed).
    mutating func scenarioSourceOrRun() -> ScenarioSource? {
        if object["scenario"] == nil && object["path"] == nil && object["runId"] != nil { return nil }
        return scenarioSource()
    }

    /// The plan a method works on: `{"plan": {…jointplan.plan/1…}}` or `{"runId": N}` (a run of
    /// the database) — exactly one.
    mutating func planSource() -> PlanSource? {
        switch (object["plan"], object["runId"]) {
        case (nil, nil):
            problem("params", "needs \"plan\" (a plan document) or \"runId\" (a recorded run)")
            return nil
        case (.some, .some):
            problem("params", "takes \"plan\" or \"runId\", not both")
            return nil
        case (let doc?, nil):
            guard doc.objectValue != nil else {
                problem("params.plan", "must be a plan object (jointplan.plan/1), got \(doc.typeName)")
                return nil
            }
            return .inline(doc)
        case (nil, let given?):
            if given == .null { problem("params.runId", "must be a non-negative integer, got null"); return nil }
            return count("runId", required: true).map { .run($0) }
        }
    }

    /// A date `YYYY-MM-DD`.
    mutating func date(_ key: String, required: Bool = false) -> Day? {
        guard let s = string(key, required: required) else { return nil }
        guard let d = Day(s) else {
            problem(JSONPath.key("params", key), "must be a date YYYY-MM-DD, got \(JSONWriter.quote(s))")
            return nil
        }
        return d
    }

    /// One string or an array of strings (`export`'s `by`), each one of `choices`; nil when
    /// the key is missing.
    mutating func choices(_ key: String, among choices: [String]) -> [String]? {
        guard let v = object[key], v != .null else { return nil }
        let base = JSONPath.key("params", key)
        let entries: [(String, JSON)]
        if case .array(let a) = v {
            if a.isEmpty { problem(base, "must name at least one of \(choices.joined(separator: ", "))") }
            entries = a.enumerated().map { (JSONPath.index(base, $0.offset), $0.element) }
        } else {
            entries = [(base, v)]
        }
        var out: [String] = []
        for (path, e) in entries {
            if let s = e.stringValue, choices.contains(s) {
                if !out.contains(s) { out.append(s) }
            } else {
                problem(path, "must be one of \(choices.joined(separator: ", ")), got \(e.short)")
            }
        }
        return out
    }

    /// The solve options (spec 4: `timeLimitSeconds`, `mipGap`, `seed`; and the work limits
    /// `iterations` and `windows`, as the CLI's), defaults as the CLI.
    mutating func solveOptions() -> SolveOptions {
        var options = SolveOptions()
        guard let v = object["options"], v != .null else { return options }
        let base = "params.options"
        guard let o = v.objectValue else {
            problem(base, "must be an object, got \(v.typeName)")
            return options
        }
        for k in o.duplicateKeys { problem(JSONPath.key(base, k), "key appears more than once in the object") }
        let known = ["timeLimitSeconds", "mipGap", "seed", "iterations", "windows", "warmStart"]
        for k in o.keys where !known.contains(k) {
            problem(JSONPath.key(base, k), "unknown key (known keys: \(known.joined(separator: ", ")))")
        }
        if let t = o["timeLimitSeconds"], t != .null {
            // A day at most: a longer solve is a mistake, and it keeps the watchdog finite.
            if let d = t.doubleValue, d > 0, d <= Self.maxTimeLimit { options.timeLimitSeconds = d }
            else { problem(JSONPath.key(base, "timeLimitSeconds"), "must be a number of seconds in (0, \(Int(Self.maxTimeLimit))], got \(t.short)") }
        }
        if let g = o["mipGap"], g != .null {
            if let d = g.doubleValue, d >= 0, d < 1 { options.mipGap = d }
            else { problem(JSONPath.key(base, "mipGap"), "must be a number in [0, 1), got \(g.short)") }
        }
        if let s = o["seed"], s != .null {
            // The seed is written in decimal in the draw's hash input (spec 2.1): a
            // non-negative integer literal that fits 64 bits.
            if case .number(let lit) = s, let u = UInt64(lit) { options.seed = u }
            else { problem(JSONPath.key(base, "seed"), "must be a non-negative integer below 2^64, got \(s.short)") }
        }
        // The deterministic work limits, as the CLI's --iterations and --windows.
        for (key, range) in [("iterations", SolveOptions.iterationsRange), ("windows", SolveOptions.windowsRange)] {
            guard let v = o[key], v != .null else { continue }
            if case .number(let lit) = v, let n = Int(lit), range.contains(n) {
                if key == "iterations" { options.iterations = n } else { options.windows = n }
            } else {
                problem(JSONPath.key(base, key), "must be an integer in \(range.lowerBound)…\(range.upperBound), got \(v.short)")
            }
        }
        if let v = o["warmStart"], v != .null {
            if case .bool(let b) = v { options.warmStart = b }
            else { problem(JSONPath.key(base, "warmStart"), "must be true or false, got \(v.short)") }
        }
        return options
    }

    static let maxTimeLimit = SolveOptions.maxTimeLimitSeconds
}

extension Optional {
    /// The value a passed `Params.check()` promises. Should a method's reading of its params
    /// ever let a missing value through, the client gets -32602 naming `path` instead of the
    /// service dying on a force-unwrap (issue 25: one request must not kill the service).
    func checked(_ path: String) throws -> Wrapped {
        guard let value = self else { throw RPCError.invalidParams(path: path, "is missing or of the wrong type") }
        return value
    }
}

/// Where a scenario comes from in a request.
enum ScenarioSource {
    case inline(JSON)
    case file(String)
}

/// Where the plan of `explain`, `replan` and `export` comes from: the document itself, or a
/// run recorded in the database.
enum PlanSource {
    case inline(JSON)
    case run(Int64)
}

extension InputProblems {
    /// The problems with their paths moved under `base` (a plan's `visits[2].date` given as
    /// `params.plan` becomes `params.plan.visits[2].date`).
    func nested(under base: String) -> [InputProblem] {
        problems.map { p in
            let path = p.path.isEmpty ? base : p.path.hasPrefix("[") ? base + p.path : base + "." + p.path
            return InputProblem(path: path, message: p.message)
        }
    }
}

/// A scenario read for a request, with the exact bytes that identify it: the file's bytes,
/// or the canonical JSON of an inline document (spec 3: `scenario.sha256` is the hash of
/// "the scenario file's bytes, or of its canonical JSON").
struct LoadedScenario {
    var scenario: Scenario
    var bytes: Data

    /// Reads and validates; invalid input throws -32602 with every problem (paths as
    /// `validate` gives them, relative to the scenario document).
    static func load(_ source: ScenarioSource, root: PathRoot) throws -> LoadedScenario {
        let bytes = try ScenarioText.bytes(of: source, root: root)
        do {
            switch source {
            case .inline(let doc):
                return LoadedScenario(scenario: try ScenarioReader.read(json: doc), bytes: bytes)
            case .file:
                return LoadedScenario(scenario: try ScenarioReader.read(bytes), bytes: bytes)
            }
        } catch let e as InputProblems {
            throw RPCError.invalidParams(e.problems)
        }
    }
}

/// The bytes of a scenario source (reading a file with the size limit of the scenario
/// reader checked before the file is read into memory).
enum ScenarioText {
    static func bytes(of source: ScenarioSource, root: PathRoot) throws -> Data {
        switch source {
        case .inline(let doc):
            return Data(JSONWriter.canonical(doc).utf8)
        case .file(let path):
            // Inside the root (`serve --root`), then regular files only (stat follows
            // links): a device or a pipe could be read forever or block the request.
            let resolved = try root.reading(path, param: "params.path")
            var st = stat()
            if stat(resolved, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG,
               let tooLarge = ScenarioReader.sizeProblem(byteCount: Int(st.st_size)) {
                throw RPCError.invalidParams(path: "params.path", tooLarge.message)
            }
            do {
                return try InputFile.read(resolved, hint: "give a scenario file", regularOnly: true)
            } catch {
                throw RPCError.invalidParams(path: "params.path", "\(FileProblem(error.kind, path: path))")
            }
        }
    }
}
