import CGLPK
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An OS thread that owns a GLPK environment — the one place jointplan starts a thread for GLPK.
///
/// GLPK keeps its environment (memory, terminal settings, hooks) per OS thread in Debian's
/// build; a problem must be created, solved and deleted on one thread; its branch and bound
/// recurses deeply. So a `GLPKThread`:
/// - runs on a POSIX thread with `stackSize` bytes of stack;
/// - prepares GLPK there before any work (`GLPKEnvironment.prepareCurrentThread`: terminal
///   output off, and what GLPK still prints — its last words before an `abort()` — sent to
///   stderr: nothing ever reaches stdout, the service's protocol channel);
/// - runs the work submitted to it, one piece after the other, in the order submitted;
/// - frees GLPK's environment (`glp_free_env`) when its work is done, and is joined by
///   `join()` (or when its last reference goes), so that nothing it ran outlives the call
///   that started it (as OR-Tools' `glpk_env_deleter.cc` frees the environment).
///
/// Problems record the thread that created them (`GLPKProblem`): one used on another thread
/// is refused with `GLPKSolver.Failure.wrongThread`, as OR-Tools' `glpk_solver.cc` checks
/// `CheckCurrentThread()`.
///
/// `@unchecked Sendable`: every mutable field lives in `Mailbox`, read and written only while
/// its condition's lock is held; `tid` is written once, before the handle is shared.
public final class GLPKThread: @unchecked Sendable {
    /// Stack of every GLPK thread: GLPK's branch and bound and its cut generators recurse, and
    /// a secondary thread's default (512 KB on Darwin) is too small for them.
    public static let stackSize = 8 << 20

    /// Counts the threads started with it and how many of them are still alive (started and
    /// not yet joined): a caller or a test sees that nothing it started outlives it.
    public final class Census: @unchecked Sendable {
        private let lock = NSLock()
        private var startedCount = 0
        private var endedCount = 0
        public init() {}
        /// Threads started with this census.
        public var started: Int { lock.lock(); defer { lock.unlock() }; return startedCount }
        /// Threads started with this census and not yet ended.
        public var alive: Int { lock.lock(); defer { lock.unlock() }; return startedCount - endedCount }
        fileprivate func start() { lock.lock(); startedCount += 1; lock.unlock() }
        fileprivate func end() { lock.lock(); endedCount += 1; lock.unlock() }
    }

    public enum Failure: Error, CustomStringConvertible {
        /// `pthread_create` refused (resources): the caller runs the work itself or reports it.
        case cannotStart(name: String, code: Int32)
        public var description: String {
            switch self { case let .cannotStart(name, code): return "cannot start GLPK thread \(name) (pthread_create: \(code))" }
        }
    }

    /// Every GLPK thread of the process, whoever started it.
    public static let all = Census()

    /// The work queue shared by the handle and the thread (the thread never holds the handle,
    /// so the handle's `deinit` can join it).
    private final class Mailbox: @unchecked Sendable {
        let condition = NSCondition()
        var work: [@Sendable () -> Void] = []
        var closing = false
        var joined = false

        func next() -> (@Sendable () -> Void)? {
            condition.lock()
            defer { condition.unlock() }
            while work.isEmpty && !closing { condition.wait() }
            return work.isEmpty ? nil : work.removeFirst()
        }
    }

    public let name: String
    private let mailbox = Mailbox()
    private var tid = pthread_t()
    private let census: Census?

    /// Starts the thread; it waits for work until `join()`.
    public init(name: String, census: Census? = nil) throws {
        self.name = name
        self.census = census
        let mailbox = self.mailbox
        let threadName = name
        let body: () -> Void = {
            GLPKThread.setCurrentName(threadName)
            GLPKEnvironment.prepareCurrentThread()
            while let work = mailbox.next() { work() }
            glp_free_env()
        }
        var attr = pthread_attr_t()
        pthread_attr_init(&attr)
        defer { pthread_attr_destroy(&attr) }
        pthread_attr_setstacksize(&attr, GLPKThread.stackSize)
        let start = Unmanaged.passRetained(ThreadStart(body)).toOpaque()
        let rc = pthread_create(&tid, &attr, { raw in
            Unmanaged<ThreadStart>.fromOpaque(raw!).takeRetainedValue().body()
            return nil
        }, start)
        guard rc == 0 else {
            Unmanaged<ThreadStart>.fromOpaque(start).release()
            mailbox.joined = true
            throw Failure.cannotStart(name: name, code: rc)
        }
        GLPKThread.all.start()
        census?.start()
    }

    deinit { join() }

    /// Queues `work` to run on this thread after what was submitted before.
    public func submit(_ work: @escaping @Sendable () -> Void) {
        mailbox.condition.lock()
        precondition(!mailbox.closing, "GLPKThread \(name): work submitted after join()")
        mailbox.work.append(work)
        mailbox.condition.signal()
        mailbox.condition.unlock()
    }

    /// Runs `work` on this thread and waits for its value.
    public func run<T: Sendable>(_ work: @escaping @Sendable () -> T) -> T {
        let result = ResultBox<T>()
        submit { result.set(work()) }
        return result.wait()
    }

    /// Lets the work already submitted finish, frees the thread's GLPK environment and waits
    /// for the thread to end. Stopping long work early is the work's business (a stop flag its
    /// GLPK callback polls, a GLPK time limit): `join` waits for it. Called twice, the second
    /// call returns at once.
    public func join() {
        mailbox.condition.lock()
        let already = mailbox.joined
        mailbox.closing = true
        mailbox.joined = true
        mailbox.condition.broadcast()
        mailbox.condition.unlock()
        guard !already else { return }
        if pthread_equal(tid, pthread_self()) != 0 {
            // The last reference went on the thread itself: it cannot wait for itself; it ends
            // after this work and cleans up alone.
            pthread_detach(tid)
        } else {
            pthread_join(tid, nil)
        }
        census?.end()
        GLPKThread.all.end()
    }

    /// Whether the caller runs on this thread.
    public var isCurrent: Bool { pthread_equal(tid, pthread_self()) != 0 }

    /// Runs `body` on a new GLPK thread and waits for it to end: for work that must own its
    /// GLPK problems whatever thread calls (an `async` caller may change threads).
    public static func run<T: Sendable>(name: String, census: Census? = nil, _ body: @escaping @Sendable () -> T) throws -> T {
        let thread = try GLPKThread(name: name, census: census)
        defer { thread.join() }
        return thread.run(body)
    }

    // MARK: Thread names

    private final class ThreadStart {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    /// Foundation keeps a `Thread` for every OS thread, ours included, and names the OS
    /// thread after it (what `top -H` and a debugger show).
    static func setCurrentName(_ name: String) { Thread.current.name = name }

    /// The calling thread's name (or its number), for messages.
    static var currentDescription: String {
        let id = "\(pthread_self())"
        if let name = Thread.current.name, !name.isEmpty { return "'\(name)' (\(id))" }
        return "thread \(id)"
    }
}

/// One value handed from a GLPK thread to the thread waiting for it.
private final class ResultBox<T: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var value: T?
    func set(_ v: T) {
        condition.lock(); value = v; condition.broadcast(); condition.unlock()
    }
    func wait() -> T {
        condition.lock()
        defer { condition.unlock() }
        while value == nil { condition.wait() }
        return value!
    }
}

/// GLPK's per-thread environment settings.
public enum GLPKEnvironment {
    /// Prepares GLPK on the calling thread before it is used there: terminal output off (it
    /// goes to stdout, the service's protocol channel), and a terminal hook that sends to
    /// stderr whatever GLPK prints all the same — an error message, which GLPK prints with
    /// terminal output forced on just before it calls `abort()`. The error hook names the
    /// thread: an abort is a value that should have been refused by `LinearModel.validate`.
    /// Idempotent; `GLPKThread` calls it on its thread, `GLPKSolver` before every solve.
    public static func prepareCurrentThread() {
        glp_term_out(GLP_OFF)
        glp_term_hook(toStandardError, nil)
        glp_error_hook(reportAbort, nil)
    }
}

private func toStandardError(_ info: UnsafeMutableRawPointer?, _ text: UnsafePointer<CChar>?) -> Int32 {
    if let text { FileHandle.standardError.write(Data(String(cString: text).utf8)) }
    // Non-zero: GLPK prints nothing itself.
    return 1
}

private func reportAbort(_ info: UnsafeMutableRawPointer?) {
    FileHandle.standardError.write(Data("jointplan: GLPK stopped the process on \(GLPKThread.currentDescription): a value reached GLPK that validation should have refused; please report it.\n".utf8))
}

/// A GLPK problem object and the thread that created it, which alone may use and delete it
/// (deleting a problem on another thread aborts, notes/glpk.md). Every use goes through
/// `pointer()`, which refuses the wrong thread with `GLPKSolver.Failure.wrongThread` — the
/// check OR-Tools' `glpk_solver.cc` makes with `CheckCurrentThread()`. Released on another
/// thread, the problem is leaked with a message on stderr rather than deleted (GLPK would
/// abort).
///
/// `@unchecked Sendable` on purpose: the type system cannot see which OS thread runs a piece
/// of code, so a problem may reach another thread — where every use is refused at run time.
public final class GLPKProblem: @unchecked Sendable {
    /// The model it was loaded from (nil: built by MathProg).
    let model: LinearModel?
    private let problem: OpaquePointer
    private let owner: pthread_t
    /// The creating thread, for messages.
    public let ownerDescription: String

    /// A problem holding `model` on the calling thread. Throws `invalidModel` for anything
    /// GLPK would abort on, and for a model without columns (`glp_add_cols(P, 0)` aborts;
    /// `GLPKSolver.solve` answers those without GLPK).
    public convenience init(_ model: LinearModel) throws {
        let problems = model.validate()
        if !problems.isEmpty { throw GLPKSolver.Failure.invalidModel(problems) }
        if model.columns.isEmpty { throw GLPKSolver.Failure.invalidModel(["no columns"]) }
        self.init(validated: model)
    }

    /// A problem holding `model`, already validated by the caller, with at least one column.
    convenience init(validated model: LinearModel) {
        GLPKEnvironment.prepareCurrentThread()
        self.init(model: model, problem: GLPKSolver.load(model))
    }

    /// An empty problem on the calling thread (MathProg builds into it).
    convenience init() {
        GLPKEnvironment.prepareCurrentThread()
        self.init(model: nil, problem: glp_create_prob()!)
    }

    private init(model: LinearModel?, problem: OpaquePointer) {
        self.model = model
        self.problem = problem
        self.owner = pthread_self()
        self.ownerDescription = GLPKThread.currentDescription
    }

    /// Solves it (`GLPKSolver.solve`); on the owner thread only.
    public func solve(_ params: SearchParameters = SearchParameters()) throws -> SearchResult {
        try GLPKSolver.solve(self, params)
    }

    /// Solves its LP relaxation for the duals (`GLPKSolver.solveLP`); on the owner thread only.
    public func solveLP(_ params: LPParameters = LPParameters()) throws -> LPResult {
        try GLPKSolver.solveLP(self, params)
    }

    /// Whether the calling thread created this problem.
    public var isOnOwnerThread: Bool { pthread_equal(owner, pthread_self()) != 0 }

    /// The GLPK problem, on its owner thread only.
    func pointer() throws -> OpaquePointer {
        guard isOnOwnerThread else {
            throw GLPKSolver.Failure.wrongThread(created: ownerDescription, used: GLPKThread.currentDescription)
        }
        return problem
    }

    deinit {
        if isOnOwnerThread {
            glp_delete_prob(problem)
        } else {
            FileHandle.standardError.write(Data("jointplan: a GLPK problem created on \(ownerDescription) was released on \(GLPKThread.currentDescription); leaked, not deleted (GLPK would abort)\n".utf8))
        }
    }
}
