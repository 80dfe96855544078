import Foundation

/// A value shared between threads, read and changed only under its lock — the one lock type
/// of jointplan (it replaced fourteen hand-written lock classes). Every access is a
/// `withLock` closure, so no code can touch the value without holding the lock, and the
/// compiler checks the rest: `Locked` is `Sendable` because of that discipline, which is the
/// only `@unchecked Sendable` the locking needs.
///
/// `Value` must be `Sendable` itself: a value taken out of the lock may be used on any thread,
/// so the lock cannot make a non-Sendable class safe to share, and the compiler says so.
///
/// Keep the closures short and never call out to unknown code (a progress callback, an
/// output channel) from inside one; take what you need out, unlock, then call.
public final class Locked<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    public init(_ value: Value) { self.value = value }

    /// Runs `body` with the value under the lock and returns what it returns.
    @discardableResult
    public func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }

    /// A copy of the value, read under the lock.
    public var current: Value { withLock { $0 } }

    /// Replaces the value under the lock.
    public func set(_ newValue: Value) { withLock { $0 = newValue } }
}
