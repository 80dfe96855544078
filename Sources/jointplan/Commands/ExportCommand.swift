import ArgumentParser
import Foundation
import JointPlan

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "(being built)")
    func run() throws { throw ValidationError("'export' is being built") }
}
