import ArgumentParser
import Foundation
import JointPlan

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "validate", abstract: "(being built)")
    func run() throws { throw ValidationError("'validate' is being built") }
}
