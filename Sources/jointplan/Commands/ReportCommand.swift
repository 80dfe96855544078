import ArgumentParser
import Foundation
import JointPlan

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "(being built)")
    func run() throws { throw ValidationError("'report' is being built") }
}
