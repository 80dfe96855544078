import Foundation
import Testing
@testable import JointPlan

/// Generated districts: deterministic bytes, valid through the real reader, the real tier mix,
/// the scale targets, feasible pins and the staffing levels the factor promises.
@Suite("District generator")
struct GeneratorTests {
    struct Made {
        var district: GeneratedDistrict
        var text: String
        var scenario: Scenario
    }

    static func make(_ n: Int, seed: UInt64, quarter: String = "2026Q1", staffing: Double = 1,
                     departments: Int = 7, towns: Int = 16, inspectors: Int? = nil) throws -> Made {
        var p = DistrictParameters(enterprises: n, seed: seed)
        p.quarter = try #require(Quarter(quarter))
        p.staffing = staffing
        p.departments = departments
        p.towns = towns
        p.inspectors = inspectors
        let district = try DistrictGenerator(p).generate()
        let text = DistrictGenerator.fileText(district.scenario)
        return Made(district: district, text: text, scenario: try ScenarioReader.read(Data(text.utf8)))
    }

    @Test("the same parameters and seed give the same bytes; another seed another district")
    func deterministic() throws {
        let a = try Self.make(500, seed: 7)
        let b = try Self.make(500, seed: 7)
        #expect(a.text == b.text)
        let c = try Self.make(500, seed: 8)
        #expect(a.text != c.text)
        // The staffing changes the inspectors only: the enterprises stay as they were.
        let d = try Self.make(500, seed: 7, staffing: 0.5)
        #expect(a.district.scenario["enterprises"] == d.district.scenario["enterprises"])
        #expect(a.district.scenario["inspectors"] != d.district.scenario["inspectors"])
    }

    @Test("valid scenarios with the real tier mix for several seeds, sizes and quarters",
          arguments: [(1, 40, "2026Q1"), (2, 300, "2026Q2"), (3, 1000, "2025Q4"), (4, 3000, "2026Q3"), (5, 2000, "2025Q1")])
    func validAcrossSizes(seed: UInt64, n: Int, quarter: String) throws {
        let m = try Self.make(n, seed: seed, quarter: quarter)
        let s = m.scenario
        #expect(s.enterprises.count == n)
        #expect(s.departments.count == 7)
        #expect(s.towns.count == 16)
        #expect(s.horizon.start == Quarter(quarter)!.start && s.horizon.end == Quarter(quarter)!.end)
        // Bayannur's mix A 73 %, B 19 %, C 5 %, D 3 % (within one enterprise's rounding).
        for (tier, share) in [(Tier.A, 0.73), (.B, 0.19), (.C, 0.05), (.D, 0.03)] {
            let count = s.enterprises.filter { $0.tier == tier }.count
            #expect(abs(Double(count) - share * Double(n)) <= 1, "tier \(tier): \(count) of \(n)")
        }
        // Every department has certified inspectors to form teams.
        for d in s.departments {
            #expect(s.inspectors.filter { $0.department == d.id && $0.certified }.count >= 1, "department \(d.id)")
        }
        #expect(!s.pinned.isEmpty)
        #expect(Duties(scenario: s).totalChecks > 0)
    }

    @Test("the official calendar of the quarter: holidays and make-up days (2025–2026)")
    func chinaCalendar() throws {
        // Working days per quarter from the State Council notices (weekdays − holidays +
        // make-up Saturdays/Sundays), computed independently with Python's datetime.
        let expected: [String: Int] = ["2026Q1": 59, "2026Q2": 61, "2026Q3": 66, "2026Q4": 62,
                                       "2025Q1": 59, "2025Q2": 61, "2025Q3": 67, "2025Q4": 61]
        for (q, days) in expected.sorted(by: { $0.key < $1.key }) {
            let m = try Self.make(20, seed: 1, quarter: q)
            #expect(WorkCalendar(m.scenario.horizon).days.count == days, "\(q)")
        }
        let q1 = try Self.make(20, seed: 1, quarter: "2026Q1").scenario
        let cal = WorkCalendar(q1.horizon)
        #expect(cal.isWorking(Day("2026-01-04")!))      // Sunday, make-up day for New Year
        #expect(cal.isWorking(Day("2026-02-14")!))      // Saturday before the Spring Festival
        #expect(!cal.isWorking(Day("2026-02-17")!))     // Spring Festival (Tuesday)
        #expect(!cal.isWorking(Day("2026-01-02")!))     // New Year holiday (Friday)
        #expect(cal.workingMinutes == 420)              // 08:30–17:30 less 12:00–14:00
    }

    @Test("scale: about 0.8 required checks per enterprise (≈1,600 for 2,000 enterprises)")
    func scale() throws {
        let m = try Self.make(2000, seed: 11)
        let checks = Duties(scenario: m.scenario).totalChecks
        #expect((1450...1750).contains(checks), "\(checks) required checks")
        // The expectation the generator sizes staffing by is close to the real draw.
        #expect(abs(m.district.summary.expectedChecks - Double(checks)) < 0.05 * Double(checks))
        #expect(m.scenario.inspectors.count >= 20)   // at least enterprises/100
    }

    @Test("every pinned visit can be honoured")
    func pinsAreFeasible() throws {
        for (seed, n) in [(UInt64(1), 100), (2, 2000), (3, 20000)] {
            let s = try Self.make(n, seed: seed).scenario
            let duties = Duties(scenario: s)
            let cal = WorkCalendar(s.horizon)
            var dates = Set<Day>(), team = Set<String>()
            #expect(s.pinned.count >= 3)
            for pin in s.pinned {
                let e = try #require(s.enterprise(pin.enterprise))
                let k = s.enterpriseIndex[pin.enterprise]!
                #expect(cal.isWorking(pin.date))
                #expect(!e.blackout.contains(day: pin.date))
                #expect(!e.whitelisted && e.lastChecked.isEmpty)
                #expect((1...2).contains(pin.inspectors.count))
                let required = Set(duties.byEnterprise[k].map { s.items[duties.duties[$0].item].id })
                let departments = Set(pin.items.compactMap { s.item($0)?.department })
                for id in pin.items { #expect(required.contains(id), "\(id) is required at \(e.id)") }
                for id in pin.inspectors {
                    let p = try #require(s.inspector(id))
                    #expect(p.certified && !p.unavailable.contains(day: pin.date) && !p.recusals.contains(e.id))
                    #expect(departments.contains(p.department))
                    #expect(!team.contains(id), "\(id) is in two pins")
                    team.insert(id)
                }
                if let start = pin.start { #expect(cal.earliestStart(atOrAfter: start, length: 60) == start) }
                #expect(!dates.contains(pin.date))
                dates.insert(pin.date)
            }
        }
    }

    @Test("staffing 1 gives every department three visit slots per visit of its own; 0.35 does not")
    func staffing() throws {
        for n in [2000, 20000] {
            let full = try Self.make(n, seed: 5).district.summary
            for d in full.departments { #expect(d.slack >= 3, "\(n) enterprises, \(d.department): \(d.slack)") }
            let short = try Self.make(n, seed: 5, staffing: 0.35).district.summary
            #expect(short.inspectors < full.inspectors / 2)
            #expect(short.departments.contains { $0.slack < 1.5 })
        }
        // An explicit count is honoured and the factor multiplies it.
        let fixed = try Self.make(1000, seed: 5, staffing: 0.5, inspectors: 40).district.summary
        #expect(fixed.inspectors == 20)
    }

    @Test("the ≈20,000-enterprise district: ≈200 inspectors, ≈16,000 required checks")
    func districtScale() throws {
        let m = try Self.make(20000, seed: 2026)
        #expect((190...230).contains(m.scenario.inspectors.count))
        let checks = Duties(scenario: m.scenario).totalChecks
        #expect((15000...17500).contains(checks), "\(checks) required checks")
    }

    @Test("fewer departments keep only their items; the enterprises stay")
    func departments() throws {
        let m = try Self.make(300, seed: 9, departments: 13, towns: 30)
        #expect(m.scenario.departments.count == 13 && m.scenario.towns.count == 30)
        #expect(m.scenario.items.contains { $0.department == "MZ" })
        let small = try Self.make(300, seed: 9, departments: 2, towns: 3)
        #expect(Set(small.scenario.items.map(\.department)) == ["SCJG", "XF"])
        #expect(small.scenario.enterprises.map(\.tier) == m.scenario.enterprises.map(\.tier))
    }

    @Test("the blackout share: 0.03 by default (the same bytes as before the option), more when asked, refused outside 0…1")
    func blackoutShare() throws {
        var p = DistrictParameters(enterprises: 400, seed: 11)
        let base = DistrictGenerator.fileText(try DistrictGenerator(p).generate().scenario)
        p.blackoutShare = 0.03
        #expect(DistrictGenerator.fileText(try DistrictGenerator(p).generate().scenario) == base)
        let few = try ScenarioReader.read(Data(base.utf8)).enterprises.filter { !$0.blackout.isEmpty }.count
        p.blackoutShare = 0.25
        let many = try ScenarioReader.read(Data(DistrictGenerator.fileText(try DistrictGenerator(p).generate().scenario).utf8))
            .enterprises.filter { !$0.blackout.isEmpty }.count
        #expect(few < 30 && many > 60, "blackouts: \(few) at 0.03, \(many) at 0.25 of 400")
        p.blackoutShare = 1.5
        #expect(p.problems.contains { $0.contains("blackout share") })
    }

    @Test("parameters out of range are refused with a reason")
    func badParameters() {
        var p = DistrictParameters(enterprises: 0, seed: 1)
        p.departments = 14
        p.towns = 0
        p.quarter = Quarter(year: 2027, number: 1)!
        p.staffing = 0
        #expect(p.problems.count == 5)
        #expect(throws: DistrictGenerator.ParameterError.self) { try DistrictGenerator(p) }
        #expect(Quarter("2026Q5") == nil && Quarter("2026-Q1") == nil)
        #expect(Quarter("2025q4")?.description == "2025Q4")
    }

    @Test("the random source is fixed: known first values of a stream")
    func seededRandom() {
        var a = SeededRandom(seed: 42, stream: "enterprises")
        var b = SeededRandom(seed: 42, stream: "enterprises")
        var c = SeededRandom(seed: 42, stream: "inspectors")
        let xs = (0..<5).map { _ in a.next() }
        // SplitMix64 from FNV-1a("enterprises") ^ 42, first value discarded; computed with Python.
        #expect(Array(xs.prefix(3)) == [14697937500262325322, 4694002226120141206, 2594453421368401992])
        #expect(xs == (0..<5).map { _ in b.next() })
        #expect(xs != (0..<5).map { _ in c.next() })
        var r = SeededRandom(seed: 1, stream: "x")
        for _ in 0..<1000 {
            #expect((0..<7).contains(r.below(7)))
            let u = r.unit()
            #expect(u >= 0 && u < 1)
        }
        var list = Array(0..<50)
        r.shuffle(&list)
        #expect(list.sorted() == Array(0..<50))
        let picked = r.sample(10, of: 30)
        #expect(picked.count == 10 && Set(picked).count == 10 && picked == picked.sorted())
    }
}
