import Foundation
import JointPlan
import Spreadsheet

/// The reader's problems and refusals in the office's words (issue 25): a cell that cannot be
/// read as typed becomes a `RegisterProblem` by sheet, row and column, so that an import
/// with one is never "valid"; a workbook refused by a cap becomes a `RegisterError` with the
/// cap's own message.
extension WorkbookReader.Problem {
    func registerProblem(_ t: Catalogue) -> RegisterProblem {
        let message: String
        switch kind {
        case .sharedStringOutOfRange(let i, let n): message = t("limits.cell.sharedString", i, n)
        case .formulaWithoutValue(let f): message = t("limits.cell.formulaWithoutValue", f)
        case .badBoolean(let v): message = t("limits.cell.badBoolean", v)
        case .badNumber(let v): message = t("limits.cell.badNumber", v)
        case .dateOutOfRange(let v): message = t("limits.cell.dateOutOfRange", v)
        case .badDate(let v): message = t("limits.cell.badDate", v)
        case .unknownCellType(let v): message = t("limits.cell.unknownType", v)
        case .badRowNumber(let v): message = t("limits.row.badNumber", v)
        case .badReference(let v): message = t("limits.cell.badReference", v)
        case .badMergedRange(let v): message = t("limits.sheet.badMerge", v)
        case .unknownSheetState(let v): message = t("limits.sheet.unknownState", v)
        case .missingSheetPart(let v): message = t("limits.sheet.missingPart", v)
        }
        // The column as the sheet's letters (`C`): the reader does not know the headers.
        return RegisterProblem(location: RegisterLocation(sheet: sheet, row: row, column: column.map(WorkbookReader.columnName)),
                               path: nil, message: message)
    }
}

extension WorkbookReader.ReadError {
    func text(_ t: Catalogue) -> String {
        func size(_ n: Int) -> String { n >= 1 << 20 ? "\(n >> 20) MiB" : "\(n) B" }
        switch kind {
        case .unreadable(let why): return t("limits.read.unreadable", why)
        case .notRegular: return t("limits.read.notRegular")
        case .notZip: return t("limits.read.notZip")
        case .notWorkbook: return t("limits.read.notWorkbook")
        case .fileTooLarge(let bytes, let limit): return t("limits.read.fileTooLarge", size(bytes), size(limit))
        case .partTooLarge(let part, let limit): return t("limits.read.partTooLarge", part, size(limit))
        case .unpackedTooLarge(let limit): return t("limits.read.unpackedTooLarge", size(limit))
        case .damaged(let part): return t("limits.read.damaged", part)
        case .badXML(let part, let detail): return t("limits.read.badXML", part, detail)
        case .tooDeep(let part, let limit): return t("limits.read.tooDeep", part, limit)
        case .tooManyCells(let limit): return t("limits.read.tooManyCells", limit)
        case .tooManySheets(let count, let limit): return t("limits.read.tooManySheets", count, limit)
        case .cellTooLong(let sheet, let row, let column, let limit):
            // The cell as an A1 reference (`企业 C12`).
            let at = sheet + ((row != nil && column != nil) ? " \(WorkbookReader.columnName(column!))\(row!)" : "")
            return t("limits.read.cellTooLong", at, limit)
        case .other(let s): return s
        }
    }
}

extension WorkbookReader {
    /// Opens a workbook for the registers: a refusal becomes a `RegisterError` naming the
    /// file, in the catalogue's words.
    static func open(_ path: String, _ t: Catalogue, limits: ReadLimits = .standard) throws -> WorkbookReader {
        do { return try WorkbookReader(path: path, limits: limits) } catch let e as WorkbookReader.ReadError {
            throw RegisterError("\(path): \(e.text(t))")
        }
    }

    /// The reader's problems, and its skipped sheets as warnings, in the catalogue's words.
    func registerProblems(_ t: Catalogue) -> (problems: [RegisterProblem], warnings: [RegisterProblem]) {
        (problems.map { $0.registerProblem(t) },
         skipped.map { RegisterProblem(location: RegisterLocation(sheet: $0), path: nil, message: t("limits.sheet.veryHidden")) })
    }
}
