import Foundation

/// Re-planning by repair (issue 21, item 2: non-disruptive re-planning, as Timefold calls
/// it): the base plan's later visits are loaded as they are, and only what the change makes
/// invalid is taken apart —
///
/// 1. a visit with a member the changed scenario no longer allows (leave, recusal,
///    certification) keeps its day, start and checks with another member of the same
///    department in that place (rule 11: the draw's next; optimised: the cheapest free);
///    a visit on a day it may no longer have (blackout, working days), breaking spacing or
///    the cap, holding checks no longer required, or that no member can be found for, goes,
///    and its checks are open again;
/// 2. rule 11 is replayed (`Redraw`): on a day where a visit changed, a later visit may see
///    another member first in the draw, and changes too — only there;
/// 3. open checks are placed (`Reinsertion`) remotely, on new visits, or joined to visits
///    that already changed — never to a kept visit;
/// 4. the minutes descent re-places only visits that changed or are new; under rule 11 its
///    answer is kept only if no kept visit's draw changed with it.
///
/// Kept visits are those equal to a base visit (enterprise, day, start, end, team, checks'
/// items). Nothing here reads the clock except to stop at the deadline.
struct ReplanRepair {
    var passes = 2

    struct Result {
        var schedule: Schedule
        /// Kept visits (schedule ids) when the schedule was written.
        var kept: Int
        /// Base visits taken out or changed for what the change made invalid.
        var invalid: Int
    }

    /// The identity of a visit that "stays exactly as it was".
    struct Identity: Hashable {
        var enterprise: Int, day: Int, start: Int, end: Int, team: [Int], items: [Int]
        init(_ v: PlannedVisit) {
            enterprise = v.enterprise; day = v.day; start = v.start; end = v.end
            team = v.team.sorted(); items = v.checks.map(\.item).sorted()
        }
    }

    func run(_ ctx: PlanningContext, base: Plan, from: Day, deadline: Date) -> Result {
        let s = ctx.scenario
        let el = ctx.eligibility
        var sched = Schedule(ctx)
        // Occurrences still to plan per pair; each placed or open check takes one.
        var left: [Int: Int] = [:]
        for d in ctx.duties.duties { left[ctx.key(d.enterprise, d.item)] = d.count }
        func take(_ e: Int, _ i: Int) -> Bool {
            let k = ctx.key(e, i)
            guard (left[k] ?? 0) > 0 else { return false }
            left[k]! -= 1
            return true
        }
        var asIs = 0
        var baseKeys: [Identity: Int] = [:]
        var deferred: [(visit: PlannedVisit, gone: [Int])] = []

        // 1. The base plan's later visits, in replay order, as they still may be.
        let later = base.visits.filter { $0.date >= from }.sorted { ($0.date, $0.start, $0.id) < ($1.date, $1.start, $1.id) }
        for (k, v) in later.enumerated() {
            guard let e = s.enterpriseIndex[v.enterprise], let d = ctx.calendar.indexOf(v.date),
                  ctx.visitable[e][d], ctx.window.allows(start: v.start, length: v.end - v.start) else { continue }
            var team: [Int] = []
            var unknown = false
            for id in v.inspectors {
                if let p = s.inspectorIndex[id] { if !team.contains(p) { team.append(p) } } else { unknown = true }
            }
            var checks: [(item: Int, performer: Int)] = []
            for c in v.checks {
                guard let i = s.itemIndex[c.item], let p = s.inspectorIndex[c.inspector] else { unknown = true; continue }
                checks.append((i, p))
            }
            if unknown { continue }
            // Checks no longer required leave the visit (the rest of it may stay).
            let required = checks.filter { take(e, $0.item) }
            let town = ctx.enterpriseTown[e]
            let length = v.end - v.start
            var visit = PlannedVisit(enterprise: e, day: d, start: v.start, end: v.end, team: team, checks: required)
            visit.pinned = ctx.draw.isPinned(enterprise: e, day: d, start: v.start, team: team)
            // Replayed in the base plan's order (its ids), before anything new at the same start.
            visit.replayKey = k - later.count
            baseKeys[Identity(visit), default: 0] += required.count == checks.count ? 1 : 0
            func giveBack() { for c in required { left[ctx.key(e, c.item)]! += 1 } }
            guard !required.isEmpty, required.count == checks.count || !visit.pinned,
                  sched.visitCount(e) < ctx.cap[e],
                  required.allSatisfy({ sched.dateAllows(e, $0.item, day: d, onSite: true) }) else {
                giveBack(); continue
            }
            // Members the changed scenario no longer allows: replaced once every visit that
            // stays as it is holds its place (below).
            let gone = team.filter { !s.inspectors[$0].certified || !el.mayVisit($0, day: d, enterprise: e) }
            if !gone.isEmpty {
                if visit.pinned { giveBack(); continue }
                deferred.append((visit, gone))
                continue
            }
            guard visit.team.count >= ctx.minTeam,
                  visit.team.allSatisfy({ sched.cost($0, d, start: v.start, length: length, town: town) != nil }) else {
                giveBack(); continue
            }
            sched.add(visit)
            if required.count == checks.count { asIs += 1 }
        }
        // Another member of the same department in the place of each one who may no longer
        // go, free for the whole day as it now stands (rule 11's replay below then draws the
        // member: the first of the enterprise's order free at the visit's turn); optimised,
        // the one adding the fewest minutes.
        for (original, gone) in deferred {
            var visit = original
            let (e, d) = (visit.enterprise, visit.day)
            let town = ctx.enterpriseTown[e]
            let length = visit.end - visit.start
            var ok = true
            for p in gone {
                let dep = el.departmentOf[p]
                let pool = (dep >= 0 ? (ctx.draw.isRandom ? ctx.draw.order(enterprise: e, department: dep) : el.certifiedByDepartment[dep]) : [])
                    .filter { q in s.inspectors[q].certified && el.mayVisit(q, day: d, enterprise: e) && !visit.team.contains(q)
                        && sched.cost(q, d, start: visit.start, length: length, town: town) != nil }
                let pick = ctx.draw.isRandom ? pool.first
                    : pool.min { (sched.cost($0, d, start: visit.start, length: length, town: town)!, $0) < (sched.cost($1, d, start: visit.start, length: length, town: town)!, $1) }
                guard let q = pick else { ok = false; break }
                visit.team = visit.team.map { $0 == p ? q : $0 }
                visit.checks = visit.checks.map { ($0.item, $0.performer == p ? q : $0.performer) }
            }
            guard ok, visit.team.count >= ctx.minTeam, sched.visitCount(e) < ctx.cap[e],
                  visit.checks.allSatisfy({ el.mayPerform($0.performer, item: $0.item) && sched.dateAllows(e, $0.item, day: d, onSite: true) }),
                  visit.team.allSatisfy({ sched.cost($0, d, start: visit.start, length: length, town: town) != nil }) else {
                for c in visit.checks { left[ctx.key(e, c.item)]! += 1 }
                continue
            }
            sched.add(visit)
        }
        // Remote checks after the date, where they still may be.
        for r in base.remoteChecks where r.date >= from {
            guard let e = s.enterpriseIndex[r.enterprise], let i = s.itemIndex[r.item], let p = s.inspectorIndex[r.inspector],
                  let d = ctx.calendar.indexOf(r.date), s.inspectors[p].certified, ctx.item(i).remoteAllowed,
                  el.mayDoRemotely(p, item: i, day: d, enterprise: e),
                  sched.day(p, d).canAddRemote(ctx.item(i).remoteMinutes, budget: ctx.window.workingMinutes),
                  sched.dateAllows(e, i, day: d, onSite: false), take(e, i) else { continue }
            sched.addRemote(PlannedRemote(enterprise: e, item: i, day: d, inspector: p))
        }
        // What the base plan left unmet stays so (Reinsertion tries it again); every other
        // occurrence still to plan is open.
        for u in base.unmet {
            guard let e = s.enterpriseIndex[u.enterprise], let i = s.itemIndex[u.item], take(e, i) else { continue }
            sched.unmet.append(OpenCheck(enterprise: e, item: i, reason: u.reason))
        }
        for (k, n) in left.sorted(by: { $0.key < $1.key }) where n > 0 {
            for _ in 0..<n { sched.unmet.append(OpenCheck(enterprise: k / ctx.itemCount, item: k % ctx.itemCount, reason: .staffing)) }
        }

        func kept(_ sc: Schedule) -> Set<Int> {
            var pool = baseKeys
            var out = Set<Int>()
            for (id, v) in sc.liveVisits {
                let key = Identity(v)
                if let n = pool[key], n > 0 { pool[key] = n - 1; out.insert(id) }
            }
            return out
        }
        func redraw(_ sc: Schedule) -> Schedule { Redraw().run(sc).schedule }  // as it is under "optimised"

        // 2. Rule 11 on the days the change touched (elsewhere every team comes out as it was).
        sched = redraw(sched)
        // 3. Open checks placed; kept visits take none.
        for _ in 0..<2 {
            sched = redraw(Reinsertion(fixed: kept(sched)).run(sched, deadline: deadline))
            if !sched.unmet.contains(where: { $0.reason == .staffing }) || Date() >= deadline { break }
        }
        // 4. Minutes, on what changed only.
        let keptNow = kept(sched)
        if Date() < deadline {
            let descended = redraw(MinutesDescent(passes: passes, fixed: keptNow).run(sched, deadline: deadline))
            if kept(descended).count >= keptNow.count && descended.objective < sched.objective { sched = descended }
        }
        return Result(schedule: sched, kept: kept(sched).count, invalid: later.count - asIs)
    }
}
