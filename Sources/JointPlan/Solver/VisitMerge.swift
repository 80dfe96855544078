import Foundation

/// Improvement of the second objective (spec 3.2, on-site visits): two visits of one
/// enterprise with no item in common become one — the second's checks joined to the first
/// (or the other way round) at its time, else both taken out and their checks staffed
/// together on any day spacing, blackout and the departments' duty allow. Unmet work does not
/// change and a visit goes, so every merge kept is lexicographically better. A pinned visit
/// keeps its day and start (it may take the other visit's checks).
///
/// One entry point, `run`; a schedule in, a schedule out.
struct VisitMerge: Sendable {
    func run(_ input: Schedule, deadline: Date) -> Schedule {
        var sched = input
        let enterprises = sched.visitsOf.keys.sorted()
        for e in enterprises where sched.visitCount(e) > 1 {
            var merged = true
            while merged {
                merged = false
                if Date() > deadline { return sched }
                let ids = (sched.visitsOf[e] ?? []).sorted()
                outer: for a in ids {
                    for b in ids where b > a {
                        if merge(&sched, a, b) { merged = true; break outer }
                    }
                }
            }
        }
        return sched
    }

    private func merge(_ sched: inout Schedule, _ a: Int, _ b: Int) -> Bool {
        guard let va = sched.visits[a], let vb = sched.visits[b] else { return false }
        let ia = va.checks.map(\.item), ib = vb.checks.map(\.item)
        guard Set(ia).isDisjoint(with: ib) else { return false }
        if vb.pinned && va.pinned { return false }
        // b's checks onto a (a pinned visit only receives), else a's onto b.
        if !vb.pinned {
            sched.remove(visit: b)
            if sched.join(ib, into: a) { return true }
            sched.add(vb, as: b)
        }
        if !va.pinned {
            sched.remove(visit: a)
            if sched.join(ia, into: b) { return true }
            sched.add(va, as: a)
        }
        guard !va.pinned && !vb.pinned else { return false }
        // Both out; all their checks on one visit on the first day that staffs it.
        sched.remove(visit: a)
        sched.remove(visit: b)
        let items = ia + ib
        let e = va.enterprise
        for d in 0..<sched.context.dayCount where items.allSatisfy({ sched.dateAllows(e, $0, day: d, onSite: true) }) {
            if case .success(let v) = Staffing().staff(sched, enterprise: e, day: d, items: items) {
                sched.add(v, as: a)
                return true
            }
        }
        sched.add(va, as: a)
        sched.add(vb, as: b)
        return false
    }
}
