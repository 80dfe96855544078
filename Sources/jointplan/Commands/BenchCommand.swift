import ArgumentParser
import Foundation
import JointPlan

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench", abstract: "(being built)")
    func run() throws { throw ValidationError("'bench' is being built") }
}
