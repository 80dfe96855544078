import ArgumentParser
import Foundation
import JointPlan

struct DrawCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "draw", abstract: "(being built)")
    func run() throws { throw ValidationError("'draw' is being built") }
}
