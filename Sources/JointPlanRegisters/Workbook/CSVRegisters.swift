import Foundation
import JointPlan
import Spreadsheet
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A folder of CSV files, one per sheet (`执法人员.csv` or `inspectors.csv`), as an office
/// saves them: UTF-8 with or without a BOM, or GB18030 (what Excel on a Chinese-locale
/// Windows writes for "CSV (逗号分隔)"). RFC 4180 quoting; every cell is text.
public enum CSVRegisters {
    public struct ReadError: Error, CustomStringConvertible {
        public let description: String
    }

    /// The folder's `.csv` files as sheets. Every entry is read as a folder entry, not
    /// followed: a symbolic link, device, FIFO or socket named `*.csv` is refused by name and
    /// nothing of it is read or echoed (issue 25: a link to /etc/passwd printed its first
    /// line); a file over `limits.csvFileBytes` is refused before it is read.
    public static func read(folder: String, language: Language = .en, limits: ReadLimits = .standard) throws -> [RegisterSheet] {
        let t = Catalogue(language)
        let url = URL(fileURLWithPath: folder)
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: folder) } catch {
            throw ReadError(description: t("limits.csv.unreadable", folder, String(cString: strerror(ENOENT))))
        }
        var sheets: [RegisterSheet] = []
        for name in names.sorted() where name.lowercased().hasSuffix(".csv") {
            let path = url.appendingPathComponent(name).path
            let data = try contents(path, name: name, limits: limits, t)
            guard let text = decode(data) else { throw ReadError(description: t("limits.csv.encoding", name)) }
            let sheet = String(name.dropLast(4))
            let rows = try parse(text, name: name, limits: limits, t)
            sheets.append(RegisterSheet(name: sheet, rows: WorkbookReader.Rows(rows.map { WorkbookReader.Row($0.map { $0.isEmpty ? .empty : .text($0) }) })))
        }
        if sheets.isEmpty { throw ReadError(description: t("limits.csv.noFiles", folder)) }
        return sheets
    }

    /// A regular file's bytes, opened without following a link (O_NOFOLLOW) and checked
    /// with fstat on the descriptor read, so a swap between check and read changes nothing.
    static func contents(_ path: String, name: String, limits: ReadLimits, _ t: Catalogue) throws -> Data {
        var st = stat()
        guard lstat(path, &st) == 0 else { throw ReadError(description: t("limits.csv.unreadable", name, String(cString: strerror(errno)))) }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw ReadError(description: t("limits.csv.notRegular", name)) }
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else {
            let e = errno
            if e == ELOOP { throw ReadError(description: t("limits.csv.notRegular", name)) }
            throw ReadError(description: t("limits.csv.unreadable", name, String(cString: strerror(e))))
        }
        defer { close(fd) }
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { throw ReadError(description: t("limits.csv.notRegular", name)) }
        func size(_ n: Int) -> String { n >= 1 << 20 ? "\(n >> 20) MiB" : "\(n) B" }
        guard Int(st.st_size) <= limits.csvFileBytes else {
            throw ReadError(description: t("limits.csv.tooLarge", name, size(Int(st.st_size)), size(limits.csvFileBytes)))
        }
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { readBytes(fd, $0.baseAddress, $0.count) }
            if n > 0 {
                data.append(contentsOf: chunk[0..<n])
                if data.count > limits.csvFileBytes {
                    throw ReadError(description: t("limits.csv.tooLarge", name, size(data.count), size(limits.csvFileBytes)))
                }
            } else if n == 0 {
                return data
            } else if errno != EINTR {
                throw ReadError(description: t("limits.csv.unreadable", name, String(cString: strerror(errno))))
            }
        }
    }

    #if canImport(Glibc)
    private static let readBytes = Glibc.read
    #else
    private static let readBytes = Darwin.read
    #endif

    /// UTF-8 (a BOM is dropped), else GB18030.
    public static func decode(_ data: Data) -> String? {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if let s = String(validating: bytes, as: UTF8.self) { return s }
        return gb18030(bytes)
    }

    /// GB18030 through the C library's iconv (glibc carries the codec; Foundation on Linux
    /// does not decode it).
    static func gb18030(_ bytes: [UInt8]) -> String? {
        #if canImport(Glibc)
        let cd = iconv_open("UTF-8", "GB18030")
        if cd == iconv_t(bitPattern: -1) { return nil }
        defer { iconv_close(cd) }
        var input = bytes.map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: bytes.count * 2 + 16)
        var inLeft = input.count, outLeft = output.count
        let ok: Bool = input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                var inPtr: UnsafeMutablePointer<CChar>? = inBuf.baseAddress
                var outPtr: UnsafeMutablePointer<CChar>? = outBuf.baseAddress
                return iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) != -1 && inLeft == 0
            }
        }
        guard ok else { return nil }
        let produced = output.count - outLeft
        return String(validating: output[0..<produced].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        #else
        let enc = CFStringConvertEncodingToNSStringEncoding(CFStringEncoding(CFStringEncodings.GB_18030_2000.rawValue))
        return String(data: Data(bytes), encoding: String.Encoding(rawValue: enc))
        #endif
    }

    /// RFC 4180 records: `,` separates, `"` quotes (doubled inside), CRLF or LF ends a record.
    /// Rows, columns and cell length are capped as a workbook's are (`ReadLimits`): a line
    /// of a million commas is refused by name, not padded into a million cells.
    static func parse(_ text: String, name: String = "", limits: ReadLimits = .standard, _ t: Catalogue = Catalogue(.en)) throws -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var fieldLength = 0
        var quoted = false, wasQuoted = false
        var it = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar?
        func next() -> Unicode.Scalar? {
            if let p = pending { pending = nil; return p }
            return it.next()
        }
        func endField() throws {
            if row.count >= ReadLimits.maxColumn { throw ReadError(description: t("limits.csv.tooManyColumns", name, rows.count + 1, ReadLimits.maxColumn)) }
            row.append(field); field = ""; fieldLength = 0; wasQuoted = false
        }
        func endRow() throws {
            try endField()
            if rows.count >= ReadLimits.maxRow { throw ReadError(description: t("limits.csv.tooManyRows", name, ReadLimits.maxRow)) }
            // Trailing empty fields carry nothing: the row is kept as short as its text.
            while let last = row.last, last.isEmpty { row.removeLast() }
            rows.append(row); row = []
        }
        func add(_ c: Unicode.Scalar) throws {
            fieldLength += 1
            if fieldLength > limits.cellCharacters { throw ReadError(description: t("limits.csv.cellTooLong", name, rows.count + 1, limits.cellCharacters)) }
            field.unicodeScalars.append(c)
        }
        while let c = next() {
            if quoted {
                if c == "\"" {
                    let after = next()
                    if after == "\"" { try add("\"") } else { quoted = false; pending = after }
                } else { try add(c) }
                continue
            }
            switch c {
            case "\"" where field.isEmpty: quoted = true; wasQuoted = true
            case ",": try endField()
            case "\r":
                let after = next()
                if after != "\n" { pending = after }
                try endRow()
            case "\n": try endRow()
            default: try add(c)
            }
        }
        if !field.isEmpty || !row.isEmpty || wasQuoted { try endRow() }
        return rows
    }
}
