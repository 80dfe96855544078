import Foundation

/// Input problems in the reader's language (issue 14): the reader words every problem in
/// English (its tests and check_plan.py's cross-check pin those words); this turns the common
/// forms into the catalogue's language for people. A message of no known form stays as it is,
/// and so does the JSON (`validate --json`, the service's `data.errors`).
public enum ProblemText {
    /// (pattern, catalogue key): each capture group is an argument, in order.
    static let forms: [(NSRegularExpression, String)] = [
        (#"^is required but missing$"#, "problem.missing"),
        (#"^must be a string, got (.+)$"#, "problem.string"),
        (#"^must be an object, got (.+)$"#, "problem.object"),
        (#"^must be an array, got (.+)$"#, "problem.array"),
        (#"^must be an integer, got (.+)$"#, "problem.integer"),
        (#"^must be a non-negative integer, got (.+)$"#, "problem.nonNegative"),
        (#"^must be a number, got (.+)$"#, "problem.number"),
        (#"^must be true or false, got (.+)$"#, "problem.bool"),
        (#"^must be a non-empty string$"#, "problem.nonEmpty"),
        (#"^must be a date YYYY-MM-DD, got (.+)$"#, "problem.date"),
        (#"^must be a date or a range YYYY-MM-DD/YYYY-MM-DD, got (.+)$"#, "problem.span"),
        (#"^must be a time HH:MM \(00:00-23:59\), got (.+)$"#, "problem.time"),
        (#"^must be (>=|<=|>|<) (\S+), got (.+)$"#, "problem.compare"),
        (#"^unknown (town|item|enterprise|department|inspector|key) ("[^"]*")( \(did you mean "[^"]*"\?\))?$"#, "problem.unknown"),
        (#"^duplicate id ("[^"]*") \(also (.+)\)$"#, "problem.duplicateID"),
        (#"^key appears more than once in the object$"#, "problem.repeatedKey"),
    ]
    .map { (try! NSRegularExpression(pattern: $0.0), $0.1) }

    public static func localized(_ message: String, _ language: Language) -> String {
        guard language != .en else { return message }
        let t = Catalogue(language)
        let range = NSRange(message.startIndex..., in: message)
        for (regex, key) in forms {
            guard let m = regex.firstMatch(in: message, range: range) else { continue }
            var args: [String] = []
            for g in 1..<m.numberOfRanges {
                args.append(Range(m.range(at: g), in: message).map { String(message[$0]) } ?? "")
            }
            if key == "problem.unknown" {
                let what = t("problem.kind.\(args[0])")
                let hint = args[2].isEmpty ? "" : t("problem.didYouMean", args[2].components(separatedBy: "\"").dropFirst().first ?? "")
                return t("problem.unknown", what, args[1]) + hint
            }
            return t.format(key, args)
        }
        return message
    }

    /// `path: message` in `language`.
    public static func line(_ p: InputProblem, _ language: Language) -> String {
        "\(p.path.isEmpty ? t(language, "problem.topLevel") : p.path): \(localized(p.message, language))"
    }

    private static func t(_ language: Language, _ key: String) -> String { Catalogue(language)(key) }
}
