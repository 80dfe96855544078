import Foundation

/// Explains a plan in the scenario's own terms (issue 5, Explain): for one enterprise its
/// duties and the draw that selected them, its visits, why it has that many visits and why a
/// check is unmet; for one department and date, its inspectors' load.
///
/// It reads the plan as it is — a hand-edited plan is explained as well as a solved one —
/// and derives the duties from the seed the plan records (spec 2.1), so every number it
/// quotes can be recomputed by anyone with the scenario file.
public struct Explainer {
    public let scenario: Scenario
    public let plan: Plan
    let calendar: WorkCalendar
    let duties: Duties
    /// Per inspector and date: their visits ordered by start, end, id (as rule 4 orders them).
    let visitsOf: [String: [Day: [Visit]]]
    /// Per inspector and date: visit, travel and remote minutes (spec 3.1 rule 4).
    let minutesOf: [String: [Day: Int]]

    /// The language of the sentences (`--lang`); the JSON facts do not change with it.
    public let language: Language
    let t: Catalogue

    public init(scenario: Scenario, plan: Plan, language: Language = .en) {
        self.scenario = scenario
        self.plan = plan
        self.language = language
        t = Catalogue(language)
        calendar = WorkCalendar(scenario.horizon)
        duties = Duties(scenario: scenario, seed: plan.seed)
        var byInspector: [String: [Day: [Visit]]] = [:]
        for v in plan.visits { for p in Set(v.inspectors) { byInspector[p, default: [:]][v.date, default: []].append(v) } }
        for (p, days) in byInspector {
            for (d, vs) in days { byInspector[p]![d] = vs.sorted { ($0.start, $0.end, $0.id) < ($1.start, $1.end, $1.id) } }
        }
        visitsOf = byInspector
        minutesOf = Evaluation(scenario: scenario, calendar: calendar).inspectorDayMinutes(plan)
    }

    /// A catalogue text whose English needs the singular or plural: `key.one` or `key.other`.
    func n(_ key: String, _ count: Int, _ arguments: CustomStringConvertible...) -> String {
        t.format(key + (count == 1 ? ".one" : ".other"), arguments.map(\.description))
    }

    func list(_ items: [String]) -> String { items.joined(separator: ", ") }

    // MARK: - Enterprise

    /// The explanation of one enterprise; throws `InputProblems` for an unknown id.
    public func enterprise(_ id: String) throws -> EnterpriseExplanation {
        guard let e = scenario.enterpriseIndex[id] else {
            var message = "unknown enterprise \(JSONWriter.quote(id))"
            if let s = ClosestMatch.suggestion(for: id, among: scenario.enterprises.map(\.id)) { message += " (did you mean \(JSONWriter.quote(s))?)" }
            throw InputProblems([InputProblem(path: "--enterprise", message: message)])
        }
        let ent = scenario.enterprises[e]
        let visits = plan.visits.filter { $0.enterprise == id }.sorted { ($0.date, $0.start, $0.id) < ($1.date, $1.start, $1.id) }
        let remote = plan.remoteChecks.filter { $0.enterprise == id }.sorted { ($0.date, $0.item, $0.occurrence) < ($1.date, $1.item, $1.occurrence) }
        let unmet = plan.unmet.filter { $0.enterprise == id }

        var required: [Int: Int] = [:]   // item index -> checks
        for di in duties.byEnterprise[e] { required[duties.duties[di].item] = duties.duties[di].count }
        var uCache: [Int: UInt64] = [:]
        var dutyFacts: [EnterpriseExplanation.DutyFacts] = []
        for (i, item) in scenario.items.enumerated() where scenario.applies(item, to: ent) {
            var d = EnterpriseExplanation.DutyFacts(
                item: item.id, itemName: item.name, department: item.department, frequency: "",
                draw: nil, checks: required[i] ?? 0, minSpacingDays: item.minSpacingDays,
                lastChecked: ent.lastChecked[item.id], remoteAllowed: item.remoteAllowed, delegable: item.delegable)
            switch item.frequency[ent.tier] {
            case .count(let k)? where item.carryOverOf != nil:
                // A 补查 item that rollover derived (issue 23): say whose check it carries.
                d.frequency = t("explain.carryOver", item.carryOverOf!, item.carryOverFrom ?? "?") + " — " + t("explain.countFor", k, ent.tier.rawValue)
            case .count(let k)?: d.frequency = t("explain.countFor", k, ent.tier.rawValue)
            case .sampleRate(let r)?:
                d.frequency = t("explain.sampleFor", r.literal, ent.tier.rawValue)
                d.draw = drawFacts(item: i, rate: r, enterprise: e, cache: &uCache)
            case nil: d.frequency = t("explain.noFrequency", ent.tier.rawValue)
            }
            for occ in stride(from: 1, through: d.checks, by: 1) {
                if let v = visits.first(where: { $0.checks.contains { $0.item == item.id && $0.occurrence == occ } }) {
                    let c = v.checks.first { $0.item == item.id && $0.occurrence == occ }!
                    d.outcomes.append((occ, .onsite(visit: v.id, date: v.date, inspector: c.inspector)))
                } else if let r = remote.first(where: { $0.item == item.id && $0.occurrence == occ }) {
                    d.outcomes.append((occ, .remote(date: r.date, inspector: r.inspector)))
                } else if let u = unmet.first(where: { $0.item == item.id && $0.occurrence == occ }) {
                    d.outcomes.append((occ, .unmet(u.reason)))
                }
            }
            dutyFacts.append(d)
        }

        let visitFacts = visits.map { v in
            EnterpriseExplanation.VisitFacts(
                id: v.id, date: v.date, start: v.start, end: v.end,
                team: v.inspectors.map { p in (p, scenario.inspector(p)?.name ?? "", scenario.inspector(p)?.department ?? "?") },
                checks: v.checks.map { ($0.item, $0.occurrence, $0.inspector) },
                departments: departments(of: v),
                pins: scenario.pinned.filter { $0.enterprise == id && $0.date == v.date }.map(\.index))
        }
        return EnterpriseExplanation(
            id: ent.id, name: ent.name, tier: ent.tier, categories: ent.categories, town: ent.town,
            townName: scenario.town(ent.town)?.name ?? "", tierCap: scenario.policy.maxOnsiteVisits[ent.tier],
            whitelisted: ent.whitelisted, whitelistMaxPerYear: scenario.policy.whitelistMaxOnsiteVisitsPerYear,
            onsiteVisitsThisYear: ent.onsiteVisitsThisYear, cap: scenario.onsiteCap(of: ent), blackout: ent.blackout,
            lastChecked: ent.lastChecked.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, seed: duties.seed,
            duties: dutyFacts, visits: visitFacts, remoteChecks: remote,
            visitReasons: visitReasons(ent, visits: visits, remote: remote, unmet: unmet, duties: dutyFacts),
            staffing: staffingVisit(ent, visits: visits, remote: remote, unmet: unmet),
            unmet: unmet.sorted { ($0.item, $0.occurrence) < ($1.item, $1.occurrence) }.map { u in
                .init(item: u.item, occurrence: u.occurrence, reason: u.reason, because: because(u, ent, visits: visits, remote: remote, unmet: unmet))
            })
    }

    /// The draw's facts for one enterprise (spec 2.1): its u, its rank among the population
    /// sorted by (u, id bytes), and the draw's size and cutoff, so anyone can recompute it.
    func drawFacts(item i: Int, rate: SampleRate, enterprise e: Int, cache: inout [Int: UInt64]) -> EnterpriseExplanation.DrawFacts {
        let s = scenario
        let item = s.items[i], ent = s.enterprises[e]
        let coordinated = s.policy.sampling == .coordinated
        func u(_ k: Int) -> UInt64 {
            guard coordinated else { return Draw.randomNumber(seed: duties.seed, item: item.id, enterprise: s.enterprises[k].id) }
            if let v = cache[k] { return v }
            let v = Draw.randomNumber(seed: duties.seed, enterprise: s.enterprises[k].id)
            cache[k] = v
            return v
        }
        let mine = u(e)
        let myId = Array(ent.id.utf8)
        var population = 0, before = 0
        for (k, other) in s.enterprises.enumerated() where other.tier == ent.tier && s.applies(item, to: other) {
            population += 1
            guard k != e else { continue }
            let v = u(k)
            if v < mine || (v == mine && Array(other.id.utf8).lexicographicallyPrecedes(myId)) { before += 1 }
        }
        let group = duties.groups.first { $0.item == item.id && $0.tier == ent.tier }
        return .init(rate: rate.literal, sampling: s.policy.sampling, population: population,
                     size: group?.size ?? Draw.size(rate: rate, population: population),
                     numerator: mine, rank: before + 1, cutoff: group?.drawn.last?.u)
    }

    /// The departments whose items a visit checks, in the scenario's order.
    func departments(of v: Visit) -> [String] {
        let present = Set(v.checks.compactMap { scenario.item($0.item)?.department })
        return scenario.departments.map(\.id).filter { present.contains($0) }
    }

    /// Why the enterprise has as many on-site visits as it has: the item that needs the most
    /// checks on site (the visit lower bound of spec 3.2) with its spacing, what each visit
    /// merges, what the departments alone would have needed, and what forced extra visits.
    func visitReasons(_ ent: Enterprise, visits: [Visit], remote: [RemoteCheck], unmet: [UnmetCheck],
                      duties: [EnterpriseExplanation.DutyFacts]) -> [String] {
        var out: [String] = []
        let required = duties.reduce(0) { $0 + $1.checks }
        if visits.isEmpty {
            if required == 0 {
                out.append(t("explain.noRequired", ent.tier.rawValue))
            } else if unmet.isEmpty {
                out.append(n("explain.allRemote", required, required))
            } else {
                out.append(t("explain.nonePlaced") + (remote.isEmpty ? "" : n("explain.someRemote", remote.count, remote.count)))
            }
            return out
        }
        var onsite: [String: [Day]] = [:]
        for v in visits { for c in v.checks { onsite[c.item, default: []].append(v.date) } }
        let most = onsite.values.map(\.count).max() ?? 0
        let leaders = onsite.filter { $0.value.count == most }.keys.sorted()
        if most == 1 {
            out.append(t("explain.oneVisit"))
        } else {
            // Items with the same planned dates and spacing are told together.
            var told: [(items: [String], dates: [Day], spacing: Int)] = []
            for iid in leaders {
                let dates = onsite[iid]!.sorted()
                let spacing = scenario.item(iid)?.minSpacingDays ?? 0
                if let k = told.firstIndex(where: { $0.dates == dates && $0.spacing == spacing }) { told[k].items.append(iid) }
                else { told.append(([iid], dates, spacing)) }
            }
            for t in told {
                var line = t.items.count == 1 ? self.t("explain.itemNeeds", t.items[0], most) : self.t("explain.itemsNeed", list(t.items), most)
                if t.spacing > 0 {
                    let gaps = zip(t.dates, t.dates.dropFirst()).map { $1 - $0 }
                    line += self.t("explain.apart", t.spacing, list(t.dates.map(\.description)), list(gaps.map { self.t("explain.days", $0) }))
                } else {
                    line += self.t("explain.planned", list(t.dates.map(\.description)))
                }
                out.append(line + self.t("explain.atLeast", most))
            }
        }
        for v in visits {
            let items = Set(v.checks.map(\.item)).count
            let depts = departments(of: v)
            out.append(n(items > 1 ? "explain.merges" : "explain.carries", depts.count, v.id, v.date, items, depts.count, list(depts)))
        }
        var alone: [String: Int] = [:]
        for (iid, dates) in onsite {
            guard let d = scenario.item(iid)?.department else { continue }
            alone[d] = max(alone[d] ?? 0, dates.count)
        }
        let baseline = alone.values.reduce(0, +)
        if baseline > visits.count {
            out.append(t("explain.alone", baseline, list(alone.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }), baseline - visits.count))
        }
        let cap = scenario.onsiteCap(of: ent)
        if visits.count > most {
            var forced: [String] = []
            for v in visits {
                let pins = scenario.pinned.filter { $0.enterprise == ent.id && $0.date == v.date }
                if !pins.isEmpty { forced.append(t("explain.pinned", v.id, list(pins.map { "pinned[\($0.index)]" }))) }
            }
            let first = visits[0].date
            for (iid, lc) in ent.lastChecked.sorted(by: { $0.key < $1.key }) {
                guard let it = scenario.item(iid), onsite[iid] != nil, !SpacingRule.allows(first, spacing: it.minSpacingDays, lastChecked: lc, others: []) else { continue }
                forced.append(t("explain.lastCheckedForces", iid, lc, it.minSpacingDays, SpacingRule.earliest(after: lc, spacing: it.minSpacingDays), first))
            }
            if forced.isEmpty {
                forced.append(t("explain.split", visits.count, most))
            }
            out.append(contentsOf: forced)
        }
        out.append(t("explain.cap", cap, ent.tier.rawValue + (ent.whitelisted ? t("explain.whiteListTag") : "")) + (visits.count >= cap ? t("explain.capReached") : ""))
        return out
    }

    // MARK: - Unmet checks

    /// The binding reason of one unmet check in words, from the scenario's facts and the plan.
    func because(_ u: UnmetCheck, _ ent: Enterprise, visits: [Visit], remote: [RemoteCheck], unmet: [UnmetCheck]) -> [String] {
        guard let item = scenario.item(u.item) else { return [t("explain.unknownItem", u.item)] }
        let s = scenario
        let certified = s.inspectors.filter { $0.department == item.department && $0.certified }
        switch u.reason {
        case .noInspector:
            let all = s.inspectors.filter { $0.department == item.department }
            if all.isEmpty { return [t("explain.noInspectorAtAll", item.department) + (item.delegable ? t("explain.noDelegate") : "")] }
            return [n("explain.notCertified", all.count, item.department, list(all.map(\.id)))]
        case .recusal:
            return [t("explain.allRecused", item.department, ent.id, list(certified.map(\.id))),
                    item.remoteAllowed ? t("explain.remoteNeedsInspector", item.department) : t("explain.notRemote", item.id)]
        case .visitCap, .whitelist:
            var lines: [String] = []
            let tierCap = s.policy.maxOnsiteVisits[ent.tier]
            if u.reason == .whitelist || ent.whitelisted {
                let left = max(0, s.policy.whitelistMaxOnsiteVisitsPerYear - ent.onsiteVisitsThisYear)
                lines.append(n("explain.whitelisted", left, s.policy.whitelistMaxOnsiteVisitsPerYear, ent.onsiteVisitsThisYear, left, ent.tier.rawValue, tierCap))
            } else {
                lines.append(n("explain.tierAllows", tierCap, ent.tier.rawValue, tierCap))
            }
            let cap = s.onsiteCap(of: ent)
            let need = duties.duties.first { s.enterprises[$0.enterprise].id == ent.id && s.items[$0.item].id == item.id }?.count ?? u.occurrence
            lines.append(n("explain.needsChecks", need, item.id, need, u.occurrence, cap))
            lines.append(item.remoteAllowed ? t("explain.remoteNoSlot", item.id) : t("explain.notRemoteFlag", item.id))
            return lines
        case .blackout:
            let allowed = calendar.days.filter { BlackoutRule.allowsVisit(ent, on: $0) }
            var lines = [t("explain.blackout", list(ent.blackout.map(\.description)), allowed.count, calendar.days.count)]
            if allowed.isEmpty { lines.append(t("explain.allBlackout")) }
            lines.append(item.remoteAllowed ? t("explain.remoteNeededInspector", item.department) : t("explain.notRemoteFlag", item.id))
            return lines
        case .spacing:
            return spacingLines(u, item, ent, visits: visits, remote: remote)
        case .staffing:
            return staffingLines(u, item, ent, visits: visits, remote: remote, unmet: unmet)
        case .timeLimit:
            return [t("explain.timeLimit")]
        }
    }

    /// Dates of the item's other performed checks on the enterprise (on site or remote).
    func otherDates(_ item: String, _ occurrence: Int, visits: [Visit], remote: [RemoteCheck]) -> [(Int, Day)] {
        var out: [(Int, Day)] = []
        for v in visits { for c in v.checks where c.item == item && c.occurrence != occurrence { out.append((c.occurrence, v.date)) } }
        for r in remote where r.item == item && r.occurrence != occurrence { out.append((r.occurrence, r.date)) }
        return out.sorted { $0.1 < $1.1 }
    }

    /// Working days outside the blackout that keep `minSpacingDays` from lastChecked and from
    /// the item's other performed checks (spec 3.1 rules 1 and 7).
    func allowedDays(_ item: Item, _ occurrence: Int, _ ent: Enterprise, visits: [Visit], remote: [RemoteCheck]) -> [Day] {
        let others = otherDates(item.id, occurrence, visits: visits, remote: remote).map(\.1)
        return calendar.days.filter { d in
            BlackoutRule.allowsVisit(ent, on: d)
                && SpacingRule.allows(d, spacing: item.minSpacingDays, lastChecked: ent.lastChecked[item.id], others: others)
        }
    }

    func spacingLines(_ u: UnmetCheck, _ item: Item, _ ent: Enterprise, visits: [Visit], remote: [RemoteCheck]) -> [String] {
        var lines: [String] = []
        let sp = item.minSpacingDays
        if let lc = ent.lastChecked[item.id] {
            lines.append(t("explain.spacingLast", item.id, lc, sp, SpacingRule.earliest(after: lc, spacing: sp)))
        } else {
            lines.append(t("explain.spacingApart", item.id, sp))
        }
        let others = otherDates(item.id, u.occurrence, visits: visits, remote: remote)
        if !others.isEmpty {
            lines.append(t("explain.otherChecks", list(others.map { "\($0.1) (#\($0.0))" }), u.occurrence, sp))
        }
        let allowed = allowedDays(item, u.occurrence, ent, visits: visits, remote: remote)
        if allowed.isEmpty {
            lines.append(t("explain.noSpacingDay", ent.blackout.isEmpty ? "" : t("explain.paren", list(ent.blackout.map(\.description))), calendar.horizon.end))
        } else {
            lines.append(n("explain.spacingDays", allowed.count, allowed.count, allowed.first!, allowed.last!, scenario.onsiteCap(of: ent)))
        }
        return lines
    }

    /// Whether inspector `p` could still take a visit of `need` minutes to `ent` on `d` in the
    /// plan as it stands: certified, not on leave, not recused, fewer visits than their daily
    /// maximum, and the minutes left (spec 3.1 rule 4) — with at least the within-town travel
    /// when the day already has a visit.
    func hasRoom(_ p: Inspector, _ d: Day, for ent: Enterprise, minutes need: Int) -> Bool {
        guard InspectorRule.mayVisit(p, enterprise: ent.id, on: d) else { return false }
        let n = visitsOf[p.id]?[d]?.count ?? 0
        guard n < scenario.maxVisitsPerDay(of: p) else { return false }
        let used = minutesOf[p.id]?[d] ?? 0
        return calendar.workingMinutes - used >= need + (n > 0 ? scenario.policy.travelWithinTownMinutes : 0)
    }

    /// One department's free inspector-days on some days, in words.
    func departmentRoom(_ dep: String, _ ent: Enterprise, days: [Day], minutes need: Int) -> (line: String, free: [Day: [String]]) {
        let s = scenario
        let pool = s.inspectors.filter { $0.department == dep && $0.certified && !InspectorRule.isRecused($0, from: ent.id) }
        var free: [Day: [String]] = [:]
        var full = 0, leave = 0
        for d in days {
            let f = pool.filter { hasRoom($0, d, for: ent, minutes: need) }.map(\.id)
            if !f.isEmpty { free[d] = f }
            for p in pool {
                if InspectorRule.isOnLeave(p, on: d) { leave += 1 } else if !f.contains(p.id) { full += 1 }
            }
        }
        let slots = free.values.reduce(0) { $0 + $1.count }
        let recused = s.inspectors.filter { $0.department == dep && $0.certified && InspectorRule.isRecused($0, from: ent.id) }.map(\.id)
        var line = n("explain.mayGo", pool.count, dep, pool.count)
        if !pool.isEmpty { line += t("explain.paren", list(pool.map(\.id))) }
        if !recused.isEmpty { line += t("explain.recused", list(recused)) }
        line += n("explain.freeDays", slots, slots, need, full, leave)
        if slots == 0 { line += t("explain.noneFree", dep) }
        return (line, free)
    }

    /// Staffing, for one check: the days it was allowed and whether its department had a
    /// certified inspector with room on any of them (spec 3.1 rules 2 and 4).
    func staffingLines(_ u: UnmetCheck, _ item: Item, _ ent: Enterprise, visits: [Visit], remote: [RemoteCheck], unmet: [UnmetCheck]) -> [String] {
        let allowed = allowedDays(item, u.occurrence, ent, visits: visits, remote: remote)
        var window = n("explain.allowedDays", allowed.count, allowed.count)
        if let f = allowed.first, let l = allowed.last {
            window += t("explain.window", f, l)
            if !ent.blackout.isEmpty { window += t("explain.outsideBlackout") }
            if item.minSpacingDays > 0 && (ent.lastChecked[item.id] != nil || !otherDates(item.id, u.occurrence, visits: visits, remote: remote).isEmpty) {
                window += t("explain.fromOtherChecks", item.minSpacingDays)
            }
        }
        var lines = [window]
        guard !allowed.isEmpty else { return lines }
        let need = scenario.policy.visitBaseMinutes + item.minutes
        if item.delegable {
            let slots = allowed.reduce(0) { acc, d in acc + scenario.inspectors.filter { hasRoom($0, d, for: ent, minutes: need) }.count }
            lines.append(n("explain.delegable", slots, item.id, slots))
        } else {
            let room = departmentRoom(item.department, ent, days: allowed, minutes: need)
            lines.append(room.line)
            // The check may have been lost with a joint visit another department could not staff.
            let partners = Set(unmet.filter { $0.reason == .staffing }.compactMap { scenario.item($0.item) }
                .filter { !$0.delegable && $0.department != item.department }.map(\.department))
            if !room.free.isEmpty && !partners.isEmpty {
                lines.append(t("explain.lostWithVisit", item.department, list(partners.sorted())))
            }
        }
        return lines
    }

    /// Staffing, for the enterprise: the visit its staffing-unmet checks needed — every
    /// department of their non-delegable items and `minInspectorsPerVisit` people on one
    /// allowed day — and which department had no free certified inspector.
    func staffingVisit(_ ent: Enterprise, visits: [Visit], remote: [RemoteCheck], unmet: [UnmetCheck]) -> [String] {
        let s = scenario
        let lost = unmet.filter { $0.reason == .staffing }.sorted { ($0.item, $0.occurrence) < ($1.item, $1.occurrence) }
        guard !lost.isEmpty else { return [] }
        let items = lost.compactMap { s.item($0.item) }
        let needed = Set(items.filter { !$0.delegable }.map(\.department))
        let depts = s.departments.map(\.id).filter { needed.contains($0) }
        // Days every lost check allows, and the longest check among them (rule 1: base + max).
        var days = Set(calendar.days)
        for u in lost { if let it = s.item(u.item) { days.formIntersection(allowedDays(it, u.occurrence, ent, visits: visits, remote: remote)) } }
        let allowed = days.sorted()
        let need = s.policy.visitBaseMinutes + (items.map(\.minutes).max() ?? 0)
        var lines = [n("explain.visitNeeded", allowed.count, list(lost.map { "\($0.item) #\($0.occurrence)" }), depts.isEmpty ? t("explain.anyInspectors") : list(depts), s.policy.minInspectorsPerVisit, need, allowed.count)]
        guard !allowed.isEmpty else { return lines }
        var free: [String: [Day: [String]]] = [:]
        for dep in depts {
            let r = departmentRoom(dep, ent, days: allowed, minutes: need)
            free[dep] = r.free
            lines.append(r.line)
        }
        let minTeam = max(s.policy.minInspectorsPerVisit, depts.count)
        let teamDays = allowed.filter { d in
            depts.allSatisfy { free[$0]?[d] != nil } && s.inspectors.filter { hasRoom($0, d, for: ent, minutes: need) }.count >= minTeam
        }
        let binding = depts.filter { free[$0]?.isEmpty ?? true }
        let eligible = s.inspectors.filter { $0.certified && !InspectorRule.isRecused($0, from: ent.id) }
        if eligible.count < minTeam {
            lines.append(n("explain.bindingFew", eligible.count, eligible.count, ent.id, list(eligible.map(\.id)), minTeam, s.policy.minInspectorsPerVisit))
        } else if !binding.isEmpty {
            lines.append(t("explain.bindingDepartments", binding.joined(separator: t("explain.and"))))
        } else if teamDays.isEmpty {
            lines.append(t("explain.bindingTogether", minTeam, depts.isEmpty ? "" : t("explain.including", list(depts))))
        } else {
            lines.append(t("explain.notBinding", teamDays.count, teamDays[0]))
        }
        if visits.count >= s.onsiteCap(of: ent) {
            lines.append(t("explain.capFull", visits.count, s.onsiteCap(of: ent)))
        }
        return lines
    }

    // MARK: - Department day

    /// One department's inspectors on one date; throws `InputProblems` for an unknown id.
    public func department(_ id: String, on date: Day) throws -> DepartmentDayExplanation {
        guard let dep = scenario.department(id) else {
            var message = "unknown department \(JSONWriter.quote(id))"
            if let s = ClosestMatch.suggestion(for: id, among: scenario.departments.map(\.id)) { message += " (did you mean \(JSONWriter.quote(s))?)" }
            throw InputProblems([InputProblem(path: "--department", message: message)])
        }
        let working = calendar.isWorking(date)
        var out = DepartmentDayExplanation(department: dep.id, departmentName: dep.name, date: date, isWorkingDay: working,
                                           notWorking: working ? nil : calendar.whyNotWorking(date),
                                           workingMinutes: calendar.workingMinutes, inspectors: [])
        for p in scenario.inspectors where p.department == id {
            var lines: [DepartmentDayExplanation.VisitLine] = []
            var visitMinutes = 0, travel = 0
            var prevTown: String?
            for v in visitsOf[p.id]?[date] ?? [] {
                let town = scenario.enterprise(v.enterprise)?.town ?? "?"
                let t = prevTown.map { scenario.travel($0, town) } ?? 0
                travel += t
                visitMinutes += v.minutes
                lines.append(.init(visit: v.id, enterprise: v.enterprise, town: town, start: v.start, end: v.end,
                                   items: v.checks.filter { $0.inspector == p.id }.map { "\($0.item) #\($0.occurrence)" },
                                   travelBefore: t))
                prevTown = town
            }
            let remote = plan.remoteChecks.filter { $0.inspector == p.id && $0.date == date }
            out.inspectors.append(.init(id: p.id, name: p.name, certified: p.certified,
                                        leave: p.unavailable.first { $0.contains(date) },
                                        maxVisits: scenario.maxVisitsPerDay(of: p), visits: lines,
                                        visitMinutes: visitMinutes, travelMinutes: travel, remoteChecks: remote,
                                        remoteMinutes: remote.reduce(0) { $0 + (scenario.item($1.item)?.remoteMinutes ?? 0) }))
        }
        return out
    }
}
