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
        /// requests unless this header is there (aws-checks.md §5); leaving it off requests with a
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

    public init(credentials: Credentials, region: String, service: String, s3Rules: Bool = false,
                contentHashHeader: ContentHashHeader = .whenBodyEmpty) {
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
        let payloadHash = signed.headers["x-amz-content-sha256"] ?? sha256Hex(signed.body)
        switch contentHashHeader {
        case .always: signed.headers["x-amz-content-sha256"] = payloadHash
        case .whenBodyEmpty where signed.body.isEmpty: signed.headers["x-amz-content-sha256"] = payloadHash
        default: break
        }
        let parts = canonicalRequest(signed, payloadHash: payloadHash)
        let scope = "\(timestamp.prefix(8))/\(region)/\(service)/aws4_request"
        let stringToSign = ["AWS4-HMAC-SHA256", timestamp, scope,
                            sha256Hex(Data(parts.request.utf8))].joined(separator: "\n")
        let signature = HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8),
                                                        using: signingKey(day: String(timestamp.prefix(8)))).hexString
        signed.headers["authorization"] = "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyId)/\(scope), "
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
            headers[name] = value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
                .joined(separator: " ")
        }
        if headers["host"] == nil { headers["host"] = Self.hostHeader(for: request.url) }
        let names = headers.keys.sorted()
        let canonicalHeaders = names.map { "\($0):\(headers[$0] ?? "")" }.joined(separator: "\n")
        let signedHeaders = names.joined(separator: ";")
        let text = [request.method.uppercased(), path, Self.canonicalQuery(components?.percentEncodedQuery),
                    canonicalHeaders + "\n", signedHeaders, payloadHash].joined(separator: "\n")
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
            if segment == ".." { if !output.isEmpty { output.removeLast() }; continue }
            output.append(segment)
        }
        var result = "/" + output.joined(separator: "/")
        if path.hasSuffix("/") && result != "/" { result += "/" }
        return result
    }

    private func signingKey(day: String) -> SymmetricKey {
        func hmac(_ key: SymmetricKey, _ text: String) -> SymmetricKey {
            SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key)))
        }
        var key = SymmetricKey(data: Data("AWS4\(credentials.secretAccessKey)".utf8))
        for part in [day, region, service, "aws4_request"] { key = hmac(key, part) }
        return key
    }

    /// `yyyyMMdd'T'HHmmss'Z'` in UTC, without a shared formatter.
    static func timestamp(_ date: Date) -> String {
        var time = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", parts.tm_year + 1900, parts.tm_mon + 1,
                      parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec)
    }
}
