import Foundation
import Testing
@testable import JointPlan

/// Issue 10's robustness suite: districts of every shape the generator's random mode draws
/// (`DistrictParameters.random`: duty rosters, tiny departments, three-person teams, long
/// travel, pins sharing inspectors, long white lists, short staffing, any quarter), solved
/// and held to what the issue asks of every plan:
///
/// - both checkers pass (`PlanChecker` and `../shared/tools/check_plan.py`); a plan with
///   status `infeasible` may break rule 9 only, and only when the peer cannot hold the pins
///   either;
/// - the plan is lexicographically no worse (spec 3.2) than `../shared/peers/firstfit.py
///   joint`'s plan of the same scenario (skipped when the peer stops on a pin it cannot hold);
/// - `solver.bestBound` ≤ the plan's weighted unmet;
/// - the order of `pinned` in the file does not change the status;
/// - no check unmet for `staffing` that a remote check would do: its item allows remote and
///   an inspector of its department has the minutes on a day its spacing allows;
/// - no check unmet for `staffing` that could join an existing visit of its enterprise with
///   nothing else changed (a team member may perform it, the visit lacks the item, spacing
///   allows, the longer visit still fits every member's day).
///
/// The two properties are computed here from the plan and the scenario by spec 3.1, not by the
/// solver's rules. Seeds are fixed; every failure names the seed and the `jointplan generate`
/// command that rebuilds the district.
@Suite("Robustness: random districts against the first-fit peer")
struct RobustnessTests {
    /// The suite's districts: 80 seeds, 40–250 enterprises.
    static let districts: [RandomDistrict] = (1...80).map { k in
        RandomDistrict(enterprises: 40 + (k * 53) % 211, seed: UInt64(1000 + k))
    }

    @Test("80 random districts: valid for both checkers, no worse than first-fit, bound below the plan, pins order-blind and held, no staffing loss a remote check or a join would avoid")
    func randomDistricts() throws {
        let outcomes = Recorded<RobustnessOutcome>()
        let next = Locked(0)
        let list = Self.districts
        // Two workers (the machine has two cores; each solve also runs its bound on a thread).
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            while true {
                let k = next.withLock { n -> Int in defer { n += 1 }; return n }
                guard k < list.count else { return }
                outcomes.set(k, RobustnessHarness.examine(list[k]))
            }
        }
        var compared = 0, withPins = 0, infeasible = 0, peerStopped = 0, failing = 0, staffingUnmet = 0, mutations = 0
        var infeasibleSeeds: [UInt64] = [], heldWherePeerStops: [UInt64] = []
        for k in list.indices {
            let o = try #require(outcomes.get(k))
            if o.comparedWithPeer { compared += 1 }
            if o.pins > 0 { withPins += 1 }
            if o.infeasible { infeasible += 1; infeasibleSeeds.append(list[k].seed) }
            if o.peerStoppedOnPin && !o.infeasible { heldWherePeerStops.append(list[k].seed) }
            if o.peerStoppedOnPin { peerStopped += 1 }
            if !o.failures.isEmpty { failing += 1 }
            staffingUnmet += o.staffingUnmet
            mutations += o.mutationsCaught
            for f in o.failures {
                let text = "seed \(list[k].seed) (\(list[k].command); \(list[k].shape)): \(f)"
                if Self.knownWorse.contains(list[k].seed) && f.hasPrefix("worse than first-fit") {
                    // Known and open (issue 21): see `knownWorse`. Any other failure still fails.
                    withKnownIssue(Comment(rawValue: text), isIntermittent: true) { Issue.record(Comment(rawValue: text)) }
                } else {
                    Issue.record(Comment(rawValue: text))
                }
            }
        }
        print("robustness: \(list.count) scenarios, \(compared) compared with first-fit (\(peerStopped) where it stops on a pin), "
              + "\(withPins) with pins, \(infeasible) infeasible, \(staffingUnmet) staffing-unmet checks examined, "
              + "\(mutations) planted join/remote losses caught, \(failing) with a failing property")
        print("robustness: infeasible (pins named as conflicting; first-fit stops on a pin too): seeds \(infeasibleSeeds); "
              + "every pin held where first-fit stops on one: seeds \(heldWherePeerStops)")
        // The property code must be able to fail: planted losses are caught (see `plantedLosses`).
        #expect(mutations >= list.count / 2, "only \(mutations) planted losses caught: the property code was hardly tried")
    }
    /// Seeds where jointplan is still lexicographically worse than the first-fit peer (an
    /// open issue's known failures, recorded as known issues). None today: 1002 (one inspector
    /// per department, three-person teams: padding sent one department's inspector everywhere)
    /// and 1015 (the last minutes descent broke the search's plan under the draw) were under
    /// rule 11 until the window search learnt the draw (issue 20, step 2); 1072 (remote checks
    /// instead of a third member) was before the window search.
    static let knownWorse: Set<UInt64> = []
}

/// A district of the suite: `jointplan generate --enterprises N --seed S --random`.
struct RandomDistrict: Sendable {
    var enterprises: Int
    var seed: UInt64
    var parameters: DistrictParameters { .random(enterprises: enterprises, seed: seed) }
    var command: String { "jointplan generate --enterprises \(enterprises) --seed \(seed) --random" }
    /// What the seed drew, as the generator's explicit options.
    var shape: String {
        let p = parameters
        var s = "--departments \(p.departments) --towns \(p.towns)"
        if let r = p.rosterDays { s += " --roster \(r)" }
        if let d = p.departmentSize { s += " --department-size \(d.lowerBound)-\(d.upperBound)" }
        s += " --min-team \(p.minTeam) --travel-scale \(p.travelScale) --pins \(p.pins ?? -1)"
        if p.pinsShareInspectors { s += " --pins-share-inspectors" }
        s += " --whitelist-share \(p.whitelistShare) --staffing \(p.staffing) --quarter \(p.quarter)"
        return s
    }
}

/// What one district gave: the failures (empty: every assertion held) and what was compared.
struct RobustnessOutcome: Sendable {
    var failures: [String] = []
    var pins = 0
    var infeasible = false
    var comparedWithPeer = false
    var peerStoppedOnPin = false
    var staffingUnmet = 0
    var mutationsCaught = 0
}

enum RobustnessHarness {
    static let shared = SolverFixtures.root.appendingPathComponent("../shared").standardizedFileURL
    static let peer = shared.appendingPathComponent("peers/firstfit.py")

    static func examine(_ d: RandomDistrict) -> RobustnessOutcome {
        var out = RobustnessOutcome()
        do { try examine(d, &out) } catch { out.failures.append("could not run: \(error)") }
        return out
    }

    static func examine(_ d: RandomDistrict, _ out: inout RobustnessOutcome) throws {
        let dir = try SolverFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = DistrictGenerator.fileText(try DistrictGenerator(d.parameters).generate().scenario)
        let input = try write(text, to: dir.appendingPathComponent("scenario.json"))
        let s = input.scenario
        out.pins = s.pinned.count

        let plan = Solver.solve(s, scenarioData: input.data)
        out.infeasible = plan.status == .infeasible
        let planURL = dir.appendingPathComponent("plan.json")
        try plan.encoded().write(to: planURL)

        // Both checkers: everything holds, or with status infeasible everything but rule 9.
        let report = PlanChecker.check(scenario: s, plan: plan, scenarioData: input.data)
        let python = try PythonVerdict.run(scenario: input.url, plan: planURL)
        let allowed: Set<Int> = plan.status == .infeasible ? [9] : []
        if !report.brokenRules.isSubset(of: allowed) {
            out.failures.append("PlanChecker (status \(plan.status.rawValue)): \(report.violationCounts) — \(report.violations.prefix(3).map(\.message))")
        }
        if !python.brokenRules.isSubset(of: allowed) || (allowed.isEmpty && !(python.exitCode == 0 && python.valid)) {
            out.failures.append("check_plan.py exits \(python.exitCode) (status \(plan.status.rawValue)): \(python.counts) — \(python.messages.prefix(3).map(\.message))")
        }
        if plan.status == .infeasible && !plan.messages.contains(where: { $0.contains("pinned[") }) {
            out.failures.append("status infeasible without a pin named: \(plan.messages)")
        }
        // Pins hold whenever the status does not say otherwise (rule 9).
        if plan.status != .infeasible && !report.violations(rule: 9).isEmpty {
            out.failures.append("status \(plan.status.rawValue) but a pin does not hold: \(report.violations(rule: 9).prefix(3).map(\.message))")
        }
        let recomputed = Evaluation(scenario: s).objective(plan)
        if recomputed != plan.objective { out.failures.append("objective says \(plan.objective), recomputed \(recomputed)") }
        if plan.solver.bestBound > plan.objective.unmetWeighted + 1e-9 {
            out.failures.append("bound \(plan.solver.bestBound) above the plan's weighted unmet \(plan.objective.unmetWeighted)")
        }
        if MinutesBound.lowerBound(s, plan) > recomputed.inspectorMinutes {
            out.failures.append("minutes bound \(MinutesBound.lowerBound(s, plan)) above the plan's \(recomputed.inspectorMinutes)")
        }

        // The peer.
        let peerURL = dir.appendingPathComponent("peer.json")
        let run = try Shell.run(["python3", peer.path, "joint", input.url.path, "-o", peerURL.path])
        if run.status != 0 {
            if run.stderr.contains("pinned visit") {
                out.peerStoppedOnPin = true
            } else {
                out.failures.append("firstfit.py joint exits \(run.status): \(run.stderr.suffix(300))")
            }
        } else {
            let peerPlan = try PlanReader.read(Data(contentsOf: peerURL))
            let peerReport = PlanChecker.check(scenario: s, plan: peerPlan)
            if !peerReport.valid {
                // Not ours to fix, but a comparison with an invalid plan proves nothing.
                out.failures.append("the peer's plan is invalid for PlanChecker: \(peerReport.violationCounts) — \(peerReport.violations.prefix(2).map(\.message))")
            } else {
                out.comparedWithPeer = true
                let theirs = Evaluation(scenario: s).objective(peerPlan)
                if MinutesBound.lowerBound(s, peerPlan) > theirs.inspectorMinutes {
                    out.failures.append("minutes bound \(MinutesBound.lowerBound(s, peerPlan)) above first-fit's \(theirs.inspectorMinutes)")
                }
                if theirs < recomputed {
                    out.failures.append("worse than first-fit: jointplan \(describe(recomputed)), first-fit \(describe(theirs))")
                }
                // The peer holds every pin, so they can all hold: infeasible is wrong.
                if plan.status == .infeasible {
                    out.failures.append("status infeasible although first-fit holds every pin: \(plan.messages.prefix(2))")
                }
            }
        }

        // The order of the pins does not change the status.
        if s.pinned.count >= 2 {
            let permuted = try write(permutingPins(text, seed: d.seed), to: dir.appendingPathComponent("permuted.json"))
            let again = Solver.solve(permuted.scenario, scenarioData: permuted.data)
            if again.status != plan.status {
                out.failures.append("pins permuted: status \(again.status.rawValue), in file order \(plan.status.rawValue) (\(again.messages.prefix(2)) vs \(plan.messages.prefix(2)))")
            }
        }

        // The two properties of every plan.
        let props = PlanProperties(s, plan)
        out.staffingUnmet = props.staffingUnmet.count
        out.failures += props.remoteWouldPlace().map { "remote would place it: " + $0 }
        out.failures += props.joinWouldPlace().map { "joining a visit would place it: " + $0 }
        let (planted, caught) = plantedLosses(s, plan)
        out.mutationsCaught = caught
        if caught < planted { out.failures.append("the property code missed \(planted - caught) of \(planted) planted losses") }
    }

    /// A test of the tests: a check taken out of a visit with other checks, or a remote check
    /// taken off its day, and called unmet for `staffing`, is exactly what the two properties
    /// must find (putting it back changes nothing else). Returns (planted, caught).
    static func plantedLosses(_ s: Scenario, _ plan: Plan) -> (Int, Int) {
        var planted = 0, caught = 0
        if let k = plan.visits.firstIndex(where: { $0.checks.count >= 2 }) {
            var p = plan
            let c = p.visits[k].checks.removeLast()
            p.unmet.append(UnmetCheck(enterprise: p.visits[k].enterprise, item: c.item, occurrence: c.occurrence, reason: .staffing))
            planted += 1
            if !PlanProperties(s, p).joinWouldPlace().isEmpty { caught += 1 }
        }
        if let r = plan.remoteChecks.first {
            var p = plan
            p.remoteChecks.removeFirst()
            p.unmet.append(UnmetCheck(enterprise: r.enterprise, item: r.item, occurrence: r.occurrence, reason: .staffing))
            planted += 1
            if !PlanProperties(s, p).remoteWouldPlace().isEmpty { caught += 1 }
        }
        return (planted, caught)
    }

    static func describe(_ o: Objective) -> String {
        "\(JSON.format(o.unmetWeighted)) / \(o.onsiteVisits) / \(o.inspectorMinutes)"
    }

    static func write(_ text: String, to url: URL) throws -> SolverFixtures.Input {
        let data = Data(text.utf8)
        try data.write(to: url)
        return SolverFixtures.Input(scenario: try ScenarioReader.read(data), data: data, url: url)
    }

    /// The scenario text with its `pinned` list in another order (a seeded shuffle that is not
    /// the identity; two pins are swapped).
    static func permutingPins(_ text: String, seed: UInt64) throws -> String {
        guard case .object(var doc) = try JSONParser.parse(Data(text.utf8)), let pins = doc["pinned"]?.arrayValue else {
            throw CheckerTestError("no pinned list")
        }
        var order = Array(pins.indices)
        var r = SeededRandom(seed: seed, stream: "robustness-pins")
        r.shuffle(&order)
        if order == Array(pins.indices) { order.reverse() }
        doc["pinned"] = .array(order.map { pins[$0] })
        return DistrictGenerator.fileText(.object(doc))
    }
}

/// A child process's exit status and output (files, not pipes: no pipe can fill and block).
enum Shell {
    struct Result { var status: Int32; var stdout: String; var stderr: String }

    static func run(_ args: [String]) throws -> Result {
        let dir = try SolverFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let o = dir.appendingPathComponent("out"), e = dir.appendingPathComponent("err")
        FileManager.default.createFile(atPath: o.path, contents: nil)
        FileManager.default.createFile(atPath: e.path, contents: nil)
        let oh = try FileHandle(forWritingTo: o), eh = try FileHandle(forWritingTo: e)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        p.standardOutput = oh
        p.standardError = eh
        try p.run()
        p.waitUntilExit()
        try oh.close()
        try eh.close()
        return Result(status: p.terminationStatus, stdout: (try? String(contentsOf: o, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOf: e, encoding: .utf8)) ?? "")
    }
}

/// The two properties of issue 10 that every plan must have, computed from the plan and the
/// scenario by spec 3.1 alone (independently of the solver's `Rules/`).
struct PlanProperties {
    let s: Scenario
    let plan: Plan
    let cal: WorkCalendar
    /// Dates of the performed checks (on site and remote) per "enterprise|item".
    var performed: [String: [Day]] = [:]
    /// Per "inspector|date": the inspector's visits that day in time order (rule 4's order).
    var dayVisits: [String: [Visit]] = [:]
    /// Per "inspector|date": visit minutes + travel between consecutive visits + remote minutes.
    var used: [String: Int] = [:]

    init(_ s: Scenario, _ plan: Plan) {
        self.s = s
        self.plan = plan
        cal = WorkCalendar(s.horizon)
        for v in plan.visits {
            for c in v.checks { performed["\(v.enterprise)|\(c.item)", default: []].append(v.date) }
            for p in v.inspectors { dayVisits["\(p)|\(v.date)", default: []].append(v) }
        }
        for r in plan.remoteChecks {
            performed["\(r.enterprise)|\(r.item)", default: []].append(r.date)
            used["\(r.inspector)|\(r.date)", default: 0] += s.item(r.item)?.remoteMinutes ?? 0
        }
        for (key, vs) in dayVisits {
            let sorted = vs.sorted { ($0.start, $0.end, $0.id) < ($1.start, $1.end, $1.id) }
            dayVisits[key] = sorted
            var total = 0
            for (k, v) in sorted.enumerated() {
                total += v.end - v.start
                if k > 0 { total += travel(sorted[k - 1], v) }
            }
            used[key, default: 0] += total
        }
    }

    func town(_ v: Visit) -> String { s.enterprise(v.enterprise)?.town ?? "" }
    func travel(_ a: Visit, _ b: Visit) -> Int { s.travel(town(a), town(b)) }

    /// Rule 7 for one more check of `item` on `enterprise` on `day`.
    func spacingAllows(_ enterprise: Enterprise, _ item: Item, _ day: Day) -> Bool {
        let sp = item.minSpacingDays
        if let last = enterprise.lastChecked[item.id], day - last < sp { return false }
        return (performed["\(enterprise.id)|\(item.id)"] ?? []).allSatisfy { abs(day - $0) >= sp }
    }

    var staffingUnmet: [(UnmetCheck, Enterprise, Item)] {
        plan.unmet.compactMap { u in
            guard u.reason == .staffing, let e = s.enterprise(u.enterprise), let it = s.item(u.item) else { return nil }
            return (u, e, it)
        }
    }

    /// Staffing-unmet remote-capable checks that an inspector of the item's department could do
    /// remotely: certified, available, not recused, spare minutes ≥ the remote minutes, on a
    /// working day that spacing allows (rule 5, 7, 4).
    func remoteWouldPlace() -> [String] {
        var out: [String] = []
        for (u, e, it) in staffingUnmet where it.remoteAllowed {
            let staff = s.inspectors.filter { $0.department == it.department && $0.certified && !$0.recusals.contains(e.id) }
            search: for day in cal.days where spacingAllows(e, it, day) {
                for p in staff where !p.unavailable.contains(day: day) {
                    let spare = cal.workingMinutes - (used["\(p.id)|\(day)"] ?? 0)
                    if spare >= it.remoteMinutes {
                        out.append("(\(u.enterprise), \(u.item), occurrence \(u.occurrence)) is unmet for staffing; \(p.id) of \(it.department) has \(spare) spare minutes on \(day) and it takes \(it.remoteMinutes) remote")
                        break search
                    }
                }
            }
        }
        return out
    }

    /// Staffing-unmet checks that could join a visit of their enterprise with nothing else
    /// changed: the visit has no check of the item; a member may perform it (its department,
    /// or the item delegable); spacing allows the visit's date; the visit, lengthened to
    /// base + the longest member's checks, stays within dayEnd, off the breaks, before every
    /// member's next visit plus travel, and within every member's working minutes (rules 1, 3,
    /// 4, 7; no new visit, so rules 2, 8 and the blackout are untouched).
    func joinWouldPlace() -> [String] {
        var out: [String] = []
        for (u, e, it) in staffingUnmet {
            search: for v in plan.visits where v.enterprise == e.id {
                guard !v.checks.contains(where: { $0.item == it.id }), spacingAllows(e, it, v.date) else { continue }
                let team = Set(v.inspectors)
                var load: [String: Int] = [:]
                for c in v.checks where team.contains(c.inspector) { load[c.inspector, default: 0] += s.item(c.item)?.minutes ?? 0 }
                for m in v.inspectors {
                    guard let pm = s.inspector(m), it.delegable || pm.department == it.department else { continue }
                    var after = load
                    after[m, default: 0] += it.minutes
                    let need = s.policy.visitBaseMinutes + (after.values.max() ?? 0)
                    let end = max(v.end, v.start + need)
                    guard end <= s.horizon.dayEnd, !s.horizon.breaks.contains(where: { v.start < $0.end && $0.start < end }) else { continue }
                    let grows = end - v.end
                    let fits = v.inspectors.allSatisfy { p in
                        let key = "\(p)|\(v.date)"
                        let day = dayVisits[key] ?? []
                        if let k = day.firstIndex(of: v), k + 1 < day.count {
                            let n = day[k + 1]
                            if n.start < end + travel(v, n) { return false }
                        }
                        return (used[key] ?? 0) + grows <= cal.workingMinutes
                    }
                    if fits {
                        out.append("(\(u.enterprise), \(u.item), occurrence \(u.occurrence)) is unmet for staffing; visit \(v.id) on \(v.date) \(ClockTime.format(v.start))–\(ClockTime.format(v.end)) could take it by \(m), ending \(ClockTime.format(end))")
                        break search
                    }
                }
            }
        }
        return out
    }
}