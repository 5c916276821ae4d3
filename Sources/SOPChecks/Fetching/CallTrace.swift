import Foundation

/// One request a verification run made, with its place in the dependency chain.
///
/// `depth` is 1 for a call that needed no earlier answer, and one more than the call
/// whose answer it needed otherwise (ListDetectors → GetDetector is depth 2; page 2 of a
/// listing is one deeper than page 1). The longest chain is the run's critical path:
/// with every independent call in flight at once, wall time ≈ depth × latency.
public struct TracedCall: Sendable, Equatable, Codable {
    /// `service:Operation`, e.g. `iam:GetAccountSummary`.
    public var call: String
    /// The botocore client name, e.g. `iam`, `cloudwatch`.
    public var service: String
    public var operation: String
    public var region: String
    public var depth: Int
    /// The AWS error code when the call failed (after retries).
    public var errorCode: String?
    public var startedAt: Date
    /// From the first attempt's start to the last attempt's end (retries and back-off included).
    public var duration: TimeInterval
    /// HTTP attempts sent (1 without retries; 0 when the call failed before sending).
    public var attempts: Int
    /// The HTTP status of the last attempt; nil when no response arrived.
    public var status: Int?

    public init(
        service: String, operation: String, region: String, depth: Int, errorCode: String? = nil,
        startedAt: Date, duration: TimeInterval, attempts: Int = 1, status: Int? = nil
    ) {
        self.call = "\(service):\(operation)"
        self.service = service
        self.operation = operation
        self.region = region
        self.depth = depth
        self.errorCode = errorCode
        self.startedAt = startedAt
        self.duration = duration
        self.attempts = attempts
        self.status = status
    }
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
///
/// When the bound is reached, waiting calls go out in order of `followUps` (how many levels
/// of calls still depend on the answer), first come first served within a level: a call at
/// the head of a long chain (DescribeBudgets, ListRoots) does not queue behind hundreds of
/// regional listings whose answers end their chains, which would stretch the critical path.
actor RequestLimiter {
    private var available: Int
    /// Waiters by `followUps` (index), each level first in, first out.
    private var waiters: [[CheckedContinuation<Void, Never>]] = []
    private var heads: [Int] = []
    private var waiting = 0

    init(maxInFlight: Int) { available = max(1, maxInFlight) }

    func acquire(followUps: Int = 0) async {
        if available > 0, waiting == 0 {
            available -= 1
            return
        }
        let level = max(0, min(followUps, 7))
        while waiters.count <= level {
            waiters.append([])
            heads.append(0)
        }
        waiting += 1
        await withCheckedContinuation { waiters[level].append($0) }
    }

    func release() {
        guard waiting > 0 else {
            available += 1
            return
        }
        for level in waiters.indices.reversed() where heads[level] < waiters[level].count {
            let next = waiters[level][heads[level]]
            heads[level] += 1
            if heads[level] == waiters[level].count {
                waiters[level].removeAll(keepingCapacity: true)
                heads[level] = 0
            }
            waiting -= 1
            next.resume()
            return
        }
    }
}
