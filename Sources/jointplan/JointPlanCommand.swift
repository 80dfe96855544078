import ArgumentParser
import Foundation

/// `jointplan`: plans a district's quarterly joint inspections (spec section 4, CLI).
/// The commands only parse arguments and do I/O; the work is in the libraries.
@main
struct JointPlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jointplan",
        abstract: "Plan a district's quarterly joint administrative inspections (综合查一次) with GLPK.",
        version: "1.0.0",
        subcommands: [
            SolveCommand.self, ValidateCommand.self, CheckCommand.self, WhatIfCommand.self,
            ReplanCommand.self, ExplainCommand.self, ExportCommand.self, ReportCommand.self,
            DiffCommand.self, DrawCommand.self, ServeCommand.self, GenerateCommand.self,
            RunsCommand.self, BenchCommand.self,
            TemplateCommand.self, ImportCommand.self, ChangeCommand.self, ActualsCommand.self, RolloverCommand.self,
            PlanCommand.self,
        ]
    )
}
