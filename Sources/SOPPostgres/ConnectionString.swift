import CLibPQ
import Foundation

/// A PostgreSQL connection string as `psql` takes it: a `postgresql://` URI or libpq
/// `key=value` pairs. libpq itself reads it (and `PGHOST`, `PGPASSWORD`, `~/.pgpass`,
/// `PGSERVICE`…), so every convention holds as documented; this type only tells it apart from
/// a file path and says how to show it without the password.
public struct ConnectionString: Sendable, Equatable {
    /// The text as given: passed to libpq, never printed.
    public let text: String

    public init(_ text: String) { self.text = text }

    /// Whether `--db` names a server rather than a file: a `postgresql://` or `postgres://` URI,
    /// or text that starts with a libpq keyword and `=` (`host=db1 dbname=sop`). A file path
    /// named like `host=x` can still be given as `./host=x`.
    public static func isConnectionString(_ text: String) -> Bool {
        if text.hasPrefix("postgresql://") || text.hasPrefix("postgres://") { return true }
        let trimmed = text.drop { $0 == " " || $0 == "\t" }
        guard let equals = trimmed.firstIndex(of: "=") else { return false }
        let key = trimmed[..<equals].trimmingSuffix(while: { $0 == " " || $0 == "\t" })
        return keywords.contains(String(key))
    }

    /// libpq's connection keywords (`host`, `dbname`, `sslmode`…), from the library itself.
    static let keywords: Set<String> = {
        var names: Set<String> = []
        guard let defaults = PQconndefaults() else { return ["host", "hostaddr", "port", "dbname", "user", "service"] }
        defer { PQconninfoFree(defaults) }
        var option = defaults
        while let keyword = option.pointee.keyword {
            names.insert(String(cString: keyword))
            option += 1
        }
        return names
    }()

    /// The string as it may be shown: `postgresql://user@host:port/dbname` with the parts libpq
    /// parsed from it, the TLS mode when given, and never a password. Text libpq cannot parse is
    /// shown as a description only, since it could be a password typed in the wrong place.
    public var redacted: String {
        var error: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(text, &error) else {
            if let error { PQfreemem(error) }
            return "a PostgreSQL connection string that libpq cannot parse"
        }
        defer { PQconninfoFree(options) }
        var values: [String: String] = [:]
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val { values[String(cString: keyword)] = String(cString: value) }
            option += 1
        }
        var shown = "postgresql://"
        if let user = values["user"], !user.isEmpty { shown += Self.uriPart(user) + "@" }
        shown += values["host"].map { $0.isEmpty ? "" : Self.uriPart($0) } ?? ""
        if let port = values["port"], !port.isEmpty { shown += ":" + Self.uriPart(port) }
        shown += "/" + (values["dbname"].map(Self.uriPart) ?? "")
        let query = ["service", "sslmode"].compactMap { key in values[key].map { "\(key)=\(Self.uriPart($0))" } }
        if !query.isEmpty { shown += "?" + query.joined(separator: "&") }
        return shown
    }

    /// What of the text could be a password, however malformed the text is: the `user:PASSWORD@`
    /// of a URI, a `password=` pair (quoted or not), a `password=` URI parameter. Messages from
    /// libpq are scrubbed of these before anyone sees them.
    var secrets: [String] {
        var found: [String] = []
        if let scheme = text.range(of: "://") {
            let rest = text[scheme.upperBound...]
            let authority = rest.prefix { $0 != "/" && $0 != "?" }
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                found.append(String(authority[authority.index(after: colon)..<at]))
            }
        }
        var rest = Substring(text)
        while let match = rest.range(of: "password") {
            var after = rest[match.upperBound...].drop { $0 == " " }
            guard after.first == "=" else {
                rest = rest[match.upperBound...]
                continue
            }
            after = after.dropFirst().drop { $0 == " " }
            let value: Substring
            if after.first == "'" {
                value = after.dropFirst().prefix { $0 != "'" }
            } else {
                value = after.prefix { $0 != " " && $0 != "&" && $0 != "\t" }
            }
            if !value.isEmpty { found.append(String(value)) }
            rest = after
        }
        // A URI's password is percent-encoded: its decoded form, or (when it does not decode)
        // the part before the bad escape, could appear in a message too.
        let variants = found.flatMap { secret -> [String] in
            let decoded = secret.removingPercentEncoding
            let beforeEscape = secret.split(separator: "%", omittingEmptySubsequences: false).first.map(String.init)
            return [secret, decoded, beforeEscape].compactMap { $0 }
        }
        return variants.filter { $0.count >= 3 || ($0.count > 0 && found.contains($0)) }
    }

    /// `message` with anything that could be this string's password replaced by `•••`.
    public func scrub(_ message: String) -> String {
        secrets.sorted { $0.count > $1.count }.reduce(message) {
            $0.replacingOccurrences(of: $1, with: "•••")
        }
    }

    private static func uriPart(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            let c = Character(UnicodeScalar(byte))
            if c.isASCII && (c.isLetter || c.isNumber || "-._~".contains(c)) {
                out.append(c)
            } else {
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }
}

extension Substring {
    fileprivate func trimmingSuffix(while predicate: (Character) -> Bool) -> Substring {
        var end = endIndex
        while end > startIndex, predicate(self[index(before: end)]) { end = index(before: end) }
        return self[startIndex..<end]
    }
}
