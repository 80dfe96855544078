import ArgumentParser
import Foundation
import JointPlan

/// `jointplan draw SCENARIO [--seed N] [--format csv|json]`: publishes the random draw (双随机,
/// spec 2.1) so that anyone can audit it from the seed: per item and tier with a sampleRate,
/// the population N, the size n = floor(r·N + 1/2) and the drawn enterprises with their random
/// numbers u, as the 64-bit numerator (the first 8 bytes of the SHA-256, big-endian) and as a
/// decimal in [0, 1).
struct DrawCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "draw",
        abstract: "List the random draw of every sampled item and tier, with the random numbers.",
        discussion: """
            CSV (RFC 4180, header row, CRLF) by default: one row per drawn enterprise, in draw \
            order (smallest u first); a group that draws nobody has one row with rank, enterprise \
            and u empty. u64 is the numerator of u = u64 / 2^64: with coordinated sampling the first \
            8 bytes, big-endian, of SHA-256("{seed}|{enterpriseId}"), with independent sampling of \
            SHA-256("{seed}|{itemId}|{enterpriseId}"); u is u64 / 2^64 cut to 12 decimals. \
            With --format json, one object whose u64 values are strings (they exceed 2^53).
            With --inspectors, the second draw instead (随机选派, spec rule 11): each enterprise's \
            public order of every department's inspectors, smallest ticket first, where the \
            ticket's numerator t64 is the first 8 bytes, big-endian, of \
            SHA-256("{seed}|{enterpriseId}|{inspectorId}") and t = t64 / 2^64 (ties by inspector \
            id). A visit's members of a department are the first of that order who are eligible \
            and free when the visit's turn comes (`jointplan explain --visit` shows why others \
            were passed over).
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case csv, json }

    @OptionGroup var language: LanguageOption
    @Argument(help: "The scenario file.")
    var scenario: String

    @Option(help: "Seed of the draw (default: the scenario's policy.seed).")
    var seed: UInt64?

    @Option(help: "Output format: csv or json.")
    var format: Format = .csv

    @Flag(help: "Print each enterprise's public order of inspectors (rule 11) instead of the enterprise draw.")
    var inspectors = false

    @Option(help: "With --inspectors: only this enterprise.")
    var enterprise: String?

    @Option(name: .shortAndLong, help: "Output file (default: stdout).")
    var output: String?

    func validate() throws {
        if enterprise != nil && !inspectors { throw ValidationError("--enterprise goes with --inspectors") }
    }

    func run() throws {
        let (s, _) = try CommandIO.loadScenario(scenario)
        if inspectors {
            var list = s.enterprises.indices.map { $0 }
            if let id = enterprise {
                guard let e = s.enterpriseIndex[id] else {
                    CommandIO.stderr("--enterprise: unknown enterprise \(JSONWriter.quote(id))")
                    throw ExitCode(1)
                }
                list = [e]
            }
            let draw = TeamDraw(s, WorkCalendar(s.horizon), seed: seed)
            let text = format == .csv ? Self.inspectorsCSV(draw, list) : JSONWriter.pretty(Self.inspectorsJSON(draw, list))
            try CommandIO.write(Data(text.utf8), to: output)
            return
        }
        let duties = Duties(scenario: s, seed: seed)
        let text: String
        switch format {
        case .csv: text = Self.csv(duties, language: language.language)
        case .json: text = JSONWriter.pretty(Self.json(duties, scenario: s))
        }
        try CommandIO.write(Data(text.utf8), to: output)
    }

    /// The header in English is the published format's (seed,item,…); under zh the same
    /// columns in Chinese, the symbols N, n, u64 and u kept (issue 24).
    static func csv(_ d: Duties, language: Language = .en) -> String {
        var out = Catalogue(language)("draw.csvHeader") + "\r\n"
        for g in d.groups {
            let head = [String(d.seed), g.item, g.tier.rawValue, g.rate.literal, String(g.population), String(g.size)]
            if g.drawn.isEmpty {
                out += (head + ["", "", "", ""]).map(field).joined(separator: ",") + "\r\n"
            }
            for (rank, pick) in g.drawn.enumerated() {
                out += (head + [String(rank + 1), pick.enterprise, String(pick.u), decimal(pick.u)]).map(field).joined(separator: ",") + "\r\n"
            }
        }
        return out
    }

    static func json(_ d: Duties, scenario s: Scenario) -> JSON {
        let groups: [JSON] = d.groups.map { g in
            .object(JSONObject([
                ("item", .string(g.item)), ("tier", .string(g.tier.rawValue)), ("rate", .number(g.rate.literal)),
                ("N", .int(g.population)), ("n", .int(g.size)),
                ("drawn", .array(g.drawn.map { pick in
                    .object(JSONObject([("enterprise", .string(pick.enterprise)), ("u64", .string(String(pick.u))),
                                        ("u", .number(decimal(pick.u)))]))
                })),
            ]))
        }
        return .object(JSONObject([
            ("scenario", .string(s.name)), ("seed", .number(String(d.seed))),
            ("sampling", .string(s.policy.sampling.rawValue)), ("groups", .array(groups)),
        ]))
    }

    /// Rule 11's public orders, one row per enterprise, department and rank.
    static func inspectorsCSV(_ draw: TeamDraw, _ enterprises: [Int]) -> String {
        let s = draw.scenario
        var out = "seed,enterprise,department,rank,inspector,t64,t\r\n"
        let depts = s.departments.indices.sorted { s.departments[$0].id.utf8.lexicographicallyPrecedes(s.departments[$1].id.utf8) }
        for e in enterprises {
            let eid = s.enterprises[e].id
            for d in depts {
                for (rank, p) in draw.order(enterprise: e, department: d).enumerated() {
                    let t = Draw.ticket(seed: draw.seed, enterprise: eid, inspector: s.inspectors[p].id)
                    out += [String(draw.seed), eid, s.departments[d].id, String(rank + 1), s.inspectors[p].id, String(t), decimal(t)]
                        .map(field).joined(separator: ",") + "\r\n"
                }
            }
        }
        return out
    }

    static func inspectorsJSON(_ draw: TeamDraw, _ enterprises: [Int]) -> JSON {
        let s = draw.scenario
        let depts = s.departments.indices.sorted { s.departments[$0].id.utf8.lexicographicallyPrecedes(s.departments[$1].id.utf8) }
        let list: [JSON] = enterprises.map { e in
            let eid = s.enterprises[e].id
            let orders: [(String, JSON)] = depts.map { d in
                (s.departments[d].id, .array(draw.order(enterprise: e, department: d).map { p in
                    let t = Draw.ticket(seed: draw.seed, enterprise: eid, inspector: s.inspectors[p].id)
                    return .object(JSONObject([("inspector", .string(s.inspectors[p].id)), ("t64", .string(String(t))), ("t", .number(decimal(t)))]))
                }))
            }
            return .object(JSONObject([("enterprise", .string(eid)), ("departments", .object(JSONObject(orders)))]))
        }
        return .object(JSONObject([
            ("scenario", .string(s.name)), ("seed", .number(String(draw.seed))),
            ("inspectorDispatch", .string(s.policy.inspectorDispatch.rawValue)),
            ("ticket", .string("SHA-256(\"{seed}|{enterpriseId}|{inspectorId}\"), first 8 bytes big-endian / 2^64; smallest first, ties by inspector id")),
            ("enterprises", .array(list)),
        ]))
    }

    /// u64 / 2^64 as a decimal cut (not rounded, so it stays below 1) to 12 places.
    static func decimal(_ u: UInt64) -> String {
        let scaled = UInt64((UInt128(u) * 1_000_000_000_000) >> 64)
        let digits = String(scaled)
        return "0." + String(repeating: "0", count: 12 - digits.count) + digits
    }

    /// RFC 4180: quote fields holding a comma, a quote or a line break; double inner quotes.
    static func field(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
