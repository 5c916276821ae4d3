import Foundation

/// How `sop serve` listens and whom it trusts, checked before anything starts.
public struct ServerOptions: Sendable {
    /// `HOST:PORT`, `[IPv6]:PORT`; loopback by default.
    public var listen = "127.0.0.1:8080"
    public var tlsCertificate: String?
    public var tlsKey: String?
    /// The header a single-sign-on proxy puts the signed-in user's name in.
    public var authProxyHeader: String?
    /// The addresses that header is believed from (anything else: refused).
    public var trustedProxies: [String] = []
    /// How long a browser session lasts after sign-in.
    public var sessionLifetime: TimeInterval = 12 * 3600
    /// The largest request body accepted (an evidence upload and its form); larger is refused
    /// with 413 before it is read.
    public var maxBodyBytes = 26 * 1024 * 1024

    public init() {}

    /// The host and port `listen` names.
    public func address() throws -> (host: String, port: Int) {
        var text = listen.trimmingCharacters(in: .whitespaces)
        var host: String
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                throw ServerError("--listen: '\(listen)' is not HOST:PORT")
            }
            host = String(text[text.index(after: text.startIndex)..<close])
            text = String(text[text.index(after: close)...])
            guard text.hasPrefix(":") else { throw ServerError("--listen: '\(listen)' is not HOST:PORT") }
            text.removeFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else {
                throw ServerError("--listen: '\(listen)' is not HOST:PORT")
            }
            host = String(text[..<colon])
            text = String(text[text.index(after: colon)...])
        }
        guard !host.isEmpty, let port = Int(text), (0...65535).contains(port) else {
            throw ServerError("--listen: '\(listen)' is not HOST:PORT (a port from 0 to 65535)")
        }
        if host == "localhost" { host = "127.0.0.1" }
        return (host, port)
    }

    /// Whether `host` is a loopback address (only this machine can connect).
    static func isLoopback(_ host: String) -> Bool {
        host == "::1" || host.hasPrefix("127.")
    }

    /// The one-line reason the options cannot be served as given, or nil.
    public func problem() -> String? {
        let host: String
        do { host = try address().host } catch { return "\(error)" }
        if (tlsCertificate == nil) != (tlsKey == nil) { return "--tls-cert and --tls-key go together" }
        for path in [tlsCertificate, tlsKey].compactMap({ $0 }) where !FileManager.default.isReadableFile(atPath: path)
        {
            return "\(path): cannot read this file"
        }
        if let header = authProxyHeader {
            let trimmed = header.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, trimmed.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
            else {
                return "--auth-proxy-header: '\(header)' is not a header name"
            }
            guard !trustedProxies.isEmpty else {
                return "--auth-proxy-header needs --trusted-proxy ADDRESS (the proxy the header is believed from)"
            }
        } else if !trustedProxies.isEmpty {
            return "--trusted-proxy needs --auth-proxy-header"
        }
        if !Self.isLoopback(host) && tlsCertificate == nil && authProxyHeader == nil {
            return "--listen \(listen): serving beyond this machine needs TLS (--tls-cert/--tls-key) "
                + "or a signing-in proxy (--auth-proxy-header with --trusted-proxy)"
        }
        return nil
    }

    /// Whether cookies must be `Secure` (served over TLS, directly or behind the proxy).
    var secureCookies: Bool { tlsCertificate != nil }
}

/// Why the server did not start, or a request that cannot be served: one line.
public struct ServerError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
