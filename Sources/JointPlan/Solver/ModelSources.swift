import Foundation

/// The MathProg models of `Models/`, found next to the sources this binary was built from
/// (so `--write-models` can copy them beside the data it writes).
enum ModelSources {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Models")

    static var text: [String: String] {
        var out: [String: String] = [:]
        for name in ["bound.mod", "day.mod", "daygroup.mod", "window.mod"] {
            if let d = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path) {
                out[name] = String(decoding: d, as: UTF8.self)
            }
        }
        return out
    }
}
