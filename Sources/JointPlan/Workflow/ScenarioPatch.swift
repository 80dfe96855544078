import Foundation

/// A change to a scenario, as `whatif` and `replan` take it (spec 4, What-if): one of two kinds,
/// declared by the patch itself in a top-level `"$patch"` key (removed before the patch applies):
///
/// - absent, or `"$patch": "rfc7386"`: a JSON Merge Patch (RFC 7386), `MergePatch` — arrays
///   replace, so a change to one inspector repeats the whole `inspectors` array;
/// - `"$patch": "merge-by-id"`: arrays of objects merge element by element, as Kubernetes'
///   strategic merge patch merges lists by key. An element of the patch merges (RFC 7386) into
///   the base element with the same `id` — `pinned`, whose entries have no id, is keyed by
///   `enterprise` and `date` — and is appended when no base element has it;
///   `{"id": "P004", "$patch": "delete"}` removes that element; an element `{"$patch": "replace"}`
///   anywhere in a patch array makes the rest of that array replace the base's. Arrays of
///   anything else (dates, categories, breaks) replace, as in RFC 7386, unless the patch gives
///   `{"$add": [...]}` or `{"$remove": [...]}` instead of the array: then those values are
///   added (once) or removed, the rest kept — one week of leave without restating the others.
///
/// Either kind: a patch that deletes a record that a pin or a recusal still names fails, with
/// a message naming the record and the pin or inspector (`apply` reports it; the scenario is
/// not changed in the caller's name).
public enum ScenarioPatch {
    public enum Kind: String, Sendable { case rfc7386, mergeByID = "merge-by-id" }

    /// The key a patch declares its kind in.
    public static let kindKey = "$patch"

    public struct Result: Sendable {
        public var document: JSON
        public var kind: Kind
        /// Problems of the patch, paths prefixed `patch:` so they are not read as scenario paths.
        public var problems: [InputProblem]
    }

    public static func kind(of patch: JSON) -> (Kind, InputProblem?) {
        guard let v = patch.objectValue?[kindKey] else { return (.rfc7386, nil) }
        if let s = v.stringValue, let k = Kind(rawValue: s) { return (k, nil) }
        return (.rfc7386, InputProblem(path: "patch:" + kindKey, message: "must be \"rfc7386\" or \"merge-by-id\", got \(v.short)"))
    }

    public static func apply(_ patch: JSON, to base: JSON) -> Result {
        var problems = MergePatch.problems(patch).map { InputProblem(path: "patch:" + $0.path, message: $0.message) }
        let (kind, kindProblem) = kind(of: patch)
        if let kindProblem { problems.append(kindProblem) }
        var body = patch
        if case .object(var o) = patch { o[kindKey] = nil; body = .object(o) }
        let document: JSON
        switch kind {
        case .rfc7386: document = MergePatch.apply(body, to: base)
        case .mergeByID:
            var p: [InputProblem] = []
            document = mergeByID(body, base, path: "", problems: &p)
            problems += p.map { InputProblem(path: "patch:" + $0.path, message: $0.message) }
        }
        problems += danglingReferences(base: base, patched: document)
        return Result(document: document, kind: kind, problems: problems)
    }

    // MARK: merge by id

    static func mergeByID(_ patch: JSON, _ target: JSON, path: String, problems: inout [InputProblem]) -> JSON {
        switch patch {
        case .object(let changes) where changes.count == 1 && (changes["$add"]?.arrayValue != nil || changes["$remove"]?.arrayValue != nil):
            // A list of values (leave dates, recusals, categories) gains or loses some.
            guard target == .null || target.arrayValue != nil else {
                problems.append(InputProblem(path: path, message: "$add and $remove apply to a list, here is \(target.typeName)"))
                return target
            }
            var list = target.arrayValue ?? []
            if let add = changes["$add"]?.arrayValue { for v in add where !list.contains(v) { list.append(v) } }
            if let remove = changes["$remove"]?.arrayValue { list.removeAll { remove.contains($0) } }
            return .array(list)
        case .object(let changes):
            var result = target.objectValue ?? JSONObject()
            for (key, value) in changes.pairs {
                if value == .null { result[key] = nil; continue }
                result[key] = mergeByID(value, result[key] ?? .null, path: JSONPath.key(path, key), problems: &problems)
            }
            return .object(result)
        case .array(let elements):
            guard let keyOf = listKey(for: path, elements), let base = target.arrayValue else {
                return .array(elements.map { stripDirectives($0) })
            }
            if elements.contains(where: { $0.objectValue?[kindKey]?.stringValue == "replace" && $0.objectValue?.count == 1 }) {
                return .array(elements.filter { !($0.objectValue?[kindKey]?.stringValue == "replace" && $0.objectValue?.count == 1) }.map { stripDirectives($0) })
            }
            var result = base
            var seen: Set<String> = []
            // Each base element's position by key, found once (issue 25: a search of the whole
            // list per patched element made a 20,000-enterprise patch take 35 s); deletions
            // are marked and the list compacted once at the end.
            var position: [String: Int] = [:]
            for (i, element) in base.enumerated() {
                if let k = element.objectValue.flatMap(keyOf), position[k] == nil { position[k] = i }
            }
            var deleted: Set<Int> = []
            for (n, e) in elements.enumerated() {
                let ep = JSONPath.index(path, n)
                guard let o = e.objectValue, let key = keyOf(o) else {
                    problems.append(InputProblem(path: ep, message: "needs \(path == "pinned" ? "\"enterprise\" and \"date\"" : "\"id\"") to merge by id"))
                    continue
                }
                guard seen.insert(key).inserted else {
                    problems.append(InputProblem(path: ep, message: "names \(key) a second time in this list"))
                    continue
                }
                let at = position[key].flatMap { deleted.contains($0) ? nil : $0 }
                let directive = o[kindKey]
                if let directive, directive.stringValue != "delete" {
                    problems.append(InputProblem(path: JSONPath.key(ep, kindKey), message: "must be \"delete\" (or an element {\"$patch\": \"replace\"} alone), got \(directive.short)"))
                    continue
                }
                if directive != nil {
                    if let at { deleted.insert(at) } else {
                        problems.append(InputProblem(path: ep, message: "deletes \(key), which the scenario does not have"))
                    }
                    continue
                }
                if let at {
                    result[at] = mergeByID(e, result[at], path: ep, problems: &problems)
                } else {
                    result.append(stripDirectives(e))
                }
            }
            if !deleted.isEmpty { result = result.enumerated().filter { !deleted.contains($0.offset) }.map(\.element) }
            return .array(result)
        default:
            return patch
        }
    }

    /// How a list's elements are keyed: `id` when every element of the patch is an object with a
    /// string id; `pinned` by enterprise and date.
    static func listKey(for path: String, _ elements: [JSON]) -> ((JSONObject) -> String?)? {
        guard !elements.isEmpty, elements.allSatisfy({ $0.objectValue != nil }) else { return nil }
        if path == "pinned" {
            return { o in
                guard let e = o["enterprise"]?.stringValue, let d = o["date"]?.stringValue else { return nil }
                return "\(e) on \(d)"
            }
        }
        let replaceOnly = { (e: JSON) in e.objectValue?[kindKey]?.stringValue == "replace" && e.objectValue?.count == 1 }
        guard elements.allSatisfy({ replaceOnly($0) || $0.objectValue?["id"]?.stringValue != nil }) else { return nil }
        return { $0["id"]?.stringValue }
    }

    static func stripDirectives(_ v: JSON) -> JSON {
        switch v {
        case .object(var o):
            o[kindKey] = nil
            return .object(JSONObject(o.pairs.map { ($0.0, stripDirectives($0.1)) }))
        case .array(let a): return .array(a.map(stripDirectives))
        default: return v
        }
    }

    // MARK: deletions that pins and recusals still name

    /// Records the patch deletes (ids in the base that the patched scenario no longer has)
    /// that a pin or a recusal of the patched scenario still names.
    static func danglingReferences(base: JSON, patched: JSON) -> [InputProblem] {
        func ids(_ doc: JSON, _ list: String) -> Set<String> {
            Set((doc[list]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue })
        }
        let gone: [String: Set<String>] = Dictionary(uniqueKeysWithValues: ["enterprises", "inspectors", "items"].map {
            ($0, ids(base, $0).subtracting(ids(patched, $0)))
        })
        guard gone.values.contains(where: { !$0.isEmpty }) else { return [] }
        var out: [InputProblem] = []
        func report(_ list: String, _ id: String, _ by: String) {
            let what = ["enterprises": "enterprise", "inspectors": "inspector", "items": "item"][list]!
            out.append(InputProblem(path: "patch:" + list,
                                    message: "deletes \(what) \(JSONWriter.quote(id)), which \(by) still names; change or remove that in the same patch"))
        }
        for (i, pin) in (patched["pinned"]?.arrayValue ?? []).enumerated() {
            let p = JSONPath.index("pinned", i)
            if let e = pin["enterprise"]?.stringValue, gone["enterprises"]!.contains(e) { report("enterprises", e, "the pin " + JSONPath.key(p, "enterprise")) }
            for (k, x) in (pin["inspectors"]?.arrayValue ?? []).enumerated() {
                if let x = x.stringValue, gone["inspectors"]!.contains(x) { report("inspectors", x, "the pin " + JSONPath.index(JSONPath.key(p, "inspectors"), k)) }
            }
            for (k, x) in (pin["items"]?.arrayValue ?? []).enumerated() {
                if let x = x.stringValue, gone["items"]!.contains(x) { report("items", x, "the pin " + JSONPath.index(JSONPath.key(p, "items"), k)) }
            }
        }
        for (i, inspector) in (patched["inspectors"]?.arrayValue ?? []).enumerated() {
            for (k, x) in (inspector["recusals"]?.arrayValue ?? []).enumerated() {
                if let x = x.stringValue, gone["enterprises"]!.contains(x) {
                    report("enterprises", x, "the recusal " + JSONPath.index(JSONPath.key(JSONPath.index("inspectors", i), "recusals"), k))
                }
            }
        }
        return out
    }
}
