import Foundation
import GLPK
import Testing

/// MathProg (GMPL) through GLPK's translator: a model file and a data file give the same
/// optimum as the same program built in Swift, and broken files are errors, not crashes.
@Suite("MathProg")
struct MathProgTests {
    static let knapsackModel = """
        /* 0-1 knapsack with several capacity rows */
        set I;
        set D;
        param v{I} >= 0;
        param w{D, I} >= 0;
        param cap{D} >= 0;
        var x{I} binary;
        maximize value: sum{i in I} v[i] * x[i];
        s.t. capacity{d in D}: sum{i in I} w[d, i] * x[i] <= cap[d];
        end;
        """

    static func knapsackData(_ k: Instances.Knapsack) -> String {
        var out = "data;\nset I := " + k.values.indices.map { "i\($0)" }.joined(separator: " ") + ";\n"
        out += "set D := " + k.weights.indices.map { "d\($0)" }.joined(separator: " ") + ";\n"
        out += "param v := " + k.values.enumerated().map { "i\($0.offset) \($0.element)" }.joined(separator: " ") + ";\n"
        out += "param cap := " + k.capacities.enumerated().map { "d\($0.offset) \($0.element)" }.joined(separator: " ") + ";\n"
        out += "param w :=\n"
        for (d, row) in k.weights.enumerated() {
            for (i, x) in row.enumerated() { out += "  d\(d) i\(i) \(x)\n" }
        }
        return out + ";\nend;\n"
    }

    /// A fresh directory with the given files.
    static func files(_ named: [String: String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jointplan-mathprog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, text) in named { try Data(text.utf8).write(to: dir.appendingPathComponent(name)) }
        return dir
    }

    @Test("a knapsack model file solves to the optimum of the Swift-built program and of enumeration")
    func sameOptimumBothWays() throws {
        let k = Instances.Knapsack(items: 12, dimensions: 3, seed: 7)
        let dir = try Self.files(["k.mod": Self.knapsackModel, "k.dat": Self.knapsackData(k)])
        defer { try? FileManager.default.removeItem(at: dir) }
        var p = SearchParameters()
        p.relativeGap = 0
        let viaMathProg = try MathProg.solve(model: dir.appendingPathComponent("k.mod").path,
                                             data: dir.appendingPathComponent("k.dat").path, p)
        let viaSwift = try GLPKSolver.solve(k.model(), p)
        let expected = k.optimumByEnumeration()
        #expect(viaMathProg.status == .optimal)
        #expect(abs((viaMathProg.objective ?? .nan) - expected) < 1e-6)
        #expect(abs((viaSwift.objective ?? .nan) - expected) < 1e-6)
        #expect(viaMathProg.values.count == 12)
    }

    @Test("an LP in MathProg: the continuous optimum 12.8 of lpMin, constant included")
    func linearProgram() throws {
        let model = """
            param c >= 0;
            var x >= 0;
            var y >= 0;
            minimize z: x + y + c;
            s.t. one: x + 2 * y >= 4;
            s.t. two: 3 * x + y >= 6;
            end;
            """
        let dir = try Self.files(["lp.mod": model, "lp.dat": "data;\nparam c := 10;\nend;\n"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try MathProg.solve(model: dir.appendingPathComponent("lp.mod").path, data: dir.appendingPathComponent("lp.dat").path)
        let swift = try GLPKSolver.solve(Instances.lpMin())
        #expect(r.status == .optimal)
        #expect(abs((r.objective ?? .nan) - 12.8) < 1e-9)
        #expect(abs((r.objective ?? .nan) - (swift.objective ?? .nan)) < 1e-9)
    }

    /// (what is wrong, model text or nil for a missing file, data text or nil for a missing file, the failure expected)
    static let brokenCases: [(String, String?, String?, String)] = [
        ("syntax error in the model", "var x >= 0;\nmaximize z: x +;\nend;\n", "data;\nend;\n", "model"),
        ("undeclared name in the model", "var x >= 0, <= 1;\nmaximize z: x + y;\nend;\n", "data;\nend;\n", "model"),
        ("missing model file", nil, "data;\nend;\n", "model"),
        ("missing data file", knapsackModel, nil, "data"),
        ("syntax error in the data", knapsackModel, "data;\nset I := a b\nparam v := ;;\nend;\n", "data"),
        ("data breaking a parameter's check (v >= 0)", knapsackModel,
         "data;\nset I := a;\nset D := d;\nparam v := a -3;\nparam cap := d 1;\nparam w := d a 1;\nend;\n", "generate"),
        ("data missing a parameter's value", knapsackModel, "data;\nset I := a;\nset D := d;\nparam cap := d 1;\nparam w := d a 1;\nend;\n", "generate"),
        ("a model without variables", "param a := 1;\nend;\n", "data;\nend;\n", "build"),
    ]

    @Test("broken model or data files throw a MathProg.Failure naming the stage (no abort)", arguments: 0..<MathProgTests.brokenCases.count)
    func brokenFiles(index: Int) throws {
        let (what, model, data, stage) = Self.brokenCases[index]
        var named: [String: String] = [:]
        if let model { named["m.mod"] = model }
        if let data { named["m.dat"] = data }
        let dir = try Self.files(named)
        defer { try? FileManager.default.removeItem(at: dir) }
        do {
            let r = try MathProg.solve(model: dir.appendingPathComponent("m.mod").path, data: dir.appendingPathComponent("m.dat").path)
            Issue.record("\(what): solved (\(r.status)) instead of failing")
        } catch let f as MathProg.Failure {
            let got: String
            switch f {
            case .model: got = "model"
            case .data: got = "data"
            case .generate: got = "generate"
            case .build: got = "build"
            }
            #expect(got == stage, "\(what): \(f.description)")
            #expect(f.description.hasPrefix("MathProg:"))
        }
        // The thread's GLPK stays usable after a failed translation.
        #expect(try GLPKSolver.solve(Instances.mipMax()).objective == 20)
    }
}
