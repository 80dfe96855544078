import Foundation
import JointPlan

/// A JSON-RPC 2.0 error object (spec 4, Service; conventions: the standard codes plus LSP's
/// -32800 for a cancelled request).
public struct RPCError: Error, Sendable, CustomStringConvertible {
    public var code: Int
    public var message: String
    public var data: JSON?

    public init(code: Int, message: String, data: JSON? = nil) {
        self.code = code; self.message = message; self.data = data
    }

    public static let parseErrorCode = -32700
    public static let invalidRequestCode = -32600
    public static let methodNotFoundCode = -32601
    public static let invalidParamsCode = -32602
    public static let internalErrorCode = -32603
    public static let requestCancelledCode = -32800

    public static func parseError(_ detail: String) -> RPCError {
        RPCError(code: parseErrorCode, message: "Parse error: \(detail)")
    }
    public static func invalidRequest(_ detail: String) -> RPCError {
        RPCError(code: invalidRequestCode, message: "Invalid Request: \(detail)")
    }
    public static func methodNotFound(_ method: String) -> RPCError {
        RPCError(code: methodNotFoundCode, message: "Method not found: \(JSONWriter.quote(method))")
    }
    /// Invalid params, with `data.errors` shaped as `validate` returns them:
    /// `[{"path", "message"}]`.
    public static func invalidParams(_ problems: [InputProblem]) -> RPCError {
        let first = problems.first.map { ": \($0)" } ?? ""
        let more = problems.count > 1 ? " (and \(problems.count - 1) more)" : ""
        return RPCError(code: invalidParamsCode, message: "Invalid params\(first)\(more)",
                        data: .object(JSONObject([("errors", .array(problems.map(\.json)))])))
    }
    public static func invalidParams(path: String, _ message: String) -> RPCError {
        invalidParams([InputProblem(path: path, message: message)])
    }
    public static func internalError(_ detail: String, data: JSON? = nil) -> RPCError {
        RPCError(code: internalErrorCode, message: "Internal error: \(detail)", data: data)
    }
    public static let cancelled = RPCError(code: requestCancelledCode, message: "Request cancelled")

    public var json: JSON {
        var o = JSONObject([("code", .int(code)), ("message", .string(message))])
        if let data { o["data"] = data }
        return .object(o)
    }

    public var description: String { "\(code) \(message)" }
}

/// Builders of the three message shapes the service writes.
enum RPCMessage {
    static func result(id: JSON, _ result: JSON) -> JSON {
        .object(JSONObject([("jsonrpc", .string("2.0")), ("id", id), ("result", result)]))
    }
    static func error(id: JSON, _ error: RPCError) -> JSON {
        .object(JSONObject([("jsonrpc", .string("2.0")), ("id", id), ("error", error.json)]))
    }
    static func notification(_ method: String, _ params: JSON) -> JSON {
        .object(JSONObject([("jsonrpc", .string("2.0")), ("method", .string(method)), ("params", params)]))
    }
}
