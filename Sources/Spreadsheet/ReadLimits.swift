/// What a workbook may cost to read (issue 25; docs/decisions.md, "Issue 25"). A register of
/// 20,000 enterprises is a few MB zipped and some 30 MB unpacked; these caps leave room for
/// ten times that and stop a zip bomb, a sheet of one cell per row at column XFD or a
/// 50,000-deep nesting long before memory runs out. Each cap, when crossed, stops the read
/// with its own message (`WorkbookReader.ReadError`), and the commands exit 1.
public struct ReadLimits: Sendable, Equatable {
    /// The workbook file itself (zipped).
    public var fileBytes = 64 << 20
    /// Every part read, unpacked, together.
    public var unpackedBytes = 320 << 20
    /// One part unpacked: counted while it inflates, so a bomb stops at this many bytes.
    public var partBytes = 128 << 20
    /// Cells stored in the whole workbook (merged ranges filled in count too).
    public var cells = 2_000_000
    /// Characters of one cell's text (Excel's own limit).
    public var cellCharacters = 32_767
    /// Elements open at once in a part (a real part nests 5 or 6 deep).
    public var depth = 64
    /// Sheets in the workbook.
    public var sheets = 255
    /// A sheet's rows and columns, as Excel has them (row 1…1,048,576, column A…XFD): a row
    /// or cell outside is an error by sheet, row and column, never silently dropped.
    public static let maxRow = 1_048_576
    public static let maxColumn = 16_384
    /// A CSV file of a register folder (read whole, then split).
    public var csvFileBytes = 32 << 20

    public init() {}
    public static let standard = ReadLimits()
}
