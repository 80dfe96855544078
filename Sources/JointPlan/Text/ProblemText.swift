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
        // Pins (issue 24: import and solve say why a pin cannot hold in the operator's language).
        (#"^(\S+) is not a working day \(a holiday\)$"#, "pin.holiday"),
        (#"^(\S+) is not a working day \(ISO weekday (\d) is not in horizon.workdays\)$"#, "pin.weekday"),
        (#"^(\S+) is not a working day \(outside the horizon (\S+)\)$"#, "pin.outside"),
        (#"^(\S+) has a blackout on (\S+): no on-site visit that day$"#, "pin.blackout"),
        (#"^(\S+) is in the break (\S+)-(\S+)$"#, "pin.inBreak"),
        (#"^(\S+) is before dayStart (\S+)$"#, "pin.beforeDayStart"),
        (#"^a visit starting at (\S+) lasts at least (\d+) minutes \((.+)\) and would end at (\S+), after dayEnd (\S+)$"#, "pin.pastDayEnd"),
        (#"^a visit starting at (\S+) lasts at least (\d+) minutes \((.+)\) and would run into the break (\S+)-(\S+)$"#, "pin.intoBreak"),
        (#"^(\S+) is unavailable on (\S+)$"#, "pin.unavailable"),
        (#"^(\S+) is not certified, so may not inspect$"#, "pin.uncertified"),
        (#"^(\S+) is recused from (\S+)$"#, "pin.recused"),
        (#"^item (\S+) does not apply to (\S+) \(it has none of the item's categories\)$"#, "pin.notApplicable"),
        (#"^item (\S+) is not required of (\S+) this horizon \(not drawn, or no frequency for tier (\S+)\), so a visit may not carry it$"#, "pin.notDrawn"),
        (#"^(.+): these pinned visits cannot all hold — no choice of teams gives each .* and (\d+) inspectors, .*; left out: (.+)$"#, "pin.cannotAllHold"),
        (#"^.*\): (\d+) pinned visits exceed the enterprise's on-site cap of (\d+); left out: (.+)$"#, "pin.overCap"),
        (#"^\(\S+, \S+\): too soon after the last check \(minSpacingDays\)$"#, "pin.spacing"),
        (#"^\(\S+, \S+\): pinned at different starts on one day$"#, "pin.differentStarts"),
        // One-line changes (issue 24: `change` errors in the operator's language).
        (#"^department (\S+) has no inspectors to scale$"#, "change.noInspectors"),
        // What validate warns of (ScenarioReview).
        (#"^item (\S+) names no category, so it applies to no enterprise and is never checked$"#, "review.itemNoCategory"),
        (#"^no enterprise has any of the categories of item (\S+) \((.+)\), so it is never checked$"#, "review.itemNoEnterprise"),
        (#"^category ("[^"]*") is named by no item, so it brings no check( \((\d+) enterprises have it; this is the first\))?(; did you mean ("[^"]*")\?)?$"#, "review.category"),
        (#"^no (town|item|enterprise|department|inspector) ("[^"]*") in the scenario$"#, "change.noSuch"),
        (#"^deletes (.+), which the scenario does not have$"#, "change.deletesMissing"),
        (#"^names (.+) a second time in this list$"#, "change.secondTime"),
        (#"^must be between (\S+) and (\S+), got (.+)$"#, "change.between"),
        (#"^deletes (\S+) ("[^"]*"), which (.+) still names; change or remove that in the same patch$"#, "change.stillNamed"),
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
            if key == "review.category" {
                var text = t("review.category", args[0])
                if !args[2].isEmpty { text += t("review.categoryCount", args[2]) }
                if !args[4].isEmpty { text += t("review.didYouMean", args[4]) }
                return text
            }
            if key == "change.noSuch" { return t("change.noSuch", t("problem.kind.\(args[0])"), args[1]) }
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
