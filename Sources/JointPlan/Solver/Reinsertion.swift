import Foundation

/// Improvement: every check still unmet for want of staff (or time) gets another chance, the
/// heaviest first — done remotely when its item allows, joined to a visit its enterprise
/// already has (a longer visit, or one more member of its department), or on a new visit
/// within the cap, on any day its departments are on duty together. Only checks are added,
/// so the plan's weighted unmet work goes down and nothing else gets worse first
/// (lexicographically better, spec 3.2).
///
/// One entry point, `run`; a schedule in, a schedule out.
struct Reinsertion: Sendable {
    /// Only these enterprises' checks (nil: every enterprise's).
    var only: Set<Int>?
    /// Visits no check may join (a re-plan's kept visits stay exactly as they were, issue 21).
    var fixed: Set<Int> = []

    func run(_ input: Schedule, deadline: Date) -> Schedule {
        var sched = input
        let ctx = sched.context
        let open = sched.unmet
        var keep: [OpenCheck] = []
        var byEnterprise: [Int: [OpenCheck]] = [:]
        for u in open {
            if let only, !only.contains(u.enterprise) { keep.append(u); continue }
            switch u.reason {
            case .staffing, .timeLimit, .visitCap, .whitelist: byEnterprise[u.enterprise, default: []].append(u)
            default: keep.append(u)
            }
        }
        let order = byEnterprise.keys.sorted { a, b in
            ctx.weight[a] != ctx.weight[b] ? ctx.weight[a] > ctx.weight[b] : a < b
        }
        for e in order {
            var left: [OpenCheck] = []
            for u in byEnterprise[e]!.sorted(by: { $0.item < $1.item }) {
                if Date() > deadline { left.append(u); continue }
                if Placement.remote(&sched, e, u.item) || Placement.joinAnyVisit(&sched, e, u.item, except: fixed) { continue }
                left.append(u)
            }
            // New visits for what is left, within the cap: all distinct items together first.
            var capBound: [OpenCheck] = []
            var todo: [OpenCheck] = []
            for u in left {
                if u.reason == .visitCap || u.reason == .whitelist || Date() > deadline { capBound.append(u) } else { todo.append(u) }
            }
            while !todo.isEmpty && sched.visitCount(e) < ctx.cap[e] {
                var items: [Int] = []
                for u in todo where !items.contains(u.item) { items.append(u.item) }
                if let placedItems = newVisit(&sched, e, items) {
                    var remaining = todo
                    for i in placedItems { if let k = remaining.firstIndex(where: { $0.item == i }) { remaining.remove(at: k) } }
                    todo = remaining
                    // What is left may now join the new visit.
                    todo = todo.filter { !Placement.joinAnyVisit(&sched, e, $0.item, except: fixed) }
                } else {
                    break
                }
            }
            keep += capBound + todo
        }
        sched.unmet = keep
        return sched
    }

    /// A new visit for as many of `items` as one visit can take: all of them, else the
    /// heaviest subsets by dropping one department at a time. Returns the items placed.
    private func newVisit(_ sched: inout Schedule, _ e: Int, _ items: [Int]) -> [Int]? {
        let el = sched.context.eligibility
        var todo = items
        while !todo.isEmpty {
            for d in 0..<sched.context.dayCount where todo.allSatisfy({ sched.dateAllows(e, $0, day: d, onSite: true) }) {
                if case .success(let v) = Staffing().staff(sched, enterprise: e, day: d, items: todo) {
                    sched.add(v)
                    return todo
                }
            }
            let depts = Array(Set(todo.map { el.itemDepartment[$0] })).sorted()
            guard depts.count > 1 else { break }
            // Keep the departments with the most checks here; drop the one with the fewest.
            let drop = depts.min { a, b in
                let na = todo.filter { el.itemDepartment[$0] == a }.count, nb = todo.filter { el.itemDepartment[$0] == b }.count
                return na != nb ? na < nb : a > b
            }!
            todo = todo.filter { el.itemDepartment[$0] != drop }
        }
        return nil
    }
}
