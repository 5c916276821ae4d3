import Foundation

/// Retries with capped exponential backoff and full jitter (the AWS SDKs' "standard" mode).
///
/// Attempt n (1-based) that failed with a retryable error waits a random time in
/// `0 ... min(maxDelay, baseDelay * 2^(n-1))` before attempt n+1. Tests use tiny delays.
public struct RetryPolicy: Sendable, Equatable {
    /// Total attempts including the first (1 = no retries).
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration

    public init(maxAttempts: Int = 3, baseDelay: Duration = .milliseconds(200), maxDelay: Duration = .seconds(20)) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// Three attempts, 200 ms base, 20 s cap (the AWS CLI's standard retry mode).
    public static let standard = RetryPolicy()
    /// One attempt only.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// The wait after failed attempt `attempt` (1-based), jittered.
    public func delay(afterAttempt attempt: Int) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        let ceiling = min(maxDelay.seconds, baseDelay.seconds * pow(2, Double(exponent)))
        guard ceiling > 0 else { return .zero }
        return .nanoseconds(Int64(Double.random(in: 0...ceiling) * 1e9))
    }
}

/// Runs `operation` but gives up after `timeout`, even if the operation ignores cancellation
/// (URLSession on Linux may not stop promptly). The operation's task is cancelled on timeout.
func withDeadline<T: Sendable>(_ timeout: Duration, _ operation: @escaping @Sendable () async throws -> T) async throws
    -> T
{
    let gate = ResumeOnce<T>()
    let work = Task { try await operation() }
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
            gate.install(continuation)
            let timer = Task {
                try? await Task.sleep(for: timeout)
                if !Task.isCancelled, gate.resume(.failure(DeadlineExceeded())) { work.cancel() }
            }
            Task {
                let result = await work.result
                gate.resume(result)
                timer.cancel()
            }
        }
    } onCancel: {
        work.cancel()
        gate.resume(.failure(CancellationError()))
    }
}

struct DeadlineExceeded: Error {}

/// A continuation resumed exactly once, by whichever task gets there first; a result that
/// arrives before the continuation is installed is kept and delivered on install.
private final class ResumeOnce<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, Error>?
    private var pending: Result<T, Error>?
    private var done = false

    func install(_ continuation: CheckedContinuation<T, Error>) {
        lock.lock()
        if let pending {
            self.pending = nil
            lock.unlock()
            continuation.resume(with: pending)
            return
        }
        self.continuation = continuation
        lock.unlock()
    }

    /// Returns true when this call delivered the result.
    @discardableResult
    func resume(_ result: Result<T, Error>) -> Bool {
        lock.lock()
        guard !done else {
            lock.unlock()
            return false
        }
        done = true
        guard let continuation else {
            pending = result
            lock.unlock()
            return true
        }
        self.continuation = nil
        lock.unlock()
        continuation.resume(with: result)
        return true
    }
}
