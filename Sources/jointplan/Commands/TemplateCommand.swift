import ArgumentParser
import Foundation
import JointPlan
import JointPlanRegisters

/// `jointplan template [-o FILE.xlsx] [--from SCENARIO] [--quarter 2026Q2]`: the office's
/// registers as a workbook — blank with one example row per sheet, or an existing scenario
/// filled in (issue 13, item 1).
struct TemplateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template",
        abstract: "Write the registers workbook (enterprises, inspectors, items, …): blank, or filled from a scenario.",
        discussion: """
            One sheet per register with Chinese headers (the import also takes English aliases), \
            drop-down lists for tiers, departments, towns and 是/否 columns, and a sheet 填写说明 \
            saying what each column means. Without --from the workbook holds one consistent example \
            row per sheet for --quarter (default: the next quarter), with its official holidays \
            when they are bundled; importing it untouched gives a valid one-enterprise scenario.
            """)

    @Option(name: .shortAndLong, help: "Workbook to write (.xlsx).") var output: String = "registers.xlsx"
    @Option(help: "Fill the workbook from this scenario (jointplan.scenario/1).") var from: String?
    @Option(help: "Quarter of a blank template's example calendar, e.g. 2026Q2.") var quarter: String?
    @Option(help: "A holidays file (jointplan.holidays/1) for years not bundled.") var holidays: String?

    func validate() throws {
        if let q = quarter, Quarter(q) == nil { throw ValidationError("--quarter must look like 2026Q2, got \(q)") }
        if from != nil && quarter != nil { throw ValidationError("--quarter is for a blank template; --from takes the scenario's own calendar") }
    }

    func run() throws {
        let document: JSON
        if let from {
            document = try WhatIfCommand.readJSON(from)
            let problems = ScenarioReader.problems(json: document)
            if !problems.isEmpty { CommandIO.printProblems(problems, file: from); throw ExitCode(1) }
        } else {
            let q = quarter.flatMap(Quarter.init) ?? Self.nextQuarter()
            let calendar: HolidayCalendar
            do { calendar = try HolidayCalendar.load(file: holidays) } catch { CommandIO.stderr("error: \(error)"); throw ExitCode(1) }
            document = RegisterTemplate.example(quarter: q, calendar: calendar)
            if calendar.days(from: q.start, to: q.end) == nil {
                // Issue 24: without the year's notice 春节 and the other holidays count as working
                // days. Said loudly, in both languages whatever the locale: the office must fill
                // 日历's 节假日 and 调休上班日, or give --holidays FILE.
                let years = Array(Set([q.start.civil.year, q.end.civil.year]).filter { calendar.years[$0] == nil }).sorted()
                let list = years.map(String.init).joined(separator: ", ")
                CommandIO.stderr(Catalogue(.zh)("template.noHolidays", list, q.description))
                CommandIO.stderr(Catalogue(.en)("template.noHolidays", list, q.description))
            }
        }
        do { try RegisterTemplate.write(document: document, to: output) } catch {
            CommandIO.stderr("error: \(error)")
            throw ExitCode(1)
        }
        CommandIO.stderr(Catalogue(Language.fromEnvironment())("registers.template.written", output, 11))
    }

    static func nextQuarter(_ now: Date = Date()) -> Quarter {
        let today = Day(number: Int((now.timeIntervalSince1970 / 86400).rounded(.down)))
        let c = today.civil
        let q = (c.month - 1) / 3 + 1
        return q == 4 ? Quarter(year: c.year + 1, number: 1)! : Quarter(year: c.year, number: q + 1)!
    }
}
