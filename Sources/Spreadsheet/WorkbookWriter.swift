import CXLSXWriter
import Foundation

/// An XLSX workbook being written, through libxlsxwriter (Debian `libxlsxwriter-dev`).
///
/// The one place that touches libxlsxwriter: nothing above it sees a C pointer. A workbook is
/// built sheet by sheet and written once by `close()`; the file is written to `path` (callers
/// that want atomic replacement or special-file handling write to a temporary path and move it).
///
/// Topics: `sheet(_:)` adds a sheet; `Sheet` writes cells, widths, frozen panes, filters and
/// drop-down lists; `Style` names the few formats the product uses.
public final class WorkbookWriter {
    /// A cell value as an office types it.
    public enum Cell: Equatable, Sendable {
        case text(String)
        case number(Double)
        case integer(Int)
        case bool(Bool)
        /// A calendar date (`YYYY-MM-DD`), written as a real date cell.
        case date(year: Int, month: Int, day: Int)
        case empty
    }

    /// The formats the product uses; each is created once per workbook.
    public enum Style: Hashable, Sendable {
        case plain, header, date, wrap
    }

    public struct WriteError: Error, CustomStringConvertible {
        public let description: String
    }

    private let workbook: UnsafeMutablePointer<lxw_workbook>
    private var formats: [Style: UnsafeMutablePointer<lxw_format>] = [:]
    private var sheetNames: Set<String> = []
    private var closed = false
    public let path: String

    public init(path: String) throws {
        guard let wb = workbook_new(path) else {
            throw WriteError(description: "cannot create a workbook at \(path)")
        }
        workbook = wb
        self.path = path
        let header = workbook_add_format(wb)!
        format_set_bold(header)
        format_set_bg_color(header, 0xDDEBF7)
        format_set_border(header, UInt8(LXW_BORDER_THIN.rawValue))
        formats[.header] = header
        let date = workbook_add_format(wb)!
        format_set_num_format(date, "yyyy-mm-dd")
        formats[.date] = date
        let wrap = workbook_add_format(wb)!
        format_set_text_wrap(wrap)
        formats[.wrap] = wrap
    }

    deinit {
        if !closed { _ = workbook_close(workbook) }
    }

    /// Adds a sheet. Excel's rules for names hold: 1–31 characters, none of `[]:*?/\`, unique
    /// regardless of case.
    public func sheet(_ name: String) throws -> Sheet {
        guard !closed else { throw WriteError(description: "workbook already closed") }
        guard !sheetNames.contains(name.lowercased()) else {
            throw WriteError(description: "two sheets named \(name)")
        }
        guard let ws = workbook_add_worksheet(workbook, name) else {
            throw WriteError(description: "invalid sheet name \(name)")
        }
        sheetNames.insert(name.lowercased())
        return Sheet(worksheet: ws, writer: self)
    }

    /// Writes the file. After this the workbook and its sheets may not be used.
    public func close() throws {
        guard !closed else { return }
        closed = true
        let status = workbook_close(workbook)
        guard status == LXW_NO_ERROR else {
            throw WriteError(description: "cannot write \(path): \(String(cString: lxw_strerror(status)))")
        }
    }

    fileprivate func format(_ style: Style) -> UnsafeMutablePointer<lxw_format>? {
        style == .plain ? nil : formats[style]
    }

    /// One worksheet of a `WorkbookWriter`. Rows and columns are 0-based.
    public final class Sheet {
        private let worksheet: UnsafeMutablePointer<lxw_worksheet>
        private unowned let writer: WorkbookWriter

        fileprivate init(worksheet: UnsafeMutablePointer<lxw_worksheet>, writer: WorkbookWriter) {
            self.worksheet = worksheet
            self.writer = writer
        }

        public func write(_ cell: Cell, row: Int, column: Int, style: Style = .plain) throws {
            let r = lxw_row_t(row), c = lxw_col_t(column)
            var fmt = writer.format(style)
            let status: lxw_error
            switch cell {
            case .text(let s):
                status = s.isEmpty ? LXW_NO_ERROR : worksheet_write_string(worksheet, r, c, s, fmt)
            case .number(let x):
                guard x.isFinite else { throw WriteError(description: "not a finite number at row \(row + 1)") }
                status = worksheet_write_number(worksheet, r, c, x, fmt)
            case .integer(let n):
                status = worksheet_write_number(worksheet, r, c, Double(n), fmt)
            case .bool(let b):
                status = worksheet_write_boolean(worksheet, r, c, b ? 1 : 0, fmt)
            case .date(let y, let m, let d):
                if style == .plain { fmt = writer.format(.date) }
                var dt = lxw_datetime(year: Int32(y), month: Int32(m), day: Int32(d), hour: 0, min: 0, sec: 0)
                status = worksheet_write_datetime(worksheet, r, c, &dt, fmt)
            case .empty:
                status = LXW_NO_ERROR
            }
            try check(status, "row \(row + 1), column \(column + 1)")
        }

        /// Writes a whole row from column 0.
        public func write(row: Int, _ cells: [Cell], style: Style = .plain) throws {
            for (c, cell) in cells.enumerated() { try write(cell, row: row, column: c, style: style) }
        }

        /// Writes a header row in the header style.
        public func header(row: Int = 0, _ titles: [String]) throws {
            try write(row: row, titles.map { .text($0) }, style: .header)
        }

        public func columnWidth(_ column: Int, _ width: Double) throws {
            try check(worksheet_set_column(worksheet, lxw_col_t(column), lxw_col_t(column), width, nil), "column width")
        }

        /// Freezes the rows above `row` and the columns left of `column`.
        public func freeze(row: Int, column: Int = 0) {
            worksheet_freeze_panes(worksheet, lxw_row_t(row), lxw_col_t(column))
        }

        /// An autofilter over the given range (inclusive).
        public func autofilter(firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int) throws {
            try check(worksheet_autofilter(worksheet, lxw_row_t(firstRow), lxw_col_t(firstColumn),
                                           lxw_row_t(lastRow), lxw_col_t(lastColumn)), "autofilter")
        }

        /// A drop-down list on a block of cells. `source` is either literal values (their joined
        /// length must stay under Excel's 255 characters) or a formula such as `=部门!$A$2:$A$200`.
        public enum ListSource: Sendable {
            case values([String])
            case formula(String)
        }

        public func dropDown(_ source: ListSource, firstRow: Int, column: Int, lastRow: Int) throws {
            var dv = lxw_data_validation()
            let status: lxw_error
            switch source {
            case .formula(let f):
                dv.validate = UInt8(LXW_VALIDATION_TYPE_LIST_FORMULA.rawValue)
                status = f.withCString { cf -> lxw_error in
                    dv.value_formula = UnsafeMutablePointer(mutating: cf)
                    return worksheet_data_validation_range(worksheet, lxw_row_t(firstRow), lxw_col_t(column),
                                                           lxw_row_t(lastRow), lxw_col_t(column), &dv)
                }
            case .values(let values):
                dv.validate = UInt8(LXW_VALIDATION_TYPE_LIST.rawValue)
                guard !values.isEmpty, values.joined(separator: ",").utf8.count < 255 else {
                    throw WriteError(description: "a drop-down list needs 1 to 255 characters of values; use a formula")
                }
                let cstrings = values.map { strdup($0) }
                defer { cstrings.forEach { free($0) } }
                var list: [UnsafeMutablePointer<CChar>?] = cstrings + [nil]
                status = list.withUnsafeMutableBufferPointer { buf -> lxw_error in
                    dv.value_list = buf.baseAddress
                    return worksheet_data_validation_range(worksheet, lxw_row_t(firstRow), lxw_col_t(column),
                                                           lxw_row_t(lastRow), lxw_col_t(column), &dv)
                }
            }
            try check(status, "drop-down list")
        }

        private func check(_ status: lxw_error, _ place: String) throws {
            guard status == LXW_NO_ERROR else {
                throw WriteError(description: "\(place): \(String(cString: lxw_strerror(status)))")
            }
        }
    }
}
