import Foundation

/// Whether a pinned visit (spec 2, pinned; rule 9) can hold **on its own** — whatever else
/// the plan does: a working day outside the enterprise's blackout, a time inside the day
/// window that no break cuts, long enough for the shortest visit it can be, and inspectors
/// who may visit the enterprise that day. Each reason comes with the JSON path of the field
/// that causes it (`pinned[2].inspectors[0]: P007 is unavailable on 2026-01-12 (leave)`).
///
/// `jointplan validate` (and the service's `validate`) report these as errors, so a pin that
/// can never hold is caught before a solve; the solver may call `problems(of:in:calendar:)`
/// for one pin to explain why it left it out. `verdict(_:seed:)` adds what depends on the
/// draw (a pinned item the draw did not select for that enterprise) and on the other pins (two
/// pins wanting one inspector at once, more pins than the cap): it runs the solver's own pin
/// placement (`PinPlacement`), so `import`, `validate`, the service and `solve` refuse exactly
/// the pins the solver could not hold (issue 24).
public enum PinRules {
    /// Every reason a pin of `s` cannot hold — on its own, for the draw, or with the other
    /// pins — each at the path of the pin (or its field) that causes it. Empty when the
    /// solver can hold every pin. `seed` is the draw's (`solve --seed`), else `policy.seed`.
    public static func verdict(_ s: Scenario, seed: UInt64? = nil, duties given: Duties? = nil) -> [InputProblem] {
        guard !s.pinned.isEmpty else { return [] }
        let calendar = WorkCalendar(s.horizon)
        let duties = given ?? Duties(scenario: s, seed: seed)
        var found: [InputProblem] = []
        var holdAlone: [Pin] = []
        for pin in s.pinned {
            let alone = problems(of: pin, in: s, calendar: calendar) + notDrawn(pin, in: s, duties: duties)
            found += alone
            if alone.isEmpty { holdAlone.append(pin) }
        }
        // With the others: the solver's placement of the pins that hold on their own.
        guard !holdAlone.isEmpty else { return found }
        var rest = s
        rest.pinned = holdAlone
        let ctx = PlanningContext(rest, calendar, duties: duties)
        for message in PinPlacement.place(ctx).messages { found.append(together(message)) }
        return found.enumerated().sorted { (pinOrder($0.element.path), $0.offset) < (pinOrder($1.element.path), $1.offset) }.map(\.element)
    }

    /// Items a pin names that the enterprise is not required to have checked this horizon (the
    /// draw did not select it, or its tier's frequency is none): a visit may carry only
    /// required checks (spec 3.1 rule 6, 无事不扰), so the pin cannot hold as written.
    static func notDrawn(_ pin: Pin, in s: Scenario, duties: Duties) -> [InputProblem] {
        guard let e = s.enterpriseIndex[pin.enterprise] else { return [] }
        let required = Set(duties.byEnterprise[e].map { duties.duties[$0] }.filter { $0.count > 0 }.map(\.item))
        var found: [InputProblem] = []
        for (j, id) in pin.items.enumerated() {
            guard let i = s.itemIndex[id], s.applies(s.items[i], to: s.enterprises[e]), !required.contains(i) else { continue }
            found.append(InputProblem(path: JSONPath.index(JSONPath.key(JSONPath.index("pinned", pin.index), "items"), j),
                                      message: "item \(id) is not required of \(pin.enterprise) this horizon (not drawn, or no frequency for tier \(s.enterprises[e].tier)), so a visit may not carry it"))
        }
        return found
    }

    /// A message of the pin placement as a problem at the pin it lets go (`…; left out:
    /// pinned[3]`), else at the first pin it names.
    static func together(_ message: String) -> InputProblem {
        let label = #/pinned\[\d+\]/#
        var path = message.firstMatch(of: label).map { String($0.output) } ?? "pinned"
        if let r = message.range(of: "left out: "), let m = message[r.upperBound...].firstMatch(of: label) { path = String(m.output) }
        var text = message
        if text.hasPrefix(path + ": ") { text.removeFirst(path.count + 2) }
        else if text.hasPrefix(path + " (") { text.removeFirst(path.count + 1) }
        return InputProblem(path: path, message: text)
    }

    private static func pinOrder(_ path: String) -> Int {
        path.firstMatch(of: #/pinned\[(\d+)\]/#).flatMap { Int($0.output.1) } ?? Int.max
    }

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
        if !BlackoutRule.allowsVisit(e, on: pin.date) {
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
            if InspectorRule.isOnLeave(p, on: pin.date) { report(path, "\(p.id) is unavailable on \(pin.date)") }
            if InspectorRule.isRecused(p, from: e.id) { report(path, "\(p.id) is recused from \(e.id)") }
            if s.maxVisitsPerDay(of: p) == 0 { report(path, "\(p.id) has maxVisitsPerDay 0") }
        }
        return found
    }
}
