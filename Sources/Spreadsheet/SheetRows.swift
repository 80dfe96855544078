/// A sheet's rows and cells as the file holds them: only the cells that have a value are
/// stored, so a row with one cell at column XFD costs one cell, not 16,384 (issue 25).
///
/// Both types read as collections of the dense grid (index `i` is row or column `i`, 0-based,
/// `.empty` where nothing is stored), so code that walks a header row or asks for `cells[c]`
/// works unchanged; loops over many rows should walk `present` / `entries`, which visit only
/// what is stored.
extension WorkbookReader {
    /// One row: its non-empty cells in column order.
    public struct Row: Sendable, Equatable, RandomAccessCollection, ExpressibleByArrayLiteral {
        public struct Entry: Sendable, Equatable {
            public let column: Int
            public let cell: Cell
            public init(column: Int, cell: Cell) { self.column = column; self.cell = cell }
        }
        /// The non-empty cells, by column, each column once.
        public private(set) var entries: [Entry]

        public init(entries: [Entry]) {
            var sorted = entries.filter { $0.cell != .empty && $0.column >= 0 }
            if !zip(sorted, sorted.dropFirst()).allSatisfy({ $0.column < $1.column }) {
                // Later entries win, as a later write of the same cell would.
                var last: [Int: Cell] = [:]
                for e in sorted { last[e.column] = e.cell }
                sorted = last.keys.sorted().map { Entry(column: $0, cell: last[$0]!) }
            }
            self.entries = sorted
        }
        /// A dense row (CSV, tests): `.empty` cells are not stored.
        public init(_ cells: [Cell]) {
            entries = cells.enumerated().compactMap { $0.element == .empty ? nil : Entry(column: $0.offset, cell: $0.element) }
        }
        public init(arrayLiteral cells: Cell...) { self.init(cells) }

        public var startIndex: Int { 0 }
        public var endIndex: Int { (entries.last?.column ?? -1) + 1 }
        /// The cell at a 0-based column; `.empty` where nothing is stored (any column).
        public subscript(column: Int) -> Cell {
            guard let i = position(of: column) else { return .empty }
            return entries[i].cell
        }
        /// Whether any stored cell satisfies `test` (only stored cells: never `.empty`).
        public func anyStored(_ test: (Cell) -> Bool) -> Bool { entries.contains { test($0.cell) } }

        func position(of column: Int) -> Int? {
            var lo = 0, hi = entries.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if entries[mid].column < column { lo = mid + 1 } else { hi = mid }
            }
            return lo < entries.count && entries[lo].column == column ? lo : nil
        }

        /// Sets a cell (merged ranges fill their cells this way).
        mutating func set(_ column: Int, _ cell: Cell) {
            var lo = 0, hi = entries.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if entries[mid].column < column { lo = mid + 1 } else { hi = mid }
            }
            if lo < entries.count && entries[lo].column == column {
                if cell == .empty { entries.remove(at: lo) } else { entries[lo] = Entry(column: column, cell: cell) }
            } else if cell != .empty {
                entries.insert(Entry(column: column, cell: cell), at: lo)
            }
        }
    }

    /// A sheet's rows: only the rows that hold a cell are stored.
    public struct Rows: Sendable, Equatable, RandomAccessCollection, ExpressibleByArrayLiteral {
        public struct Present: Sendable, Equatable {
            /// 0-based row index (the file's row number minus one).
            public let index: Int
            public let row: Row
        }
        /// The stored rows in order, each index once, none empty.
        public private(set) var present: [Present]

        public init(present: [Present]) {
            var rows = present.filter { !$0.row.entries.isEmpty }
            if !zip(rows, rows.dropFirst()).allSatisfy({ $0.index < $1.index }) {
                var by: [Int: Row] = [:]
                for p in rows {
                    var r = by[p.index] ?? Row(entries: [])
                    for e in p.row.entries { r.set(e.column, e.cell) }
                    by[p.index] = r
                }
                rows = by.keys.sorted().map { Present(index: $0, row: by[$0]!) }
            }
            self.present = rows
        }
        /// Dense rows (CSV, tests).
        public init(_ rows: [Row]) {
            present = rows.enumerated().compactMap { $0.element.entries.isEmpty ? nil : Present(index: $0.offset, row: $0.element) }
        }
        public init(arrayLiteral rows: Row...) { self.init(rows) }

        public var startIndex: Int { 0 }
        public var endIndex: Int { (present.last?.index ?? -1) + 1 }
        public subscript(index: Int) -> Row {
            var lo = 0, hi = present.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if present[mid].index < index { lo = mid + 1 } else { hi = mid }
            }
            return lo < present.count && present[lo].index == index ? present[lo].row : Row(entries: [])
        }
        /// How many cells are stored.
        public var cellCount: Int { present.reduce(0) { $0 + $1.row.entries.count } }
    }
}
