import Foundation

/// Rule 11 on a schedule's days, for stages that change some days and must know whether the
/// draw still gives every visit there the team it has. Inspectors are free or busy per day,
/// so the replay of one day (pinned visits and remote checks held from the start, then the
/// day's other visits in (start, replay key, enterprise rank, id) order — the order
/// `ScheduleIO` numbers them in) settles that day alone: a stage that touched days D compares those days only.
extension Schedule {
    /// Visits on day `d` whose members are not the ones the draw gives them (by `TeamDraw`,
    /// for the visit's own department counts), or that the draw cannot staff at all.
    /// 0 under `inspectorDispatch: "optimised"`.
    func drawMismatches(onDay d: Int) -> Int {
        let draw = context.draw
        guard draw.isRandom else { return 0 }
        var ids = Set<Int>()
        for p in 0..<context.scenario.inspectors.count {
            for s in day(p, d).slots { ids.insert(s.visit) }
        }
        var held: [Int: InspectorDay] = [:]
        func current(_ p: Int) -> InspectorDay {
            if let h = held[p] { return h }
            var h = InspectorDay()
            let r = day(p, d).remoteMinutes
            if r > 0 { h.addRemote(r) }
            return h
        }
        func hold(_ id: Int, _ v: PlannedVisit) {
            let town = context.enterpriseTown[v.enterprise]
            for p in v.team {
                var h = current(p)
                h.insert(.init(start: v.start, end: v.end, town: town, visit: id), travel: context.travel)
                held[p] = h
            }
        }
        var turns: [(id: Int, visit: PlannedVisit)] = []
        for id in ids.sorted() {
            guard let v = visits[id] else { continue }
            if draw.isPinned(enterprise: v.enterprise, day: v.day, start: v.start, team: v.team) {
                hold(id, v)
            } else {
                turns.append((id, v))
            }
        }
        let rank = draw.enterpriseRank
        turns.sort {
            ($0.visit.start, $0.visit.replayKey, rank[$0.visit.enterprise], $0.id) < ($1.visit.start, $1.visit.replayKey, rank[$1.visit.enterprise], $1.id)
        }
        var bad = 0
        for (id, v) in turns {
            switch draw.team(draw.counts(v.team), enterprise: v.enterprise, day: d, start: v.start, end: v.end, held: current) {
            case .success(let team): if Set(team) != Set(v.team) { bad += 1 }
            case .failure: bad += 1
            }
            hold(id, v)
        }
        return bad
    }

    func drawMismatches(onDays days: some Sequence<Int>) -> Int {
        guard context.draw.isRandom else { return 0 }
        return Set(days).reduce(0) { $0 + drawMismatches(onDay: $1) }
    }

    /// The days on which this schedule's visits or remote checks differ from `other`'s (the
    /// same context; visits compared id by id).
    func daysDiffering(from other: Schedule) -> Set<Int> {
        var out = Set<Int>()
        for k in 0..<max(visits.count, other.visits.count) {
            let a = k < visits.count ? visits[k] : nil
            let b = k < other.visits.count ? other.visits[k] : nil
            if a == b { continue }
            if let a { out.insert(a.day) }
            if let b { out.insert(b.day) }
        }
        func key(_ r: PlannedRemote) -> [Int] { [r.enterprise, r.item, r.day, r.inspector] }
        let mine = Set(remote.map(key)), theirs = Set(other.remote.map(key))
        for r in mine.symmetricDifference(theirs) { out.insert(r[2]) }
        return out
    }
}
