import CLibPQ
import Foundation

/// One connection to a PostgreSQL server through libpq.
///
/// Queries are parameterised (`$1`, `$2`… with text values), so no value is ever spliced into
/// SQL. Results come back as text, as libpq gives them; callers convert. Not thread-safe: one
/// connection per thread or task, as libpq requires.
public final class PostgresConnection {
    private let connection: OpaquePointer
    /// The connection string, for scrubbing messages of its password.
    public let connectionString: ConnectionString

    /// Connects; a failure is one line naming the server (never the password).
    public init(_ connectionString: ConnectionString) throws(PostgresError) {
        self.connectionString = connectionString
        let (opened, timedOut) = Self.open(connectionString)
        guard let connection = opened else {
            throw PostgresError(
                timedOut
                    ? "connection to \(connectionString.redacted) timed out (connect_timeout)"
                    : "cannot allocate a PostgreSQL connection")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = connectionString.scrub(String(cString: PQerrorMessage(connection)))
            PQfinish(connection)
            throw PostgresError(message.isEmpty ? "cannot connect to \(connectionString.redacted)" : message)
        }
        self.connection = connection
    }

    deinit { PQfinish(connection) }

    /// Never a hang: unless the string or the environment says otherwise, a server that does
    /// not answer fails the connection after 10 s, and a connection whose server vanished is
    /// noticed within about 30 s (TCP keepalives and a user timeout). The user's string is
    /// expanded after these, so any of them it sets wins.
    static let defaults: [(String, String, environment: String?)] = [
        ("connect_timeout", "10", "PGCONNECT_TIMEOUT"), ("keepalives_idle", "10", nil),
        ("keepalives_interval", "5", nil), ("keepalives_count", "3", nil), ("tcp_user_timeout", "30000", nil),
    ]

    /// Connects through ``sop_pq_connect`` (notices silenced before the first byte arrives);
    /// nil with `true` when the server did not answer within `connect_timeout`.
    private static func open(_ connectionString: ConnectionString) -> (OpaquePointer?, Bool) {
        let environment = ProcessInfo.processInfo.environment
        let chosen = defaults.filter { $0.environment.map { environment[$0] == nil } ?? true }
        let keywords = chosen.map(\.0) + ["dbname"]
        let values = chosen.map(\.1) + [connectionString.text]
        var timedOut: Int32 = 0
        let connection = withTextParameters(keywords) { keys in
            withTextParameters(values) { vals in
                sop_pq_connect(keys + [nil], vals + [nil], &timedOut)
            }
        }
        return (connection, timedOut != 0)
    }

    /// Whether the connection is still up (a pool drops one that is not).
    public var isUp: Bool { PQstatus(connection) == CONNECTION_OK }

    /// The server's version as libpq reports it (`150018` for 15.18).
    public var serverVersion: Int { Int(PQserverVersion(connection)) }

    /// `15.18`, from ``serverVersion``.
    public var serverVersionText: String {
        let v = serverVersion
        return v >= 100000 ? "\(v / 10000).\(v % 10000)" : "\(v / 10000).\(v / 100 % 100).\(v % 100)"
    }

    /// Runs one statement with text parameters (nil is SQL NULL) and returns its rows.
    @discardableResult
    public func query(_ sql: String, _ parameters: [String?] = []) throws(PostgresError) -> PostgresRows {
        let result = withTextParameters(parameters) { values in
            PQexecParams(connection, sql, Int32(parameters.count), nil, values, nil, nil, 0)
        }
        return try rows(of: result)
    }

    /// Runs one or more statements without parameters (schema scripts).
    public func execute(_ sql: String) throws(PostgresError) {
        try rows(of: PQexec(connection, sql))
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    /// `begin` may carry the isolation level, so setting it costs no extra round trip.
    public func transaction<T>(begin: String = "BEGIN", _ body: () throws -> T) throws -> T {
        try execute(begin)
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    @discardableResult
    private func rows(of result: OpaquePointer?) throws(PostgresError) -> PostgresRows {
        guard let result else { throw failure(nil) }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY: break
        default: throw failure(result)
        }
        let columns = (0..<PQnfields(result)).map { String(cString: PQfname(result, $0)) }
        let types = (0..<PQnfields(result)).map { UInt32(PQftype(result, $0)) }
        var rows: [[String?]] = []
        rows.reserveCapacity(Int(PQntuples(result)))
        for row in 0..<PQntuples(result) {
            rows.append(
                (0..<Int32(columns.count)).map { column in
                    PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
                })
        }
        return PostgresRows(columns: columns, types: types, rows: rows)
    }

    private func failure(_ result: OpaquePointer?) -> PostgresError {
        let state = result.flatMap { PQresultErrorField($0, Int32(UInt8(ascii: "C"))) }.map { String(cString: $0) }
        let text =
            result.map { String(cString: PQresultErrorMessage($0)) } ?? String(cString: PQerrorMessage(connection))
        return PostgresError(sqlState: state, connectionString.scrub(text))
    }
}

/// Calls `body` with C strings for `values` (NULL for nil), valid for the call.
private func withTextParameters<T>(_ values: [String?], _ body: ([UnsafePointer<CChar>?]) -> T) -> T {
    let copies = values.map { $0.map { strdup($0) } ?? nil }
    defer { for copy in copies { free(copy) } }
    return body(copies.map { $0.map { UnsafePointer($0) } })
}

/// The rows of a result, as text.
public struct PostgresRows: Sendable {
    public var columns: [String]
    /// Each column's type OID (`16` boolean, `17` bytea, `20` bigint, `25` text…), so callers
    /// can read the text back as what it is.
    public var types: [UInt32]
    public var rows: [[String?]]

    /// The first column of the first row.
    public var scalar: String? { rows.first?.first ?? nil }
}
