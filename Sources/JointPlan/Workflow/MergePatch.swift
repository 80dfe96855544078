import Foundation

/// JSON Merge Patch (RFC 7386): how a what-if variant or a re-plan's changes are written
/// (spec 4, What-if and Re-plan): the base scenario plus a patch holding only what differs.
///
/// Objects merge recursively, `null` deletes a key, anything else — arrays included —
/// replaces; a patch that is not an object replaces the whole target. Keys keep the
/// target's order, new keys are appended in the patch's order, so a patched scenario still
/// reads like the base in a diff.
public enum MergePatch {
    /// RFC 7386 section 2, `MergePatch(Target, Patch)`.
    public static func apply(_ patch: JSON, to target: JSON) -> JSON {
        guard case .object(let changes) = patch else { return patch }
        // A non-object target is replaced by an empty object before merging (RFC 7386 §2).
        var result = target.objectValue ?? JSONObject()
        for (key, value) in changes.pairs {
            if value == .null {
                result[key] = nil
            } else {
                result[key] = apply(value, to: result[key] ?? .null)
            }
        }
        return .object(result)
    }

    /// Problems of a patch document itself, with JSON paths: a key given twice in one object
    /// is ambiguous (which value did the planner mean?), so it is refused as in a scenario.
    public static func problems(_ patch: JSON) -> [InputProblem] {
        var out: [InputProblem] = []
        func walk(_ v: JSON, _ path: String) {
            switch v {
            case .object(let o):
                for k in o.duplicateKeys { out.append(InputProblem(path: JSONPath.key(path, k), message: "key appears more than once in the patch")) }
                for (k, e) in o.pairs { walk(e, JSONPath.key(path, k)) }
            case .array(let a):
                for (n, e) in a.enumerated() { walk(e, JSONPath.index(path, n)) }
            default: break
            }
        }
        walk(patch, "")
        return out
    }
}
