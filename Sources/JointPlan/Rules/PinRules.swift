import Foundation

/// Whether a pinned visit (spec 2, pinned; rule 9) can hold **on its own** — whatever else
/// the plan does: a working day outside the enterprise's blackout, a time inside the day
/// window that no break cuts, long enough for the shortest visit it can be, and inspectors
/// who may visit the enterprise that day. Each reason comes with the JSON path of the field
/// that causes it (`pinned[2].inspectors[0]: P007 is unavailable on 2026-01-12 (leave)`).
///
/// `jointplan validate` (and the service's `validate`) report these as errors, so a pin that
/// can never hold is caught before a solve; the solver may call `problems(of:in:calendar:)`
/// for one pin to explain why it left it out. What depends on other pins or on the draw
/// (two pins sharing an inspector, a pinned item the draw did not select) is the solver's.
public enum PinRules {
    /// Every reason every pin of `scenario` cannot hold, in pin order.
    public static func problems(_ scenario: Scenario) -> [InputProblem] {
        let calendar = WorkCalendar(scenario.horizon)
        return scenario.pinned.flatMap { problems(of: $0, in: scenario, calendar: calendar) }
    }

    /// Why `pin` cannot hold on its own; empty when it can.
    public static func problems(of pin: Pin, in s: Scenario, calendar: WorkCalendar) -> [InputProblem] {
        let base = JSONPath.index("pinned", pin.index)
        var found: [InputProblem] = []
        func report(_ path: String, _ message: String) { found.append(InputProblem(path: path, message: message)) }
        guard let e = s.enterprise(pin.enterprise) else { return [] }  // the reader reports unknown ids
        let h = s.horizon

        // Rule 1: a working day of the horizon, not in the enterprise's blackout.
        if !calendar.isWorking(pin.date) {
            report(JSONPath.key(base, "date"), "\(pin.date) is not a working day (\(calendar.whyNotWorking(pin.date)))")
        }
        if e.blackout.contains(day: pin.date) {
            report(JSONPath.key(base, "date"), "\(e.id) has a blackout on \(pin.date): no on-site visit that day")
        }

        // Rule 3: the items must apply to the enterprise; rule 1: the shortest visit lasts the
        // base minutes plus the longest pinned check (each check is one inspector's).
        var longest: (minutes: Int, item: String)?
        for (j, id) in pin.items.enumerated() {
            guard let item = s.item(id) else { continue }
            if !s.applies(item, to: e) {
                report(JSONPath.index(JSONPath.key(base, "items"), j),
                       "item \(item.id) does not apply to \(e.id) (it has none of the item's categories)")
            }
            if !item.delegable, !s.inspectors.contains(where: { $0.department == item.department && $0.certified }) {
                report(JSONPath.index(JSONPath.key(base, "items"), j),
                       "item \(item.id) needs a certified inspector of \(item.department), and there is none")
            }
            if longest == nil || item.minutes > longest!.minutes { longest = (item.minutes, item.id) }
        }
        if pin.items.isEmpty {
            // At least one check: the quickest item that applies.
            if let quickest = s.items.filter({ s.applies($0, to: e) }).min(by: { $0.minutes < $1.minutes }) {
                longest = (quickest.minutes, quickest.id)
            } else {
                report(base, "\(e.id) has no item that applies to it, so a visit would carry no check")
            }
        }
        let shortest = s.policy.visitBaseMinutes + (longest?.minutes ?? 0)
        let why = longest.map { "visitBaseMinutes \(s.policy.visitBaseMinutes) + \($0.item) \($0.minutes)" }
            ?? "visitBaseMinutes \(s.policy.visitBaseMinutes)"

        // Rule 1: inside [dayStart, dayEnd], touching no break.
        let clock = ClockTime.format
        if let start = pin.start {
            let path = JSONPath.key(base, "start")
            let end = start + shortest
            if start < h.dayStart {
                report(path, "\(clock(start)) is before dayStart \(clock(h.dayStart))")
            } else if let b = h.breaks.first(where: { $0.start <= start && start < $0.end }) {
                report(path, "\(clock(start)) is in the break \(clock(b.start))-\(clock(b.end))")
            } else if end > h.dayEnd {
                report(path, "a visit starting at \(clock(start)) lasts at least \(shortest) minutes (\(why)) and would end at \(clock(end)), after dayEnd \(clock(h.dayEnd))")
            } else if let b = h.breaks.first(where: { start < $0.end && $0.start < end }) {
                report(path, "a visit starting at \(clock(start)) lasts at least \(shortest) minutes (\(why)) and would run into the break \(clock(b.start))-\(clock(b.end))")
            }
        } else if calendar.earliestStart(atOrAfter: h.dayStart, length: shortest) == nil {
            report(base, "no time of the day \(clock(h.dayStart))-\(clock(h.dayEnd)) between the breaks holds a visit of \(shortest) minutes (\(why))")
        }

        // Rule 2: the listed inspectors may visit this enterprise that day.
        for (j, id) in pin.inspectors.enumerated() {
            let path = JSONPath.index(JSONPath.key(base, "inspectors"), j)
            guard let p = s.inspector(id) else {
                report(path, "unknown inspector \(JSONWriter.quote(id))")
                continue
            }
            if !p.certified { report(path, "\(p.id) is not certified, so may not inspect") }
            if p.unavailable.contains(day: pin.date) { report(path, "\(p.id) is unavailable on \(pin.date)") }
            if p.recusals.contains(e.id) { report(path, "\(p.id) is recused from \(e.id)") }
            if s.maxVisitsPerDay(of: p) == 0 { report(path, "\(p.id) has maxVisitsPerDay 0") }
        }
        return found
    }
}
