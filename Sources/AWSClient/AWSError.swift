import Foundation

/// Every failure the client reports: a service error, a transport failure, a refused operation
/// or bad configuration. `kind` is what callers branch on; `code` and `message` are what the
/// service (or the client) said.
public struct AWSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, coarsely. Checks map `accessDenied`, `throttling`, `notImplemented`,
    /// `authFailure`, `transport`, … to the outcome `error`, never `pass`.
    public enum Kind: String, Sendable, Codable {
        /// The caller lacks permission (AccessDenied, UnauthorizedOperation, other 403s).
        case accessDenied
        /// Throttled (after retries).
        case throttling
        /// The endpoint does not implement the operation (moto's HTML 500/404 pages, InvalidAction).
        case notImplemented
        /// The resource does not exist (NoSuchEntity, …NotFound…): often a meaningful answer.
        case notFound
        /// The request was not authenticated (SignatureDoesNotMatch, InvalidClientTokenId, AuthFailure, expired token).
        case authFailure
        /// No response: connection refused/reset, DNS, TLS.
        case transport
        /// No (complete) response within the per-call timeout.
        case timeout
        /// A 2xx response whose body could not be read, or a server error with an unreadable body.
        case invalidResponse
        /// The operation is not on the read-only allowlist; nothing was sent.
        case operationNotAllowed
        /// Credentials could not be obtained (no profile, credential_process failed, AssumeRole failed).
        case credentials
        /// Bad local configuration (malformed ~/.aws file, unknown profile, source_profile loop).
        case configuration
        /// Any other service error (validation, conflict, 5xx InternalFailure, …).
        case service
    }

    public var kind: Kind
    /// botocore's client name (`iam`, `ce`, …) or `""` for local errors.
    public var service: String
    public var operation: String
    /// HTTP status, when a response arrived.
    public var status: Int?
    public var code: String
    public var message: String
    public var requestID: String?

    public init(
        kind: Kind, service: String = "", operation: String = "", status: Int? = nil,
        code: String, message: String, requestID: String? = nil
    ) {
        self.kind = kind
        self.service = service
        self.operation = operation
        self.status = status
        self.code = code
        self.message = message
        self.requestID = requestID
    }

    public var description: String {
        var text = operation.isEmpty ? "" : "\(service):\(operation): "
        text += code
        if !message.isEmpty { text += ": \(message)" }
        if let status { text += " (HTTP \(status)" + (requestID.map { ", request \($0)" } ?? "") + ")" }
        return text
    }

    /// Worth another attempt: throttling, transient server errors, lost connections, timeouts
    /// and unreadable bodies. Never moto's "not implemented" pages.
    public var isRetryable: Bool {
        switch kind {
        case .throttling, .transport, .timeout, .invalidResponse: return true
        case .service:
            if let status, status >= 500 { return true }
            return Self.transientCodes.contains(code)
        default: return false
        }
    }

    /// The refusal for an operation outside the allowlist.
    public static func operationNotAllowed(_ service: AWSService, _ operation: String) -> AWSError {
        AWSError(
            kind: .operationNotAllowed, service: service.clientName, operation: operation,
            code: "OperationNotAllowed",
            message: "\(service.clientName):\(operation) is not on the read-only allowlist; no request was sent")
    }

    /// A local configuration problem (file, line, setting named; secrets never included).
    public static func configuration(_ message: String) -> AWSError {
        AWSError(kind: .configuration, code: "InvalidConfiguration", message: message)
    }

    /// Credentials could not be obtained.
    public static func credentials(_ message: String) -> AWSError {
        AWSError(kind: .credentials, code: "CredentialsUnavailable", message: message)
    }

    static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
        "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled",
        "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException",
    ]
    static let transientCodes: Set<String> = [
        "RequestTimeout", "RequestTimeoutException", "InternalError", "InternalFailure", "InternalServerError",
        "ServiceUnavailable", "ServiceUnavailableException", "IDPCommunicationError",
    ]
    static let authCodes: Set<String> = [
        "SignatureDoesNotMatch", "InvalidClientTokenId", "AuthFailure", "UnrecognizedClientException",
        "IncompleteSignature", "IncompleteSignatureException", "MissingAuthenticationToken",
        "MissingAuthenticationTokenException", "InvalidAccessKeyId", "ExpiredToken", "ExpiredTokenException",
        "InvalidSignatureException", "RequestExpired", "RequestTimeTooSkewed", "InvalidToken",
        "XAmzContentSHA256Mismatch",
    ]
    static let accessDeniedCodes: Set<String> = [
        "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError",
        "AuthorizationErrorException", "Forbidden", "ForbiddenException", "UnauthorizedException",
        "AllAccessDisabled", "OptInRequired",
    ]
    static let notImplementedCodes: Set<String> = [
        "NotImplemented", "UnknownOperation", "UnknownOperationException", "InvalidAction",
        "UnsupportedOperation", "UnsupportedOperationException",
    ]

    /// Classifies a service error by code first, then by HTTP status.
    static func classify(code: String, status: Int) -> Kind {
        if authCodes.contains(code) { return .authFailure }
        if throttlingCodes.contains(code) || status == 429 { return .throttling }
        if accessDeniedCodes.contains(code) { return .accessDenied }
        if notImplementedCodes.contains(code) { return .notImplemented }
        if code.hasPrefix("NoSuch") || code.contains("NotFound") { return .notFound }
        if status == 401 { return .authFailure }
        if status == 403 { return .accessDenied }
        return .service
    }
}
