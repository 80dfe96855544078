import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A worksheet part too large for XMLCoder's one-piece decoding: the rows and cells read by
/// Foundation's `XMLParser` (libxml2, the parser under XMLCoder) from a stream, which feeds
/// libxml2 in chunks. Only what `WorkbookReader` reads: rows, cells (`r`, `t`, `s`), values,
/// inline strings without their phonetic runs.
enum LargeWorksheet {
    static func rows(_ xml: Data, sheet: String) throws -> [RowPart] {
        let delegate = Collector()
        let parser = XMLParser(stream: InputStream(data: xml))
        parser.shouldProcessNamespaces = true
        parser.delegate = delegate
        guard parser.parse() else {
            throw WorkbookReader.ReadError("sheet \(sheet): \(parser.parserError.map { "\($0)" } ?? "not well-formed XML")")
        }
        return delegate.rows
    }

    private final class Collector: NSObject, XMLParserDelegate {
        var rows: [RowPart] = []
        private var cell: CellPart?
        private var text: String?
        private var inline = ""
        private var inInline = false
        private var phonetic = 0

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            switch name {
            case "row": rows.append(RowPart(r: attributes["r"].flatMap { Int($0) }, c: []))
            case "c": cell = CellPart(r: attributes["r"], t: attributes["t"], s: attributes["s"].flatMap { Int($0) }, v: nil, is: nil)
            case "v" where cell != nil: text = ""
            case "is" where cell != nil: inInline = true; inline = ""
            case "rPh": phonetic += 1
            case "t" where inInline && phonetic == 0: text = ""
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if text != nil { text! += string }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            switch name {
            case "v": cell?.v = text; text = nil
            case "t" where inInline && text != nil: inline += text!; text = nil
            case "rPh": phonetic -= 1
            case "is": inInline = false; cell?.is = StringItem(streamed: inline)
            case "c":
                if let c = cell, !rows.isEmpty { rows[rows.count - 1].c!.append(c) }
                cell = nil
            default: break
            }
        }
    }
}
