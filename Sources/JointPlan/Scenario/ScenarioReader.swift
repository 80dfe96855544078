import Foundation

/// Reads and validates a `jointplan.scenario/1` document (being built).
public enum ScenarioReader {
    public static func read(_ data: Data) throws -> Scenario { throw InputProblems([InputProblem(path: "", message: "reader being built")]) }
}
