import Crypto
import Foundation
import GLPK

/// Turns a scenario into a plan (spec 3): the solver's pipeline.
///
///     Duties (the draw) → Merge (visit chains per enterprise) → Schedule (GLPK day
///     selection + team routing) → Remote checks → Plan, with GLPK lower bounds
///     (`LowerBounds`: `BoundModel`, `DayGroupBound`) computed on threads of their own
///     meanwhile, joined before the plan is returned.
///
/// Every plan it returns satisfies spec 3.1 by construction (the roster enforces rules 1,
/// 2 and 4; the merge rules 3, 6, 7, 8; pins rule 9; `Evaluation` rule 10) and is checked
/// against the spec in the tests. The same scenario, seed and options give the same plan.
public enum Solver {
    /// Which planner to run: jointplan's, or one of the baselines the benchmark compares with.
    public enum Method: String, Sendable, CaseIterable {
        case jointplan
        /// Merge each enterprise's checks, then first fit onto days and teams (no GLPK).
        case greedyJoint
        /// Pre-reform: each department plans its own visits alone.
        case departmentAlone
    }

    /// `duties`: the draw of `scenario` with `options.seed`, when the caller has it already.
    public static func solve(_ scenario: Scenario, scenarioData: Data? = nil, options: SolveOptions = SolveOptions(),
                             method: Method = .jointplan, progress: (@Sendable (SolveProgress) -> Void)? = nil,
                             cancel: Cancellation? = nil, duties given: Duties? = nil) -> Plan {
        let duties = given ?? Duties(scenario: scenario, seed: options.seed)
        let input = PlanningInput(scenario: scenario, planning: scenario, duties: duties, toPlan: duties)
        return run(input, scenarioData: scenarioData, options: options, method: method, progress: progress, cancel: cancel)
    }

    /// What one run of the pipeline plans: the whole scenario, or for a re-plan what is
    /// left after the date, with the work already done frozen.
    struct PlanningInput {
        /// The scenario the plan is evaluated against (KPIs, objective).
        var scenario: Scenario
        /// The scenario the pipeline plans on (a re-plan: the horizon from the re-plan date,
        /// last checks moved to the checks already done, pins before the date dropped).
        var planning: Scenario
        /// The full draw (required checks of the plan).
        var duties: Duties
        /// What is left to plan.
        var toPlan: Duties
        var remaining: [Int: [Int]] = [:]
        var capUsed: [Int: Int] = [:]
        var frozenVisits: [Visit] = []
        var frozenRemote: [RemoteCheck] = []
        /// Base-plan visits to keep, per enterprise, in date order.
        var anchors: [Int: [Visit]] = [:]
    }

    /// The solver's driver: its phases in order (`SolveRun`).
    static func run(_ given: PlanningInput, scenarioData: Data?, options: SolveOptions, method: Method,
                    progress: (@Sendable (SolveProgress) -> Void)?, cancel: Cancellation?) -> Plan {
        // This thread builds and solves GLPK problems too (the starts, the search).
        GLPKSolver.silence()
        var run = SolveRun(given, scenarioData: scenarioData, options: options, method: method, progress: progress, cancel: cancel)
        defer { run.stop() }
        run.buildFirstStart()
        run.startBounds()
        run.runPipeline()
        run.drawBaselineTeams()
        run.keepBestStart()
        run.searchWindows()
        return run.finish()
    }

    /// What the decomposition pipeline gives: its plan and what it says about pins and time.
    struct PipelineResult {
        var plan: Plan
        var messages: [String]
        var pinTrouble: Bool
        var hitTimeLimit: Bool
        var dayModels: [(day: Day, data: String)]
    }

    /// The decomposition pipeline (the baselines' too): Merge → Trim → Schedule → Remote → Fill.
    static func pipeline(_ input: PlanningInput, calendar cal: WorkCalendar, scenarioData: Data?, options: SolveOptions,
                         method: Method, deadline: Date, cancel: Cancellation?,
                         report progress: @escaping (String, Double, String) -> Void, stage: (String, String) -> Void) -> PipelineResult {
        let scenario = input.planning
        let duties = input.toPlan
        func report(_ name: String, _ fraction: Double, _ message: String = "") { progress(name, fraction, message) }
        var merge = Merge(scenario, duties, cal, forceDepartmentAlone: method == .departmentAlone, capUsed: input.capUsed)
        if !input.remaining.isEmpty { merge.renumber(input.remaining, itemCount: scenario.items.count) }
        if method == .jointplan {
            // Where departments are saturated, drop their cheapest checks now, as the capacity
            // relaxation would, so that the rest of each joint visit still happens. The
            // relaxation knows no travel, so it plans with 85 % of the minutes; visit slots
            // are planned in full because the repair pass fills what the day loop misses
            // (measured on the short-staffed scenarios: 97 % of the slots cost 5-9 % more
            // weighted unmet work than 100 %).
            let planning = BoundModel(scenario, duties, cal, capUsed: input.capUsed)
            if let drops = planning.plannedDrops(minuteScale: 0.85, slotScale: 1.0, timeLimit: max(0.2, deadline.timeIntervalSinceNow)) {
                let ni = max(1, scenario.items.count)
                for (key, count) in drops.sorted(by: { $0.key < $1.key }) {
                    merge.drop(scenario, enterprise: key / ni, item: key % ni, count: count)
                }
                stage("trim", "\(drops.values.reduce(0, +)) checks of saturated departments set aside by the capacity relaxation")
            }
        }
        var jobs = merge.jobs, chains = merge.chains
        if method == .departmentAlone {
            let split = splitByDepartment(scenario, jobs, chains, capUsed: input.capUsed)
            (jobs, chains) = (split.jobs, split.chains)
            merge.lost += split.lost
        }
        stage("merge", "\(jobs.count) visits planned, \(merge.remote.count) remote, \(merge.lost.count) unavoidable losses")
        report("merge", 0.1, "\(jobs.count) visits to place")

        var sched = Scheduler(scenario, cal, jobs: jobs, chains: chains,
                              strategy: method == .jointplan ? .optimized : .firstFit,
                              recordModels: options.writeModelsDirectory != nil)
        // Re-planning: each enterprise's visits keep the base plan's later visits in order.
        for (e, base) in input.anchors {
            for (id, v) in zip(sched.chains[e], base) { sched.anchors[id] = v }
        }
        let pressed = zip(scenario.departments, sched.pressure).filter { $0.1 >= Scheduler.pressed }
        if !pressed.isEmpty {
            stage("pressure", "departments whose visits need at least \(Int(Scheduler.pressed * 100)) % of their slots: "
                  + pressed.map { "\($0.0.id) " + ($0.1.isFinite ? "\(Int(($0.1 * 100).rounded())) %" : "(no slots)") }.joined(separator: ", "))
        }
        sched.run(deadline: deadline, mipGap: options.mipGap, cancel: cancel) { day, of in
            report("schedule", 0.1 + 0.75 * Double(day) / Double(max(1, of)), "day \(day + 1) of \(of)")
        }
        let placed = sched.jobs.filter { $0.date != nil }.count
        stage("schedule", "\(placed) of \(jobs.count) visits placed; \(sched.stats.mipSolves) day programs (\(sched.stats.mipOptimal) optimal, \(sched.stats.mipVariables) class variables)")

        var roster = sched.roster
        let remote = RemotePass.run(scenario, cal, &roster, tasks: merge.remote, visits: sched.jobs,
                                    firstFit: method != .jointplan)
        stage("remote", "\(remote.placed.count) remote checks placed, \(remote.lost.count) not")
        report("remote", 0.9)
        if method == .jointplan && cancel?.isCancelled != true {
            // What capacity is left goes to the checks still unmet, heaviest first.
            let unplaced = { sched.jobs.reduce(0) { $0 + $1.dropped.count + ($1.date == nil ? $1.checks.count : 0) } }
            let before = unplaced()
            var remoteDates: [Int: [Day]] = [:]
            let ni = max(1, scenario.items.count)
            for r in remote.placed {
                if let e = scenario.enterpriseIndex[r.enterprise], let i = scenario.itemIndex[r.item] { remoteDates[e * ni + i, default: []].append(r.date) }
            }
            sched.roster = roster
            sched.fill(remoteDates: remoteDates, capUsed: input.capUsed, deadline: deadline)
            stage("fill", "\(before - unplaced()) checks set aside or lost found room in the capacity left")
        }

        // Assemble the plan (evaluated against the scenario, not the planning copy).
        let planning = scenario
        let evaluated = input.scenario
        var plan = Plan()
        plan.scenarioName = evaluated.name
        plan.scenarioSHA256 = scenarioData.map { sha256Hex($0) } ?? ""
        plan.seed = input.duties.seed
        let cancelled = cancel?.isCancelled == true
        let placedJobs = sched.jobs.filter { $0.date != nil }.sorted {
            ($0.date!, $0.start, evaluated.enterprises[$0.enterprise].id, $0.position) < ($1.date!, $1.start, evaluated.enterprises[$1.enterprise].id, $1.position)
        }
        // Frozen visits keep their ids; new ones are numbered after them.
        plan.visits = input.frozenVisits
        var usedIds = Set(input.frozenVisits.map(\.id))
        var serial = 0
        func nextId() -> String {
            repeat { serial += 1 } while usedIds.contains(String(format: "V%05d", serial))
            usedIds.insert(String(format: "V%05d", serial))
            return String(format: "V%05d", serial)
        }
        for job in placedJobs {
            let checks = zip(job.checks, job.performers).map { c, p in
                Check(item: planning.items[c.item].id, occurrence: c.occurrence, inspector: planning.inspectors[p].id)
            }.sorted { ($0.item, $0.occurrence) < ($1.item, $1.occurrence) }
            plan.visits.append(Visit(id: nextId(), enterprise: evaluated.enterprises[job.enterprise].id,
                                     date: job.date!, start: job.start, end: job.end,
                                     inspectors: job.team.map { planning.inspectors[$0].id }, checks: checks))
        }
        plan.remoteChecks = input.frozenRemote + remote.placed.sorted { ($0.date, $0.enterprise, $0.item, $0.occurrence) < ($1.date, $1.enterprise, $1.item, $1.occurrence) }
        var unmet: [UnmetCheck] = []
        for l in merge.lost + remote.lost {
            unmet.append(UnmetCheck(enterprise: evaluated.enterprises[l.enterprise].id, item: evaluated.items[l.item].id,
                                    occurrence: l.occurrence, reason: l.reason))
        }
        let reasonLeft: UnmetReason = (cancelled || sched.hitTimeLimit) ? .timeLimit : .staffing
        for job in sched.jobs {
            for c in job.dropped {
                unmet.append(UnmetCheck(enterprise: evaluated.enterprises[job.enterprise].id, item: evaluated.items[c.item].id,
                                        occurrence: c.occurrence, reason: .staffing))
            }
        }
        for job in sched.jobs where job.date == nil {
            for c in job.checks {
                unmet.append(UnmetCheck(enterprise: evaluated.enterprises[job.enterprise].id, item: evaluated.items[c.item].id,
                                        occurrence: c.occurrence, reason: reasonLeft))
            }
        }
        plan.unmet = unmet.sorted { ($0.enterprise, $0.item, $0.occurrence) < ($1.enterprise, $1.item, $1.occurrence) }
        let eval = Evaluation(scenario: evaluated, calendar: cal)
        eval.finish(&plan, requiredChecks: input.duties.totalChecks)
        return PipelineResult(plan: plan, messages: merge.pinConflicts + sched.messages,
                              pinTrouble: !merge.pinConflicts.isEmpty || sched.pinsUnheld > 0,
                              hitTimeLimit: cancelled || sched.hitTimeLimit, dayModels: sched.dayModels)
    }

    /// A lower bound on on-site visits for a plan performing at least the plan's work: every
    /// on-site-only check the plan performs needs its own visit per occurrence (spec 3.2,
    /// visitLowerBound, restricted to items that cannot be done remotely).
    ///
    /// Pins (rule 9) add to it: an enterprise has at least its pinned visits (one per pinned
    /// date), and one more when one of those on-site-only checks is of a department none of
    /// whose inspectors may visit it on any pinned date (rules 2, 3: it cannot join a pinned
    /// visit). Roster districts have such enterprises: a pin on a day one department of the
    /// enterprise is not on duty.
    public static func visitBound(_ s: Scenario, _ plan: Plan, calendar cal: WorkCalendar) -> Int {
        var occ: [String: [String: Int]] = [:]
        for v in plan.visits {
            for c in v.checks where !(s.item(c.item)?.remoteAllowed ?? true) { occ[v.enterprise, default: [:]][c.item, default: 0] += 1 }
        }
        // Pinned dates with a visit there (a pin the plan let go, status infeasible, adds nothing).
        let visited = Set(plan.visits.map { "\($0.enterprise)|\($0.date)" })
        var pinDays: [String: Set<Int>] = [:]
        for pin in s.pinned where visited.contains("\(pin.enterprise)|\(pin.date)") {
            if let d = cal.indexOf(pin.date) { pinDays[pin.enterprise, default: []].insert(d) }
        }
        let el = pinDays.isEmpty ? nil : Eligibility(s, cal)
        var total = 0
        for (e, items) in occ {
            var bound = items.values.max() ?? 0
            if let days = pinDays[e], let el, let ei = s.enterpriseIndex[e] {
                let apart = items.keys.contains { id in
                    guard let i = s.itemIndex[id], !el.itemDelegable[i], el.itemDepartment[i] >= 0 else { return false }
                    return !days.contains { el.onDuty(el.itemDepartment[i], day: $0, enterprise: ei) }
                }
                bound = max(bound, days.count + (apart ? 1 : 0))
            }
            total += bound
        }
        // Enterprises with pins but no on-site-only check performed still have their pinned visits.
        for (e, days) in pinDays where occ[e] == nil { total += days.count }
        return total
    }

    /// Department-alone baseline: every merged visit splits into one visit per department
    /// (a pinned visit stays whole: it was agreed as one). The enterprise's on-site cap
    /// still holds (rule 8), so the department visits past it lose their checks (`visitCap`).
    static func splitByDepartment(_ s: Scenario, _ jobs: [Job], _ chains: [[Int]], capUsed: [Int: Int])
        -> (jobs: [Job], chains: [[Int]], lost: [LostCheck]) {
        var out: [Job] = []
        var lost: [LostCheck] = []
        var newChains: [[Int]] = Array(repeating: [], count: chains.count)
        for (e, chain) in chains.enumerated() {
            var perDept: [String: [Job]] = [:]
            var deptOrder: [String] = []
            var pinned: [Job] = []
            for id in chain {
                let job = jobs[id]
                if job.pin != nil { pinned.append(job); continue }
                let groups = Dictionary(grouping: job.checks, by: { s.items[$0.item].department })
                for d in groups.keys.sorted() {
                    let checks = groups[d]!
                    let j = Job(id: 0, enterprise: e, position: perDept[d]?.count ?? 0, checks: checks,
                                earliest: job.earliest, latest: job.latest, value: job.value * Double(checks.count) / Double(max(1, job.checks.count)))
                    j.departments = checks.contains { !s.items[$0.item].delegable } ? [s.departmentIndex[d]!] : []
                    if perDept[d] == nil { deptOrder.append(d) }
                    perDept[d, default: []].append(j)
                }
            }
            var cap = max(0, s.onsiteCap(of: s.enterprises[e]) - (capUsed[e] ?? 0))
            var keep: [Job] = []
            for j in pinned { keep.append(j); cap -= 1 }
            for d in deptOrder {
                for j in perDept[d]! {
                    if cap > 0 { keep.append(j); cap -= 1 }
                    else { lost += j.checks.map { LostCheck(enterprise: e, item: $0.item, occurrence: $0.occurrence, reason: .visitCap) } }
                }
            }
            for j in keep {
                let copy = Job(id: out.count, enterprise: e, position: j.position, checks: j.checks, earliest: j.earliest, latest: j.latest, value: j.value)
                copy.pin = j.pin
                copy.departments = j.departments
                out.append(copy)
                newChains[e].append(copy.id)
            }
        }
        return (out, newChains, lost)
    }

    static func sha256Hex(_ d: Data) -> String {
        SHA256.hash(data: d).map { String(format: "%02x", $0) }.joined()
    }
}

extension Scenario {
    /// The same scenario with its inspectors in id order (UTF-8 bytes), lookups rebuilt.
    func inspectorsInIdOrder() -> Scenario {
        var s = self
        s.inspectors.sort { Array($0.id.utf8).lexicographicallyPrecedes(Array($1.id.utf8)) }
        s.index()
        return s
    }
}

/// Lets one progress report through at a time, with a fraction that never goes back.
final class ProgressGate: Sendable {
    private let fraction = Locked(0.0)
    func pass(_ f: Double, _ body: (Double) -> Void) {
        // The report is made under the lock on purpose: reports from this thread and the
        // bound's go out one at a time, in order of their fractions.
        fraction.withLock { current in
            current = max(current, f)
            body(current)
        }
    }
}

/// Writes the subproblems' MathProg data next to copies of the models, for glpsol.
enum ModelFiles {
    static func write(dir: String, bound: String?, days: [(day: Day, data: String)]) {
        let fm = FileManager.default
        try? fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
        if let b = bound { try? Data(b.utf8).write(to: URL(fileURLWithPath: dir).appendingPathComponent("bound.dat")) }
        for (d, text) in days {
            try? Data(text.utf8).write(to: URL(fileURLWithPath: dir).appendingPathComponent("day-\(d).dat"))
        }
        for name in ["bound.mod", "day.mod"] {
            if let text = ModelSources.text[name] {
                try? Data(text.utf8).write(to: URL(fileURLWithPath: dir).appendingPathComponent(name))
            }
        }
    }
}
