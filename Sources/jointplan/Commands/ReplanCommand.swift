import ArgumentParser
import Foundation
import JointPlan

struct ReplanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "replan", abstract: "(being built)")
    func run() throws { throw ValidationError("'replan' is being built") }
}
