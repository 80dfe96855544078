import ArgumentParser
import Foundation
import JointPlan

/// `jointplan change leave|pin|unpin|add-enterprise|staffing …`: a change said in one line,
/// written as a merge-by-id patch for `whatif` and `replan` (issue 13, item 5).
struct ChangeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "change",
        abstract: "Write a one-line change (leave, pin, unpin, new enterprise, staffing) as a scenario patch.",
        discussion: """
            Each subcommand writes a patch with "$patch": "merge-by-id" (docs/workflow.md): lists \
            merge by id, so the patch names only what changes. With --base the patch is applied to \
            the scenario and the result validated (problems with their JSON paths, exit 1).
            """,
        subcommands: [Leave.self, Pin.self, Unpin.self, AddEnterprise.self, Staffing.self])

    struct Common: ParsableArguments {
        @Option(help: "Validate the patch against this scenario.") var base: String?
        @Option(name: .shortAndLong, help: "Patch file to write (stdout when omitted).") var output: String?
        @OptionGroup var language: LanguageOption
    }

    /// Validates against --base when given, then writes the patch.
    static func emit(_ patch: JSON, _ common: Common, check: ((JSON) -> [InputProblem])? = nil) throws {
        if let base = common.base {
            let document = try WhatIfCommand.readJSON(base)
            var problems = check?(document) ?? []
            let patched = ScenarioPatch.apply(patch, to: document)
            problems += patched.problems
            if problems.isEmpty { problems += ScenarioReader.problems(json: patched.document) }
            // What `validate` refuses beyond the reader (a pin on a holiday, …): a change
            // checked here must give a scenario `validate` accepts (issue 25).
            if problems.isEmpty, let scenario = try? ScenarioReader.read(json: patched.document) {
                problems += ScenarioReview(scenario).errors
            }
            if !problems.isEmpty { CommandIO.printProblems(problems, file: Catalogue(Language.fromEnvironment())("change.withChange", base)); throw ExitCode(1) }
        }
        try CommandIO.write(Data(JSONWriter.pretty(patch).utf8), to: common.output)
    }

    static func mustHave(_ list: String, _ id: String, _ what: String) -> (JSON) -> [InputProblem] {
        { doc in
            (doc[list]?.arrayValue ?? []).contains { $0["id"]?.stringValue == id } ? []
                : [InputProblem(path: list, message: "no \(what) \(JSONWriter.quote(id)) in the scenario")]
        }
    }

    struct Leave: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "An inspector's leave: DATE or START/END added to their unavailable dates.")
        @Argument(help: "Inspector id.") var inspector: String
        @Argument(help: "A date YYYY-MM-DD or a range YYYY-MM-DD/YYYY-MM-DD.") var dates: String
        @OptionGroup var common: Common
        func validate() throws {
            guard let s = DateSpan(dates), s.start <= s.end else { throw ValidationError("dates must be YYYY-MM-DD or YYYY-MM-DD/YYYY-MM-DD (start ≤ end), got \(dates)") }
        }
        func run() throws {
            try ChangeCommand.emit(ScenarioChange.leave(inspector: inspector, span: DateSpan(dates)!), common,
                                   check: ChangeCommand.mustHave("inspectors", inspector, "inspector"))
        }
    }

    struct Pin: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A visit agreed with an enterprise (预约): added, or replacing its pin that day.")
        @Argument(help: "Enterprise id.") var enterprise: String
        @Argument(help: "Date YYYY-MM-DD.") var date: String
        @Option(help: "Start time HH:MM.") var start: String?
        @Option(help: "Inspectors who must be on the team, comma-separated.") var inspectors: String = ""
        @Option(help: "Items whose required checks the visit must hold, comma-separated.") var items: String = ""
        @OptionGroup var common: Common
        func validate() throws {
            guard Day(date) != nil else { throw ValidationError("date must be YYYY-MM-DD, got \(date)") }
            if let s = start, ClockTime.parse(s) == nil { throw ValidationError("--start must be HH:MM, got \(s)") }
        }
        func run() throws {
            let split = { (s: String) in s.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
            try ChangeCommand.emit(ScenarioChange.pin(enterprise: enterprise, date: Day(date)!, start: start.flatMap(ClockTime.parse),
                                                      inspectors: split(inspectors), items: split(items)), common)
        }
    }

    struct Unpin: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove the pinned visit of an enterprise on a date.")
        @Argument(help: "Enterprise id.") var enterprise: String
        @Argument(help: "Date YYYY-MM-DD.") var date: String
        @OptionGroup var common: Common
        func validate() throws { guard Day(date) != nil else { throw ValidationError("date must be YYYY-MM-DD, got \(date)") } }
        func run() throws { try ChangeCommand.emit(ScenarioChange.unpin(enterprise: enterprise, date: Day(date)!), common) }
    }

    struct AddEnterprise: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add-enterprise", abstract: "A new enterprise in the register.")
        @Argument(help: "Enterprise id.") var id: String
        @Option(help: "Name.") var name: String = ""
        @Option(help: "Town id.") var town: String
        @Option(help: "Credit-risk tier A–D.") var tier: String
        @Option(help: "Categories, comma-separated.") var categories: String
        @Option(help: "Address.") var address: String?
        @Flag(help: "On the compliance white list.") var whitelisted = false
        @OptionGroup var common: Common
        func validate() throws { guard Tier(rawValue: tier) != nil else { throw ValidationError("--tier must be A, B, C or D") } }
        func run() throws {
            var e = ScenarioChange.NewEnterprise(id: id, name: name, town: town, tier: Tier(rawValue: tier)!,
                                                 categories: categories.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            e.address = address
            e.whitelisted = whitelisted
            try ChangeCommand.emit(ScenarioChange.addEnterprise(e), common) { doc in
                (doc["enterprises"]?.arrayValue ?? []).contains { $0["id"]?.stringValue == id }
                    ? [InputProblem(path: "enterprises", message: "enterprise \(JSONWriter.quote(id)) is already in the scenario")] : []
            }
        }
    }

    struct Staffing: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A department's staffing times F (0.5: half its inspectors away all quarter; 1.5: reinforcements).")
        @Argument(help: "Department id.") var department: String
        @Argument(help: "Factor F ≥ 0.") var factor: Double
        @Option(help: "The scenario (required: the patch names its inspectors).") var base: String
        @Option(name: .shortAndLong, help: "Patch file to write (stdout when omitted).") var output: String?
        @OptionGroup var language: LanguageOption
        func run() throws {
            let (scenario, _) = try CommandIO.loadScenario(base)
            let patch: JSON
            do { patch = try ScenarioChange.staffing(department: department, factor: factor, in: scenario) } catch let e as InputProblems {
                CommandIO.printProblems(e.problems, file: base)
                throw ExitCode(1)
            }
            var common = try Common.parse([])
            common.base = base
            common.output = output
            try ChangeCommand.emit(patch, common)
        }
    }
}
