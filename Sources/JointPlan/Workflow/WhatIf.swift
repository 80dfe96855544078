import Foundation
import GLPK

/// What-if comparisons (spec 4, What-if): the base scenario and variants of it, each the base
/// with one RFC 7386 merge patch applied, solved side by side so that a planning office can
/// compare policies (a higher sampling rate, a cap, a department short of staff) on the KPIs
/// of spec 3.2 before committing to one.
///
/// Every variant is validated on its own: a variant whose patch breaks the scenario is
/// reported with its problems (JSON paths into the patched scenario) and the others still
/// run. Solves run in parallel on their own OS threads, because each `Solver.solve` keeps
/// its GLPK problems on the thread that calls it (notes/glpk.md, Threads).
public enum WhatIf {
    /// Applies each patch to `base`, validates and solves the base and every variant on at
    /// most `threads` threads, and returns them in the order given (base first), so the
    /// result does not depend on the number of threads or on which solve finished first.
    ///
    /// - Parameters:
    ///   - progress: called from the worker threads with the variant's position (0 = base)
    ///     and the solver's progress; it must be thread-safe.
    ///   - cancel: stops every solve still running (their plans then hold `timeLimit` unmet).
    public static func run(base: JSON, baseName: String, patches: [(name: String, patch: JSON)],
                           options: SolveOptions = SolveOptions(), threads: Int = 2,
                           progress: (@Sendable (_ variant: Int, _ name: String, _ progress: SolveProgress) -> Void)? = nil,
                           cancel: Cancellation? = nil) -> WhatIfResult {
        var inputs: [(name: String, document: JSON, problems: [InputProblem])] = [(baseName, base, [])]
        for (name, patch) in patches {
            // Problems of the patch itself are named under "patch:" so they are not mistaken
            // for paths in the scenario.
            // The patch declares its kind (RFC 7386 or merge by id, `ScenarioPatch`).
            let patched = ScenarioPatch.apply(patch, to: base)
            inputs.append((name, patched.document, patched.problems))
        }
        let variants = inputs
        let slots = ResultSlots(count: variants.count)
        let work = { @Sendable (k: Int) in
            let input = variants[k]
            slots.set(k, solveVariant(name: input.name, document: input.document, patchProblems: input.problems,
                                      options: options, progress: progress.map { p in { @Sendable in p(k, input.name, $0) } },
                                      cancel: cancel))
        }
        Workers.run(count: variants.count, threads: threads, work)
        return WhatIfResult(base: baseName, variants: slots.values.map { $0! })
    }

    /// Validates one scenario document and solves it; the plan is checked against spec 3.1 so
    /// the sheet can say whether each variant's plan is valid.
    static func solveVariant(name: String, document: JSON, patchProblems: [InputProblem], options: SolveOptions,
                             progress: (@Sendable (SolveProgress) -> Void)?, cancel: Cancellation?) -> WhatIfVariant {
        var variant = WhatIfVariant(name: name)
        variant.scenarioName = document["name"]?.stringValue ?? ""
        if !patchProblems.isEmpty {
            variant.problems = patchProblems
            return variant
        }
        let scenario: Scenario
        do {
            scenario = try ScenarioReader.read(json: document)
        } catch let e as InputProblems {
            variant.problems = e.problems
            return variant
        } catch {
            variant.problems = [InputProblem(path: "", message: "\(error)")]
            return variant
        }
        // The plan records the sha256 of the variant's canonical JSON: the variant has no
        // file of its own, and check_plan.py accepts either form (A23).
        let data = Data(JSONWriter.canonical(document).utf8)
        // Starts on the 15-minute grid, as `jointplan solve` writes them (the objective is unchanged).
        let plan = TimeGrid.apply(Solver.solve(scenario, scenarioData: data, options: options, progress: progress, cancel: cancel),
                                  scenario: scenario, minutes: TimeGrid.defaultMinutes).0
        let report = PlanChecker.check(scenario: scenario, plan: plan)
        variant.plan = plan
        variant.violations = report.violations.map { "rule \($0.rule): \($0.message)" }
        variant.departments = scenario.departments.map(\.id)
        variant.bottleneck = Bottleneck(scenario: scenario, plan: plan)
        variant.targets = TargetCheck.assess(scenario: scenario, plan: plan).filter { $0.value != nil }
        return variant
    }
}

/// One column of a what-if sheet: a variant's name, and either its input problems or its
/// solved plan (with the checker's verdict on it).
public struct WhatIfVariant: Sendable {
    /// The patch's file name (or the base's).
    public var name: String
    /// The scenario's own `name` after the patch, when it has one.
    public var scenarioName = ""
    /// Why the variant could not be solved: JSON paths into the patched scenario.
    public var problems: [InputProblem] = []
    public var plan: Plan?
    /// Rules of spec 3.1 the plan breaks (empty for a valid plan).
    public var violations: [String] = []
    /// The variant's departments in scenario order (utilisation rows).
    public var departments: [String] = []
    /// Unmet work, slot and minute use per department (issue 14, item 6).
    public var bottleneck: Bottleneck?
    /// The plan's KPIs against the variant's targets (issue 23; completion not assessed).
    public var targets: [TargetCheck] = []

    public init(name: String) { self.name = name }
    public var isValid: Bool { problems.isEmpty && plan != nil }
}

/// The result of a what-if run: the base and its variants, in the order given, with the
/// renderings the CLI and the service use (aligned table, sheet rows for CSV, JSON).
public struct WhatIfResult: Sendable {
    public var base: String
    /// The base first, then one per patch.
    public var variants: [WhatIfVariant]

    public init(base: String, variants: [WhatIfVariant]) { self.base = base; self.variants = variants }

    /// Departments across all variants, in the order they first appear.
    var departments: [String] {
        var seen = Set<String>(), out: [String] = []
        for v in variants { for d in v.departments where seen.insert(d).inserted { out.append(d) } }
        return out
    }

    /// The comparison sheet: one row per KPI, one column per variant. The numbers are plain
    /// (no thousands separators, percentages without the sign) so the CSV reads as numbers;
    /// an invalid variant's cells are "-". Without `timings` the solve seconds are left out,
    /// which makes the sheet identical between runs.
    public func sheet(timings: Bool = true, language: Language = .en) -> (header: [String], rows: [[String]]) {
        let t = Catalogue(language)
        var rows: [[String]] = []
        func row(_ label: String, _ cell: (Plan, WhatIfVariant) -> String) {
            rows.append([label] + variants.map { v in v.plan.map { cell($0, v) } ?? "-" })
        }
        rows.append([t("whatif.status")] + variants.map { v in v.plan.map { t("status.\($0.status.rawValue)") } ?? t("whatif.invalid") })
        row(t("whatif.passes")) { _, v in v.violations.isEmpty ? t("whatif.yes") : t("whatif.no", v.violations.count) }
        row(t("whatif.required")) { p, _ in "\(p.kpis.requiredChecks)" }
        row(t("whatif.onsite")) { p, _ in "\(p.kpis.onsiteChecks)" }
        row(t("whatif.remote")) { p, _ in "\(p.kpis.remoteChecks)" }
        row(t("whatif.unmet")) { p, _ in "\(p.kpis.unmetChecks)" }
        // Reasons that occur in some variant; the JSON always lists all of them.
        for r in UnmetReason.allCases where variants.contains(where: { ($0.plan?.kpis.unmetByReason[r] ?? 0) > 0 }) {
            row(t("whatif.unmetReason", language == .en ? r.rawValue : t("reason.\(r.rawValue)"))) { p, _ in "\(p.kpis.unmetByReason[r] ?? 0)" }
        }
        row(t("whatif.unmetWeighted")) { p, _ in JSON.format(p.objective.unmetWeighted) }
        row(t("whatif.bound")) { p, _ in JSON.format(p.solver.bestBound) }
        row(t("whatif.visits")) { p, _ in "\(p.objective.onsiteVisits)" }
        row(t("whatif.visitBound")) { p, _ in "\(p.kpis.visitLowerBound)" }
        row(t("whatif.baseline")) { p, _ in "\(p.kpis.baselineVisits)" }
        row(t("whatif.reduction")) { p, _ in String(format: "%.1f", p.kpis.visitReductionPct) }
        row(t("whatif.jointRate")) { p, _ in String(format: "%.1f", p.kpis.jointVisitRate * 100) }
        row(t("whatif.maxVisits")) { p, _ in "\(p.kpis.maxVisitsPerEnterprise)" }
        row(t("whatif.minutes")) { p, _ in "\(p.objective.inspectorMinutes)" }
        // The bottleneck by department: unmet work, slot use beside minute use, extra days.
        func department(_ v: WhatIfVariant, _ d: String) -> DepartmentBottleneck? { v.bottleneck?.departments.first { $0.department == d } }
        for d in departments {
            row(t("whatif.deptUnmet", d)) { _, v in department(v, d).map { "\($0.unmetChecks)" } ?? "-" }
            row(t("whatif.deptUnmetWeighted", d)) { _, v in department(v, d).map { JSON.format($0.unmetWeight) } ?? "-" }
            row(t("whatif.deptSlots", d)) { _, v in department(v, d).map { String(format: "%.1f", $0.slotUse * 100) } ?? "-" }
            row(t("whatif.deptMinutes", d)) { p, _ in
                p.kpis.utilization.first { $0.department == d }.map { String(format: "%.1f", $0.value * 100) } ?? "-"
            }
            row(t("whatif.deptExtraDays", d)) { _, v in department(v, d).map { "\($0.extraInspectorDays)" } ?? "-" }
        }
        // Each KPI against its target, where a variant has one (issue 23).
        for key in KPITargets.keys where variants.contains(where: { v in v.targets.contains { $0.key == key } }) {
            row(t("target.title") + ": " + t("target.\(key)")) { _, v in
                guard let c = v.targets.first(where: { $0.key == key }), let met = c.met else { return "-" }
                let f = key == "visitReductionPct" ? String(format: "%.0f", c.target) : String(format: "%.0f%%", c.target * 100)
                return "≥\(f) " + (met ? t("target.met") : t("target.notMet"))
            }
        }
        if timings { row(t("whatif.seconds")) { p, _ in String(format: "%.2f", p.solver.seconds) } }
        return (["", ] + variants.map(\.name), rows)
    }

    /// The sheet as an aligned text table (labels left, values right), followed by every
    /// invalid variant's problems and every plan's broken rules.
    public func table(timings: Bool = true, language: Language = .en) -> String {
        let (header, rows) = sheet(timings: timings, language: language)
        let all = [header] + rows
        let widths = header.indices.map { c in all.map { TextTable.width($0[c]) }.max() ?? 0 }
        var out = ""
        for (n, r) in all.enumerated() {
            var line = TextTable.pad(r[0], widths[0])
            for c in 1..<r.count {
                line += "  " + TextTable.pad(r[c], widths[c], right: true)
            }
            out += line + "\n"
            if n == 0 { out += String(repeating: "-", count: TextTable.width(line)) + "\n" }
        }
        for v in variants where !v.problems.isEmpty {
            out += "\n\(v.name): \(v.problems.count) problem\(v.problems.count == 1 ? "" : "s") in the variant\n"
            for p in v.problems.prefix(50) { out += "  \(p)\n" }
            if v.problems.count > 50 { out += "  ... and \(v.problems.count - 50) more\n" }
        }
        for v in variants where !v.violations.isEmpty {
            out += "\n\(v.name): the plan breaks \(v.violations.count) rule\(v.violations.count == 1 ? "" : "s")\n"
            for m in v.violations.prefix(20) { out += "  \(m)\n" }
        }
        return out
    }

    /// The result for the service and `--json`: one object per variant with its problems or
    /// its figures (all unmet reasons, utilisation per department). Without `timings` the
    /// solve seconds are 0 (byte-identical reruns).
    public func json(timings: Bool = true) -> JSON {
        .object(JSONObject([
            ("base", .string(base)),
            ("variants", .array(variants.map { v in
                var o = JSONObject([("name", .string(v.name)), ("scenarioName", .string(v.scenarioName)),
                                    ("valid", .bool(v.isValid))])
                if !v.problems.isEmpty { o["errors"] = .array(v.problems.map(\.json)) }
                if let p = v.plan {
                    o["status"] = .string(p.status.rawValue)
                    o["planPassesChecker"] = .bool(v.violations.isEmpty)
                    if !v.violations.isEmpty { o["violations"] = .array(v.violations.map { .string($0) }) }
                    o["objective"] = p.objective.json
                    o["bestBound"] = .double(p.solver.bestBound)
                    o["gap"] = .double(KPIs.round(p.solver.gap, 6))
                    o["kpis"] = p.kpis.json
                    if let b = v.bottleneck { o["bottleneck"] = b.json }
                    if !v.targets.isEmpty { o["targets"] = .array(v.targets.map(\.json)) }
                    o["seconds"] = .double(timings ? KPIs.round(p.solver.seconds, 3) : 0)
                }
                return .object(o)
            })),
        ]))
    }
}

/// Results written by worker threads, each into its own slot.
final class ResultSlots: Sendable {
    private let slots: Locked<[WhatIfVariant?]>
    init(count: Int) { slots = Locked(Array(repeating: nil, count: count)) }
    func set(_ k: Int, _ v: WhatIfVariant) { slots.withLock { $0[k] = v } }
    var values: [WhatIfVariant?] { slots.current }
}

/// Runs `count` independent jobs on at most `threads` GLPK threads and waits for all of them
/// to end. `GLPKThread`s (not Swift concurrency) because a GLPK problem must live and die on
/// one OS thread; each frees its GLPK environment when it is done (notes/glpk.md).
enum Workers {
    static func run(count: Int, threads: Int, _ job: @escaping @Sendable (Int) -> Void) {
        guard count > 0 else { return }
        let next = Counter()
        let drain: @Sendable () -> Void = { while let k = next.take(below: count) { job(k) } }
        var started: [GLPKThread] = []
        for n in 0..<max(1, min(threads, count)) {
            guard let thread = try? GLPKThread(name: "whatif-\(n + 1)") else { continue }
            thread.submit(drain)
            started.append(thread)
        }
        // No thread to be had: the jobs run on this one.
        if started.isEmpty { drain() }
        for thread in started { thread.join() }
    }

    final class Counter: Sendable {
        private let value = Locked(0)
        func take(below n: Int) -> Int? {
            value.withLock { v in
                guard v < n else { return nil }
                v += 1
                return v - 1
            }
        }
    }
}
