import Foundation

/// Supplies credentials for signing. Implementations are cheap to call repeatedly: temporary
/// credentials are cached until shortly before they expire.
public protocol CredentialsProvider: Sendable {
    func credentials() async throws -> Credentials
    /// Where the credentials come from, for diagnostics ("environment", "profile prod", …). Never a secret.
    var source: String { get }
}

/// Fixed credentials (tests, or keys handed over explicitly).
public struct StaticCredentialsProvider: CredentialsProvider {
    public let value: Credentials
    public let source: String

    public init(_ credentials: Credentials, source: String = "static") {
        self.value = credentials
        self.source = source
    }

    public func credentials() async throws -> Credentials { value }
}

/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and optional `AWS_SESSION_TOKEN`
/// (`AWS_SECURITY_TOKEN` as the CLI's legacy fallback).
public struct EnvironmentCredentialsProvider: CredentialsProvider {
    public let environment: AWSEnvironment
    public var source: String { "environment" }

    public init(environment: AWSEnvironment) { self.environment = environment }

    /// The credentials, or nil when the variables are not both set.
    public var value: Credentials? {
        guard let key = environment.value("AWS_ACCESS_KEY_ID"),
            let secret = environment.value("AWS_SECRET_ACCESS_KEY")
        else { return nil }
        return Credentials(
            accessKeyId: key, secretAccessKey: secret,
            sessionToken: environment.value("AWS_SESSION_TOKEN") ?? environment.value("AWS_SECURITY_TOKEN"))
    }

    public func credentials() async throws -> Credentials {
        guard let value else {
            throw AWSError.credentials("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set")
        }
        return value
    }
}

/// Tries providers in order and returns the first that yields credentials.
public struct ChainCredentialsProvider: CredentialsProvider {
    public let providers: [any CredentialsProvider]

    public init(_ providers: [any CredentialsProvider]) { self.providers = providers }

    public var source: String { providers.map(\.source).joined(separator: " → ") }

    public func credentials() async throws -> Credentials {
        var failures: [String] = []
        for provider in providers {
            do {
                return try await provider.credentials()
            } catch let error as AWSError where error.kind == .credentials {
                failures.append("\(provider.source): \(error.message)")
            }
        }
        throw AWSError.credentials("no credentials found (" + failures.joined(separator: "; ") + ")")
    }
}

/// Caches another provider's temporary credentials until 5 minutes before they expire, and
/// lets concurrent callers share one refresh.
public actor CachingCredentialsProvider: CredentialsProvider {
    private let base: any CredentialsProvider
    private let refreshMargin: TimeInterval
    private var cached: Credentials?
    private var refreshing: Task<Credentials, Error>?
    public nonisolated let source: String

    public init(_ base: any CredentialsProvider, refreshMargin: TimeInterval = 300) {
        self.base = base
        self.refreshMargin = refreshMargin
        self.source = base.source
    }

    public func credentials() async throws -> Credentials {
        if let cached, !cached.expires(within: refreshMargin) { return cached }
        if let refreshing { return try await refreshing.value }
        let task = Task { [base] in try await base.credentials() }
        refreshing = task
        defer { refreshing = nil }
        let fresh = try await task.value
        cached = fresh
        return fresh
    }
}
