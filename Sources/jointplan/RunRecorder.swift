import ArgumentParser
import Foundation
import JointPlan
import JointPlanStore

/// Records a finished solve in the run database (`solve --db`, spec 4): the scenario, the
/// run and its visits in one transaction, so a run is there completely or not at all.
enum RunRecorder {
    /// - Parameter scenarioData: the scenario file's bytes, the ones the solver hashed into
    ///   the plan's `scenario.sha256`.
    static func record(scenario: Scenario, scenarioData: Data, plan: Plan, options: SolveOptions, database: String,
                       method: String = Solver.Method.jointplan.rawValue) throws {
        do {
            let store = try RunStore(path: database)
            let id = try store.record(scenario: scenario, scenarioJSON: scenarioData, plan: plan, options: options, method: method)
            CommandIO.stderr(Catalogue(Language.fromEnvironment())("cli.recordedRun", id, database, plan.visits.count))
        } catch {
            CommandIO.stderr("error: the run was not recorded in \(database): \(error)")
            throw ExitCode(1)
        }
    }
}
