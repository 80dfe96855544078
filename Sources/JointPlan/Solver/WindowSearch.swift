import Foundation
import GLPK

/// A window of the large-neighbourhood search: a few working days × a few enterprises.
/// Everything outside it stays as the incumbent has it.
struct Window: Sendable, Equatable {
    enum Kind: String, Sendable { case loss, visits, minutes, price }
    var kind: Kind
    var days: [Int]
    var enterprises: [Int]
}

/// The integer program of one window (`Models/window.mod`): which visits the window's
/// enterprises get on the window's days, with which team (inspector-level variables) and
/// which checks, everything outside fixed — the inspector-days' remaining visit slots and
/// minutes, each check's spacing to the pair's checks outside as the days it may take, the
/// enterprise's on-site cap less its visits outside. A visit's length is estimated as the
/// base minutes plus its busiest department's check minutes (every member is there the whole
/// visit, rule 1); travel as the least journey from where the inspector already is that day.
/// Times of day are left to the roster, which rebuilds the chosen visits exactly (rules 1,
/// 2, 4 through `Staffing`), and the whole plan is accepted only if it is better.
///
/// Objective, minimised: −`checkWeight`·unmetWeight per check placed + `visitWeight` per
/// visit + estimated inspector minutes — spec 3.2's order within the window.
struct WindowModel: Sendable {
    struct Option: Sendable {
        var enterprise: Int
        var day: Int
        /// Checks the visit may carry (items).
        var items: [Int]
        /// Inspectors who may be on its team, with the travel estimate of each.
        var team: [Int]
        var tau: [Int]
        /// For each item: the team members (indexes into `team`) who may perform it; nil
        /// for a delegable item (any member).
        var performers: [[Int]?]
        /// Item indexes (into `items`) per department, for the length rows.
        var groups: [[Int]]
        var weight: Double
        /// Rule 11: chains of team indexes, one per department, in the order the draw takes
        /// them (the incumbent's members first, then the enterprise's ticket order); a member
        /// goes only if the one before them in the chain goes. So the program chooses how many
        /// of each department go, and the chain says who — the draw's answer when the day is as
        /// the window found it. Empty under "optimised" and for pinned visits.
        var drawChains: [[Int]] = []
    }
    struct InspectorDayLeft: Sendable { var inspector: Int; var day: Int; var slots: Int; var minutes: Int }

    var options: [Option] = []
    /// Checks to place per (enterprise, item).
    var demand: [(enterprise: Int, item: Int, count: Int)] = []
    /// Remote checks the window may add instead (index into `demand`, remote minutes, weight):
    /// remote-capable items with a day and an inspector of their department who has the minutes.
    var remote: [(demand: Int, minutes: Int, weight: Double)] = []
    /// Options pairs (a, b) and an item that spacing forbids on both.
    var spacing: [(a: Int, b: Int, item: Int)] = []
    /// Visits each window enterprise may still have.
    var capLeft: [(enterprise: Int, visits: Int)] = []
    var inspectorDays: [InspectorDayLeft] = []
    /// Pinned visits in the window (rule 9): the visit stays, with its checks and team; only
    /// checks may be added (option index, item indexes, team indexes).
    var fixed: [(option: Int, items: [Int], members: [Int])] = []
    var base: Int
    var minTeam: Int
    var longest: Int
    var itemMinutes: [Int]

    static let checkWeight = 100_000.0
    static let visitWeight = 2_000.0

    /// Column indexes of the variables.
    struct Layout: Sendable {
        var y: [Int] = []
        var z: [[Int]] = []
        var x: [[Int]] = []
        var length: [Int] = []
        var occupied: [[Int]] = []
        var remote: [Int] = []
    }

    func linearModel() -> (LinearModel, Layout) {
        var m = LinearModel(name: "window", sense: .minimize)
        var lay = Layout()
        // The longest each visit can be: every candidate check of its busiest department.
        let most = options.map { Double(mostMinutes($0)) }
        for (o, op) in options.enumerated() {
            lay.y.append(m.addColumn("y_\(o)", cost: Self.visitWeight, kind: .binary))
            lay.z.append(op.items.indices.map { k in
                m.addColumn("z_\(o)_\(k)", cost: -Self.checkWeight * op.weight, kind: .binary)
            })
            lay.x.append(op.team.indices.map { k in m.addColumn("x_\(o)_\(k)", cost: Double(op.tau[k]), kind: .binary) })
            lay.length.append(m.addColumn("L_\(o)", lower: 0, upper: most[o], cost: 0))
            lay.occupied.append(op.team.indices.map { k in m.addColumn("T_\(o)_\(k)", lower: 0, cost: 1) })
        }
        for (o, op) in options.enumerated() {
            let y = lay.y[o]
            for (k, z) in lay.z[o].enumerated() {
                m.addRow("carry_\(o)_\(k)", [(z, 1), (y, -1)], upper: 0)
                if let who = op.performers[k] {
                    m.addRow("perform_\(o)_\(k)", [(z, 1)] + who.map { (lay.x[o][$0], -1.0) }, upper: 0)
                }
            }
            m.addRow("nonempty_\(o)", [(y, 1)] + lay.z[o].map { ($0, -1.0) }, upper: 0)
            for x in lay.x[o] { m.addRow("member_\(o)_\(x)", [(x, 1), (y, -1)], upper: 0) }
            for (c, chain) in op.drawChains.enumerated() {
                for j in chain.indices.dropFirst() {
                    m.addRow("drawn_\(o)_\(c)_\(j)", [(lay.x[o][chain[j]], 1), (lay.x[o][chain[j - 1]], -1)], upper: 0)
                }
            }
            m.addRow("team_\(o)", lay.x[o].map { ($0, 1.0) } + [(y, -Double(minTeam))], lower: 0)
            for (g, group) in op.groups.enumerated() {
                m.addRow("length_\(o)_\(g)", [(lay.length[o], 1), (y, -Double(base))] + group.map { (lay.z[o][$0], -Double(itemMinutes[op.items[$0]])) }, lower: 0)
            }
            for (k, t) in lay.occupied[o].enumerated() {
                // T ≥ L − M(1 − x): a member is there for the whole visit (M: this visit's longest).
                m.addRow("occupy_\(o)_\(k)", [(t, 1), (lay.length[o], -1), (lay.x[o][k], -most[o])], lower: -most[o])
            }
        }
        // Pinned visits stay as they are; GLPK may only add to them. (Rows, not bounds: GLPK
        // takes a binary column as 0–1 whatever its bounds say.)
        for (n, f) in fixed.enumerated() {
            m.addRow("pin_\(n)", [(lay.y[f.option], 1)], lower: 1)
            for k in f.items { m.addRow("pinitem_\(n)_\(k)", [(lay.z[f.option][k], 1)], lower: 1) }
            for k in f.members { m.addRow("pinmember_\(n)_\(k)", [(lay.x[f.option][k], 1)], lower: 1) }
        }
        // Inspector-days: slots and minutes left.
        var uses: [Int: [(o: Int, k: Int)]] = [:]
        for (o, op) in options.enumerated() {
            for (k, p) in op.team.enumerated() { uses[p * 1_000_000 + op.day, default: []].append((o, k)) }
        }
        for (n, left) in inspectorDays.enumerated() {
            guard let list = uses[left.inspector * 1_000_000 + left.day] else { continue }
            m.addRow("slots_\(n)", list.map { (lay.x[$0.o][$0.k], 1.0) }, upper: Double(left.slots))
            m.addRow("minutes_\(n)", list.flatMap { [(lay.occupied[$0.o][$0.k], 1.0), (lay.x[$0.o][$0.k], Double(options[$0.o].tau[$0.k]))] },
                     upper: Double(left.minutes))
        }
        // Checks per pair, spacing between the window's days, the on-site cap.
        var byPair: [Int: [(column: Int, value: Double)]] = [:]
        for (o, op) in options.enumerated() {
            for (k, i) in op.items.enumerated() { byPair[op.enterprise * 100_000 + i, default: []].append((lay.z[o][k], 1)) }
        }
        var remoteOf: [Int: Int] = [:]
        for r in remote {
            let col = m.addColumn("r_\(r.demand)", lower: 0, upper: Double(demand[r.demand].count), cost: -Self.checkWeight * r.weight + Double(r.minutes), kind: .integer)
            lay.remote.append(col)
            remoteOf[r.demand] = col
        }
        for (n, d) in demand.enumerated() {
            var terms = byPair[d.enterprise * 100_000 + d.item] ?? []
            if let r = remoteOf[n] { terms.append((r, 1)) }
            if !terms.isEmpty { m.addRow("demand_\(n)", terms, upper: Double(d.count)) }
        }
        for (n, s) in spacing.enumerated() {
            guard let ka = options[s.a].items.firstIndex(of: s.item), let kb = options[s.b].items.firstIndex(of: s.item) else { continue }
            m.addRow("spacing_\(n)", [(lay.z[s.a][ka], 1), (lay.z[s.b][kb], 1)], upper: 1)
        }
        for (n, c) in capLeft.enumerated() {
            let terms = options.indices.filter { options[$0].enterprise == c.enterprise }.map { (lay.y[$0], 1.0) }
            if !terms.isEmpty { m.addRow("cap_\(n)", terms, upper: Double(c.visits)) }
        }
        return (m, lay)
    }

    /// The longest a visit of this option can be: base + every candidate check of its busiest
    /// department, at most a stretch of the day (the big-M of its rows, as tight as it gets).
    func mostMinutes(_ op: Option) -> Int {
        min(longest, base + (op.groups.map { $0.reduce(0) { $0 + itemMinutes[op.items[$1]] } }.max() ?? 0))
    }

    /// The same program as MathProg data for `Models/window.mod` (glpsol -m window.mod -d …).
    func mathProgData() -> String {
        var out = "data;\n"
        out += "param base := \(base);\nparam team := \(minTeam);\nparam M := \(longest);\n"
        out += "param Wc := \(JSON.format(Self.checkWeight));\nparam Wv := \(JSON.format(Self.visitWeight));\n"
        out += "set V := " + options.indices.map { "v\($0)" }.joined(separator: " ") + ";\n"
        out += "param w := " + options.enumerated().map { "v\($0.offset) \(JSON.format($0.element.weight))" }.joined(separator: " ") + ";\n"
        out += "param most := " + options.enumerated().map { "v\($0.offset) \(mostMinutes($0.element))" }.joined(separator: " ") + ";\n"
        out += "param ent := " + options.enumerated().map { "v\($0.offset) e\($0.element.enterprise)" }.joined(separator: " ") + ";\n"
        var q: [String] = [], mins: [String] = [], grp: [String] = [], deleg: [String] = []
        var x: [String] = [], tau: [String] = [], ipd: [String] = [], can: [String] = []
        for (o, op) in options.enumerated() {
            for (k, i) in op.items.enumerated() {
                q.append("v\(o) i\(i)")
                mins.append("v\(o) i\(i) \(itemMinutes[i])")
                let g = op.groups.firstIndex { $0.contains(k) } ?? 0
                grp.append("v\(o) i\(i) g\(g)")
                deleg.append("v\(o) i\(i) \(op.performers[k] == nil ? 1 : 0)")
                for member in op.performers[k] ?? [] { can.append("v\(o) i\(i) p\(op.team[member])") }
            }
            for (k, p) in op.team.enumerated() {
                x.append("v\(o) p\(p)")
                tau.append("v\(o) p\(p) \(op.tau[k])")
                ipd.append("v\(o) p\(p) p\(p)d\(op.day)")
            }
        }
        out += "set Q := " + q.joined(separator: " ") + ";\n"
        out += "param mins := " + mins.joined(separator: " ") + ";\n"
        out += "param grp := " + grp.joined(separator: " ") + ";\n"
        out += "param deleg := " + deleg.joined(separator: " ") + ";\n"
        out += "set X := " + x.joined(separator: " ") + ";\n"
        out += "param tau := " + tau.joined(separator: " ") + ";\n"
        out += "set CAN := " + can.joined(separator: " ") + ";\n"
        let used = Set(options.flatMap { op in op.team.map { "p\($0)d\(op.day)" } })
        let pds = inspectorDays.filter { used.contains("p\($0.inspector)d\($0.day)") }
        out += "set PD := " + pds.map { "p\($0.inspector)d\($0.day)" }.joined(separator: " ") + ";\n"
        out += "param slots := " + pds.map { "p\($0.inspector)d\($0.day) \($0.slots)" }.joined(separator: " ") + ";\n"
        out += "param free := " + pds.map { "p\($0.inspector)d\($0.day) \($0.minutes)" }.joined(separator: " ") + ";\n"
        out += "param ipd := " + ipd.joined(separator: " ") + ";\n"
        out += "set K := " + demand.map { "e\($0.enterprise) i\($0.item)" }.joined(separator: " ") + ";\n"
        out += "param demand := " + demand.map { "e\($0.enterprise) i\($0.item) \($0.count)" }.joined(separator: " ") + ";\n"
        out += "set R := " + remote.map { "e\(demand[$0.demand].enterprise) i\(demand[$0.demand].item)" }.joined(separator: " ") + ";\n"
        out += "param rmins := " + remote.map { "e\(demand[$0.demand].enterprise) i\(demand[$0.demand].item) \($0.minutes)" }.joined(separator: " ") + ";\n"
        out += "param rw := " + remote.map { "e\(demand[$0.demand].enterprise) i\(demand[$0.demand].item) \(JSON.format($0.weight))" }.joined(separator: " ") + ";\n"
        out += "set FY := " + fixed.map { "v\($0.option)" }.joined(separator: " ") + ";\n"
        out += "set FZ := " + fixed.flatMap { f in f.items.map { "v\(f.option) i\(options[f.option].items[$0])" } }.joined(separator: " ") + ";\n"
        out += "set FX := " + fixed.flatMap { f in f.members.map { "v\(f.option) p\(options[f.option].team[$0])" } }.joined(separator: " ") + ";\n"
        out += "set PRE := " + options.enumerated().flatMap { o, op in
            op.drawChains.flatMap { chain in chain.indices.dropFirst().map { "v\(o) p\(op.team[chain[$0]]) p\(op.team[chain[$0 - 1]])" } }
        }.joined(separator: " ") + ";\n"
        out += "set SC := " + spacing.map { "v\($0.a) v\($0.b) i\($0.item)" }.joined(separator: " ") + ";\n"
        out += "set E := " + capLeft.map { "e\($0.enterprise)" }.joined(separator: " ") + ";\n"
        out += "param capleft := " + capLeft.map { "e\($0.enterprise) \($0.visits)" }.joined(separator: " ") + ";\n"
        return out + "end;\n"
    }
}

/// Large-neighbourhood search (issue 11): GLPK re-optimises one window of the day-indexed
/// integer program at a time — a few duty days × the enterprises where loss is (unmet checks
/// and the visits that compete for their departments), or × the visits of a few nearby towns
/// (minutes) — node-limited; the window's visits are
/// rebuilt through `Staffing` (rules 1, 2, 4 exactly), what is left gets a `Reinsertion`
/// pass on the window's enterprises, and the result replaces the incumbent only when the
/// whole plan is lexicographically better (spec 3.2).
///
/// One entry point, `run`. Deterministic for a given work limit (`windows`, nodes per
/// window): the deadline only cuts the search short.
struct WindowSearch: Sendable {
    /// Windows tried at most (the work limit).
    var windows = 300
    /// Stop after this many windows in a row that did not improve the plan.
    var patience = 60
    /// The same when no check is left unmet.
    var quietPatience = 20
    /// GLPK branch-and-bound nodes per window.
    var nodeLimit = 200
    /// Integer columns a window may have (GLPK solves ≈2,500 in about a second here).
    var maxColumns = 900
    /// A window's search is cut by its node limit, a work limit, and otherwise only by the
    /// solve's deadline: a per-window clock limit bound on a loaded machine and made the plan
    /// for a given work limit depend on the machine's speed (issue 21, item 3).
    /// Prices of the bound's department-days (`DayPrices`), when known.
    var prices: DayPrices?
    /// GLPK starts each window from the incumbent's visits there (`SolveOptions.warmStart`).
    var warmStart = true
    /// 1: one window after the other, on the caller's thread. 2 or more: rounds of up to
    /// `roundWidth` windows with disjoint days and enterprises, solved by this thread and
    /// `threads − 1` GLPK threads, each taking the next window left (`runInRounds`,
    /// WindowRounds.swift); a different plan from one thread's, the same for a given work
    /// limit whatever the threads' timing.
    var threads = 1
    /// Counts the search's GLPK thread (tests: none is alive once the search returns).
    var census: GLPKThread.Census?
    /// Tests: the rounds' other windows solved on this thread after the first (the plan
    /// must be the same as with the other threads).
    var secondOnThisThread = false
    /// Windows a round holds at most (threads ≥ 2), at least two; windows in flight when
    /// `pipelined`.
    var roundWidth = WindowSearch.defaultRoundWidth
    /// Threads ≥ 2: windows solved as threads come free, a new one proposed as each is
    /// judged (`runPipelined`, WindowPipeline.swift), instead of rounds that wait for their
    /// slowest window (`runInRounds`).
    var pipelined = true
    /// Threads ≥ 2: the prices' LP (`DayPrices.of`) for the search to solve on a worker beside
    /// its first round, instead of `prices` solved before the search; a function of the
    /// district alone, so the plan does not depend on which thread ends first.
    var pricing: (@Sendable () -> (prices: DayPrices?, note: String))?

    struct Stats: Sendable {
        var tried = 0
        var improved = 0
        var solved = 0
        var seconds = 0.0
        /// Per window kind: tried, improved.
        var byKind: [Window.Kind: (tried: Int, improved: Int)] = [:]
        /// Rounds (two threads): second windows whose answer held on the plan the first
        /// window left and was used there; those solved again in a later round.
        var carried = 0
        var requeued = 0
        /// What `pricing` gave, when the search solved it.
        var prices: (prices: DayPrices?, note: String)?
        /// Measurement only (rounds): CPU seconds of the windows (all threads, this thread's
        /// share), of this thread's work between them, of the prices' LP, and the rounds'
        /// critical path — Σ over rounds of the busiest thread — what the loop would take on
        /// as many free cores as threads. Never read by the search; not in the plan.
        struct CPU: Sendable { var rounds = 0; var windows = 0.0; var mainWindows = 0.0; var serial = 0.0; var prices = 0.0; var critical = 0.0 }
        var cpu = CPU()
    }

    func run(_ input: Schedule, deadline: Date, stop: (Schedule) -> Bool = { _ in false },
             progress: (Int, Objective) -> Void = { _, _ in }) -> (Schedule, Stats) {
        if threads >= 2 {
            return pipelined ? runPipelined(input, deadline: deadline, stop: stop, progress: progress)
                : runInRounds(input, deadline: deadline, stop: stop, progress: progress)
        }
        var best = input
        var stats = Stats()
        let t0 = Date()
        var stale = 0
        var generator = WindowGenerator(prices: prices)
        for k in 0..<windows {
            // With no work left undone only visits and minutes are left to gain, which the
            // starts' descent has mostly taken: the search gives up sooner.
            let wait = best.unmet.isEmpty ? min(patience, quietPatience) : patience
            if Date() >= deadline || stale >= wait || stop(best) { break }
            guard let window = generator.next(best, maxColumns: maxColumns) else { break }
            stats.tried += 1
            stats.byKind[window.kind, default: (0, 0)].tried += 1
            let before = best.objective
            // Rule 11: the days the window changed are replayed (a visit taken out frees its
            // members for the visits after it), so the search compares plans as they will be
            // drawn and never carries a team the draw would not give.
            if let rebuilt = improve(best, window, deadline: deadline, stats: &stats),
               case let candidate = Redraw().run(rebuilt, changedFrom: best).schedule,
               candidate.objective < before {
                best = candidate
                stats.improved += 1
                stats.byKind[window.kind, default: (0, 0)].improved += 1
                stale = 0
            } else {
                stale += 1
            }
            progress(k, best.objective)
        }
        stats.seconds = Date().timeIntervalSince(t0)
        return (best, stats)
    }

    /// One window: removed, re-optimised by GLPK, rebuilt; nil when GLPK found nothing.
    ///
    /// With `warmStart` (the default), GLPK gets the incumbent's window visits as its first
    /// integer solution at the root, so it never answers worse than them in the window's
    /// objective (measured about even with and without: docs/decisions.md).
    /// The incumbent is a solution of every window (a test says so), and a window's answer is
    /// only kept when the whole plan is better, so nothing else depends on it.
    func improve(_ incumbent: Schedule, _ window: Window, deadline: Date, stats: inout Stats) -> Schedule? {
        guard let built = WindowBuilder(incumbent, window).build() else { return nil }
        guard let (result, layout) = solve(built, deadline: deadline) else { return nil }
        stats.solved += 1
        // Rebuilding a window replays the draw (rule 11): the window is judged on drawn teams.
        return Solver.drawTeams(built.rebuild(result.values, layout))
    }

    /// GLPK on one window's program (node-limited, warm-started when `warmStart`): its
    /// answer, or nil when it found no integer solution.
    func solve(_ built: WindowBuilder.Built, deadline: Date) -> (SearchResult, WindowModel.Layout)? {
        let (model, layout) = built.model.linearModel()
        var params = SearchParameters()
        params.timeLimit = max(0.05, deadline.timeIntervalSinceNow)
        params.nodeLimit = nodeLimit
        params.relativeGap = 1e-7
        params.presolve = false
        // Small windows: no cut generators, a scaled problem, and no feasibility pump — GLPK
        // 5.0's pump ran its simplex for good on a window of seed 1031 (the node limit and the
        // time limit are only looked at between nodes).
        params.cuts = false
        params.scale = true
        params.feasibilityPump = false
        if warmStart { params.incumbent = built.warmStart(layout, columns: model.columns.count) }
        guard let result = try? GLPKSolver.solve(model, params), result.status == .optimal || result.status == .feasible else { return nil }
        return (result, layout)
    }
}

/// Chooses windows, steered to where loss is: enterprises with unmet checks (heaviest
/// first, each in turn, on pairs of their common duty days) with the visits that compete
/// for their departments on those days; the department-days the bound prices highest
/// (`DayPrices`, when the search has them); enterprises with visits to save; minutes
/// windows — two neighbouring working days × the visits of the nearest towns, each day and
/// town in turn. In a cycle of four: price, loss, visits, price (minutes and loss windows
/// where there are no prices or no work undone).
struct WindowGenerator: Sendable {
    /// The day-grouped LP's prices of department-days, when the search has them: two
    /// windows in four then go where they are dearest (`priceWindow`).
    var prices: DayPrices?
    private var count = 0
    private var lossTurn = 0
    private var minutesTurn = 0
    private var visitsTurn = 0
    private var priceTurn = 0

    init(prices: DayPrices? = nil) { self.prices = prices }

    mutating func next(_ sched: Schedule, maxColumns: Int) -> Window? {
        count += 1
        let ctx = sched.context
        var open: [Int: [Int]] = [:]
        for u in sched.unmet where WindowBuilder.movable(u.reason) { open[u.enterprise, default: []].append(u.item) }
        let lossy = open.keys.sorted { (-ctx.weight[$0], $0) < (-ctx.weight[$1], $1) }
        if count % 4 == 2, let w = visitsWindow(sched, open: open, maxColumns: maxColumns) { return w }
        // With prices and work undone, windows 4k and 4k + 3 go where the bound says the
        // district is short (measured on six short districts against loss windows there, or
        // minutes windows, or neither: docs/decisions.md).
        if count % 4 == 0 || count % 4 == 3, !lossy.isEmpty, let w = priceWindow(sched, open: open, maxColumns: maxColumns) { return w }
        if !lossy.isEmpty && count % 4 != 0 {
            // Seeds in turn; each seed's common duty days in turn, two at a time.
            let seed = lossy[lossTurn % lossy.count]
            let round = lossTurn / lossy.count
            lossTurn += 1
            if let w = lossWindow(sched, seed: seed, items: open[seed]!, round: round, open: open, maxColumns: maxColumns) { return w }
        }
        return minutesWindow(sched, open: open, maxColumns: maxColumns)
    }

    private mutating func lossWindow(_ sched: Schedule, seed e0: Int, items: [Int], round: Int, open: [Int: [Int]], maxColumns: Int) -> Window? {
        let ctx = sched.context
        let el = ctx.eligibility
        let depts = Set(items.filter { !el.itemDelegable[$0] }.map { el.itemDepartment[$0] }).filter { $0 >= 0 }
        func allowed(_ d: Int) -> Bool {
            ctx.visitable[e0][d] && items.contains { sched.dateAllows(e0, $0, day: d, onSite: true) }
        }
        var days = (0..<ctx.dayCount).filter { d in allowed(d) && depts.allSatisfy { el.onDuty($0, day: d, enterprise: e0) } }
        if days.isEmpty { days = (0..<ctx.dayCount).filter { d in allowed(d) && depts.contains { el.onDuty($0, day: d, enterprise: e0) } } }
        guard !days.isEmpty else { return nil }
        // The days where the seed's departments have the most room first.
        let ds = depts.isEmpty ? Set(items.map { el.itemDepartment[$0] }.filter { $0 >= 0 }) : depts
        Self.sortByRoom(&days, sched, e0, ds)
        let first = (round * 2 + lossTurn * 2) % days.count
        // The seed's own visits' days first (a check past the on-site cap can only join one
        // of them), then the days with the most room, in turn.
        var own = (sched.visitsOf[e0] ?? []).compactMap { sched.visits[$0] }.filter { !$0.pinned }.map(\.day)
        own = Array(Set(own)).sorted()
        var chosen: [Int] = []
        if !own.isEmpty { chosen.append(own[round % own.count]) }
        for k in 0..<days.count where chosen.count < 2 {
            let d = days[(first + k) % days.count]
            if !chosen.contains(d) { chosen.append(d) }
        }
        chosen.sort()
        let town = ctx.enterpriseTown[e0]
        // Competitors: enterprises whose visits on those days have a member of a seed's department.
        var others: [(Int, Int, Int)] = [] // (group, travel, enterprise)
        let seen: Set<Int> = [e0]
        for (_, v) in sched.liveVisits where !v.pinned && chosen.contains(v.day) && v.enterprise != e0 && open[v.enterprise] != nil {
            others.append((0, ctx.travel[town][ctx.enterpriseTown[v.enterprise]], v.enterprise))
        }
        for (e, list) in open where e != e0 && ctx.cap[e] > sched.visitCount(e) {
            if chosen.contains(where: { d in list.contains { Self.placeable(sched, e, $0, day: d) } }) {
                others.append((2, ctx.travel[town][ctx.enterpriseTown[e]], e))
            }
        }
        for (_, v) in sched.liveVisits where !v.pinned && chosen.contains(v.day) && !seen.contains(v.enterprise) {
            if v.team.contains(where: { depts.contains(el.departmentOf[$0]) }) || depts.isEmpty {
                others.append((1, ctx.travel[town][ctx.enterpriseTown[v.enterprise]], v.enterprise))
            }
        }
        others.sort { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }
        let enterprises = Self.fill(sched, seed: e0, others.map(\.2), days: chosen, open: open, maxColumns: maxColumns)
        return Window(kind: .loss, days: chosen, enterprises: enterprises)
    }

    /// A dear department-day of the bound (issue 11: windows steered by the prices of the
    /// bound's department-day rows): two days of the group, in turn, with the enterprises
    /// whose unmet checks need the department and may be visited there (heaviest first) and
    /// the visits on those days that hold a member of it — GLPK may give the department's
    /// visits there to heavier work, merge them, or free its members from delegable checks.
    /// Dear rows are taken in turn; one with no such enterprise is passed over.
    private mutating func priceWindow(_ sched: Schedule, open: [Int: [Int]], maxColumns: Int) -> Window? {
        guard let prices, !prices.dear.isEmpty else { return nil }
        let ctx = sched.context
        let el = ctx.eligibility
        for _ in 0..<prices.dear.count {
            let dear = prices.dear[priceTurn % prices.dear.count]
            let round = priceTurn / prices.dear.count
            priceTurn += 1
            let dep = dear.department
            let groupDays = (0..<min(ctx.dayCount, prices.groupOfDay.count)).filter { prices.groupOfDay[$0] == dear.group }
            guard !groupDays.isEmpty else { continue }
            // Two of the group's days, in turn.
            let first = (round * 2) % groupDays.count
            var chosen = [groupDays[first]]
            if groupDays.count > 1 { chosen.append(groupDays[(first + 1) % groupDays.count]) }
            chosen.sort()
            // Enterprises with unmet checks of the department that may have them on those days.
            var needy: [(Double, Int)] = []
            for (e, items) in open where ctx.cap[e] > sched.visitCount(e) || sched.visitsOf[e]?.contains(where: { sched.visits[$0].map { chosen.contains($0.day) && !$0.pinned } ?? false }) == true {
                let fits = items.contains { i in el.itemDepartment[i] == dep && chosen.contains { Self.placeable(sched, e, i, day: $0) } }
                if fits { needy.append((-ctx.weight[e], e)) }
            }
            guard !needy.isEmpty else { continue }
            needy.sort { $0 < $1 }
            let seed = needy[0].1
            let town = ctx.enterpriseTown[seed]
            var competitors: [(Int, Int)] = []
            for (_, v) in sched.liveVisits where !v.pinned && chosen.contains(v.day) && v.team.contains(where: { el.departmentOf[$0] == dep }) {
                competitors.append((ctx.travel[town][ctx.enterpriseTown[v.enterprise]], v.enterprise))
            }
            competitors.sort { $0 < $1 }
            let heads = needy.dropFirst().prefix(7).map(\.1)
            let rest = needy.dropFirst(8).map(\.1)
            let enterprises = Self.fill(sched, seed: seed, heads + competitors.map(\.1) + rest, days: chosen, open: open, maxColumns: maxColumns)
            return Window(kind: .price, days: chosen, enterprises: enterprises)
        }
        return nil
    }

    /// A check of item `i` for enterprise `e` may go on site on day `d`: the enterprise may be
    /// visited then, the item's department is on duty for it (or the item is delegable), and
    /// the item's spacing allows the date.
    private static func placeable(_ sched: Schedule, _ e: Int, _ i: Int, day d: Int) -> Bool {
        let el = sched.context.eligibility
        return sched.context.visitable[e][d] && (el.itemDelegable[i] || el.onDuty(el.itemDepartment[i], day: d, enterprise: e))
            && sched.dateAllows(e, i, day: d, onSite: true)
    }

    /// Sorts days by the room the departments have there for the enterprise (free visit slots
    /// of their inspectors who may visit it; the tightest department counts), most first.
    private static func sortByRoom(_ days: inout [Int], _ sched: Schedule, _ e0: Int, _ departments: Set<Int>) {
        let ctx = sched.context
        let el = ctx.eligibility
        func room(_ d: Int) -> Int {
            departments.map { dep in
                el.certifiedByDepartment[dep].filter { el.mayVisit($0, day: d, enterprise: e0) }
                    .reduce(0) { $0 + max(0, ctx.maxVisits[$1] - sched.day($1, d).slots.count) }
            }.min() ?? 0
        }
        let rooms = Dictionary(uniqueKeysWithValues: days.map { ($0, room($0)) })
        days.sort { (-rooms[$0]!, $0) < (-rooms[$1]!, $1) }
    }

    /// An enterprise with several visits, on their days (up to three; up to two and, in turn,
    /// one day where all its departments are on duty, most room first), with the visits that
    /// compete for its departments there: its checks may regroup into fewer visits — on a
    /// day of theirs, or on a day none of them is on (roster districts: the departments of an
    /// enterprise's two visits may share no day with room among the days it has now).
    private mutating func visitsWindow(_ sched: Schedule, open: [Int: [Int]], maxColumns: Int) -> Window? {
        let ctx = sched.context
        let el = ctx.eligibility
        // Enterprises with more visits than one item's occurrences there first (a visit
        // may be saved: the visit lower bound of spec 3.2 is not met), most visits first.
        var multi: [(Int, Int, Int)] = []
        for (e, ids) in sched.visitsOf where ids.count > 1 {
            let vs = ids.compactMap { sched.visits[$0] }
            guard vs.contains(where: { !$0.pinned }) else { continue }
            var occurrences: [Int: Int] = [:]
            for v in vs { for c in v.checks { occurrences[c.item, default: 0] += 1 } }
            let excess = vs.count - (occurrences.values.max() ?? 0)
            multi.append((excess > 0 ? 0 : 1, -vs.count, e))
        }
        guard !multi.isEmpty else { return nil }
        multi.sort { $0 < $1 }
        let e0 = multi[visitsTurn % multi.count].2
        let round = visitsTurn / multi.count
        visitsTurn += 1
        let own = (sched.visitsOf[e0] ?? []).compactMap { sched.visits[$0] }
        let days = Array(Set(own.map(\.day))).sorted()
        let depts = Set(own.flatMap { $0.team.map { el.departmentOf[$0] } })
        let needed = Set(own.flatMap { $0.checks.map(\.item) }.filter { !el.itemDelegable[$0] }.map { el.itemDepartment[$0] }.filter { $0 >= 0 })
        var common = (0..<ctx.dayCount).filter { d in
            !days.contains(d) && ctx.visitable[e0][d] && needed.allSatisfy { el.onDuty($0, day: d, enterprise: e0) }
        }
        Self.sortByRoom(&common, sched, e0, needed)
        // In turn: two of its days and a new one, or three of its days.
        let withNew = !common.isEmpty && round % 2 == 0
        let span = withNew ? 2 : 3
        let start = days.count > span ? ((round / 2) % (days.count - span + 1)) : 0
        var chosen = Array(days[start..<min(days.count, start + span)])
        if withNew { chosen.append(common[(round / 2) % common.count]) }
        chosen.sort()
        let town = ctx.enterpriseTown[e0]
        var others: [(Int, Int)] = []
        for (_, v) in sched.liveVisits where !v.pinned && chosen.contains(v.day) && v.enterprise != e0 {
            if v.team.contains(where: { depts.contains(el.departmentOf[$0]) }) { others.append((ctx.travel[town][ctx.enterpriseTown[v.enterprise]], v.enterprise)) }
        }
        others.sort { $0 < $1 }
        let enterprises = Self.fill(sched, seed: e0, others.map(\.1), days: chosen, open: open, maxColumns: maxColumns)
        return Window(kind: .visits, days: chosen, enterprises: enterprises)
    }

    /// The seed and then the candidates in order, each taken while the window's column
    /// estimate stays within `maxColumns` (at most 80 enterprises).
    private static func fill(_ sched: Schedule, seed e0: Int, _ candidates: [Int], days: [Int], open: [Int: [Int]], maxColumns: Int) -> [Int] {
        var enterprises = [e0]
        var seen: Set<Int> = [e0]
        var columns = WindowBuilder.columnEstimate(sched, e0, days, open: open[e0] ?? [])
        for e in candidates where seen.insert(e).inserted {
            let c = WindowBuilder.columnEstimate(sched, e, days, open: open[e] ?? [])
            if columns + c > maxColumns { continue }
            columns += c
            enterprises.append(e)
            if enterprises.count >= 80 { break }
        }
        return enterprises
    }

    private mutating func minutesWindow(_ sched: Schedule, open: [Int: [Int]], maxColumns: Int) -> Window? {
        let ctx = sched.context
        let visits = sched.liveVisits.filter { !$0.visit.pinned }
        guard !visits.isEmpty, ctx.dayCount > 0 else { return nil }
        let busyDays = Array(Set(visits.map(\.visit.day))).sorted()
        let towns = ctx.scenario.towns.count
        let turn = minutesTurn
        minutesTurn += 1
        let d = busyDays[turn % busyDays.count]
        let next = busyDays.first { $0 > d }
        let days = next.map { [d, $0] } ?? [d]
        let t = (turn / busyDays.count) % max(1, towns)
        var cand = visits.filter { days.contains($0.visit.day) }.map { ($0.visit.enterprise) }
        cand = Array(Set(cand)).sorted { (ctx.travel[t][ctx.enterpriseTown[$0]], $0) < (ctx.travel[t][ctx.enterpriseTown[$1]], $1) }
        var enterprises: [Int] = []
        var columns = 0
        for e in cand {
            let c = WindowBuilder.columnEstimate(sched, e, days, open: open[e] ?? [])
            if columns + c > maxColumns { break }
            columns += c
            enterprises.append(e)
            if enterprises.count >= 80 { break }
        }
        return enterprises.isEmpty ? nil : Window(kind: .minutes, days: days, enterprises: enterprises)
    }
}

/// Builds one window's model from the incumbent and turns GLPK's answer back into a schedule.
struct WindowBuilder {
    let incumbent: Schedule
    let window: Window
    /// Most team candidates per department and option.
    static let perDepartment = 5

    init(_ incumbent: Schedule, _ window: Window) {
        self.incumbent = incumbent
        self.window = window
    }

    /// Unmet reasons a window may place (the rest hold whatever the window does).
    static func movable(_ r: UnmetReason) -> Bool {
        r == .staffing || r == .timeLimit || r == .visitCap
    }

    /// Columns an enterprise adds to a window: its open checks and those of its visits on
    /// the window's days, a team candidate list per day.
    static func columnEstimate(_ sched: Schedule, _ e: Int, _ days: [Int], open: [Int]) -> Int {
        let ctx = sched.context
        var items = Set(open)
        for id in sched.visitsOf[e] ?? [] {
            if let v = sched.visits[id], !v.pinned, days.contains(v.day) { items.formUnion(v.checks.map(\.item)) }
        }
        let depts = Set(items.map { ctx.eligibility.itemDepartment[$0] })
        let team = min(WindowBuilder.perDepartment * max(1, depts.count), 4 * WindowBuilder.perDepartment) + ctx.minTeam
        let n = days.filter { ctx.visitable[e][$0] }.count
        return n * (2 + items.count + 2 * team)
    }

    struct Built {
        var model: WindowModel
        /// The schedule with the window's visits and open checks taken out.
        var base: Schedule
        /// Checks to place per pair, with the unmet entries they came from (nil: from a visit).
        var open: [Int: [OpenCheck?]]
        var removed: [(id: Int, visit: PlannedVisit)]
        var optionIndex: [Int: Int]

        /// The incumbent's window visits as a solution of the model (nil if not representable).
        func warmStart(_ layout: WindowModel.Layout, columns: Int) -> [Double]? {
            var x = Array(repeating: 0.0, count: columns)
            for (_, v) in removed {
                guard let o = optionIndex[v.enterprise * 10_000 + v.day], x[layout.y[o]] == 0 else { return nil }
                let op = model.options[o]
                x[layout.y[o]] = 1
                for c in v.checks {
                    guard let k = op.items.firstIndex(of: c.item) else { return nil }
                    x[layout.z[o][k]] = 1
                }
                var length = Double(model.base)
                for g in op.groups {
                    length = max(length, Double(model.base) + g.reduce(0.0) { $0 + x[layout.z[o][$1]] * Double(model.itemMinutes[op.items[$1]]) })
                }
                x[layout.length[o]] = length
                for p in v.team {
                    guard let k = op.team.firstIndex(of: p) else { return nil }
                    x[layout.x[o][k]] = 1
                    x[layout.occupied[o][k]] = length
                }
            }
            return x
        }

        /// The window's visits as GLPK chose them, rebuilt through the roster.
        func rebuild(_ values: [Double], _ layout: WindowModel.Layout) -> Schedule {
            var sched = base
            let ctx = sched.context
            var placed: [Int: Int] = [:]
            var chosen: [(o: Int, items: [Int], team: [Int])] = []
            for (o, op) in model.options.enumerated() where values[layout.y[o]] > 0.5 {
                let items = op.items.indices.filter { values[layout.z[o][$0]] > 0.5 }.map { op.items[$0] }
                let team = op.team.indices.filter { values[layout.x[o][$0]] > 0.5 }.map { op.team[$0] }
                if !items.isEmpty { chosen.append((o, items, team)) }
            }
            // Visits GLPK kept as they were go back as they were, at their own times, first;
            // the changed ones then find their times in what is left.
            var kept: [Int: PlannedVisit] = [:]
            for (_, v) in removed { kept[v.enterprise * 10_000 + v.day] = v }
            // Pinned visits first, at their own start, with what GLPK added if it fits, else as
            // they were.
            for (_, v) in removed where v.pinned {
                guard let k = chosen.firstIndex(where: { model.options[$0.o].enterprise == v.enterprise && model.options[$0.o].day == v.day }) else {
                    sched.add(v)
                    for item in v.checks.map(\.item) { placed[ctx.key(v.enterprise, item), default: 0] += 1 }
                    continue
                }
                let c = chosen.remove(at: k)
                var visit = v
                if Set(c.items) != Set(v.checks.map(\.item)) || Set(c.team) != Set(v.team),
                   case .success(var nv) = Staffing(fixed: c.team, fixedStart: v.start, pin: true).staff(sched, enterprise: v.enterprise, day: v.day, items: c.items) {
                    nv.pinned = true
                    visit = nv
                }
                sched.add(visit)
                for item in visit.checks.map(\.item) { placed[ctx.key(v.enterprise, item), default: 0] += 1 }
            }
            func unchanged(_ c: (o: Int, items: [Int], team: [Int])) -> PlannedVisit? {
                let op = model.options[c.o]
                guard let v = kept[op.enterprise * 10_000 + op.day], Set(v.team) == Set(c.team),
                      Set(v.checks.map(\.item)) == Set(c.items) else { return nil }
                return v
            }
            chosen.sort { a, b in
                let va = model.options[a.o], vb = model.options[b.o]
                let ua = unchanged(a) == nil ? 1 : 0, ub = unchanged(b) == nil ? 1 : 0
                return (ua, va.day, -a.team.count, -a.items.count, va.enterprise) < (ub, vb.day, -b.team.count, -b.items.count, vb.enterprise)
            }
            for c in chosen {
                let op = model.options[c.o]
                if let v = unchanged(c), v.team.allSatisfy({ sched.cost($0, v.day, start: v.start, length: v.end - v.start, town: ctx.enterpriseTown[v.enterprise]) != nil }),
                   v.checks.allSatisfy({ sched.dateAllows(v.enterprise, $0.item, day: v.day, onSite: true) }) {
                    sched.add(v)
                    for i in c.items { placed[ctx.key(op.enterprise, i), default: 0] += 1 }
                    continue
                }
                let items = c.items.filter { sched.dateAllows(op.enterprise, $0, day: op.day, onSite: true) }
                guard !items.isEmpty, sched.visitCount(op.enterprise) < ctx.cap[op.enterprise] else { continue }
                var visit: PlannedVisit?
                if case .success(let v) = Staffing(fixed: c.team, cheapest: true).staff(sched, enterprise: op.enterprise, day: op.day, items: items) {
                    visit = v
                } else if case .success(let v) = Staffing(cheapest: true).staff(sched, enterprise: op.enterprise, day: op.day, items: items) {
                    visit = v
                }
                guard let v = visit else { continue }
                sched.add(v)
                for i in items { placed[ctx.key(op.enterprise, i), default: 0] += 1 }
            }
            // Remote checks GLPK chose.
            for (n, r) in model.remote.enumerated() {
                let d = model.demand[r.demand]
                let want = Int(values[layout.remote[n]].rounded())
                let key = ctx.key(d.enterprise, d.item)
                for _ in 0..<want where (placed[key] ?? 0) < d.count {
                    guard Placement.remote(&sched, d.enterprise, d.item) else { break }
                    placed[key, default: 0] += 1
                }
            }
            // What was not placed is unmet again (an unmet entry keeps its reason).
            var unmet = sched.unmet
            for key in open.keys.sorted() {
                var list = open[key]!
                let n = min(placed[key] ?? 0, list.count)
                // Placed checks take the entries that came from visits first.
                list.sort { ($0 == nil ? 0 : 1) < ($1 == nil ? 0 : 1) }
                for entry in list.dropFirst(n) {
                    let e = key / ctx.itemCount, i = key % ctx.itemCount
                    unmet.append(entry ?? OpenCheck(enterprise: e, item: i, reason: Placement.reason(sched, e, i, onSite: true)))
                }
            }
            sched.unmet = unmet
            return Reinsertion(only: Set(model.capLeft.map(\.enterprise))).run(sched, deadline: .distantFuture)
        }
    }

    func build() -> Built? {
        var sched = incumbent
        let ctx = sched.context
        let el = ctx.eligibility
        let daySet = Set(window.days)
        let entSet = Set(window.enterprises)
        var open: [Int: [OpenCheck?]] = [:]
        var removed: [(Int, PlannedVisit)] = []
        for e in window.enterprises {
            for id in sched.visitsOf[e] ?? [] {
                guard let v = sched.visits[id], daySet.contains(v.day) else { continue }
                removed.append((id, v))
            }
        }
        for (id, v) in removed {
            sched.remove(visit: id)
            for c in v.checks { open[ctx.key(v.enterprise, c.item), default: []].append(nil) }
        }
        var keep: [OpenCheck] = []
        for u in sched.unmet {
            if entSet.contains(u.enterprise) && WindowBuilder.movable(u.reason) {
                open[ctx.key(u.enterprise, u.item), default: []].append(u)
            } else {
                keep.append(u)
            }
        }
        sched.unmet = keep
        guard !open.isEmpty else { return nil }
        var model = WindowModel(base: ctx.baseMinutes, minTeam: ctx.minTeam, longest: ctx.window.longestStretch,
                                itemMinutes: ctx.scenario.items.map(\.minutes))
        var itemsOf: [Int: [Int]] = [:]
        for key in open.keys.sorted() {
            let e = key / ctx.itemCount, i = key % ctx.itemCount
            itemsOf[e, default: []].append(i)
            model.demand.append((e, i, open[key]!.count))
        }
        let removedTeams = Dictionary(grouping: removed, by: { $0.1.enterprise * 10_000 + $0.1.day }).mapValues { Set($0.flatMap(\.1.team)) }
        var optionIndex: [Int: Int] = [:]
        var usedDays = Set<Int>()
        for e in window.enterprises {
            guard let items = itemsOf[e], ctx.cap[e] - sched.visitCount(e) > 0 else { continue }
            model.capLeft.append((e, ctx.cap[e] - sched.visitCount(e)))
            let town = ctx.enterpriseTown[e]
            for d in window.days where ctx.visitable[e][d] {
                let its = items.filter { sched.dateAllows(e, $0, day: d, onSite: true) }
                if its.isEmpty { continue }
                let incumbentTeam = removedTeams[e * 10_000 + d] ?? []
                func free(_ p: Int) -> Bool {
                    el.mayVisit(p, day: d, enterprise: e) && sched.day(p, d).slots.count < ctx.maxVisits[p]
                        && ctx.window.workingMinutes - sched.day(p, d).used >= ctx.baseMinutes
                }
                func tau(_ p: Int) -> Int {
                    sched.day(p, d).slots.map { ctx.travel[$0.town][town] }.min() ?? 0
                }
                func rank(_ ps: [Int]) -> [Int] {
                    ps.sorted { a, b in
                        (incumbentTeam.contains(a) ? 0 : 1, tau(a), sched.day(a, d).used, a) < (incumbentTeam.contains(b) ? 0 : 1, tau(b), sched.day(b, d).used, b)
                    }
                }
                let depts = Array(Set(its.map { el.itemDepartment[$0] }.filter { $0 >= 0 })).sorted()
                var team: [Int] = []
                var chains: [[Int]] = []
                let drawn = ctx.draw.isRandom && !removed.contains { $0.1.enterprise == e && $0.1.day == d && $0.1.pinned }
                /// Rule 11: a department's candidates in the draw's order, the incumbent's first.
                func drawOrder(_ dep: Int) -> [Int] {
                    let order = ctx.draw.order(enterprise: e, department: dep).filter(free)
                    return order.filter(incumbentTeam.contains) + order.filter { !incumbentTeam.contains($0) }
                }
                func chain(_ members: [Int]) {
                    let start = team.count
                    team += members
                    if drawn && members.count > 1 { chains.append(Array(start..<team.count)) }
                }
                for dep in depts {
                    if drawn {
                        let order = drawOrder(dep)
                        chain(Array(order.prefix(max(WindowBuilder.perDepartment, order.filter(incumbentTeam.contains).count))))
                    } else {
                        team += rank(el.certifiedByDepartment[dep].filter(free)).prefix(WindowBuilder.perDepartment)
                    }
                }
                // Checks whose department has nobody on the team cannot be carried.
                let carried = its.filter { i in el.itemDelegable[i] || team.contains { p in el.departmentOf[p] == el.itemDepartment[i] } }
                if carried.isEmpty { continue }
                if ctx.minTeam > depts.count {
                    if drawn {
                        // Padding from other departments: each one's chain (its incumbent members,
                        // then its next in the draw's order), those whose head is nearest first.
                        var heads: [(key: (Int, Int, Int, Int), members: [Int])] = []
                        for dep in ctx.scenario.departments.indices where !depts.contains(dep) {
                            let order = drawOrder(dep)
                            guard let head = order.first else { continue }
                            let n = max(1, order.filter(incumbentTeam.contains).count)
                            let mine = order.contains(where: incumbentTeam.contains) ? 0 : 1
                            heads.append(((mine, tau(head), sched.day(head, d).used, dep), Array(order.prefix(n))))
                        }
                        heads.sort { $0.key < $1.key }
                        var added = 0
                        for h in heads where added < ctx.minTeam + 1 || h.key.0 == 0 {
                            chain(h.members)
                            added += h.members.count
                        }
                    } else {
                        let others = rank(ctx.scenario.inspectors.indices.filter { p in !team.contains(p) && !depts.contains(el.departmentOf[p]) && free(p) })
                        team += others.prefix(ctx.minTeam + 1)
                    }
                }
                // The incumbent's own team is always among the candidates.
                for p in incumbentTeam.sorted() where !team.contains(p) { team.append(p) }
                if team.count < ctx.minTeam { continue }
                var groups: [Int: [Int]] = [:]
                for (k, i) in carried.enumerated() { groups[el.itemDepartment[i], default: []].append(k) }
                let option = WindowModel.Option(
                    enterprise: e, day: d, items: carried, team: team, tau: team.map(tau),
                    performers: carried.map { i in el.itemDelegable[i] ? nil : team.indices.filter { el.mayPerform(team[$0], item: i) } },
                    groups: groups.keys.sorted().map { groups[$0]! }, weight: ctx.weight[e], drawChains: chains)
                optionIndex[e * 10_000 + d] = model.options.count
                model.options.append(option)
                usedDays.insert(d)
            }
        }
        // Remote checks instead: a remote-capable item with some day its spacing allows and an
        // inspector of its department with the minutes (Placement.remote places it).
        for (n, d) in model.demand.enumerated() {
            let item = ctx.item(d.item)
            guard item.remoteAllowed, el.itemDepartment[d.item] >= 0 else { continue }
            let possible = (0..<ctx.dayCount).contains { day in
                sched.dateAllows(d.enterprise, d.item, day: day, onSite: false)
                    && el.certifiedByDepartment[el.itemDepartment[d.item]].contains { p in
                        el.mayDoRemotely(p, item: d.item, day: day, enterprise: d.enterprise)
                            && sched.day(p, day).canAddRemote(item.remoteMinutes, budget: ctx.window.workingMinutes)
                    }
            }
            if possible { model.remote.append((n, item.remoteMinutes, ctx.weight[d.enterprise])) }
        }
        // Pinned visits: every one must have its option with its checks and team.
        for (_, v) in removed where v.pinned {
            guard let o = optionIndex[v.enterprise * 10_000 + v.day] else { return nil }
            let op = model.options[o]
            let items = v.checks.compactMap { c in op.items.firstIndex(of: c.item) }
            let members = v.team.compactMap { p in op.team.firstIndex(of: p) }
            guard items.count == v.checks.count, members.count == v.team.count else { return nil }
            model.fixed.append((o, items, members))
        }
        guard !model.options.isEmpty || !model.remote.isEmpty else { return nil }
        // Spacing between two of the window's days for the same pair.
        for a in model.options.indices {
            for b in model.options.indices where b > a && model.options[a].enterprise == model.options[b].enterprise {
                let oa = model.options[a], ob = model.options[b]
                for i in oa.items where ob.items.contains(i) {
                    let gap = ctx.item(i).minSpacingDays
                    guard gap > 0 else { continue }
                    let cal = ctx.calendar.days
                    if !SpacingRule.allows(cal[ob.day], spacing: gap, lastChecked: nil, others: [cal[oa.day]]) {
                        model.spacing.append((a, b, i))
                    }
                }
            }
        }
        // The incumbent's window visits as the model estimates them, per inspector-day: the
        // minutes rows allow at least that much (the incumbent is a solution of the model).
        var incumbentEstimate: [Int: Int] = [:]
        for (_, v) in removed {
            guard let o = optionIndex[v.enterprise * 10_000 + v.day] else { continue }
            let op = model.options[o]
            var length = ctx.baseMinutes
            for g in op.groups {
                let sum = g.filter { k in v.checks.contains { $0.item == op.items[k] } }.reduce(0) { $0 + ctx.item(op.items[$1]).minutes }
                length = max(length, ctx.baseMinutes + sum)
            }
            for p in v.team {
                let k = op.team.firstIndex(of: p)
                incumbentEstimate[p * 1_000_000 + v.day, default: 0] += length + (k.map { op.tau[$0] } ?? 0)
            }
        }
        for p in ctx.scenario.inspectors.indices {
            for d in usedDays.sorted() where el.available[p][d] {
                let day = sched.day(p, d)
                let free = max(0, ctx.window.workingMinutes - day.used)
                model.inspectorDays.append(.init(inspector: p, day: d, slots: max(0, ctx.maxVisits[p] - day.slots.count),
                                                 minutes: max(free, incumbentEstimate[p * 1_000_000 + d] ?? 0)))
            }
        }
        return Built(model: model, base: sched, open: open, removed: removed.map { (id: $0.0, visit: $0.1) }, optionIndex: optionIndex)
    }
}

extension Solver {
    /// Passes of the minutes descent after the window search when `--iterations` does not
    /// say (the descent also stops on a pass that moves nothing; deterministic).
    static let finalPasses = 4

    /// The search stage: the start kept, improved window by window, then its minutes again;
    /// checked like every candidate and kept only when it is better.
    static func windowSearch(_ input: PlanningInput, calendar cal: WorkCalendar, context: PlanningContext? = nil, start: Candidate, windows: Int, anytime: Bool = false, passes: Int? = nil, warmStart: Bool = true,
                             threads: Int = 1, census: GLPKThread.Census? = nil, deadline: Date,
                             boundBox: BoundBox, cancel: Cancellation?,
                             progress: (Double, Objective, Double?) -> Void) -> (candidate: Candidate?, note: String) {
        let ctx = context ?? PlanningContext(input.planning, cal, duties: input.toPlan, capUsed: input.capUsed, remaining: input.remaining)
        let frozen = Set(input.frozenVisits.map(\.id))
        let sched = Schedule(ctx, plan: start.plan, frozen: frozen)
        var search = WindowSearch()
        search.windows = windows
        search.warmStart = warmStart
        search.threads = threads
        search.census = census
        // Measurement knob (docs/bench-threads.md): the windows of a round; the note says it.
        if let w = ProcessInfo.processInfo.environment["JOINTPLAN_ROUND_WIDTH"].flatMap(Int.init) { search.roundWidth = w }
        if ProcessInfo.processInfo.environment["JOINTPLAN_ROUNDS"] != nil { search.pipelined = false }
        // Prices of the bound's department-days to steer windows by, when work is left
        // undone (else nothing is dear) and the LP is small enough to solve here, on this
        // thread, the same way every run. The LP cannot be stopped once started (about a
        // second at `DayPrices.maxRows`), so it needs `DayPrices.timeNeeded` left before the
        // deadline: a time limit that cuts the search short may leave it out, one that does
        // not bind never does.
        // With two threads or more the LP is solved on a worker of the search beside its first
        // round (`WindowSearch.pricing`), the same LP at the same point of the window sequence.
        var priceNote = ""
        func describe(_ prices: DayPrices?, _ note: String) -> String {
            "; " + note + (prices.map { ", \($0.dear.count) dear department-days" } ?? "")
        }
        if !sched.unmet.isEmpty && cancel?.isCancelled != true && deadline.timeIntervalSinceNow >= DayPrices.timeNeeded {
            let (planning, toPlan, capUsed) = (input.planning, input.toPlan, input.capUsed)
            let pricing: @Sendable () -> (prices: DayPrices?, note: String) = {
                DayPrices.of(DayGroupBound(scenario: planning, duties: toPlan, calendar: cal, capUsed: capUsed))
            }
            if threads >= 2 {
                search.pricing = pricing
            } else {
                let (prices, note) = pricing()
                search.prices = prices
                priceNote = describe(prices, note)
            }
        }
        func bound() -> Double? { boundBox.isFinished ? boundBox.total : nil }
        // Progress: windows done or time used, whichever is further along.
        let t0 = Date()
        let budget = max(0.001, deadline.timeIntervalSince(t0))
        // Anytime (no `--windows`), a proof ends the search: weighted unmet work at the bound
        // and on-site visits at their lower bound for the checks the plan does (issue 22,
        // item 3). The bound comes from its own threads whenever it is done, so a work-limited
        // search never stops on it: its plan must not depend on the clock.
        var proven = false
        var lastChecked: Objective?
        func proof(_ best: Schedule) -> Bool {
            guard anytime, let b = bound(), best.objective.unmetWeighted <= b + 1e-6, best.objective != lastChecked else { return false }
            lastChecked = best.objective
            let plan = finish(best, start.plan, input, cal)
            // On small districts the exact bound's fewest visits at the unmet optimum proves visits too.
            proven = best.objective.onsiteVisits <= visitBound(input.scenario, plan, calendar: cal)
                || boundBox.result.visitBound(unmet: best.objective.unmetWeighted).map { best.objective.onsiteVisits <= $0 } == true
            return proven
        }
        let (improved, stats) = search.run(sched, deadline: deadline, stop: { cancel?.isCancelled == true || proof($0) }, progress: { k, objective in
            progress(min(1, max(Double(k + 1) / Double(max(1, windows)), Date().timeIntervalSince(t0) / budget)), objective, bound())
        })
        if let (prices, pnote) = stats.prices { priceNote = describe(prices, pnote) }
        if threads >= 2, ProcessInfo.processInfo.environment["JOINTPLAN_ROUND_STATS"] != nil {
            // Measurement (docs/bench-threads.md): the loop's CPU seconds, whatever the load.
            let c = stats.cpu
            FileHandle.standardError.write(Data(String(format: "round-stats: rounds %d windows %d; CPU s: windows %.3f (this thread %.3f), serial %.3f, prices %.3f; one thread would take %.3f, the rounds' critical path %.3f (%.0f %%)\n",
                c.rounds, stats.tried, c.windows, c.mainWindows, c.serial, c.prices, c.windows + c.serial + c.prices, c.critical + c.serial,
                100 * (c.critical + c.serial) / max(1e-9, c.windows + c.serial + c.prices)).utf8))
        }
        var note = "\(stats.tried) windows (\(stats.byKind.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value.tried)/\($0.value.improved)" }.joined(separator: ", ")) tried/improved), \(stats.solved) solved by GLPK, \(stats.improved) improved the plan\(warmStart ? "" : ", GLPK not warm-started")\(threads >= 2 ? ", \(search.pipelined ? "in overlapping rounds of two to" : "in rounds of two to") \(max(2, min(search.roundWidth, WindowSearch.queueLimit))) windows on \(threads) threads (\(stats.carried) later windows carried over to an earlier one's plan, \(stats.requeued) solved again)" : "")\(priceNote)"
        if proven { note += "; ended on a proof (weighted unmet work and visits at their bounds)" }
        // The last local search (issue 11, item 4): the minutes descent again — visits
        // re-timed and re-staffed on their own or a nearby day — for up to `--iterations`
        // (else `finalPasses`) passes in what is left of the time, whether or not a window was kept.
        let polished = Date() < deadline && cancel?.isCancelled != true ? MinutesDescent(passes: passes ?? finalPasses).run(improved, deadline: deadline) : improved
        guard stats.improved > 0 || polished.objective < sched.objective else { return (nil, note) }
        if polished.objective < improved.objective { note += ", the last descent \(improved.objective.inspectorMinutes) → \(polished.objective.inspectorMinutes) minutes" }
        var plan = finish(polished, start.plan, input, cal)
        if polished.objective < improved.objective {
            // The descent keeps every day's draw as it was; should the draw still settle
            // otherwise, the search's own plan is kept when it comes out better.
            let unpolished = finish(improved, start.plan, input, cal)
            if unpolished.objective < plan.objective { plan = unpolished }
        }
        var checker = PlanChecker(scenario: input.scenario)
        checker.sharedDuties = input.duties   // the solve's required checks, not derived again
        let report = checker.check(plan)
        if let broken = report.violations.first(where: { $0.rule != 9 && $0.rule != 10 }) {
            note += "; \(DroppedStart.breaksRule(broken.rule, broken.message))"
            return (nil, note)
        }
        let missed = report.violations(rule: 9).count
        guard (missed, plan.objective) < (start.pinsMissed, start.plan.objective) else {
            return (nil, note + "; \(DroppedStart.notBetterThanStart)")
        }
        note += ": \(format(start.plan.objective)) → \(format(plan.objective))"
        return (Candidate(name: start.name.then(.search), plan: plan, pinsMissed: missed, pinMessages: start.pinMessages), note)
    }
}

