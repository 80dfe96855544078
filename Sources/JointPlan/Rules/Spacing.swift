/// Spec 3.1 rule 7: checks of one item on one enterprise (on site or remote) are at least
/// `minSpacingDays` calendar days apart, and the first at least that long after `lastChecked`.
/// The one home of the rule: construction, improvement, the bound and the explainer call it.
public enum SpacingRule {
    /// May a check of an item with `spacing` days fall on `day`, given the enterprise's last
    /// check of it before the horizon and the dates of its other checks in the plan?
    /// A check dated before `lastChecked` breaks the rule even with spacing 0 (the checker's
    /// A16: `(first − lastChecked).days ≥ minSpacingDays`).
    public static func allows(_ day: Day, spacing: Int, lastChecked: Day?, others: [Day]) -> Bool {
        if let last = lastChecked, day - last < spacing { return false }
        guard spacing > 0 else { return true }
        for o in others where abs(day - o) < spacing { return false }
        return true
    }

    /// The first day a check may fall on after a check on `day` (or the enterprise's lastChecked).
    public static func earliest(after day: Day, spacing: Int) -> Day { day + max(0, spacing) }

    /// The most checks of one item that fit in `days` (sorted working days) at `spacing` apart,
    /// after `lastChecked`: what a bound may assume at most.
    public static func maxChecks(in days: [Day], spacing: Int, lastChecked: Day?) -> Int {
        var n = 0
        var last = lastChecked
        for d in days where allows(d, spacing: spacing, lastChecked: last, others: []) {
            n += 1
            last = d
        }
        return n
    }
}

/// Spec 3.1 rule 1 and 2.1 blackout: no on-site visit on an enterprise's blackout dates
/// (remote checks may fall on them).
public enum BlackoutRule {
    public static func allowsVisit(_ enterprise: Enterprise, on day: Day) -> Bool {
        !enterprise.blackout.contains(day: day)
    }
}
