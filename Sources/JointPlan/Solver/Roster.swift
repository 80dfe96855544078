import Foundation

/// Every inspector's day as it fills up: the visits in time order with their towns, the
/// minutes of visits, travel and remote checks. Placing a visit goes through `earliestStart`,
/// which enforces spec rule 4 (no overlap with travel between towns, maxVisitsPerDay, the
/// day's working minutes) and rule 1 (day window and breaks), so a schedule built through
/// the roster is valid by construction.
struct Roster {
    struct Slot { var start: Int; var end: Int; var town: Int }
    struct InspectorDay {
        var slots: [Slot] = []
        var visitMinutes = 0
        var travelMinutes = 0
        var remoteMinutes = 0
        var used: Int { visitMinutes + travelMinutes + remoteMinutes }
    }

    let scenario: Scenario
    let calendar: WorkCalendar
    /// travel[a][b] in minutes between town indexes.
    let travel: [[Int]]
    let maxVisits: [Int]
    /// available[p][dayIndex]: certified and not on leave.
    let available: [[Bool]]
    private(set) var days: [[InspectorDay]]
    /// Minutes booked per inspector over the horizon (to balance the load).
    private(set) var booked: [Int]

    init(_ s: Scenario, _ cal: WorkCalendar) {
        scenario = s
        calendar = cal
        travel = s.towns.map { a in s.towns.map { b in s.travel(a.id, b.id) } }
        maxVisits = s.inspectors.map { s.maxVisitsPerDay(of: $0) }
        available = s.inspectors.map { p in cal.days.map { p.certified && !p.unavailable.contains(day: $0) } }
        days = Array(repeating: Array(repeating: InspectorDay(), count: cal.days.count), count: s.inspectors.count)
        booked = Array(repeating: 0, count: s.inspectors.count)
    }

    func day(_ p: Int, _ d: Int) -> InspectorDay { days[p][d] }

    /// The earliest start ≥ `from` at which inspector `p` can take a visit of `length`
    /// minutes in `town` on working day `d`, or nil.
    func earliestStart(_ p: Int, _ d: Int, from: Int, length: Int, town: Int) -> Int? {
        guard available[p][d] else { return nil }
        let day = days[p][d]
        guard day.slots.count < maxVisits[p] else { return nil }
        let budget = calendar.workingMinutes
        guard day.used + length <= budget else { return nil }
        let n = day.slots.count
        for k in 0...n {
            let prev = k > 0 ? day.slots[k - 1] : nil
            let next = k < n ? day.slots[k] : nil
            var s = from
            if let pv = prev { s = max(s, pv.end + travel[pv.town][town]) }
            guard var t = calendar.earliestStart(atOrAfter: s, length: length) else { return nil }
            if let nx = next {
                guard t + length + travel[town][nx.town] <= nx.start else {
                    // Later gaps start later; try them.
                    continue
                }
            }
            // Minutes of the day after the insertion (spec rule 4: visits + travel + remote).
            var extra = 0
            if let pv = prev { extra += travel[pv.town][town] }
            if let nx = next { extra += travel[town][nx.town] }
            if let pv = prev, let nx = next { extra -= travel[pv.town][nx.town] }
            if day.used + length + extra > budget { continue }
            t = max(t, from)
            return t
        }
        return nil
    }

    /// The earliest common start ≥ `from` for the whole team, or nil.
    func commonStart(_ team: [Int], _ d: Int, from: Int, length: Int, town: Int) -> Int? {
        var s = from
        for _ in 0..<64 {
            var agreed = true
            for p in team {
                guard let t = earliestStart(p, d, from: s, length: length, town: town) else { return nil }
                if t > s { s = t; agreed = false }
            }
            if agreed { return s }
        }
        return nil
    }

    /// Can the team do this visit starting exactly at `start`?
    func fits(_ team: [Int], _ d: Int, start: Int, length: Int, town: Int) -> Bool {
        team.allSatisfy { earliestStart($0, d, from: start, length: length, town: town) == start }
    }

    mutating func book(_ team: [Int], _ d: Int, start: Int, length: Int, town: Int) {
        for p in team {
            var day = days[p][d]
            let k = day.slots.firstIndex { $0.start > start } ?? day.slots.count
            day.slots.insert(Slot(start: start, end: start + length, town: town), at: k)
            day.visitMinutes += length
            var t = 0
            for i in day.slots.indices.dropFirst() { t += travel[day.slots[i - 1].town][day.slots[i].town] }
            booked[p] += length + t - day.travelMinutes
            day.travelMinutes = t
            days[p][d] = day
        }
    }

    /// Takes a booked visit back out of its team's days (the exchange step).
    mutating func unbook(_ team: [Int], _ d: Int, start: Int) {
        for p in team {
            var day = days[p][d]
            guard let k = day.slots.firstIndex(where: { $0.start == start }) else { continue }
            let slot = day.slots.remove(at: k)
            day.visitMinutes -= slot.end - slot.start
            var t = 0
            for i in day.slots.indices.dropFirst() { t += travel[day.slots[i - 1].town][day.slots[i].town] }
            booked[p] -= (slot.end - slot.start) + day.travelMinutes - t
            day.travelMinutes = t
            days[p][d] = day
        }
    }

    func spareMinutes(_ p: Int, _ d: Int) -> Int {
        available[p][d] ? calendar.workingMinutes - days[p][d].used : 0
    }

    mutating func bookRemote(_ p: Int, _ d: Int, minutes: Int) {
        days[p][d].remoteMinutes += minutes
        booked[p] += minutes
    }
}
