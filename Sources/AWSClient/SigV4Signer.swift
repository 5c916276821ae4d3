import Crypto
import Foundation

/// AWS Signature Version 4 (header form), following botocore's `SigV4Auth` / `S3SigV4Auth`.
///
/// Known-answer tests compare this with botocore byte for byte (Tests/AWSClientTests/Fixtures/sigv4).
public struct SigV4Signer: Sendable {
    /// When to add and sign `x-amz-content-sha256`.
    public enum ContentHashHeader: Sendable {
        /// Always (S3 requires it).
        case always
        /// Only when the body is empty. moto's signature check hashes the wrong thing for body-less
        /// requests unless this header is there (Documentation/aws-checks.md §5); leaving it off requests with a
        /// body lets moto verify our body hashing too.
        case whenBodyEmpty
        case never
    }

    public var credentials: Credentials
    /// The credential-scope region (us-east-1 for global services).
    public var region: String
    /// The signing name (credential-scope service), e.g. `monitoring` for CloudWatch, `s3` for S3 Control.
    public var service: String
    /// S3 rules: the path is signed as sent (no normalisation, no second encoding).
    public var s3Rules: Bool
    public var contentHashHeader: ContentHashHeader

    public init(
        credentials: Credentials, region: String, service: String, s3Rules: Bool = false,
        contentHashHeader: ContentHashHeader = .whenBodyEmpty
    ) {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.s3Rules = s3Rules
        self.contentHashHeader = contentHashHeader
    }

    /// Headers never signed (botocore's list): proxies and HTTP stacks may change them.
    static let unsignedHeaders: Set<String> = [
        "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
        "trailer", "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id", "authorization",
    ]

    /// Returns `request` with `x-amz-date`, `x-amz-security-token` (if any),
    /// `x-amz-content-sha256` (per `contentHashHeader`) and `authorization` set.
    public func sign(_ request: HTTPRequest, date: Date = Date()) -> HTTPRequest {
        var signed = request
        let timestamp = Self.timestamp(date)
        signed.headers["authorization"] = nil
        signed.headers["x-amz-date"] = timestamp
        if let token = credentials.sessionToken {
            signed.headers["x-amz-security-token"] = token
        } else {
            signed.headers["x-amz-security-token"] = nil
        }
        let payloadHash =
            signed.headers["x-amz-content-sha256"]
            ?? (signed.body.isEmpty ? emptyBodySHA256 : sha256Hex(signed.body))
        switch contentHashHeader {
        case .always: signed.headers["x-amz-content-sha256"] = payloadHash
        case .whenBodyEmpty where signed.body.isEmpty: signed.headers["x-amz-content-sha256"] = payloadHash
        default: break
        }
        let parts = canonicalRequest(signed, payloadHash: payloadHash)
        let day = String(timestamp.prefix(8))
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = "AWS4-HMAC-SHA256\n\(timestamp)\n\(scope)\n\(sha256Hex(parts.request))"
        let signature = HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: signingKey(day: day))
            .hexString
        signed.headers["authorization"] =
            "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyId)/\(scope), "
            + "SignedHeaders=\(parts.signedHeaders), Signature=\(signature)"
        return signed
    }

    /// The canonical request and the signed-header list (exposed for tests and debugging).
    func canonicalRequest(_ request: HTTPRequest, payloadHash: String) -> (request: String, signedHeaders: String) {
        let components = URLComponents(url: request.url, resolvingAgainstBaseURL: false)
        let rawPath = components?.percentEncodedPath ?? "/"
        let path: String
        if s3Rules {
            path = rawPath.isEmpty ? "/" : rawPath
        } else {
            path = PercentEncoding.encode(Self.removeDotSegments(rawPath), keepSlash: true)
        }
        var headers: [String: String] = [:]
        for (name, value) in request.headers where !Self.unsignedHeaders.contains(name) {
            // Trim and collapse runs of whitespace (most values have none: skip the work then).
            let plain = !value.utf8.contains { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A }
            headers[name] =
                plain
                ? value
                : value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
                    .joined(separator: " ")
        }
        if headers["host"] == nil { headers["host"] = Self.hostHeader(for: request.url) }
        let names = headers.keys.sorted()
        let canonicalHeaders = names.map { "\($0):\(headers[$0] ?? "")" }.joined(separator: "\n")
        let signedHeaders = names.joined(separator: ";")
        let text = [
            request.method.uppercased(), path, Self.canonicalQuery(components?.percentEncodedQuery),
            canonicalHeaders + "\n", signedHeaders, payloadHash,
        ].joined(separator: "\n")
        return (text, signedHeaders)
    }

    /// The query as sent, split into `key=value` pairs and sorted (botocore signs the URL's
    /// already-encoded pairs; the URL builder encodes them the SigV4 way).
    static func canonicalQuery(_ query: String?) -> String {
        guard let query, !query.isEmpty else { return "" }
        let pairs = query.split(separator: "&", omittingEmptySubsequences: true).map { pair -> (String, String) in
            if let eq = pair.firstIndex(of: "=") {
                return (String(pair[..<eq]), String(pair[pair.index(after: eq)...]))
            }
            return (String(pair), "")
        }
        return pairs.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            .map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// `host[:port]`, the port only when it is not the scheme's default (as HTTP stacks send it).
    static func hostHeader(for url: URL) -> String {
        let host = url.host ?? ""
        guard let port = url.port else { return host }
        let scheme = url.scheme?.lowercased()
        if (scheme == "http" && port == 80) || (scheme == "https" && port == 443) { return host }
        return "\(host):\(port)"
    }

    /// RFC 3986 dot-segment removal as botocore does it (empty segments collapse too).
    static func removeDotSegments(_ path: String) -> String {
        if path.isEmpty { return "/" }
        var output: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            if segment == "." { continue }
            if segment == ".." {
                if !output.isEmpty { output.removeLast() }
                continue
            }
            output.append(segment)
        }
        var result = "/" + output.joined(separator: "/")
        if path.hasSuffix("/") && result != "/" { result += "/" }
        return result
    }

    /// The derived key for a day, region and service: four HMACs, so it is computed once per
    /// (secret, day, region, service) and kept for the process (a run signs hundreds of requests
    /// with a handful of scopes).
    private func signingKey(day: String) -> SymmetricKey {
        let scope = "\(credentials.accessKeyId)/\(day)/\(region)/\(service)"
        if let key = SigningKeyCache.shared.key(for: scope, secret: credentials.secretAccessKey) { return key }
        func hmac(_ key: SymmetricKey, _ text: String) -> SymmetricKey {
            SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key)))
        }
        var key = SymmetricKey(data: Data("AWS4\(credentials.secretAccessKey)".utf8))
        for part in [day, region, service, "aws4_request"] { key = hmac(key, part) }
        SigningKeyCache.shared.store(key, for: scope, secret: credentials.secretAccessKey)
        return key
    }

    /// `yyyyMMdd'T'HHmmss'Z'` in UTC, without a shared formatter.
    static func timestamp(_ date: Date) -> String {
        var time = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&time, &parts)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        func append(_ value: Int32, digits: Int) {
            var divisor: Int32 = 1
            for _ in 1..<digits { divisor *= 10 }
            var rest = max(0, value)
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8((rest / divisor) % 10))
                rest %= divisor
                divisor /= 10
            }
        }
        append(parts.tm_year + 1900, digits: 4)
        append(parts.tm_mon + 1, digits: 2)
        append(parts.tm_mday, digits: 2)
        bytes.append(UInt8(ascii: "T"))
        append(parts.tm_hour, digits: 2)
        append(parts.tm_min, digits: 2)
        append(parts.tm_sec, digits: 2)
        bytes.append(UInt8(ascii: "Z"))
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Derived SigV4 signing keys by scope (`access key/day/region/service`), shared by every
/// signer of the process. Each entry remembers the secret it was derived from, so rotated or
/// assumed-role credentials with the same key id never get a stale key.
final class SigningKeyCache: @unchecked Sendable {
    static let shared = SigningKeyCache()
    private let lock = NSLock()
    private var keys: [String: (secret: String, key: SymmetricKey)] = [:]

    func key(for scope: String, secret: String) -> SymmetricKey? {
        lock.lock()
        defer { lock.unlock() }
        guard let entry = keys[scope], entry.secret == secret else { return nil }
        return entry.key
    }

    func store(_ key: SymmetricKey, for scope: String, secret: String) {
        lock.lock()
        defer { lock.unlock() }
        // A run uses a few hundred scopes at most; a long-lived process that crosses days starts over.
        if keys.count >= 1024 { keys.removeAll() }
        keys[scope] = (secret, key)
    }
}
