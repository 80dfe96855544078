import ArgumentParser
import Foundation
import JointPlan
import JointPlanStore

/// `jointplan plan submit|approve|file|publish|show RUN_ID --db DB`: a plan version's life in
/// the office (issue 23): draft → submitted → approved → filed → published, each step with who,
/// when and a note; from approval on the version cannot change.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Move a recorded plan version through draft → submitted → approved → filed → published, or show where it is.",
        discussion: """
            Each step is legal only from the one before (exit 1 with a message naming both \
            states). From approval on, the version's visits, teams and seed cannot change; a \
            re-plan of it (`replan --db DB`) is recorded as a new draft version naming it as parent.
            """,
        subcommands: [Step<Submit>.self, Step<Approve>.self, Step<File>.self, Step<Publish>.self, Show.self])

    protocol Verb { static var state: PlanState { get } }
    enum Submit: Verb { static let state = PlanState.submitted }
    enum Approve: Verb { static let state = PlanState.approved }
    enum File: Verb { static let state = PlanState.filed }
    enum Publish: Verb { static let state = PlanState.published }

    struct Step<V: Verb>: ParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: V.state.verb,
                                 abstract: "Move a plan version to \(V.state.rawValue) (from \(V.state.previous!.rawValue)).")
        }
        @OptionGroup var language: LanguageOption
        @OptionGroup var database: RunsCommand.DatabaseOption
        @Argument(help: "Run id (see `runs list`).") var id: Int64
        @Option(help: "Who takes this step (name, recorded with the time).") var by: String
        @Option(help: "A comment recorded with the step.") var note: String = ""

        func run() throws {
            let store = try database.open()
            do {
                let v = try store.advance(runId: id, to: V.state, by: by, note: note, language: language.language)
                print(PlanCommand.text(v, language.text))
            } catch let e as PlanStateError {
                CommandIO.stderr("error: \(e)")
                throw ExitCode(1)
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a plan version: its state, lineage and every step taken.")
        @OptionGroup var language: LanguageOption
        @OptionGroup var database: RunsCommand.DatabaseOption
        @Argument(help: "Run id (see `runs list`).") var id: Int64
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let store = try database.open(readOnly: true)
            guard let v = try store.planVersion(runId: id) else {
                CommandIO.stderr("error: no run \(id) in \(store.path)")
                throw ExitCode(1)
            }
            let lineage = try store.lineage(of: id)
            if json {
                var o = v.json.objectValue!
                o["lineage"] = .array(lineage.map { .object(JSONObject([("run", .number(String($0.runId))), ("version", .int($0.version)),
                                                                        ("state", .string($0.state.rawValue))])) })
                print(JSONWriter.pretty(.object(o)))
                return
            }
            print(PlanCommand.text(v, language.text))
            if lineage.count > 1 {
                let t = language.text
                print(t("plan.show.lineage", lineage.map { t("plan.show.lineageRun", $0.runId, $0.version, PlanCommand.state($0.state, t)) }.joined(separator: " → ")))
            }
        }
    }

    /// A state as the operator reads it: the code in English (`published`), the word in Chinese.
    static func state(_ s: PlanState, _ t: Catalogue) -> String {
        t.language == .en ? s.rawValue : t("lifecycle.state.\(s.rawValue)")
    }

    static func text(_ v: PlanVersion, _ t: Catalogue) -> String {
        let parent = v.parentRunId.map { t("plan.show.parent", $0) } ?? ""
        var lines = [t("plan.show.head", v.runId, v.version, parent, state(v.state, t))]
        func label(_ s: PlanState) -> String { t.language == .en ? s.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0) : state(s, t) }
        lines.append(t("plan.show.recorded", label(.draft), v.createdAt))
        for s in v.steps {
            lines.append(t("plan.show.step", label(s.state), s.at, s.by) + (s.note.isEmpty ? "" : t("plan.show.note", s.note)))
        }
        if v.state.isLocked { lines.append("  " + t("lifecycle.locked")) }
        return lines.joined(separator: "\n")
    }
}
