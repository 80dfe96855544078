import ArgumentParser
import Foundation
import JointPlan

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "diff", abstract: "(being built)")
    func run() throws { throw ValidationError("'diff' is being built") }
}
