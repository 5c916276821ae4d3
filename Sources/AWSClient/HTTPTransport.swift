import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One HTTP request as the client sends it: header names are lower-case.
public struct HTTPRequest: Sendable, Equatable {
    public var method: String
    public var url: URL
    /// Lower-case names. `host` is left out: the HTTP stack sets it, the signer derives it from `url`.
    public var headers: [String: String]
    public var body: Data

    public init(method: String, url: URL, headers: [String: String] = [:], body: Data = Data()) {
        self.method = method
        self.url = url
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { _, b in b })
        self.body = body
    }
}

/// One HTTP response: header names are lower-case.
public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { _, b in b })
        self.body = body
    }

    /// The body as UTF-8 text (lossy), for error messages and debugging.
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// Sends signed requests. The client owns signing, retries and timeouts; a transport only moves
/// bytes, so tests can count requests or put a fault server behind it.
public protocol HTTPTransport: Sendable {
    /// Sends `request` and returns the response, whatever its status. Throws only when no
    /// response arrived (connection refused, reset, DNS, ...).
    func send(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse

    /// True when `send` itself gives up after `timeout` (throwing `URLError(.timedOut)`) and
    /// stops promptly when its task is cancelled; the client then adds no watchdog of its own.
    var enforcesTimeout: Bool { get }
}

extension HTTPTransport {
    public var enforcesTimeout: Bool { false }
}

/// The default transport: ephemeral `URLSession`s (no cookies, no cache, no credential store).
///
/// On Linux a `URLSession` runs all of its transfers (libcurl, header parsing, timers) on one
/// serial queue, which caps a session at about one core however many requests are in flight.
/// The transport therefore spreads requests round-robin over a few sessions (one per core, at
/// most four), each allowed its share of the connections per host.
public final class URLSessionTransport: HTTPTransport, @unchecked Sendable {
    // URLSession is documented thread-safe; the class only holds them and a counter.
    private let sessions: [URLSession]
    private let lock = NSLock()
    private var next = 0

    /// `maxConnectionsPerHost` should be at least the caller's requests in flight: with an
    /// endpoint override (or a proxy) every service is one host, and extra requests would
    /// queue for a connection instead of overlapping their network latency.
    public convenience init() { self.init(maxConnectionsPerHost: 64) }

    public convenience init(maxConnectionsPerHost: Int) {
        self.init(maxConnectionsPerHost: maxConnectionsPerHost, sessions: Self.defaultSessionCount)
    }

    /// `sessions` URLSessions sharing `maxConnectionsPerHost` between them.
    public init(maxConnectionsPerHost: Int, sessions count: Int) {
        let maxConnectionsPerHost = max(1, maxConnectionsPerHost)
        let count = max(1, min(count, maxConnectionsPerHost))
        let perSession = (maxConnectionsPerHost + count - 1) / count
        sessions = (0..<count).map { _ in
            let configuration = URLSessionConfiguration.ephemeral
            configuration.httpCookieStorage = nil
            // AWS APIs set no cookies. With the policy at `.never` URLSession also skips parsing every
            // response header line for cookies (measurable CPU per request on Linux).
            configuration.httpCookieAcceptPolicy = .never
            configuration.httpShouldSetCookies = false
            configuration.urlCache = nil
            configuration.requestCachePolicy = .reloadIgnoringLocalAndRemoteCacheData
            configuration.httpMaximumConnectionsPerHost = perSession
            return URLSession(configuration: configuration)
        }
    }

    /// One session per core, at most four.
    static var defaultSessionCount: Int { max(1, min(4, ProcessInfo.processInfo.activeProcessorCount)) }

    deinit { for session in sessions { session.finishTasksAndInvalidate() } }

    private func session() -> URLSession {
        lock.lock()
        defer { lock.unlock() }
        next = (next + 1) % sessions.count
        return sessions[next]
    }

    public func send(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse {
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = request.method
        // A backstop only: the client enforces `timeout` itself. Linux URLSession truncates
        // sub-second intervals (0.3 s became an immediate time-out), so round up and add a second.
        urlRequest.timeoutInterval = timeout.seconds.rounded(.up) + 1
        // Every header was set (and signed) by the client, Content-Type included: URLSession would
        // otherwise add `application/x-www-form-urlencoded` to any body after signing.
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        if !request.body.isEmpty { urlRequest.httpBody = request.body }
        // The transfer runs in a task of its own that is never cancelled. On Linux, cancelling a
        // task waiting in `data(for:)` while its response completes deadlocks: the cancellation
        // handler syncs on the session's queue while holding the task's status lock, and that
        // queue is resuming the same task, which needs the lock (seen as a hung test run). A
        // caller that gives up stops waiting instead (`withDeadline`), and `timeoutInterval`
        // above ends the abandoned transfer.
        let session = session()
        let (data, response) = try await Task { try await session.data(for: urlRequest) }.value
        guard let http = response as? HTTPURLResponse else {
            throw URLError(.badServerResponse)
        }
        var headers: [String: String] = [:]
        for (key, value) in http.allHeaderFields {
            if let key = key as? String, let value = value as? String { headers[key.lowercased()] = value }
        }
        return HTTPResponse(status: http.statusCode, headers: headers, body: data)
    }
}

extension Duration {
    /// The duration in seconds as a `Double` (for `URLRequest.timeoutInterval` and sleeps).
    var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }
}
