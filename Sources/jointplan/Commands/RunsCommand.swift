import ArgumentParser
import Foundation
import JointPlan

struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "runs", abstract: "(being built)")
    func run() throws { throw ValidationError("'runs' is being built") }
}
