import ArgumentParser
import Foundation
import JointPlan

/// `--lang zh|en` on every command (issue 14): the language of every text a person reads;
/// JSON keys, ids and exit codes do not change. Without it, LC_ALL / LC_MESSAGES / LANG decide
/// (zh for zh_*).
struct LanguageOption: ParsableArguments {
    @Option(name: .customLong("lang"), help: "Language of the texts a person reads: zh or en (default: from LC_ALL/LANG, zh for zh_*).")
    var lang: String?

    func validate() throws {
        if let lang, Language(rawValue: lang) == nil { throw ValidationError("--lang must be zh or en, got \(lang)") }
        // The shared messages (CommandIO.printProblems) read the environment: --lang sets it
        // for this process, so they follow it without the option passed down every call.
        if let lang { setenv("LC_ALL", lang == "zh" ? "zh_CN.UTF-8" : "C.UTF-8", 1) }
    }

    var language: Language { lang.flatMap(Language.init(rawValue:)) ?? Language.fromEnvironment() }
    var text: Catalogue { Catalogue(language) }
    /// The language of what an enterprise reads (notices, publication pages): Chinese unless
    /// `--lang` says otherwise — the server's locale is the operator's, not the reader's.
    var readerLanguage: Language { lang.flatMap(Language.init(rawValue:)) ?? .zh }
}

/// `--force` on the commands that read a plan against a scenario (issue 14, item 7).
struct ForceOption: ParsableArguments {
    @Flag(help: "Use a plan whose scenario.sha256 does not match the scenario file.")
    var force = false

    /// Exit 1 (with the message) when the plan was made for another scenario, unless --force.
    func require(_ plan: Plan, _ planPath: String, matches scenarioData: Data, _ scenarioPath: String, _ t: Catalogue) throws {
        guard !PlanProvenance.matches(plan, scenarioData: scenarioData) else { return }
        if force {
            CommandIO.stderr(t("cli.otherScenarioForced", planPath, scenarioPath))
        } else {
            CommandIO.stderr(t("cli.otherScenario", planPath, scenarioPath))
            throw ExitCode(1)
        }
    }
}
