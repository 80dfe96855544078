import ArgumentParser
import Foundation
import JointPlan

struct WhatIfCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "whatif", abstract: "(being built)")
    func run() throws { throw ValidationError("'whatif' is being built") }
}
