import Foundation
import Spreadsheet
#if canImport(Glibc)
import Glibc
#endif

/// A folder of CSV files, one per sheet (`执法人员.csv` or `inspectors.csv`), as an office
/// saves them: UTF-8 with or without a BOM, or GB18030 (what Excel on a Chinese-locale
/// Windows writes for "CSV (逗号分隔)"). RFC 4180 quoting; every cell is text.
public enum CSVRegisters {
    public struct ReadError: Error, CustomStringConvertible {
        public let description: String
    }

    public static func read(folder: String) throws -> [RegisterSheet] {
        let url = URL(fileURLWithPath: folder)
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: folder) } catch {
            throw ReadError(description: "cannot read the folder \(folder)")
        }
        var sheets: [RegisterSheet] = []
        for name in names.sorted() where name.lowercased().hasSuffix(".csv") {
            let path = url.appendingPathComponent(name).path
            guard let data = FileManager.default.contents(atPath: path) else { throw ReadError(description: "cannot read \(path)") }
            guard let text = decode(data) else { throw ReadError(description: "\(path): neither UTF-8 nor GB18030 text") }
            let sheet = String(name.dropLast(4))
            sheets.append(RegisterSheet(name: sheet, rows: parse(text).map { $0.map { $0.isEmpty ? .empty : .text($0) } }))
        }
        if sheets.isEmpty { throw ReadError(description: "\(folder) holds no .csv file") }
        return sheets
    }

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
    static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false, wasQuoted = false
        var it = Array(text.unicodeScalars)[...]
        func endField() { row.append(wasQuoted ? field : field); field = ""; wasQuoted = false }
        while let c = it.popFirst() {
            if quoted {
                if c == "\"" {
                    if it.first == "\"" { field.unicodeScalars.append("\""); it.removeFirst() } else { quoted = false }
                } else { field.unicodeScalars.append(c) }
                continue
            }
            switch c {
            case "\"" where field.isEmpty: quoted = true; wasQuoted = true
            case ",": endField()
            case "\r": if it.first == "\n" { it.removeFirst() }; endField(); rows.append(row); row = []
            case "\n": endField(); rows.append(row); row = []
            default: field.unicodeScalars.append(c)
            }
        }
        if !field.isEmpty || !row.isEmpty || wasQuoted { endField(); rows.append(row) }
        return rows
    }
}
