import ArgumentParser
import Foundation
import JointPlan

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "explain", abstract: "(being built)")
    func run() throws { throw ValidationError("'explain' is being built") }
}
