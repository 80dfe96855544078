import Foundation

/// One problem with an input document: where (a JSON path) and what.
/// Every reader collects all of them and reports them together.
public struct InputProblem: Error, Equatable, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String
    public init(path: String, message: String) { self.path = path; self.message = message }
    public var description: String { "\(path.isEmpty ? "(top level)" : path): \(message)" }
    public var json: JSON { .object(JSONObject([("path", .string(path.isEmpty ? "(top level)" : path)), ("message", .string(message))])) }
}

/// All the problems of one document.
public struct InputProblems: Error, Sendable, CustomStringConvertible {
    public var problems: [InputProblem]
    public init(_ problems: [InputProblem]) { self.problems = problems }
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
