import Foundation

/// One request a verification run made, with its place in the dependency chain.
///
/// `depth` is 1 for a call that needed no earlier answer, and one more than the call
/// whose answer it needed otherwise (ListDetectors → GetDetector is depth 2; page 2 of a
/// listing is one deeper than page 1). The longest chain is the run's critical path:
/// with every independent call in flight at once, wall time ≈ depth × latency.
public struct TracedCall: Sendable, Equatable, Codable {
    public var call: String
    public var region: String
    public var depth: Int
    /// The AWS error code when the call failed (after retries).
    public var errorCode: String?
    public var startedAt: Date
    public var duration: TimeInterval
}

/// Thread-safe log of the calls of one run.
public final class CallTrace: @unchecked Sendable {
    private let lock = NSLock()
    private var calls: [TracedCall] = []

    public init() {}

    func record(_ call: TracedCall) {
        lock.lock()
        calls.append(call)
        lock.unlock()
    }

    public var all: [TracedCall] {
        lock.lock()
        defer { lock.unlock() }
        return calls
    }

    /// The longest chain of calls that had to wait for one another.
    public var criticalPathDepth: Int { all.map(\.depth).max() ?? 0 }
}

/// Bounds the number of requests in flight across every fetcher of a run.
actor RequestLimiter {
    private var available: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(maxInFlight: Int) { available = max(1, maxInFlight) }

    func acquire() async {
        if available > 0 {
            available -= 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty {
            available += 1
        } else {
            waiters.removeFirst().resume()
        }
    }
}
