import ArgumentParser
import Foundation
import JointPlan

/// `jointplan generate --enterprises N --seed S …`: writes a realistic district scenario
/// (`DistrictGenerator`), reads it back through the scenario reader and reports its size and
/// required checks on stderr. The same options give the same bytes.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate a realistic district scenario (enterprises, items, inspectors, calendar).",
        discussion: """
            Enterprises get the real credit-tier mix (A 73 %, B 19 %, C 5 %, D 3 %) and typical \
            trades (restaurants, shops, hotels, KTV, factories, construction sites, …); items \
            carry published sampling rates and counts for high-risk tiers; inspectors have leave, \
            recusals and certification; the horizon is the quarter with China's official \
            holidays and make-up working days (2025–2026). A summary goes to stderr.
            """)

    @OptionGroup var language: LanguageOption
    @Option(help: "Number of enterprises.")
    var enterprises: Int

    @Option(help: "Generator seed (the same options and seed give the same file).")
    var seed: UInt64

    @Option(help: "Number of departments (1–13), taken in the catalog's order.")
    var departments = 7

    @Option(help: "Number of streets and towns (1–30).")
    var towns = 16

    @Option(help: "Inspectors before --staffing (default: enterprises/100, at least 8, raised to a comfortable level).")
    var inspectors: Int?

    @Option(help: "Quarter of the horizon, e.g. 2026Q1 (2025Q1–2026Q4).")
    var quarter = "2026Q1"

    @Option(help: "Staffing factor multiplying the inspectors: 1 is comfortable, 0.35 is short.")
    var staffing = 1.0

    @Option(help: "Duty rosters: every inspector on duty 1…K days a week (the district's joint days Tuesday/Thursday, or days of their own); the other working days are listed under unavailable.")
    var roster: Int?

    @Option(help: "Inspectors per department drawn from a range, e.g. 2-4 (tiny departments).")
    var departmentSize: String?

    @Option(help: "policy.minInspectorsPerVisit (3 gives three-person teams).")
    var minTeam = 2

    @Option(help: "Multiplies travel between towns (2.5: a rural district with long travel).")
    var travelScale = 1.0

    @Option(help: "Number of pinned visits (default: a few by size).")
    var pins: Int?

    @Flag(help: "Pins may name the same inspectors on the same days.")
    var pinsShareInspectors = false

    @Option(help: "Share of A-tier enterprises on the white list.")
    var whitelistShare = 0.05

    @Option(help: "Share of enterprises with a blackout (a declared peak season of one or two weeks).")
    var blackoutShare = 0.03

    @Option(help: "policy.inspectorDispatch: random (随机选派, rule 11) or optimised (优化指派, key supervision).")
    var dispatch: InspectorDispatch = .random

    @Flag(help: "Draw the district's shape from --seed (rosters, department sizes, team size, travel, pins, white list, staffing, quarter); the options above are then ignored, but --enterprises.")
    var random = false

    @Option(name: .shortAndLong, help: "Output file (default: stdout).")
    var output: String?

    func validate() throws {
        guard Quarter(quarter) != nil else { throw ValidationError("--quarter must look like 2026Q1, got \(quarter)") }
        if let d = departmentSize, Self.range(d) == nil { throw ValidationError("--department-size must look like 2-4, got \(d)") }
        let problems = parameters.problems
        if !problems.isEmpty { throw ValidationError(problems.joined(separator: "; ")) }
    }

    static func range(_ text: String) -> ClosedRange<Int>? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
        if parts.count == 1, let a = parts[0], a >= 1 { return a...a }
        guard parts.count == 2, let a = parts[0], let b = parts[1], a >= 1, a <= b else { return nil }
        return a...b
    }

    private var parameters: DistrictParameters {
        if random {
            var p = DistrictParameters.random(enterprises: enterprises, seed: seed)
            p.dispatch = dispatch
            return p
        }
        var p = DistrictParameters(enterprises: enterprises, seed: seed)
        p.rosterDays = roster
        p.departmentSize = departmentSize.flatMap(Self.range)
        p.minTeam = minTeam
        p.travelScale = travelScale
        p.pins = pins
        p.pinsShareInspectors = pinsShareInspectors
        p.whitelistShare = whitelistShare
        p.blackoutShare = blackoutShare
        p.departments = departments
        p.towns = towns
        p.inspectors = inspectors
        p.quarter = Quarter(quarter) ?? p.quarter
        p.staffing = staffing
        p.dispatch = dispatch
        return p
    }

    func run() throws {
        let clock = ContinuousClock()
        let began = clock.now
        let district = try DistrictGenerator(parameters).generate()
        let text = DistrictGenerator.fileText(district.scenario)
        let generated = clock.now - began
        let data = Data(text.utf8)
        try CommandIO.write(data, to: output)

        // Read the file back as any user would: a generated scenario must be valid.
        let scenario: Scenario
        do {
            scenario = try ScenarioReader.read(data)
        } catch let e as InputProblems {
            CommandIO.printProblems(e.problems, file: output ?? "(generated scenario)")
            throw ExitCode(1)
        }
        let required = Duties(scenario: scenario).totalChecks
        let s = district.summary
        var lines = [
            "generated \(s.enterprises) enterprises (A \(s.tiers[.A] ?? 0), B \(s.tiers[.B] ?? 0), C \(s.tiers[.C] ?? 0), D \(s.tiers[.D] ?? 0)), "
                + "\(s.items) items, \(s.inspectors) inspectors, \(s.workingDays) working days, \(s.pinned) pinned visits "
                + "in \(Self.seconds(generated)) s; \(required) required checks (expected \(Int(s.expectedChecks.rounded())))",
            "  ≈\(Int(s.expectedVisits.rounded())) visits at the most merged (\(2 * Int(s.expectedVisits.rounded())) team seats); \(s.visitSlots) visit slots in all",
        ]
        for d in s.departments {
            let slack = d.slack.isFinite ? String(format: "%.1f×", d.slack) : "no on-site need"
            lines.append("  \(d.department): \(d.inspectors) inspectors, \(d.visitSlots) visit slots for ≈\(Int(d.visitsNeeded.rounded())) visits of its own (\(slack))")
        }
        CommandIO.stderr(lines.joined(separator: "\n"))
    }

    static func seconds(_ d: Duration) -> String {
        let c = d.components
        return String(format: "%.3f", Double(c.seconds) + Double(c.attoseconds) / 1e18)
    }
}

extension InspectorDispatch: ExpressibleByArgument {}
