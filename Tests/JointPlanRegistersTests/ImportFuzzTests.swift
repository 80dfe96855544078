import Foundation
import Testing
import ZIPFoundation
import JointPlan
import Spreadsheet
@testable import JointPlanRegisters

/// Issue 25: 2,000 mutated workbooks and CSV folders — bytes, XML, numbers, references —
/// through the import and the actuals reader, in process, with a fixed seed. A crash kills
/// the test run; every case must end in a result or a thrown error, nothing else.
@Suite struct ImportFuzzTests {
    /// SplitMix64: the same seed gives the same cases, so a failure can be replayed.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
        mutating func pick<T>(_ a: [T]) -> T { a[below(a.count)] }
    }

    /// What an attacker or an odd writer puts in a cell's place.
    static let numbers = ["1e19", "-1e300", "1e300", "NaN", "inf", "-9223372036854775808", "9223372036854775807", "0", "-1",
                          "1048577", "99999999999999999999", "", " ", "0x10", "1,5", "２"]
    static let references = [String(repeating: "Z", count: 30), "XFE1", "A0", "A-1", "$A$1", "", "1A", "AAAA1", "XFD1048576", "A99999999"]
    static let types = ["s", "b", "n", "str", "inlineStr", "e", "d", "q", ""]
    static let fragments = ["<v>true</v>", "<f>1+1</f>", "<c r=\"B2\"/>", "<row r=\"0\"/>", "<mergeCell ref=\"A1:XFD1048576\"/>",
                            "<!DOCTYPE x [<!ENTITY a \"aaaa\">]>", "&a;", "<![CDATA[x]]>", "<is><t>x</t></is>", "\u{0}", "</", "<",
                            String(repeating: "<x>", count: 200)]

    static func unzip(_ data: Data) throws -> [(String, Data)] {
        let archive = try Archive(data: data, accessMode: .read)
        var parts: [(String, Data)] = []
        for entry in archive where entry.type == .file {
            var d = Data()
            _ = try archive.extract(entry, skipCRC32: true) { d.append($0) }
            parts.append((entry.path, d))
        }
        return parts
    }

    static func zip(_ parts: [(String, Data)]) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, data) in parts {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .none) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return archive.data ?? Data()
    }

    /// One XML-level mutation of a part: a value, a reference, a type, a row number, a style
    /// or a sheet state replaced; a fragment inserted; the part cut short. Works on bytes
    /// (cheaper than a regular expression over every part, in a test that runs thousands).
    static func mutateXML(_ part: Data, _ r: inout Random) -> Data {
        var d = [UInt8](part)
        func occurrences(_ marker: String) -> [Int] {
            let m = [UInt8](marker.utf8)
            guard d.count >= m.count else { return [] }
            var out: [Int] = []
            var i = 0
            while i <= d.count - m.count {
                if d[i] == m[0] && Array(d[i..<(i + m.count)]) == m { out.append(i + m.count) }
                i += 1
            }
            return out
        }
        /// Replaces what follows one `marker` up to `end` (exclusive) with `value`.
        func replace(after marker: String, upTo end: UInt8, with value: String) {
            let found = occurrences(marker)
            guard !found.isEmpty else { return }
            let at = found[r.below(found.count)]
            let stop = d[at...].firstIndex(of: end) ?? d.count
            d.replaceSubrange(at..<stop, with: Array(value.utf8))
        }
        switch r.below(9) {
        case 0: replace(after: "<v>", upTo: UInt8(ascii: "<"), with: r.pick(numbers))
        case 1: replace(after: " r=\"", upTo: UInt8(ascii: "\""), with: r.pick(references))
        case 2: replace(after: " t=\"", upTo: UInt8(ascii: "\""), with: r.pick(types))
        case 3: replace(after: "<row r=\"", upTo: UInt8(ascii: "\""), with: r.pick(numbers))
        case 4:
            let found = occurrences("<c ")
            if !found.isEmpty { d.insert(contentsOf: Array(r.pick(fragments).utf8), at: found[r.below(found.count)] - 3) }
        case 5: replace(after: " s=\"", upTo: UInt8(ascii: "\""), with: r.pick(numbers))
        case 6: d = Array(d.prefix(r.below(d.count + 1)))
        case 7:
            let state = r.pick(["veryHidden", "hidden", "odd", ""])
            let found = occurrences("<sheet ")
            if !found.isEmpty { d.insert(contentsOf: Array("state=\"\(state)\" ".utf8), at: found[r.below(found.count)]) }
        default: replace(after: "<v>", upTo: UInt8(ascii: "<"), with: r.pick(["999999", "-5", "4294967296"]))
        }
        return Data(d)
    }

    static func mutateBytes(_ data: Data, _ r: inout Random) -> Data {
        var d = [UInt8](data)
        guard !d.isEmpty else { return data }
        for _ in 0..<(1 + r.below(8)) {
            switch r.below(3) {
            case 0: d[r.below(d.count)] = UInt8(r.below(256))
            case 1: d.removeSubrange(r.below(d.count)..<d.count)
            default: d.insert(UInt8(r.below(256)), at: r.below(d.count))
            }
            if d.isEmpty { break }
        }
        return Data(d)
    }

    static func csv(_ sheet: RegisterSheet) -> String {
        sheet.rows.map { row in
            row.map { cell -> String in
                let text = RegisterImport.plain(cell)
                return text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
            }.joined(separator: ",")
        }.joined(separator: "\r\n")
    }

    static func mutateCSV(_ text: String, _ r: inout Random) -> Data {
        var d = [UInt8](text.utf8)
        let inserts: [[UInt8]] = [[0x22], [0x2C], [0x0D], [0x0A], [0xEF, 0xBB, 0xBF], [0xFF, 0xFE], [0x80], [0x00],
                                  Array(String(repeating: ",", count: 300).utf8), Array(r.pick(numbers).utf8)]
        for _ in 0..<(1 + r.below(6)) {
            let at = r.below(d.count + 1)
            switch r.below(3) {
            case 0: d.insert(contentsOf: r.pick(inserts), at: at)
            case 1: if at < d.count { d.remove(at: at) }
            default: d = Array(d.prefix(at))
            }
        }
        return Data(d)
    }

    @Test func mutatedWorkbooksAndCSVFoldersNeverCrashTheImportOrTheActuals() throws {
        let dir = try Support.temporaryDirectory().path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let doc = RegisterTemplate.example(quarter: Quarter(year: 2026, number: 1)!)
        let scenario = try ScenarioReader.read(json: doc)
        let plan = Solver.solve(scenario, scenarioData: Data(JSONWriter.canonical(doc).utf8))
        let templatePath = dir + "/template.xlsx", actualsPath = dir + "/actuals.xlsx"
        try RegisterTemplate.write(document: doc, to: templatePath)
        try ActualsSheet.write(scenario: scenario, plan: plan, to: actualsPath)
        let template = try Data(contentsOf: URL(fileURLWithPath: templatePath))
        let actuals = try Data(contentsOf: URL(fileURLWithPath: actualsPath))
        let templateParts = try Self.unzip(template), actualsParts = try Self.unzip(actuals)
        let csvSheets = try WorkbookReader(path: templatePath).sheetNames.compactMap { name -> (String, String)? in
            guard let s = try WorkbookReader(path: templatePath).sheet(name) else { return nil }
            return (name, Self.csv(RegisterSheet(name: s.name, rows: s.rows)))
        }

        var r = Random(state: 25)
        var outcomes: [String: Int] = [:]
        var seconds = [Double](repeating: 0, count: 5)
        let started = Date()
        // The CSV folder is written once; each CSV case rewrites one file and puts it back.
        let folder = dir + "/csv"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (name, text) in csvSheets { try Data(text.utf8).write(to: URL(fileURLWithPath: folder + "/" + name + ".csv")) }
        // 2,000 cases: 500 XML and 300 byte mutations of the register template, 500 and 300 of
        // an actuals sheet, 400 CSV folders (reading and importing a whole template is the
        // costly part: about 30 ms a case in a debug build, three times that on a loaded machine).
        let plan20 = [0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 4, 4, 4, 4]
        let cases = 2_000
        for n in 0..<cases {
            let kind = plan20[n % 20]
            let path = dir + "/case.xlsx"
            let caseStarted = Date()
            defer { seconds[kind] += Date().timeIntervalSince(caseStarted) }
            do {
                switch kind {
                case 0: // the template, an XML mutation (or two) of one part
                    var parts = templateParts
                    for _ in 0..<(1 + r.below(2)) {
                        let i = r.below(parts.count)
                        parts[i].1 = Self.mutateXML(parts[i].1, &r)
                    }
                    try Self.zip(parts).write(to: URL(fileURLWithPath: path))
                    _ = try RegisterImport.read(xlsx: path)
                case 1: // the template's bytes
                    try Self.mutateBytes(template, &r).write(to: URL(fileURLWithPath: path))
                    _ = try RegisterImport.read(xlsx: path)
                case 2: // the actuals sheet, XML
                    var parts = actualsParts
                    let i = r.below(parts.count)
                    parts[i].1 = Self.mutateXML(parts[i].1, &r)
                    try Self.zip(parts).write(to: URL(fileURLWithPath: path))
                    _ = try ActualsSheet.read(path: path, plan: plan)
                case 3: // the actuals sheet, bytes
                    try Self.mutateBytes(actuals, &r).write(to: URL(fileURLWithPath: path))
                    _ = try ActualsSheet.read(path: path, plan: plan)
                default: // a CSV folder, one file mutated
                    let (name, text) = csvSheets[r.below(csvSheets.count)]
                    let file = URL(fileURLWithPath: folder + "/" + name + ".csv")
                    try Self.mutateCSV(text, &r).write(to: file)
                    defer { try? Data(text.utf8).write(to: file) }
                    _ = try RegisterImport.read(csvFolder: folder)
                }
                outcomes["read", default: 0] += 1
            } catch {
                outcomes["refused", default: 0] += 1
            }
        }
        let total = Date().timeIntervalSince(started)
        print("import fuzz: \(cases) cases (\(outcomes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))) in \(String(format: "%.1f", total)) s; by kind \(seconds.map { String(format: "%.1f", $0) })")
        #expect(outcomes.values.reduce(0, +) == cases)
        // Both ends are reached: the mutations are not all fatal, nor all harmless.
        #expect((outcomes["read"] ?? 0) > 0 && (outcomes["refused"] ?? 0) > 0)
    }
}
