import Foundation
import GLPK
import Testing

/// `GLPKThread`: the one owner of a GLPK thread (its stack, its silenced environment, its
/// release, its join), and `GLPKProblem`'s check that a problem is used only on the thread
/// that created it (issue 22, item 2).
@Suite("GLPK threads")
struct GLPKThreadTests {
    /// A model every test can solve: a 12-item knapsack.
    static let model = Instances.Knapsack(items: 12, dimensions: 2, seed: 22).model()

    @Test("work runs on the thread in the order submitted, and the thread is gone once joined")
    func orderAndJoin() throws {
        let census = GLPKThread.Census()
        let thread = try GLPKThread(name: "test-order", census: census)
        #expect(census.started == 1 && census.alive == 1)
        let seen = Recorder<Int>()
        for k in 0..<20 { thread.submit { seen.append(k) } }
        let onIt = thread.run { thread.isCurrent }
        #expect(onIt, "run's work runs on the thread")
        #expect(!thread.isCurrent, "the test's own thread is not it")
        let solved = thread.run { (try? GLPKSolver.solve(Self.model))?.status }
        #expect(solved == .optimal)
        thread.join()
        #expect(seen.all == Array(0..<20))
        #expect(census.started == 1 && census.alive == 0, "joined: not alive")
        thread.join()   // twice: returns at once
        #expect(census.alive == 0)
    }

    @Test("a thread released without join is joined by its deinit: nothing outlives its owner")
    func deinitJoins() throws {
        let census = GLPKThread.Census()
        let done = Recorder<Bool>()
        do {
            let thread = try GLPKThread(name: "test-deinit", census: census)
            thread.submit {
                _ = try? GLPKSolver.solve(Self.model)
                done.append(true)
            }
        }
        // The work submitted before the last reference went has run to its end.
        #expect(done.all == [true])
        #expect(census.started == 1 && census.alive == 0)
    }

    @Test("a problem used on a thread other than its creator's is refused with both threads named, and works on its own")
    func wrongThread() throws {
        let census = GLPKThread.Census()
        let owner = try GLPKThread(name: "test-owner", census: census)
        let other = try GLPKThread(name: "test-other", census: census)
        let slot = ProblemSlot()
        let created = owner.run { () -> Bool in
            slot.problem = try? GLPKProblem(Self.model)
            return slot.problem?.isOnOwnerThread == true
        }
        #expect(created)
        let elsewhere = other.run { () -> String? in
            do {
                _ = try slot.problem?.solve()
                return nil
            } catch {
                return "\(error)"
            }
        }
        let message = try #require(elsewhere, "solving on another thread must throw")
        #expect(message.contains("test-owner") && message.contains("test-other"), "\(message)")
        let here = owner.run { (try? slot.problem?.solve())?.status }
        #expect(here == .optimal, "on its own thread the problem solves")
        // Deleted where it was created.
        owner.run { slot.problem = nil }
        owner.join()
        other.join()
        #expect(census.alive == 0 && census.started == 2)
    }

    @Test("models GLPK would abort on are refused before a problem exists")
    func refusedBeforeGLPK() throws {
        var m = LinearModel(name: "bad", sense: .minimize)
        let x = m.addColumn("x", lower: 2, upper: 1)
        m.addRow("r", [(column: x, value: 1), (column: x, value: 1)], upper: 3)
        #expect(throws: GLPKSolver.Failure.self) { try GLPKProblem(m) }
        let empty = LinearModel(name: "empty", sense: .minimize)
        #expect(throws: GLPKSolver.Failure.self) { try GLPKProblem(empty) }
        // An incumbent of the wrong length would be read past its end by GLPK.
        var p = SearchParameters()
        p.incumbent = [1]
        p.presolve = false
        #expect(throws: GLPKSolver.Failure.self) { try GLPKSolver.solve(Self.model, p) }
    }
}

/// A problem handed between threads on purpose (the check is what is tested).
final class ProblemSlot: @unchecked Sendable {
    private let lock = NSLock()
    private var value: GLPKProblem?
    var problem: GLPKProblem? {
        get { lock.lock(); defer { lock.unlock() }; return value }
        set { lock.lock(); value = newValue; lock.unlock() }
    }
}
