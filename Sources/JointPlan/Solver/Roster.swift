import Foundation

/// The decomposition pipeline's inspector days as they fill up, one `InspectorDay` (rule 4's
/// home) per inspector and working day, with who may go from `Eligibility` (rules 2, 3) and
/// the time of day from `DayWindow` (rule 1). Placing a visit goes through `earliestStart`,
/// so a schedule built through the roster is valid by construction, by the same rules every
/// other stage, the bound, the checker and the explainer call.
struct Roster {
    let eligibility: Eligibility
    let window: DayWindow
    /// travel[a][b] in minutes between town indexes.
    let travel: [[Int]]
    let maxVisits: [Int]
    private(set) var days: [[InspectorDay]]
    /// Minutes booked per inspector over the horizon (to balance the load).
    private(set) var booked: [Int]

    init(_ s: Scenario, _ cal: WorkCalendar) {
        eligibility = Eligibility(s, cal)
        window = DayWindow(cal)
        travel = s.towns.map { a in s.towns.map { b in s.travel(a.id, b.id) } }
        maxVisits = s.inspectors.map { s.maxVisitsPerDay(of: $0) }
        days = Array(repeating: Array(repeating: InspectorDay(), count: cal.days.count), count: s.inspectors.count)
        booked = Array(repeating: 0, count: s.inspectors.count)
    }

    /// Rule 2's availability: certified and not on leave on working day `d`.
    func isAvailable(_ p: Int, _ d: Int) -> Bool { eligibility.available[p][d] }

    func day(_ p: Int, _ d: Int) -> InspectorDay { days[p][d] }

    /// The earliest start ≥ `from` at which inspector `p` can take a visit of `length`
    /// minutes in `town` on working day `d`, or nil.
    func earliestStart(_ p: Int, _ d: Int, from: Int, length: Int, town: Int) -> Int? {
        guard isAvailable(p, d) else { return nil }
        return days[p][d].earliestStart(from: from, length: length, town: town, maxVisits: maxVisits[p], window: window, travel: travel)
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

    /// Books visit `visit` (a job id) into its team's days.
    mutating func book(_ team: [Int], _ d: Int, visit: Int, start: Int, length: Int, town: Int) {
        for p in team {
            let before = days[p][d].used
            days[p][d].insert(InspectorDay.Slot(start: start, end: start + length, town: town, visit: visit), travel: travel)
            booked[p] += days[p][d].used - before
        }
    }

    /// Takes a booked visit back out of its team's days (the exchange step).
    mutating func unbook(_ team: [Int], _ d: Int, visit: Int) {
        for p in team {
            let before = days[p][d].used
            days[p][d].remove(visit: visit, travel: travel)
            booked[p] -= before - days[p][d].used
        }
    }

    func spareMinutes(_ p: Int, _ d: Int) -> Int {
        isAvailable(p, d) ? window.workingMinutes - days[p][d].used : 0
    }

    mutating func bookRemote(_ p: Int, _ d: Int, minutes: Int) {
        days[p][d].addRemote(minutes)
        booked[p] += minutes
    }
}
