import ArgumentParser
import Foundation
import JointPlan

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "generate", abstract: "(being built)")
    func run() throws { throw ValidationError("'generate' is being built") }
}
