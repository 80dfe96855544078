import ArgumentParser
import Foundation
import JointPlan

/// `jointplan bench --peer`: jointplan beside `firstfit.py joint` and `firstfit.py separate`
/// (the independent peer, `../shared/peers`), each run in its own child process so that wall
/// time and peak memory (wait4's rusage) are the run's own. Every plan is re-evaluated here
/// from the scenario (objective and visit lower bound), so no planner's own figures are taken
/// on trust; `--check` also runs each through the plan checker.
struct PeerRun {
    var me: String
    var peers: String
    var python: String
    var timeLimit: Double
    var check: Bool
    var tmp: URL
    /// Rule 11: bench each scenario in these dispatch modes (a copy of the file with
    /// policy.inspectorDispatch set where it says otherwise); with both, a row shows the
    /// price of the draw (random ÷ optimised, jointplan's plans).
    var modes: [InspectorDispatch] = [.random]

    struct Outcome {
        var plan: BenchCommand.Evaluated?
        var seconds: Double
        var peakKB: Int
        var verdict: String
        /// Why the planner gave no plan (the peer stops on a pin it cannot hold).
        var stopped: String?
    }

    func bench(_ files: [String]) throws {
        let firstfit = (peers as NSString).appendingPathComponent("firstfit.py")
        guard FileManager.default.fileExists(atPath: firstfit) else {
            throw ValidationError("no peer at \(firstfit) (give --peers DIR, the folder of firstfit.py)")
        }
        var rows: [[String]] = []
        // Each scenario in each dispatch mode asked for.
        var runs: [(file: String, name: String, base: String, mode: InspectorDispatch)] = []
        for file in files {
            let base = (file as NSString).lastPathComponent
            let (sc, data) = try CommandIO.loadScenario(file)
            for mode in modes {
                if mode == sc.policy.inspectorDispatch {
                    runs.append((file, base + (modes.count > 1 ? " [\(mode.rawValue)]" : ""), base, mode))
                    continue
                }
                var doc = try JSONParser.parse(data).objectValue ?? JSONObject()
                var policy = doc["policy"]?.objectValue ?? JSONObject()
                policy["inspectorDispatch"] = .string(mode.rawValue)
                doc["policy"] = .object(policy)
                let path = tmp.appendingPathComponent("\(mode.rawValue)-\(base)").path
                try Data(JSONWriter.pretty(.object(doc)).utf8).write(to: URL(fileURLWithPath: path))
                runs.append((path, base + " [\(mode.rawValue)]", base, mode))
            }
        }
        var ourPlans: [String: [InspectorDispatch: BenchCommand.Evaluated]] = [:]
        for (file, name, base, mode) in runs {
            let (sc, data) = try CommandIO.loadScenario(file)
            var results: [(String, Outcome)] = []
            CommandIO.stderr("bench: \(name) jointplan…")
            let ours = tmp.appendingPathComponent("jointplan.json").path
            let r = try Child.run(me, ["solve", file, "-o", ours, "--time-limit", String(timeLimit), "--no-timings"])
            guard r.status == 0 || r.status == 1, let plan = try? PlanReader.read(Data(contentsOf: URL(fileURLWithPath: ours))) else {
                throw ValidationError("solve \(file) failed (exit \(r.status))")
            }
            results.append(("jointplan", outcome(sc, data, plan, r)))
            ourPlans[base, default: [:]][mode] = results[0].1.plan
            // The constructive starts alone (no window search), to show what the search adds.
            CommandIO.stderr("bench: \(name) jointplan --windows 0…")
            let start = tmp.appendingPathComponent("jointplan-start.json").path
            let rs = try Child.run(me, ["solve", file, "-o", start, "--time-limit", String(timeLimit), "--no-timings", "--windows", "0"])
            if rs.status == 0 || rs.status == 1, let startPlan = try? PlanReader.read(Data(contentsOf: URL(fileURLWithPath: start))) {
                results.append(("start", outcome(sc, data, startPlan, rs)))
            }
            for planner in PeerBench.planners {
                CommandIO.stderr("bench: \(name) firstfit \(planner)…")
                let out = tmp.appendingPathComponent("firstfit-\(planner).json").path
                let err = tmp.appendingPathComponent("firstfit-\(planner).err").path
                try? FileManager.default.removeItem(atPath: out)
                let p = try Child.run("/usr/bin/env", [python, firstfit, planner, file, "-o", out], stderr: err)
                if p.status == 0, let plan = try? PlanReader.read(Data(contentsOf: URL(fileURLWithPath: out))) {
                    results.append(("firstfit \(planner)", outcome(sc, data, plan, p)))
                } else {
                    let text = (try? String(contentsOfFile: err, encoding: .utf8)) ?? ""
                    results.append(("firstfit \(planner)", Outcome(plan: nil, seconds: p.seconds, peakKB: p.peakKB, verdict: "",
                                                                  stopped: PeerBench.stopReason(text))))
                }
            }
            for (planner, o) in results {
                if let e = o.plan {
                    rows.append([name, planner, JSON.format(e.objective.unmetWeighted), String(e.objective.onsiteVisits),
                                 String(e.visitBound), String(e.objective.inspectorMinutes),
                                 String(e.minutesBound), String(format: "%.1f%%", e.minutesGap * 100),
                                 planner == "jointplan" || planner == "start" ? JSON.format(e.bound) : "-",
                                 planner == "jointplan" || planner == "start" ? String(format: "%.1f%%", e.gap * 100) : "-",
                                 String(format: "%.2f", o.seconds), String(format: "%.0f", Double(o.peakKB) / 1024), ""]
                                + (check ? [o.verdict] : []))
                } else {
                    rows.append([name, planner, o.stopped ?? "no plan", "", "", "", "", "", "", "",
                                 String(format: "%.2f", o.seconds), String(format: "%.0f", Double(o.peakKB) / 1024), ""]
                                + (check ? [""] : []))
                }
            }
            let j = results[0].1
            for (planner, o) in results.dropFirst() {
                guard let ours = j.plan, let theirs = o.plan else {
                    rows.append([name, "jointplan ÷ \(planner)", "", "", "", "", "", "", "", "", "", "", "peer stops"] + (check ? [""] : []))
                    continue
                }
                let c = PeerBench.Comparison(ours: ours.objective, peer: theirs.objective)
                let ratios = c.ratios
                rows.append([name, "jointplan ÷ \(planner)", ratios[0], ratios[1], "", ratios[2], "", "", "", "",
                             PeerBench.ratio(j.seconds, o.seconds), PeerBench.ratio(Double(j.peakKB), Double(o.peakKB)), c.verdict]
                            + (check ? [""] : []))
            }
        }
        // The price of the draw: jointplan under rule 11 against jointplan choosing members.
        for (base, plans) in ourPlans.sorted(by: { $0.key < $1.key }) {
            guard let r = plans[.random], let o = plans[.optimised] else { continue }
            let c = PeerBench.Comparison(ours: r.objective, peer: o.objective)
            let ratios = c.ratios
            let visits = r.objective.onsiteVisits - o.objective.onsiteVisits
            let minutes = o.objective.inspectorMinutes > 0 ? 100 * (Double(r.objective.inspectorMinutes) / Double(o.objective.inspectorMinutes) - 1) : 0
            rows.append([base, "price of the draw (random ÷ optimised)", ratios[0], ratios[1], "", ratios[2], "", "", "", "", "", "",
                         "unmet \(JSON.format(r.objective.unmetWeighted - o.objective.unmetWeighted)), visits \(visits >= 0 ? "+" : "")\(visits), minutes \(String(format: "%+.1f", minutes)) %"]
                        + (check ? [""] : []))
        }
        var header = ["scenario", "planner", "unmetW", "visits", "visitLB", "inspMin", "minLB", "minGap", "bound", "gap", "wall s", "peak MB", "verdict"]
        if check { header.append("check") }
        print(Table.render([header] + rows))
    }

    func outcome(_ sc: Scenario, _ data: Data, _ plan: Plan, _ r: Child.Result) -> Outcome {
        var verdict = ""
        if check {
            let report = PlanChecker.check(scenario: sc, plan: plan, scenarioData: data)
            verdict = report.valid ? "valid" : "INVALID \(report.violationCounts.sorted { $0.key < $1.key }.map { "r\($0.key):\($0.value)" }.joined(separator: " "))"
        }
        return Outcome(plan: BenchCommand.Evaluated(sc, plan), seconds: r.seconds, peakKB: r.peakKB, verdict: verdict, stopped: nil)
    }
}
