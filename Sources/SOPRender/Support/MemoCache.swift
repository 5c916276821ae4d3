import Foundation

/// A small thread-safe memo of a pure string function, for renderers that see the same
/// inputs on many pages (template titles on every customer page, rendered on every core).
///
/// Bounded: when `capacity` entries are held, the memo starts over, so user text that
/// never repeats cannot grow it without limit.
final class MemoCache: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String: String] = [:]
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    /// The memoized `compute(key)`; computed outside the lock, so a slow call never blocks others.
    func value(for key: String, _ compute: (String) -> String) -> String {
        if let hit = lock.withLock({ values[key] }) { return hit }
        let value = compute(key)
        lock.withLock {
            if values.count >= capacity { values.removeAll(keepingCapacity: true) }
            values[key] = value
        }
        return value
    }
}
