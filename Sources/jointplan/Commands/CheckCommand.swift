import ArgumentParser
import Foundation
import JointPlan

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "(being built)")
    func run() throws { throw ValidationError("'check' is being built") }
}
