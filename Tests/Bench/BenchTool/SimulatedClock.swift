import Foundation
import SOPCore

/// The store's clock during generation: simulated time that the generator moves forward,
/// so customers are created over months and their activity is spread realistically
/// (the audit trail, `last_activity_at` and overdue items then look like real use).
final class SimulatedClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(start: Date) { current = start }

    var now: Date {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    func set(_ date: Date) {
        lock.lock()
        current = date
        lock.unlock()
    }

    func advance(_ seconds: TimeInterval) {
        lock.lock()
        current += seconds
        lock.unlock()
    }
}
