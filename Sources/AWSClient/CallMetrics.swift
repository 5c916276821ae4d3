import Foundation

/// One HTTP attempt the client made.
public struct CallRecord: Sendable, Equatable, Codable {
    /// botocore client name, e.g. `iam`.
    public var service: String
    public var operation: String
    public var region: String
    /// 1 for the first try, 2 for the first retry, …
    public var attempt: Int
    /// HTTP status, or nil when no response arrived.
    public var status: Int?
    /// The error code when the attempt failed.
    public var errorCode: String?
    public var startedAt: Date
    public var duration: TimeInterval

    /// `service:Operation`.
    public var id: String { "\(service):\(operation)" }
}

/// Thread-safe log of every attempt, shared by all copies of a client (and by the STS client
/// behind an assumed role). `sop verify` reports "calls made"; the benchmark derives the
/// critical path from start times and durations.
public final class CallMetrics: @unchecked Sendable {
    private let lock = NSLock()
    private var records: [CallRecord] = []

    public init() {}

    func record(_ record: CallRecord) {
        lock.lock()
        records.append(record)
        lock.unlock()
    }

    /// Every attempt so far, in completion order.
    public var all: [CallRecord] {
        lock.lock()
        defer { lock.unlock() }
        return records
    }

    /// Number of HTTP requests sent (retries included).
    public var requestCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return records.count
    }

    /// Distinct `service:Operation` ids, sorted.
    public var operations: [String] { Array(Set(all.map(\.id))).sorted() }

    /// Attempts per `service:Operation`.
    public var countsByOperation: [String: Int] {
        all.reduce(into: [:]) { $0[$1.id, default: 0] += 1 }
    }

    public func reset() {
        lock.lock()
        records.removeAll()
        lock.unlock()
    }
}
