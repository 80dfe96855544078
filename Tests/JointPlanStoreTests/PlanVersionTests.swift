import Foundation
import GRDB
import JointPlan
import Testing
@testable import JointPlanStore

/// Issue 23: a plan version's life in the office — states in order, who/when/note recorded,
/// approved versions locked, re-plans as child versions, old databases upgraded, actuals
/// recorded by check.
@Suite struct PlanVersionTests {
    /// A small generated district and a hand-made plan of three visits (no solve: fast).
    static func tinyRun() throws -> (Scenario, Data, Plan) {
        let district = try DistrictGenerator(DistrictParameters(enterprises: 20, seed: 2)).generate()
        let data = Data(DistrictGenerator.fileText(district.scenario).utf8)
        let scenario = try ScenarioReader.read(data)
        var plan = Plan()
        plan.scenarioName = scenario.name
        plan.scenarioSHA256 = "tiny-plan-for-the-lifecycle-tests"
        plan.seed = 5
        let days = WorkCalendar(scenario.horizon).days
        let team = scenario.inspectors.prefix(2).map(\.id)
        for n in 0..<3 {
            let e = scenario.enterprises[n]
            let item = try #require(scenario.items.first { scenario.applies($0, to: e) })
            plan.visits.append(Visit(id: VisitNumbering.format(n + 1), enterprise: e.id, date: days[n], start: 9 * 60, end: 10 * 60,
                                     inspectors: Array(team), checks: [Check(item: item.id, occurrence: 1, inspector: team[0])]))
        }
        return (scenario, data, plan)
    }

    func store() throws -> RunStore {
        try RunStore(path: try Scratch.directory().appendingPathComponent("runs.sqlite").path)
    }

    @Test func aVersionMovesOneStepAtATimeRecordingWhoWhenAndWhy() throws {
        let store = try store()
        let (s, data, plan) = try Self.tinyRun()
        let id = try store.record(scenario: s, scenarioJSON: data, plan: plan, options: SolveOptions())
        #expect(try store.planVersion(runId: id)?.state == .draft)
        #expect(try store.listRuns().first?.state == .draft)

        // Approve before submit: refused, naming both states; nothing written.
        #expect {
            try store.advance(runId: id, to: .approved, by: "张主任")
        } throws: { ($0 as? PlanStateError)?.message == "cannot approve run \(id): it is draft, and this step is legal only from submitted (draft → submitted → approved → filed → published)" }
        #expect(try store.planVersion(runId: id)?.steps == [])
        // A step needs a name.
        #expect(throws: PlanStateError.self) { try store.advance(runId: id, to: .submitted, by: "  ") }

        try store.advance(runId: id, to: .submitted, by: "李科员", note: "一季度计划")
        try store.advance(runId: id, to: .approved, by: "张主任", note: "同意")
        try store.advance(runId: id, to: .filed, by: "李科员", note: "报市司法局备案")
        let v = try store.advance(runId: id, to: .published, by: "李科员")
        #expect(v.state == .published)
        #expect(v.steps.map(\.state) == [.submitted, .approved, .filed, .published])
        #expect(v.steps.map(\.by) == ["李科员", "张主任", "李科员", "李科员"])
        #expect(v.steps.map(\.note) == ["一季度计划", "同意", "报市司法局备案", ""])
        #expect(v.steps.allSatisfy { $0.at.hasSuffix("Z") })
        // Nothing after published, and no step back.
        #expect(throws: PlanStateError.self) { try store.advance(runId: id, to: .submitted, by: "李科员") }
        #expect(throws: PlanStateError.self) { try store.advance(runId: id, to: .published, by: "李科员") }
        #expect(try store.listRuns().first?.state == .published)
    }

    @Test func anApprovedVersionCannotChangeEvenBySQL() throws {
        let store = try store()
        let (s, data, plan) = try Self.tinyRun()
        let id = try store.record(scenario: s, scenarioJSON: data, plan: plan, options: SolveOptions())
        // A draft can still be changed (and deleted).
        try store.pool.write { db in try db.execute(sql: "UPDATE visit SET start = '09:05' WHERE runId = ? AND visitId = 'V00001'", arguments: [id]) }
        try store.advance(runId: id, to: .submitted, by: "a")
        try store.advance(runId: id, to: .approved, by: "b")
        for sql in ["UPDATE visit SET start = '10:00' WHERE runId = ?", "DELETE FROM visitInspector WHERE runId = ?",
                    "UPDATE visitCheck SET inspector = 'P999' WHERE runId = ?", "UPDATE run SET seed = '6' WHERE id = ?",
                    "UPDATE run SET plan = '{}' WHERE id = ?", "INSERT INTO visit SELECT runId, 'V09999', enterprise, town, date, start, \"end\", departments, inspectors FROM visit WHERE runId = ? LIMIT 1",
                    "UPDATE run SET state = 'draft' WHERE id = ?", "DELETE FROM planLock WHERE runId = ?"] {
            #expect(throws: DatabaseError.self, "\(sql)") { try store.pool.write { db in try db.execute(sql: sql, arguments: [id]) } }
        }
        #expect { try store.deleteRun(id: id) } throws: { "\($0)".contains("cannot be deleted") }
        let back = try #require(try store.run(id: id)).plan()
        #expect(back.visits.count == 3)
        #expect(back.seed == 5)
        #expect(try store.visits(runId: id).map(\.start) == ["09:05", "09:00", "09:00"])
    }

    @Test func aReplanIsANewDraftVersionNamingItsParent() throws {
        let store = try store()
        let (s, data, plan) = try Self.tinyRun()
        let first = try store.record(scenario: s, scenarioJSON: data, plan: plan, options: SolveOptions())
        try store.advance(runId: first, to: .submitted, by: "a")
        try store.advance(runId: first, to: .approved, by: "b")
        var changed = plan
        changed.visits.removeLast()
        let second = try store.record(scenario: s, scenarioJSON: data, plan: changed, options: SolveOptions(), method: "replan", parent: first)
        let v = try #require(try store.planVersion(runId: second))
        #expect(v.state == .draft && v.version == 2 && v.parentRunId == first)
        let third = try store.record(scenario: s, scenarioJSON: data, plan: changed, options: SolveOptions(), method: "replan", parent: second)
        #expect(try store.lineage(of: third).map(\.runId) == [first, second, third])
        #expect(try store.lineage(of: first).map(\.version) == [1, 2, 3])
        #expect(try store.planVersion(runId: first)?.state == .approved)
        let listed = try store.listRuns()
        #expect(listed.map(\.version) == [3, 2, 1])
        #expect(listed.map(\.parentRunId) == [second, first, nil])
        #expect(listed[0].json["state"] == .string("draft") && listed[0].json["parent"] == .number(String(second)))
        #expect(throws: StoreError.self) { try store.record(scenario: s, scenarioJSON: data, plan: changed, options: SolveOptions(), parent: 999) }
    }

    /// A database as the jointplan before issue 23 left it (schema up to "v3 actuals", one run
    /// and its visit written with the old columns) opens, upgrades, and its run is a draft v1.
    @Test func aDatabaseOfTheOldSchemaOpensAndUpgrades() throws {
        let path = try Scratch.directory().appendingPathComponent("old.sqlite").path
        do {
            let old = try DatabaseQueue(path: path)
            try Schema.migrator(through: "v3 actuals").migrate(old)
            try old.write { db in
                #expect(try db.columns(in: "run").map(\.name).contains("state") == false)
                try db.execute(sql: "INSERT INTO scenario (sha256, name, json, createdAt) VALUES ('abc', '旧方案', '{}', '2026-01-01T00:00:00.000Z')")
                try db.execute(sql: """
                    INSERT INTO run (scenarioId, options, seed, status, method, unmetWeighted, onsiteVisits, inspectorMinutes, kpis,
                                     bestBound, gap, seconds, engine, createdAt, plan, visitCount, checkCount)
                    VALUES (1, '{}', '7', 'feasible', 'jointplan', 0, 1, 60, '{}', 0, 0, 1, 'GLPK 5.0', '2026-01-01T00:00:00.000Z', '{}', 1, 0)
                    """)
                try db.execute(sql: """
                    INSERT INTO visit (runId, visitId, enterprise, town, date, start, "end", departments, inspectors)
                    VALUES (1, 'V00001', 'E1', 'T1', '2026-01-05', '09:00', '10:00', '[]', '[]')
                    """)
            }
        }
        // Read-only opening refuses the old schema with how to upgrade; a writable one upgrades.
        #expect { try RunStore(readOnlyAt: path) } throws: { "\($0)".contains("v4 plan versions and states") }
        let store = try RunStore(path: path)
        let runs = try store.listRuns()
        #expect(runs.map(\.id) == [1])
        #expect(runs[0].state == .draft && runs[0].version == 1 && runs[0].parentRunId == nil)
        #expect(try store.visits(runId: 1).map(\.visitId) == ["V00001"])
        try store.advance(runId: 1, to: .submitted, by: "a")
        #expect(try store.planVersion(runId: 1)?.state == .submitted)
        #expect(try RunStore(readOnlyAt: path).listRuns().count == 1)
    }

    @Test func aSecondActualsSheetAmendsByCheckAndNeverDuplicates() throws {
        let store = try store()
        let (s, data, plan) = try Self.tinyRun()
        let id = try store.record(scenario: s, scenarioJSON: data, plan: plan, options: SolveOptions())
        func entry(_ v: Visit, _ status: String, _ extra: [(String, JSON)] = []) -> JSON {
            let c = v.checks[0]
            return .object(JSONObject([("enterprise", .string(v.enterprise)), ("item", .string(c.item)), ("occurrence", .int(1)),
                                       ("plannedDate", .string(v.date.description)), ("status", .string(status)), ("visit", .string(v.id))] + extra))
        }
        let (a, b, c) = (plan.visits[0], plan.visits[1], plan.visits[2])
        try store.recordActuals(runId: id, source: "first.xlsx", entries: .array([
            entry(a, "done", [("date", .string(a.date.description)), ("result", .string("责令整改")), ("note", .string("灭火器过期"))]),
            entry(b, "notReported"), entry(c, "notDone", [("reason", .string("企业停业"))]),
        ]), counts: (1, 0, 1, 1))
        try store.recordActuals(runId: id, source: "second.xlsx", entries: .array([
            entry(a, "notReported"),   // blank: keeps what the first sheet said
            entry(b, "done", [("date", .string(b.date.description)), ("result", .string("未发现问题"))]),
            entry(c, "done", [("date", .string(c.date.description)), ("result", .string("立案查处"))]),  // amends
        ]), counts: (2, 0, 0, 1))
        let rows = try store.actualRecord(runId: id)
        #expect(rows.count == 3)
        #expect(rows.map { $0["status"]?.stringValue } == ["done", "done", "done"])
        #expect(rows.map { $0["result"]?.stringValue } == ["责令整改", "未发现问题", "立案查处"])
        #expect(rows.map { $0["sheet"]?.stringValue } == ["first.xlsx", "second.xlsx", "second.xlsx"])
        #expect(rows[0]["note"] == .string("灭火器过期"))
        #expect(try store.actuals(runId: id).count == 2)
    }
}
