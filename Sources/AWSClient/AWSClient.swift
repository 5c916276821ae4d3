import CloudRegions
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A small, read-only AWS client: SigV4, five wire protocols, retries, typed errors.
///
/// ## Making a client
/// ```swift
/// let configuration = try AWSClientConfiguration.resolve(
///     AWSSettings(profile: customer.profile, region: nil, roleARN: customer.roleARN, externalID: customer.externalID))
/// let client = AWSClient(configuration)
/// ```
/// `resolve` follows the AWS CLI: env keys, `AWS_PROFILE`, `~/.aws/credentials` + `~/.aws/config`
/// (`role_arn` + `source_profile`/`credential_source`, `external_id`, `role_session_name`,
/// `credential_process`), `AWS_SHARED_CREDENTIALS_FILE`, `AWS_CONFIG_FILE`; region from the
/// settings, `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile, else `us-east-1`; endpoints from
/// `AWS_ENDPOINT_URL_<SERVICE>` (e.g. `AWS_ENDPOINT_URL_CLOUDWATCH_LOGS`, see
/// `AWSService.endpointEnvironmentVariable`) and `AWS_ENDPOINT_URL`. Pass an `AWSEnvironment`
/// to resolve from something other than the process environment (tests).
/// Or build `AWSClientConfiguration(region:credentials:endpoints:retry:timeout:transport:…)` directly.
///
/// ## Calls (each `region:` defaults to the client's region; global services ignore it)
/// - `query(_ service, _ action, _ parameters: [String: String], region:) -> XMLNode` — IAM, STS,
///   SNS, EC2. Returns the `<ActionResult>` element (EC2: the response root). Lists: `node.list("Users")`.
/// - `json(_ service, _ operation, _ body: JSONValue, region:) -> JSONValue` — Organizations,
///   Budgets, CE, CloudWatch (JSON 1.0), Logs, CloudTrail, Config, Events, Tagging, KMS.
/// - `restJSON(_ service, _ operation, path: [String: String], query:, body:, region:) -> JSONValue`
///   — GuardDuty, Backup, Lambda, Account; routes (method + path template) come from the allowlist.
/// - `restXML(_ service, _ operation, path:, query:, region:, accountID:) -> XMLNode` — S3
///   (`path: ["Bucket": name]`), S3 Control (`accountID:` required).
/// - Pagination: `queryPages`, `jsonPages`, `restJSONPages` return every page (`[XMLNode]` /
///   `[JSONValue]`); tokens default per service (`PageToken`), e.g. IAM `Marker`/`IsTruncated`,
///   EC2 `NextToken`→`nextToken`, Logs `nextToken`, Lambda `Marker`→`NextMarker`.
///
/// ## Errors
/// Every failure is an `AWSError` with `kind` (`accessDenied`, `throttling`, `notImplemented`,
/// `notFound`, `authFailure`, `transport`, `timeout`, `invalidResponse`, `operationNotAllowed`,
/// `credentials`, `configuration`, `service`), `service`, `operation`, `status`, `code`,
/// `message`, `requestID`. moto's HTML 500/404 pages become `NotImplemented` / `UnknownOperation`.
///
/// ## Read-only by construction
/// `OperationAllowlist.readOnly` lists every `service:Operation` the client may send
/// (`AllowedOperation`: `service`, `name`, `iamActions`, REST `route`, `note`, `motoAction`).
/// `iamActions(for: [(AWSService, String)]) throws -> [String]` gives the IAM action names
/// (`cloudwatch:DescribeAlarms`, `tag:GetResources`, `budgets:ViewBudget`, …) and
/// `OperationAllowlist.policyDocument(actions:) -> String` the least-privilege policy JSON.
/// Anything not listed throws `AWSError.operationNotAllowed` before credentials are fetched or a
/// byte is sent; REST calls take method and path from the list, never from the caller.
///
/// ## Retries, timeouts, metrics
/// `RetryPolicy(maxAttempts:baseDelay:maxDelay:)` — capped exponential backoff with full jitter on
/// throttling, 5xx (not moto's "not implemented" page), lost connections, timeouts and unreadable
/// bodies. `timeout` bounds each attempt. `metrics` (`CallMetrics`) logs every attempt
/// (`requestCount`, `operations`, `all` with start/duration); `recording(into:)` gives a copy of
/// the client that logs into a separate `CallMetrics`.
///
/// ## Transport
/// `HTTPTransport` (`send(_:timeout:) -> HTTPResponse`); the default is `URLSessionTransport`
/// (ephemeral sessions). `HTTPTransports.standard(maxConnectionsPerHost:)` picks `CurlTransport`
/// (libcurl's multi interface on its own thread, about a fifth of URLSession's CPU per request on
/// Linux) where libcurl loads, which is what `sop verify` uses. A transport whose
/// `enforcesTimeout` is true keeps the per-attempt deadline itself; for the others the client
/// runs a watchdog. The client is a `Sendable` value: share it across tasks freely.
///
/// ## Testing against moto
/// `Tests/TestSupport/MotoServer.swift` starts `moto_server` on a free port
/// (`try await MotoServer.start()`), mints keys per account (`createAccessKey(account:userName:)`),
/// runs boto3 fixture scripts (`runPython`) and turns signature checks on
/// (`setSignatureEnforcement(true)`). Point the client at it with `AWS_ENDPOINT_URL` or
/// `EndpointResolver(globalOverride: moto.endpoint)`. moto quirks the client handles: it routes on
/// the credential scope (always signed), needs `x-amz-content-sha256` on body-less requests
/// (always sent there), S3 path-style and no S3 Control host prefix with an override. One it does
/// not: moto checks signatures over the decoded path, so REST path labels with reserved characters
/// (a Lambda ARN) fail moto's check though AWS accepts them; pass names, not ARNs.
///
/// Not supported (clear errors instead): IAM Identity Center (SSO) profiles, `mfa_serial`,
/// container/instance metadata credentials, `credential_source` other than `Environment`.
public struct AWSClient: Sendable {
    public let configuration: AWSClientConfiguration

    public init(_ configuration: AWSClientConfiguration) {
        self.configuration = configuration
    }

    /// The default region.
    public var region: String { configuration.region }

    /// The attempt log shared by this client and its copies.
    public var metrics: CallMetrics { configuration.metrics }

    /// A copy that sends to `region` by default.
    public func with(region: String) -> AWSClient {
        var copy = configuration
        copy.region = region
        return AWSClient(copy)
    }

    /// A copy that logs its attempts into `metrics` (e.g. one log per check or per fetcher).
    public func recording(into metrics: CallMetrics) -> AWSClient {
        var copy = configuration
        copy.metrics = metrics
        return AWSClient(copy)
    }

    // MARK: - The request pipeline

    /// Checks the allowlist, resolves the endpoint, signs, sends with a deadline, retries, decodes.
    func perform<T: Sendable>(
        _ service: AWSService, _ operation: String, region: String?, accountID: String? = nil,
        build: (AllowedOperation, Endpoint) throws -> HTTPRequest,
        decode: @escaping @Sendable (HTTPResponse) throws -> T
    ) async throws -> T {
        guard let allowed = configuration.allowlist.operation(service, operation) else {
            throw AWSError.operationNotAllowed(service, operation)
        }
        let region = region ?? configuration.region
        guard Self.isValidRegion(region) else {
            throw AWSError(
                kind: .configuration, service: service.clientName, operation: operation,
                code: "InvalidRegion", message: "invalid region name \"\(region.prefix(40))\"")
        }
        let endpoint = configuration.endpoints.endpoint(for: service, region: region, accountID: accountID)
        let unsigned = try build(allowed, endpoint)
        let credentials: Credentials
        do {
            credentials = try await configuration.credentials.credentials()
        } catch let error as AWSError {
            throw error
        } catch {
            throw AWSError.credentials("\(configuration.credentials.source): \(error)")
        }
        let s3 = service == .s3 || service == .s3control
        let signer = SigV4Signer(
            credentials: credentials, region: endpoint.signingRegion, service: endpoint.signingName,
            s3Rules: s3, contentHashHeader: s3 ? .always : .whenBodyEmpty)
        let transport = configuration.transport
        let timeout = configuration.timeout
        var attempt = 0
        while true {
            attempt += 1
            try Task.checkCancellation()
            let request = signer.sign(unsigned, date: Date())
            let started = Date()
            let clock = ContinuousClock.now
            var status: Int?
            let outcome: Result<T, AWSError>
            do {
                // A transport that keeps deadlines itself (libcurl) needs no watchdog tasks per attempt.
                let response =
                    transport.enforcesTimeout
                    ? try await transport.send(request, timeout: timeout)
                    : try await withDeadline(timeout) { try await transport.send(request, timeout: timeout) }
                status = response.status
                if (200..<300).contains(response.status) {
                    do {
                        outcome = .success(try decode(response))
                    } catch {
                        outcome = .failure(
                            AWSError(
                                kind: .invalidResponse, service: service.clientName, operation: operation,
                                status: response.status, code: "InvalidResponse",
                                message: "unreadable \(service.wireProtocol.rawValue) response: \(error)",
                                requestID: response.headers["x-amzn-requestid"] ?? response.headers["x-amz-request-id"])
                        )
                    }
                } else {
                    outcome = .failure(ErrorParser.error(from: response, service: service, operation: operation))
                }
            } catch let error as URLError where error.code == .timedOut && transport.enforcesTimeout {
                outcome = .failure(
                    AWSError(
                        kind: .timeout, service: service.clientName, operation: operation,
                        code: "Timeout", message: "no response within \(timeout)"))
            } catch is DeadlineExceeded {
                outcome = .failure(
                    AWSError(
                        kind: .timeout, service: service.clientName, operation: operation,
                        code: "Timeout", message: "no response within \(timeout)"))
            } catch let error as CancellationError {
                throw error
            } catch let error as AWSError {
                outcome = .failure(error)
            } catch {
                outcome = .failure(Self.transportError(error, service: service, operation: operation))
            }
            let elapsed = ContinuousClock.now - clock
            configuration.metrics.record(
                CallRecord(
                    service: service.clientName, operation: operation, region: endpoint.signingRegion, attempt: attempt,
                    status: status, errorCode: outcome.failureCode, startedAt: started, duration: elapsed.seconds))
            CallAttempts.current?.record(status: status)
            switch outcome {
            case .success(let value):
                return value
            case .failure(let error):
                guard error.isRetryable, attempt < configuration.retry.maxAttempts else { throw error }
                try await Task.sleep(for: configuration.retry.delay(afterAttempt: attempt))
            }
        }
    }

    /// `eu-west-1`, `us-gov-west-1`, `cn-north-1`: lower-case letters, digits and hyphens.
    static func isValidRegion(_ region: String) -> Bool { AWSRegionName.isValid(region) }

    static func transportError(_ error: Error, service: AWSService, operation: String) -> AWSError {
        if let urlError = error as? URLError {
            let kind: AWSError.Kind = urlError.code == .timedOut ? .timeout : .transport
            return AWSError(
                kind: kind, service: service.clientName, operation: operation,
                code: kind == .timeout ? "Timeout" : "TransportError",
                message: urlError.localizedDescription)
        }
        return AWSError(
            kind: .transport, service: service.clientName, operation: operation, code: "TransportError",
            message: "\(error)")
    }

    /// `endpoint.url` + an already-encoded path and query (keeps any base path of an override URL).
    static func url(_ endpoint: Endpoint, host: String? = nil, path: String, query: String) throws -> URL {
        guard var components = URLComponents(url: endpoint.url, resolvingAgainstBaseURL: false) else {
            throw AWSError.configuration("invalid endpoint URL \(endpoint.url)")
        }
        if let host { components.host = host }
        var base = components.percentEncodedPath
        while base.hasSuffix("/") { base.removeLast() }
        components.percentEncodedPath = base + (path.hasPrefix("/") ? path : "/" + path)
        components.percentEncodedQuery = query.isEmpty ? nil : query
        guard let url = components.url else {
            throw AWSError.configuration("cannot build a URL from \(endpoint.url) and \(path)")
        }
        return url
    }
}

/// Counts the HTTP attempts of one logical call (retries included) and keeps the last status,
/// for callers that trace calls rather than attempts (`sop verify --json`'s `calls`):
/// `CallAttempts.$current.withValue(CallAttempts()) { try await client.query(…) }`.
public final class CallAttempts: @unchecked Sendable {
    @TaskLocal public static var current: CallAttempts?

    private let lock = NSLock()
    private var count = 0
    private var lastStatus: Int?

    public init() {}

    func record(status: Int?) {
        lock.lock()
        count += 1
        lastStatus = status
        lock.unlock()
    }

    /// HTTP attempts sent (0 when the call failed before sending, e.g. not on the allowlist).
    public var attempts: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }

    /// The HTTP status of the last attempt; nil when no response arrived.
    public var status: Int? {
        lock.lock()
        defer { lock.unlock() }
        return lastStatus
    }
}

extension Result where Failure == AWSError {
    var failureCode: String? {
        if case .failure(let error) = self { return error.code }
        return nil
    }
}
