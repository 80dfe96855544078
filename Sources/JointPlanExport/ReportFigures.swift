import Foundation
import JointPlan

/// The numbers behind the HTML report's charts, computed from the scenario and the plan and
/// kept apart from the drawing so that tests can check them.
public struct ReportFigures: Sendable {
    /// A week of the horizon: its Monday and the working minutes used and available.
    public struct WeekLoad: Sendable, Equatable {
        public var monday: Day
        /// Inspector minutes of the department's inspectors that week (visits, travel between
        /// consecutive visits, remote checks: `Evaluation.inspectorDayMinutes`).
        public var used: Int
        /// Certified inspectors of the department × their available working days that week
        /// × the working minutes of a day (the denominator of spec 3.2 `utilization`).
        public var capacity: Int
    }

    /// One inspector's load over the horizon.
    public struct InspectorLoad: Sendable, Equatable {
        public var inspector: String
        public var visits: Int
        public var remoteChecks: Int
        public var minutes: Int
        public var daysWorked: Int
        /// Minutes ÷ (available working days × working minutes a day); 0 when none available.
        public var utilization: Double
    }

    public let calendar: WorkCalendar
    /// On-site visits per date (every date of the horizon, and any other date a visit is on).
    public let visitsPerDay: [Day: Int]
    /// Mondays of the weeks that hold the horizon, in order.
    public let weeks: [Day]
    /// Per department id (scenario order): one entry per week of `weeks`.
    public let departmentWeeks: [(department: String, weeks: [WeekLoad])]
    /// Every town with its number of visits, most visited first (then scenario order).
    public let visitsPerTown: [(town: String, visits: Int)]
    /// Per tier: how many enterprises got 0, 1, 2, … on-site visits (index = visits).
    public let enterprisesByVisits: [(tier: Tier, counts: [Int])]
    /// Inspectors by minutes, busiest first.
    public let inspectorLoads: [InspectorLoad]
    /// Required checks of the plan's draw (spec 2.1, with the plan's seed).
    public let requiredChecks: Int
    /// The KPIs recomputed from the plan's visits (they should equal `plan.kpis`).
    public let recomputedKPIs: KPIs
    public let recomputedObjective: Objective

    public init(scenario: Scenario, plan: Plan) {
        let calendar = WorkCalendar(scenario.horizon)
        self.calendar = calendar
        let evaluation = Evaluation(scenario: scenario, calendar: calendar)
        let h = scenario.horizon

        var perDay: [Day: Int] = [:]
        if h.start <= h.end { for n in h.start.number...h.end.number { perDay[Day(number: n)] = 0 } }
        for v in plan.visits { perDay[v.date, default: 0] += 1 }
        visitsPerDay = perDay

        let firstMonday = h.start - (h.start.isoWeekday - 1)
        var mondays: [Day] = []
        var m = firstMonday
        while m <= h.end { mondays.append(m); m = m + 7 }
        weeks = mondays
        func week(_ d: Day) -> Int? {
            let k = (d - firstMonday) / 7
            return d >= firstMonday && k < mondays.count ? k : nil
        }

        let dayMinutes = evaluation.inspectorDayMinutes(plan)
        var used: [String: [Int]] = [:]
        var capacity: [String: [Int]] = [:]
        for d in scenario.departments {
            used[d.id] = Array(repeating: 0, count: mondays.count)
            capacity[d.id] = Array(repeating: 0, count: mondays.count)
        }
        for (p, days) in dayMinutes {
            guard let dept = scenario.inspector(p)?.department, used[dept] != nil else { continue }
            for (d, minutes) in days { if let k = week(d) { used[dept]![k] += minutes } }
        }
        var availableDays: [String: Int] = [:]
        for ins in scenario.inspectors where ins.certified {
            let days = calendar.days.filter { !InspectorRule.isOnLeave(ins, on: $0) }
            availableDays[ins.id] = days.count
            guard capacity[ins.department] != nil else { continue }
            for d in days { if let k = week(d) { capacity[ins.department]![k] += calendar.workingMinutes } }
        }
        departmentWeeks = scenario.departments.map { d in
            (d.id, mondays.indices.map { WeekLoad(monday: mondays[$0], used: used[d.id]![$0], capacity: capacity[d.id]![$0]) })
        }

        var perTown: [String: Int] = [:]
        for v in plan.visits { if let t = scenario.enterprise(v.enterprise)?.town { perTown[t, default: 0] += 1 } }
        let townOrder = Dictionary(scenario.towns.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        visitsPerTown = scenario.towns.map { ($0.id, perTown[$0.id] ?? 0) }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : townOrder[$0.0]! < townOrder[$1.0]! }

        var perEnterprise: [String: Int] = [:]
        for v in plan.visits { perEnterprise[v.enterprise, default: 0] += 1 }
        let most = max(3, perEnterprise.values.max() ?? 0)
        enterprisesByVisits = Tier.allCases.map { tier in
            var counts = Array(repeating: 0, count: most + 1)
            for e in scenario.enterprises where e.tier == tier { counts[perEnterprise[e.id] ?? 0] += 1 }
            return (tier, counts)
        }

        var visitsOf: [String: Int] = [:]
        for v in plan.visits { for p in Set(v.inspectors) { visitsOf[p, default: 0] += 1 } }
        var remoteOf: [String: Int] = [:]
        for r in plan.remoteChecks { remoteOf[r.inspector, default: 0] += 1 }
        inspectorLoads = Set(dayMinutes.keys).union(visitsOf.keys).map { p in
            let days = dayMinutes[p] ?? [:]
            let minutes = days.values.reduce(0, +)
            let available = (availableDays[p] ?? 0) * calendar.workingMinutes
            return InspectorLoad(inspector: p, visits: visitsOf[p] ?? 0, remoteChecks: remoteOf[p] ?? 0, minutes: minutes,
                                 daysWorked: days.count, utilization: available > 0 ? Double(minutes) / Double(available) : 0)
        }.sorted { $0.minutes != $1.minutes ? $0.minutes > $1.minutes : $0.inspector < $1.inspector }

        requiredChecks = Duties(scenario: scenario, seed: plan.seed).totalChecks
        recomputedKPIs = evaluation.kpis(plan, requiredChecks: requiredChecks)
        recomputedObjective = evaluation.objective(plan)
    }
}
