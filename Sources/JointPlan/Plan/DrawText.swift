import Foundation

/// The words of rule 11: the checker's violation (check_plan.py's reading, English) and
/// why a candidate was passed over (`explain`, in the reader's language).
public enum DrawText {
    /// One rule-11 violation: the visit, the department, who the draw gives and who the team
    /// has, and why the first wrongly passed-over candidate was a candidate.
    static func violation(_ t: DrawReplay.Turn, department dep: Int, expected: [Int], found: [Int], replay: DrawReplay) -> String {
        let s = replay.draw.scenario
        let v = t.visit
        let order = replay.draw.order(enterprise: t.enterprise, department: dep)
        let n = order.count
        let d = s.departments[dep].id
        func id(_ p: Int) -> String { s.inspectors[p].id }
        func who(_ p: Int) -> String {
            let r = (order.firstIndex(of: p) ?? 0) + 1
            return "\(id(p)) (rank \(r) of \(n) in \(d) for \(v.enterprise), ticket \(String(format: "%.6f", replay.draw.ticket(enterprise: t.enterprise, inspector: p))))"
        }
        var msg = "visit \(v.id) (\(v.enterprise), \(v.date) \(ClockTime.format(v.start))-\(ClockTime.format(v.end))) (visits[\(t.index)]), department \(d): the draw gives \(expected.map(id).joined(separator: ", ").ifEmpty("nobody")), the team has \(found.map(id).joined(separator: ", "))"
        if expected.count < found.count {
            msg += "; only \(expected.count) of the \(n) inspectors of \(d) are eligible and free"
        }
        if let passed = expected.first(where: { !found.contains($0) }) {
            msg += "; \(who(passed)) was passed over though eligible and free"
        }
        if let extra = found.first(where: { !expected.contains($0) }) {
            if let why = replay.draw.whyNot(extra, held: replay.day(extra, t.day), enterprise: t.enterprise, day: t.day, start: v.start, end: v.end) {
                msg += "; \(who(extra)) is not a candidate: \(reason(why, plan: nil, language: .en))"
            } else {
                msg += "; \(who(extra)) ranks after the drawn member(s)"
            }
        }
        return msg
    }

    /// Why a candidate was passed over, in words: `P003 … in V00017 until 10:40, + 15 min travel`.
    public static func reason(_ why: TeamDraw.PassedOver, plan: Plan?, language: Language) -> String {
        let t = Catalogue(language)
        switch why {
        case .ineligible(.notCertified): return t("draw.notCertified")
        case .ineligible(.unavailable): return t("draw.unavailable")
        case .ineligible(.recused): return t("draw.recused")
        case .busy(.overlaps(let k, let start, let end, let travel)):
            let name = plan.flatMap { k < $0.visits.count ? $0.visits[k].id : nil } ?? "visit \(k)"
            _ = start
            return t("draw.overlaps", name, ClockTime.format(end), travel)
        case .busy(.full(let n)): return t("draw.full", n)
        case .busy(.minutes(let total, let budget)): return t("draw.minutes", total, budget)
        }
    }

    /// `explain --visit`: for each member, the candidates ranked before them and why each was
    /// passed over (or that the visit is pinned, or the plan's teams are optimised).
    public static func audit(_ plan: Plan, scenario s: Scenario, visit id: String, language: Language) -> [String] {
        audits(plan, scenario: s, visits: [id], language: language)[id] ?? []
    }

    /// The same for several visits, in one replay of the plan.
    public static func audits(_ plan: Plan, scenario s: Scenario, visits ids: Set<String>, language: Language) -> [String: [String]] {
        let t = Catalogue(language)
        guard s.policy.inspectorDispatch == .random else { return Dictionary(uniqueKeysWithValues: ids.map { ($0, [t("draw.optimised")]) }) }
        let cal = WorkCalendar(s.horizon)
        let draw = TeamDraw(s, cal, seed: plan.seed)
        var out: [String: [String]] = [:]
        DrawReplay.replay(plan, draw: draw) { turn, replay in
            guard ids.contains(turn.visit.id) else { return }
            var lines: [String] = []
            lines.append(t("draw.header", draw.seed, s.enterprises[turn.enterprise].id))
            for (dep, _) in draw.counts(turn.team) {
                let order = draw.order(enterprise: turn.enterprise, department: dep)
                let members = turn.team.filter { draw.eligibility.departmentOf[$0] == dep }
                let last = members.compactMap { order.firstIndex(of: $0) }.max() ?? -1
                for (r, p) in order.enumerated() where r <= last {
                    let ticket = String(format: "%.6f", draw.ticket(enterprise: turn.enterprise, inspector: p))
                    if members.contains(p) {
                        lines.append(t("draw.member", s.inspectors[p].id + " " + s.inspectors[p].name, ticket, s.departments[dep].id, r + 1))
                    } else {
                        let why = replay.draw.whyNot(p, held: replay.day(p, turn.day), enterprise: turn.enterprise, day: turn.day,
                                                     start: turn.visit.start, end: turn.visit.end)
                        lines.append(t("draw.before", s.inspectors[p].id, ticket, why.map { reason($0, plan: plan, language: language) } ?? t("draw.free")))
                    }
                }
            }
            out[turn.visit.id] = lines
        }
        for v in plan.visits where ids.contains(v.id) && out[v.id] == nil { out[v.id] = [t("draw.pinned")] }
        return out
    }
}

private extension String {
    func ifEmpty(_ other: String) -> String { isEmpty ? other : self }
}
