import ArgumentParser
import Foundation
import JointPlan
import JointPlanExport
import JointPlanRegisters

/// `jointplan report SCENARIO PLAN [-o report.html]`: the plan as one self-contained HTML page
/// with KPI cards and charts that opens with no network (spec 4, Exports).
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML report of a plan (KPIs and charts; no network needed).")

    @OptionGroup var language: LanguageOption
    @Argument(help: "The scenario file (jointplan.scenario/1).")
    var scenario: String

    @Argument(help: "The plan file (jointplan.plan/1).")
    var plan: String

    @Option(name: .shortAndLong, help: "HTML file to write (stdout when omitted).")
    var output: String?

    @Option(help: "The filled actuals sheet: adds 计划按期完成率 (on-time completion) per department and its target.")
    var actuals: String?

    @OptionGroup var force: ForceOption

    func run() throws {
        let (model, data) = try CommandIO.loadScenario(scenario)
        let loaded = try CommandIO.loadPlan(plan)
        try force.require(loaded, plan, matches: data, scenario, language.text)
        let record = try actuals.map { try ActualsCommand.load($0, plan: loaded, horizon: model.horizon.span, language: language.language) }
        // KPIs against their targets (issue 23), and the completion rate when actuals are given.
        let page = TargetsSection.insert(TargetsSection.html(scenario: model, plan: loaded, actuals: record, language: language.language),
                                         into: HTMLReport.render(scenario: model, plan: loaded, language: language.language))
        try CommandIO.write(Data(page.utf8), to: output)
    }
}
