import Crypto
import Foundation

/// Checks a plan against its scenario: validity rules 1–10 (spec 3.1), the recomputed
/// objective and KPIs (spec 3.2) and the warnings `check_plan.py` gives, with the same
/// readings (A9–A23) and the same wording, so that the two checkers can be compared line
/// by line.
///
/// The checker never throws: a decoded `Plan` may still name unknown enterprises, items or
/// inspectors, and those are rule violations (A14), not malformed input.
public struct PlanChecker {
    public let scenario: Scenario
    public let calendar: WorkCalendar
    /// A draw of this scenario whose ticket orders rule 11's replay may reuse (the solver's
    /// own, for its first start: issue 22); `TeamDraw` takes them only when they match.
    var sharedDraw: TeamDraw?
    /// The required checks of this scenario as the solver derived them (spec 2.1), taken
    /// only for a plan with the same seed: deriving them again cost 7 % of a 20,000-enterprise
    /// solve at `--time-limit 8`, once per start checked (issue 21, item 4). check_plan.py
    /// derives its own, so the independent check stays independent.
    var sharedDuties: Duties?

    public init(scenario: Scenario, calendar: WorkCalendar? = nil) {
        self.scenario = scenario
        self.calendar = calendar ?? WorkCalendar(scenario.horizon)
    }

    /// Checks `plan` against `scenario`.
    ///
    /// - Parameters:
    ///   - scenarioData: the scenario file's bytes; with them `plan.scenario.sha256` is compared
    ///     with the file and its canonical JSON (A23).
    ///   - planDocument: the plan file as parsed. `Plan` cannot say whether the file left out
    ///     `seed`, `objective`, `kpis` or `scenario.name`, nor hold an unknown `status` or an
    ///     objective value that is not an integer; with the document the checker compares what
    ///     the file says, as check_plan.py does (A9, A20, A23). Without it the checker compares
    ///     the values held in `plan` (a plan made in memory).
    public static func check(scenario: Scenario, plan: Plan, scenarioData: Data? = nil,
                             planDocument: JSON? = nil) -> CheckReport {
        PlanChecker(scenario: scenario).check(plan, scenarioData: scenarioData, planDocument: planDocument)
    }

    public func check(_ plan: Plan, scenarioData: Data? = nil, planDocument: JSON? = nil) -> CheckReport {
        var run = CheckRun(scenario: scenario, calendar: calendar, plan: plan, document: planDocument?.objectValue)
        run.sharedDraw = sharedDraw
        run.provenance(scenarioData: scenarioData)
        run.deriveDuties(shared: sharedDuties)
        run.ruleVisitTimes()
        run.ruleTeams()
        run.ruleVisitChecks()
        run.ruleInspectorDays()
        run.ruleRemoteChecks()
        run.ruleEveryCheckOnce()
        run.ruleSpacing()
        run.ruleOnsiteCaps()
        run.rulePins()
        run.ruleObjective()
        run.ruleDraw()
        run.compareKPIs()
        return run.report()
    }
}

/// The state of one check: the scenario's lookups, the derived duties and what was found.
/// Each `rule…` method implements one rule of spec 3.1 in the order check_plan.py does.
struct CheckRun {
    let s: Scenario
    let calendar: WorkCalendar
    let plan: Plan
    /// The plan file's top-level object when the caller has it (see `PlanChecker.check`).
    let document: JSONObject?

    var byRule = Array(repeating: [CheckReport.Violation](), count: 12)
    var warnings: [String] = []
    var seed: UInt64 = 0
    var duties: Duties!
    /// enterprise index × item count + item index → required occurrences (1…k).
    var required: [Int: Int] = [:]
    var objective = Objective(unmetWeighted: 0, onsiteVisits: 0, inspectorMinutes: 0)
    var kpis = KPIs()
    var sharedDraw: TeamDraw?
    let evaluation: Evaluation
    /// Inspector → day → minutes of visits, travel and remote checks (spec 3.2).
    let dayMinutes: [String: [Day: Int]]

    init(scenario: Scenario, calendar: WorkCalendar, plan: Plan, document: JSONObject?) {
        s = scenario
        self.calendar = calendar
        self.plan = plan
        self.document = document
        evaluation = Evaluation(scenario: scenario, calendar: calendar)
        dayMinutes = evaluation.inspectorDayMinutes(plan)
    }

    mutating func add(_ rule: Int, _ message: String) {
        byRule[rule].append(CheckReport.Violation(rule: rule, message: message))
    }

    func report() -> CheckReport {
        CheckReport(violations: byRule.flatMap { $0 }, warnings: warnings, objective: objective, kpis: kpis,
                    required: duties.totalChecks, seed: seed, draws: duties.groups)
    }

    // MARK: lookups

    var itemCount: Int { max(1, s.items.count) }

    func pairKey(_ enterprise: String, _ item: String) -> Int? {
        guard let e = s.enterpriseIndex[enterprise], let i = s.itemIndex[item] else { return nil }
        return e * itemCount + i
    }

    func isRequired(_ enterprise: String, _ item: String, _ occurrence: Int) -> Bool {
        guard let key = pairKey(enterprise, item), let k = required[key] else { return false }
        return occurrence >= 1 && occurrence <= k
    }

    func requiredCount(_ enterprise: String, _ item: String) -> Int {
        pairKey(enterprise, item).flatMap { required[$0] } ?? 0
    }

    func enterprise(_ id: String) -> Enterprise? { s.enterpriseIndex[id].map { s.enterprises[$0] } }
    func item(_ id: String) -> Item? { s.itemIndex[id].map { s.items[$0] } }
    func inspector(_ id: String) -> Inspector? { s.inspectorIndex[id].map { s.inspectors[$0] } }

    /// Why a date is not a working day, in check_plan.py's words.
    func whyNotWorking(_ d: Day) -> String {
        let h = s.horizon
        if d < h.start || d > h.end { return "outside the horizon \(h.start)..\(h.end)" }
        if !h.workdays.contains(d.isoWeekday) {
            return "\(CheckText.weekdayNames[d.isoWeekday - 1]), ISO weekday \(d.isoWeekday) is not in horizon.workdays"
        }
        return "a holiday"
    }

    func visitLabel(_ v: Visit) -> String {
        "visit \(v.id) (\(v.enterprise), \(v.date) \(ClockTime.format(v.start))-\(ClockTime.format(v.end)))"
    }

    /// Why (enterprise, item, occurrence) is not a required check.
    func explainNotRequired(_ eid: String, _ iid: String, _ occ: Int) -> String {
        guard let e = enterprise(eid) else { return "unknown enterprise \(CheckText.q(eid))" }
        guard let it = item(iid) else { return "unknown item \(CheckText.q(iid))" }
        if !s.applies(it, to: e) { return "item \(iid) does not apply to \(eid) (no common category)" }
        guard let f = it.frequency[e.tier] else { return "item \(iid) has no frequency for tier \(e.tier.rawValue)" }
        let k = requiredCount(eid, iid)
        if case .sampleRate(let r) = f, k == 0 {
            return "\(eid) is not drawn for item \(iid) (tier \(e.tier.rawValue), sampleRate \(JSONWriter.pythonRepr(r.value)))"
        }
        if k > 1 { return "only occurrences 1..\(k) of item \(iid) are required at \(eid), not \(occ)" }
        return "only occurrence 1 of item \(iid) is required at \(eid), not \(occ)"
    }

    // MARK: seed and provenance (warnings; A9, A23)

    /// The plan's seed as the file states it: nil when the file has none (the draw then uses
    /// policy.seed, A9).
    var statedSeed: UInt64? {
        guard let doc = document else { return plan.seed }
        guard let v = doc["seed"], v != .null else { return nil }
        return plan.seed
    }

    mutating func provenance(scenarioData: Data?) {
        let policySeed = s.policy.seed
        seed = policySeed
        if let planSeed = statedSeed {
            if planSeed != policySeed {
                warnings.append("plan seed \(planSeed) differs from scenario policy.seed \(policySeed); the draw uses the plan's seed \(planSeed)")
            }
            seed = planSeed
        }
        var name: String? = plan.scenarioName
        var sha: String? = plan.scenarioSHA256
        var status: String? = plan.status.rawValue
        if let doc = document {
            let ref = doc["scenario"]?.objectValue
            name = ref?["name"]?.stringValue
            sha = ref?["sha256"]?.stringValue
            status = doc["status"]?.stringValue
        } else if name == "" {
            name = nil   // an in-memory plan without a scenario name states none
        }
        if let name, name != s.name {
            warnings.append("plan scenario.name \(CheckText.q(name)) differs from the scenario's name \(CheckText.q(s.name))")
        }
        if let sha, !sha.isEmpty, let data = scenarioData {
            if !CheckRun.scenarioDigests(data).contains(sha.lowercased()) {
                warnings.append("plan scenario.sha256 matches neither the scenario file's bytes nor its canonical JSON")
            }
        }
        if let status, PlanStatus(rawValue: status) == nil {
            let all = ["optimal", "feasible", "timeLimit", "infeasible"].joined(separator: ", ")
            warnings.append("plan status \(CheckText.q(status)) is not one of \(all)")
        }
    }

    /// SHA-256 (hex) of the scenario file's bytes and of its canonical JSON, with non-ASCII
    /// text unescaped and escaped (A23).
    static func scenarioDigests(_ data: Data) -> Set<String> {
        func hex(_ d: some Sequence<UInt8>) -> String { d.map { String(format: "%02x", $0) }.joined() }
        var out: Set<String> = [hex(SHA256.hash(data: data))]
        if let doc = try? JSONParser.parse(data) {
            let canonical = JSONWriter.canonical(doc)
            out.insert(hex(SHA256.hash(data: Data(canonical.utf8))))
            out.insert(hex(SHA256.hash(data: Data(CheckText.asciiEscaped(canonical).utf8))))
        }
        return out
    }

    // MARK: required checks (spec 2.1)

    mutating func deriveDuties(shared: Duties? = nil) {
        let d = shared.flatMap { $0.seed == seed ? $0 : nil } ?? Duties(scenario: s, seed: seed)
        duties = d
        for duty in d.duties { required[duty.enterprise * itemCount + duty.item] = duty.count }
        for g in d.groups {
            // The exact decimal size can differ from what binary floating point gives (A8).
            let double = Int((g.rate.value * Double(g.population) + 0.5).rounded(.down))
            if double != g.size {
                warnings.append("item \(g.item) tier \(g.tier.rawValue): r*N+0.5 = \(JSONWriter.pythonRepr(g.rate.value))*\(g.population)+0.5; exact decimal arithmetic gives n=\(g.size), IEEE double arithmetic gives n=\(double); the checker uses \(g.size)")
            }
        }
    }

    // MARK: rule 1 — day, blackout, hours, breaks, duration

    mutating func ruleVisitTimes() {
        let h = s.horizon
        for v in plan.visits {
            let lab = visitLabel(v)
            let e = enterprise(v.enterprise)
            if !calendar.isWorking(v.date) { add(1, "\(lab): \(v.date) is not a working day (\(whyNotWorking(v.date)))") }
            if let e, !BlackoutRule.allowsVisit(e, on: v.date) { add(1, "\(lab): \(v.date) is in enterprise \(e.id)'s blackout") }
            if v.end <= v.start { add(1, "\(lab): ends at or before its start") }
            if v.start < h.dayStart || v.end > h.dayEnd {
                add(1, "\(lab): not within the day \(ClockTime.format(h.dayStart))-\(ClockTime.format(h.dayEnd))")
            }
            for b in h.breaks where v.start < b.end && b.start < v.end {
                add(1, "\(lab): overlaps the break \(ClockTime.format(b.start))-\(ClockTime.format(b.end))")
            }
            // A10: the longest member's share of checks; checks by non-members are rule 3's.
            var perMember: [(inspector: String, minutes: Int)] = []
            for c in v.checks where v.inspectors.contains(c.inspector) {
                guard let it = item(c.item) else { continue }
                if let k = perMember.firstIndex(where: { $0.inspector == c.inspector }) { perMember[k].minutes += it.minutes }
                else { perMember.append((c.inspector, it.minutes)) }
            }
            var top: (inspector: String, minutes: Int)?
            for m in perMember where top == nil || m.minutes > top!.minutes { top = m }
            let need = s.policy.visitBaseMinutes + (top?.minutes ?? 0)
            if v.end > v.start && v.end - v.start < need {
                let who = top.map { " + \($0.minutes) min of checks by \($0.inspector)" } ?? ""
                add(1, "\(lab): lasts \(v.end - v.start) min, needs at least \(need) (base \(s.policy.visitBaseMinutes)\(who))")
            }
        }
    }

    // MARK: rule 2 — team

    mutating func ruleTeams() {
        for v in plan.visits {
            let lab = visitLabel(v)
            if v.inspectors.count < s.policy.minInspectorsPerVisit {
                add(2, "\(lab): team has \(v.inspectors.count) distinct inspector(s), minInspectorsPerVisit is \(s.policy.minInspectorsPerVisit)")
            }
            for pid in v.inspectors {
                guard let p = inspector(pid) else { add(2, "\(lab): unknown inspector \(CheckText.q(pid))"); continue }
                if !p.certified { add(2, "\(lab): inspector \(pid) is not certified") }
                if InspectorRule.isOnLeave(p, on: v.date) { add(2, "\(lab): inspector \(pid) is unavailable on \(v.date)") }
                if InspectorRule.isRecused(p, from: v.enterprise) { add(2, "\(lab): inspector \(pid) is recused from enterprise \(v.enterprise)") }
            }
        }
    }

    // MARK: rule 3 — checks in visits (A12, A13, A14)

    mutating func ruleVisitChecks() {
        for v in plan.visits {
            let lab = visitLabel(v)
            let known = s.enterpriseIndex[v.enterprise] != nil
            if !known { add(3, "\(lab): unknown enterprise \(CheckText.q(v.enterprise))") }
            var occurrences: [(item: String, occs: Set<Int>)] = []
            for c in v.checks {
                guard let it = item(c.item) else { add(3, "\(lab): check of unknown item \(CheckText.q(c.item))"); continue }
                if let k = occurrences.firstIndex(where: { $0.item == c.item }) { occurrences[k].occs.insert(c.occurrence) }
                else { occurrences.append((c.item, [c.occurrence])) }
                let what = "check (\(c.item), occurrence \(c.occurrence))"
                if known && !isRequired(v.enterprise, c.item, c.occurrence) {
                    add(3, "\(lab): \(what) is not a required check: \(explainNotRequired(v.enterprise, c.item, c.occurrence))")
                }
                if !v.inspectors.contains(c.inspector) {
                    add(3, "\(lab): \(what) is performed by \(c.inspector), who is not in the team")
                } else if !it.delegable, let p = inspector(c.inspector), p.department != it.department {
                    add(3, "\(lab): \(what) is performed by \(c.inspector) of department \(p.department); item \(c.item) belongs to \(it.department) and is not delegable")
                }
            }
            for (iid, occs) in occurrences where occs.count > 1 {
                add(3, "\(lab): holds \(occs.count) occurrences of item \(iid) (\(occs.sorted().map(String.init).joined(separator: ", "))); a visit checks an item once")
            }
        }
    }

    // MARK: rule 4 — inspector days (A15)

    struct InspectorDay: Hashable {
        var inspector: String
        var day: Day
    }

    mutating func ruleInspectorDays() {
        var visitsOf: [InspectorDay: [Int]] = [:]
        for (k, v) in plan.visits.enumerated() {
            for p in v.inspectors { visitsOf[InspectorDay(inspector: p, day: v.date), default: []].append(k) }
        }
        var keys = Set(visitsOf.keys)
        for r in plan.remoteChecks { keys.insert(InspectorDay(inspector: r.inspector, day: r.date)) }
        let ordered = keys.sorted { a, b in
            a.inspector != b.inspector ? CheckText.precedes(a.inspector, b.inspector) : a.day < b.day
        }
        let workingMinutes = calendar.workingMinutes
        for key in ordered {
            let pid = key.inspector, d = key.day
            let vs = (visitsOf[key] ?? []).map { plan.visits[$0] }.sorted { a, b in
                if a.start != b.start { return a.start < b.start }
                if a.end != b.end { return a.end < b.end }
                return CheckText.precedes(a.id, b.id)
            }
            var prev: (visit: Visit, town: String?)?
            for v in vs {
                let town = enterprise(v.enterprise)?.town
                if let p = prev {
                    var t = 0
                    if let a = p.town, let b = town { t = s.travel(a, b) }
                    if v.start < p.visit.end + t {
                        add(4, "inspector \(pid) on \(d): visit \(v.id) starts \(ClockTime.format(v.start)), before visit \(p.visit.id) ends \(ClockTime.format(p.visit.end)) + \(t) min travel (\(p.town ?? "None")->\(town ?? "None"))")
                    }
                }
                prev = (v, town)
            }
            let cap = inspector(pid).map { s.maxVisitsPerDay(of: $0) } ?? s.policy.maxVisitsPerDay
            if vs.count > cap { add(4, "inspector \(pid) on \(d): \(vs.count) visits, maxVisitsPerDay is \(cap)") }
            // The day's total is the one the objective counts (Evaluation, spec 3.2).
            let total = dayMinutes[pid]?[d] ?? 0
            if total > workingMinutes {
                add(4, "inspector \(pid) on \(d): \(total) min of visits, travel and remote checks, the working day has \(workingMinutes) min")
            }
        }
    }

    // MARK: rule 5 — remote checks

    mutating func ruleRemoteChecks() {
        for (k, r) in plan.remoteChecks.enumerated() {
            let lab = "remoteChecks[\(k)] (\(r.enterprise), \(r.item), occurrence \(r.occurrence), \(r.date), \(r.inspector))"
            let it = item(r.item)
            if let it {
                if !it.remoteAllowed { add(5, "\(lab): item \(r.item) does not allow remote checks") }
            } else {
                add(5, "\(lab): unknown item \(CheckText.q(r.item))")
            }
            if let p = inspector(r.inspector) {
                if !p.certified { add(5, "\(lab): inspector \(r.inspector) is not certified") }
                if let it, p.department != it.department {
                    add(5, "\(lab): inspector \(r.inspector) is of department \(p.department), item \(r.item) of \(it.department)")
                }
                if InspectorRule.isOnLeave(p, on: r.date) { add(5, "\(lab): inspector \(r.inspector) is unavailable on \(r.date)") }
                if InspectorRule.isRecused(p, from: r.enterprise) { add(5, "\(lab): inspector \(r.inspector) is recused from enterprise \(r.enterprise)") }
            } else {
                add(5, "\(lab): unknown inspector \(CheckText.q(r.inspector))")
            }
            if !calendar.isWorking(r.date) { add(5, "\(lab): \(r.date) is not a working day (\(whyNotWorking(r.date)))") }
        }
    }

    // MARK: rule 6 — every required check exactly once, nothing else (A11, A13)

    struct Occurrence: Hashable {
        var enterprise: String
        var item: String
        var occurrence: Int
    }

    mutating func ruleEveryCheckOnce() {
        var seen: [Occurrence: [String]] = [:]
        for v in plan.visits {
            if v.checks.isEmpty { add(6, "\(visitLabel(v)): has no checks (a visit must carry required checks)") }
            for c in v.checks {
                seen[Occurrence(enterprise: v.enterprise, item: c.item, occurrence: c.occurrence), default: []].append("visit \(v.id)")
            }
        }
        for (k, r) in plan.remoteChecks.enumerated() {
            seen[Occurrence(enterprise: r.enterprise, item: r.item, occurrence: r.occurrence), default: []].append("remoteChecks[\(k)]")
            if !isRequired(r.enterprise, r.item, r.occurrence) {
                add(6, "remoteChecks[\(k)] (\(r.enterprise), \(r.item), occurrence \(r.occurrence)): not a required check: \(explainNotRequired(r.enterprise, r.item, r.occurrence))")
            }
        }
        for (k, u) in plan.unmet.enumerated() {
            seen[Occurrence(enterprise: u.enterprise, item: u.item, occurrence: u.occurrence), default: []].append("unmet[\(k)]")
            if !isRequired(u.enterprise, u.item, u.occurrence) {
                add(6, "unmet[\(k)] (\(u.enterprise), \(u.item), occurrence \(u.occurrence)): not a required check: \(explainNotRequired(u.enterprise, u.item, u.occurrence))")
            }
            // A missing or unknown reason cannot reach here: `UnmetCheck.reason` is one of the
            // eight (PlanReader reports any other value with its JSON path).
        }
        for duty in duties.duties {
            let eid = s.enterprises[duty.enterprise].id, iid = s.items[duty.item].id
            for occ in 1...max(1, duty.count) {
                let whereFound = seen[Occurrence(enterprise: eid, item: iid, occurrence: occ)] ?? []
                if whereFound.isEmpty {
                    add(6, "required check (\(eid), \(iid), occurrence \(occ)) is missing: not in a visit, remoteChecks or unmet")
                } else if whereFound.count > 1 {
                    add(6, "required check (\(eid), \(iid), occurrence \(occ)) appears \(whereFound.count) times: \(whereFound.joined(separator: ", "))")
                }
            }
        }
    }

    // MARK: rule 7 — spacing (A16)

    mutating func ruleSpacing() {
        var performed: [Int: [(day: Day, label: String)]] = [:]
        var order: [Int] = []
        func note(_ eid: String, _ iid: String, _ d: Day, _ label: String) {
            guard let key = pairKey(eid, iid) else { return }
            if performed[key] == nil { order.append(key) }
            performed[key, default: []].append((d, label))
        }
        for v in plan.visits { for c in v.checks { note(v.enterprise, c.item, v.date, "visit \(v.id)") } }
        for (k, r) in plan.remoteChecks.enumerated() { note(r.enterprise, r.item, r.date, "remoteChecks[\(k)]") }
        for key in order {
            let e = s.enterprises[key / itemCount], it = s.items[key % itemCount]
            let sp = it.minSpacingDays
            let list = performed[key]!.sorted { a, b in a.day != b.day ? a.day < b.day : CheckText.precedes(a.label, b.label) }
            if let last = e.lastChecked[it.id], !SpacingRule.allows(list[0].day, spacing: sp, lastChecked: last, others: []) {
                add(7, "enterprise \(e.id), item \(it.id): \(list[0].label) on \(list[0].day) is \(list[0].day - last) day(s) after lastChecked \(last), minSpacingDays is \(sp)")
            }
            if sp > 0 {
                for (a, b) in zip(list, list.dropFirst()) where !SpacingRule.allows(b.day, spacing: sp, lastChecked: nil, others: [a.day]) {
                    add(7, "enterprise \(e.id), item \(it.id): \(a.label) on \(a.day) and \(b.label) on \(b.day) are \(b.day - a.day) day(s) apart, minSpacingDays is \(sp)")
                }
            }
        }
    }

    // MARK: rule 8 — on-site caps and the white list (A22)

    mutating func ruleOnsiteCaps() {
        var visitsAt: [String: [String]] = [:]
        var order: [String] = []
        for v in plan.visits {
            if visitsAt[v.enterprise] == nil { order.append(v.enterprise) }
            visitsAt[v.enterprise, default: []].append(v.id)
        }
        for eid in order {
            guard let e = enterprise(eid) else { continue }
            let ids = visitsAt[eid]!
            let cap = s.policy.maxOnsiteVisits[e.tier]
            if ids.count > cap {
                let listed = ids.prefix(10).joined(separator: ", ") + (ids.count > 10 ? ", ..." : "")
                add(8, "enterprise \(eid) (tier \(e.tier.rawValue)): \(ids.count) on-site visits, maxOnsiteVisits is \(cap) (\(listed))")
            }
            let allowance = s.policy.whitelistMaxOnsiteVisitsPerYear
            if e.whitelisted && ids.count + e.onsiteVisitsThisYear > allowance {
                add(8, "enterprise \(eid) is whitelisted: \(ids.count) on-site visits + onsiteVisitsThisYear \(e.onsiteVisitsThisYear) > whitelistMaxOnsiteVisitsPerYear \(allowance)")
            }
        }
    }

    // MARK: rule 9 — pinned visits (A17)

    mutating func rulePins() {
        struct Place: Hashable { var enterprise: String; var day: Day }
        var visitsAt: [Place: [Int]] = [:]
        for (k, v) in plan.visits.enumerated() { visitsAt[Place(enterprise: v.enterprise, day: v.date), default: []].append(k) }
        for pin in s.pinned {
            if !calendar.isWorking(pin.date) {
                warnings.append("pinned[\(pin.index)]: \(pin.date) is not a working day (\(whyNotWorking(pin.date))); no valid plan can hold this pinned visit")
            } else if let e = enterprise(pin.enterprise), !BlackoutRule.allowsVisit(e, on: pin.date) {
                warnings.append("pinned[\(pin.index)]: \(pin.date) is in \(pin.enterprise)'s blackout; no valid plan can hold this pinned visit")
            }
            var needed: [String] = []
            for iid in pin.items {
                if requiredCount(pin.enterprise, iid) > 0 { needed.append(iid) }
                else { warnings.append("pinned[\(pin.index)]: item \(iid) has no required check at \(pin.enterprise); ignored for the pinned visit") }
            }
            let lab = "pinned[\(pin.index)] (\(pin.enterprise), \(pin.date)\(pin.start.map { " " + ClockTime.format($0) } ?? ""))"
            let candidates = visitsAt[Place(enterprise: pin.enterprise, day: pin.date)] ?? []
            if candidates.isEmpty {
                add(9, "\(lab): no visit to \(pin.enterprise) on \(pin.date)")
                continue
            }
            var reasons: [String] = []
            var matched = false
            for k in candidates {
                let v = plan.visits[k]
                var why: [String] = []
                if let st = pin.start, v.start != st { why.append("starts \(ClockTime.format(v.start))") }
                let missingPeople = pin.inspectors.filter { !v.inspectors.contains($0) }
                if !missingPeople.isEmpty { why.append("lacks inspector(s) \(missingPeople.joined(separator: ", "))") }
                let have = Set(v.checks.map(\.item))
                let missingItems = needed.filter { !have.contains($0) }
                if !missingItems.isEmpty { why.append("lacks a check of item(s) \(missingItems.joined(separator: ", "))") }
                if why.isEmpty { matched = true; break }
                reasons.append("visit \(v.id) " + why.joined(separator: "; "))
            }
            if !matched { add(9, "\(lab): no matching visit: \(reasons.joined(separator: " | "))") }
        }
    }

    // MARK: rule 11 — inspectors drawn (随机选派; A24, A25)

    /// Replays the plan through the one home of the draw (`TeamDraw`): pinned visits and
    /// remote checks held from the start, the other visits in (date, start, id) order, each
    /// department's members compared with the first k eligible and free in ticket order.
    mutating func ruleDraw() {
        guard s.policy.inspectorDispatch == .random else { return }
        var found: [String] = []
        DrawReplay.violations(plan, draw: TeamDraw(s, calendar, seed: seed, sharing: sharedDraw)) { v, replay in
            found.append(DrawText.violation(v.turn, department: v.department, expected: v.expected, found: v.found, replay: replay))
        }
        for m in found { add(11, m) }
    }

    // MARK: rule 10 — the objective (spec 3.2, A18, A20)

    /// True when every unmet weight is a whole number: check_plan.py then sums integers and
    /// compares `unmetWeighted` exactly (A20).
    var integralWeights: Bool { s.policy.unmetWeight.values.allSatisfy { $0 == $0.rounded() } }

    mutating func ruleObjective() {
        objective = evaluation.objective(plan)
        let mine: [(key: String, value: CheckNumber)] = [
            ("unmetWeighted", integralWeights && abs(objective.unmetWeighted) < 1e15
                ? .int(Int(objective.unmetWeighted)) : .real(objective.unmetWeighted)),
            ("onsiteVisits", .int(objective.onsiteVisits)),
            ("inspectorMinutes", .int(objective.inspectorMinutes)),
        ]
        if let doc = document {
            guard let stated = doc["objective"], stated != .null else { add(10, "plan has no objective"); return }
            guard let o = stated.objectValue else { add(10, "plan objective must be an object, got \(stated.typeName)"); return }
            for (k, m) in mine {
                guard let theirs = o[k] else { add(10, "objective.\(k) is missing (checker computes \(m.formatted))"); continue }
                if !m.equals(theirs) { add(10, "objective.\(k) is \(CheckText.short(theirs)), checker computes \(m.formatted)") }
            }
        } else {
            // PlanReader marks a missing value as NaN / -1.
            let theirs: [Double] = [plan.objective.unmetWeighted, Double(plan.objective.onsiteVisits), Double(plan.objective.inspectorMinutes)]
            for ((k, m), t) in zip(mine, theirs) {
                if t.isNaN || t < 0 { add(10, "objective.\(k) is missing (checker computes \(m.formatted))"); continue }
                if !m.equals(.double(t)) { add(10, "objective.\(k) is \(JSON.format(t)), checker computes \(m.formatted)") }
            }
        }
    }

    // MARK: KPIs (spec 3.2, A19, A20: differences are warnings)

    mutating func compareKPIs() {
        kpis = evaluation.kpis(plan, requiredChecks: duties.totalChecks)
        let stated: JSON
        if let doc = document {
            guard let k = doc["kpis"], k != .null else { warnings.append("plan has no kpis"); return }
            stated = k
        } else {
            stated = plan.kpis.json
        }
        guard let theirs = stated.objectValue else {
            warnings.append("plan kpis must be an object, got \(stated.typeName)")
            return
        }
        for (key, mine) in CheckNumber.kpiFields(kpis) {
            guard let t = theirs[key] else {
                warnings.append("kpis.\(key) is missing (checker computes \(CheckText.short(mine.json)))")
                continue
            }
            switch mine {
            case .map(let fields):
                guard let to = t.objectValue else { warnings.append("kpis.\(key) must be an object, got \(t.typeName)"); continue }
                let mineKeys = Dictionary(fields.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
                let all = Set(mineKeys.keys).union(to.keys).sorted(by: CheckText.precedes)
                for sub in all {
                    let tv = to[sub] ?? .int(0)
                    if let m = mineKeys[sub] {
                        if !m.equals(tv) { warnings.append("kpis.\(key).\(sub) is \(CheckText.short(tv)), checker computes \(m.formatted)") }
                    } else if tv.doubleValue != 0 {
                        warnings.append("kpis.\(key).\(sub) is \(CheckText.short(tv)), the checker knows no such key")
                    }
                }
            default:
                if !mine.equals(t) { warnings.append("kpis.\(key) is \(CheckText.short(t)), checker computes \(mine.formatted)") }
            }
        }
    }
}

/// A recomputed number as check_plan.py holds it: Python `int`s compare exactly, `float`s
/// within rel_tol 1e-6, abs_tol 1e-9 (A20); messages print them as it does.
enum CheckNumber {
    case int(Int)
    case real(Double)
    case map([(key: String, value: CheckNumber)])

    func equals(_ theirs: JSON) -> Bool {
        guard case .number(let lit) = theirs, let t = Double(lit), t.isFinite else { return false }
        switch self {
        case .int(let m):
            if let ti = theirs.intValue { return ti == m }
            return t == Double(m)
        case .real(let m):
            return abs(t - m) <= max(1e-6 * max(abs(t), abs(m)), 1e-9)
        case .map:
            return false
        }
    }

    /// Python's `fmt_num`: integers as digits, floats with `%.6g`.
    var formatted: String {
        switch self {
        case .int(let v): return String(v)
        case .real(let v): return CheckText.g6(v)
        case .map(let f): return f.map { "\($0.key)=\($0.value.formatted)" }.joined(separator: ", ")
        }
    }

    /// The value as Python's `json.dumps` would print it (floats with repr).
    var json: JSON {
        switch self {
        case .int(let v): return .int(v)
        case .real(let v): return .number(JSONWriter.pythonRepr(v))
        case .map(let f): return .object(JSONObject(f.map { ($0.key, $0.value.json) }))
        }
    }

    /// The KPIs in check_plan.py's order and number kinds (A18, A19).
    static func kpiFields(_ k: KPIs) -> [(key: String, value: CheckNumber)] {
        [
            ("requiredChecks", .int(k.requiredChecks)), ("onsiteChecks", .int(k.onsiteChecks)),
            ("remoteChecks", .int(k.remoteChecks)), ("unmetChecks", .int(k.unmetChecks)),
            ("unmetByReason", .map(UnmetReason.allCases.map { ($0.rawValue, .int(k.unmetByReason[$0] ?? 0)) })),
            ("baselineVisits", .int(k.baselineVisits)), ("visitReductionPct", .real(k.visitReductionPct)),
            ("visitLowerBound", .int(k.visitLowerBound)), ("jointVisitRate", .real(k.jointVisitRate)),
            ("maxVisitsPerEnterprise", .int(k.maxVisitsPerEnterprise)),
            ("utilization", .map(k.utilization.map { ($0.department, .real($0.value)) })),
        ]
    }
}

/// Text helpers that reproduce check_plan.py's wording.
enum CheckText {
    static let weekdayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    /// `json.dumps(s, ensure_ascii=False)`.
    static func q(_ s: String) -> String { JSONWriter.quote(s) }

    /// Python compares strings by code point.
    static func precedes(_ a: String, _ b: String) -> Bool {
        a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars)
    }

    /// Python's `f"{x:.6g}"`.
    static func g6(_ v: Double) -> String { String(format: "%.6g", v) }

    /// check_plan.py's `short`: `json.dumps` with its default separators, cut at 60 characters.
    static func short(_ v: JSON) -> String {
        var out = ""
        pythonDumps(v, into: &out)
        return out.count <= 60 ? out : String(out.prefix(57)) + "..."
    }

    private static func pythonDumps(_ v: JSON, into out: inout String) {
        switch v {
        case .array(let a):
            out += "["
            for (k, e) in a.enumerated() {
                if k > 0 { out += ", " }
                pythonDumps(e, into: &out)
            }
            out += "]"
        case .object(let o):
            out += "{"
            for (k, (key, e)) in o.pairs.enumerated() {
                if k > 0 { out += ", " }
                out += q(key) + ": "
                pythonDumps(e, into: &out)
            }
            out += "}"
        case .number(let lit):
            if let i = v.intValue { out += String(i) } else if let d = Double(lit) { out += JSONWriter.pythonRepr(d) } else { out += lit }
        default:
            out += JSONWriter.compact(v)
        }
    }

    /// Canonical JSON with every character outside printable ASCII escaped as `\uXXXX`
    /// (`json.dumps(…, ensure_ascii=True)`); the input has non-ASCII only inside strings.
    static func asciiEscaped(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            if u.value < 0x7F { out.unicodeScalars.append(u); continue }
            for unit in String(u).utf16 { out += String(format: "\\u%04x", unit) }
        }
        return out
    }
}
