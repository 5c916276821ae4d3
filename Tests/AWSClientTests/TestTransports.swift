import Foundation

@testable import AWSClient

/// Wraps a real transport and counts what goes through it (no mock: the bytes still travel).
final class CountingTransport: HTTPTransport, @unchecked Sendable {
    private let base: any HTTPTransport
    private let lock = NSLock()
    private var sent: [HTTPRequest] = []

    init(_ base: any HTTPTransport = URLSessionTransport()) { self.base = base }

    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return sent.count
    }
    var requests: [HTTPRequest] {
        lock.lock()
        defer { lock.unlock() }
        return sent
    }

    func send(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse {
        lock.withLock { sent.append(request) }
        return try await base.send(request, timeout: timeout)
    }
}

/// Counts how often credentials were asked for.
final class CountingCredentials: CredentialsProvider, @unchecked Sendable {
    private let lock = NSLock()
    private var calls = 0
    let value: Credentials
    var source: String { "counting" }

    init(_ value: Credentials = Credentials(accessKeyId: "AKIDTEST", secretAccessKey: "secret")) { self.value = value }

    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return calls
    }

    func credentials() async throws -> Credentials {
        lock.withLock { calls += 1 }
        return value
    }
}

/// Tiny retry delays so fault tests stay fast.
let fastRetry = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(1), maxDelay: .milliseconds(5))

func testConfiguration(
    endpoint: URL,
    credentials: any CredentialsProvider = StaticCredentialsProvider(
        Credentials(accessKeyId: "AKIDTEST", secretAccessKey: "secret")),
    transport: any HTTPTransport = URLSessionTransport(), retry: RetryPolicy = fastRetry,
    timeout: Duration = .seconds(60), region: String = "us-east-1"
) -> AWSClientConfiguration {
    AWSClientConfiguration(
        region: region, credentials: credentials,
        endpoints: EndpointResolver(globalOverride: endpoint), retry: retry, timeout: timeout,
        transport: transport)
}

/// Runs `body` and returns the `AWSError` it throws: nil if it succeeded, a `service` error
/// with code `UnexpectedErrorType` if it threw something else.
func awsError<T>(_ body: () async throws -> T) async -> AWSError? {
    do {
        _ = try await body()
        return nil
    } catch let error as AWSError {
        return error
    } catch {
        return AWSError(kind: .service, code: "UnexpectedErrorType", message: "\(error)")
    }
}
