import Foundation

/// Whether a plan states it was made for a given scenario file (spec 3, `scenario.sha256`: of
/// the file's bytes or of its canonical JSON, A23). Explain and diff read a plan against the
/// scenario they are given; a plan of another scenario (a what-if variant, a re-plan with
/// changes) would be explained with the wrong caps and staff, so the commands warn.
public enum PlanProvenance {
    /// True when the plan names no sha256 or names this file's.
    public static func matches(_ plan: Plan, scenarioData: Data) -> Bool {
        plan.scenarioSHA256.isEmpty || CheckRun.scenarioDigests(scenarioData).contains(plan.scenarioSHA256.lowercased())
    }

    /// The warning to print when it does not match, naming both files.
    public static func warning(plan planPath: String, scenario scenarioPath: String) -> String {
        "warning: \(planPath) was made for another scenario than \(scenarioPath) (its scenario.sha256 matches neither the file nor its canonical JSON); the explanation uses \(scenarioPath)"
    }
}
