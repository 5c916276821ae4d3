/// A failure talking to PostgreSQL, as one line that never holds a password.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    /// The five-character SQLSTATE when the server sent one (`40001`, `42P01`…).
    public var sqlState: String?
    public var message: String

    public init(sqlState: String? = nil, _ message: String) {
        self.sqlState = sqlState
        // libpq's messages end in newlines and may continue on indented lines ("Is the server
        // running…?"): one line, single-spaced.
        self.message = message.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
    }

    public var description: String { message }

    /// The connection was lost or could not be made (SQLSTATE class 08, or none at all).
    public var isConnectionFailure: Bool { sqlState == nil || sqlState?.hasPrefix("08") == true }
}
