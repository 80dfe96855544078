import ArgumentParser
import Foundation
import JointPlan

struct SolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "solve", abstract: "(being built)")
    func run() throws { throw ValidationError("'solve' is being built") }
}
