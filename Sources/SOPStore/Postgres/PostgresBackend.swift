import Foundation
import GRDB
import SOPPostgres

/// Where a store keeps its rows.
enum Backend: Sendable {
    case sqlite(DatabasePool)
    case postgres(PostgresBackend)
}

/// A store's connection to a PostgreSQL tracker and how it runs transactions there.
///
/// Writes are serialized across every process and machine by an advisory lock taken first
/// thing inside the writing transaction (``PostgresSchema/writerLock``): the chain head a
/// write reads is then the one the previous writer committed, so two appends can never share a
/// predecessor and the chain cannot fork (`SELECT … FOR UPDATE` alone cannot do this for the
/// event row that does not exist yet). Reads run in REPEATABLE READ, so a report's several
/// statements see one state. libpq connections are not thread-safe; a lock keeps one
/// statement sequence on the connection at a time.
final class PostgresBackend: @unchecked Sendable {
    let location: ConnectionString
    private let connection: PostgresConnection
    private let lock = NSLock()
    /// Whether this connection has its temporary capture tables (see ``ChangeCapture``).
    private var captureReady = false
    private var closed = false

    init(location: ConnectionString, connection: PostgresConnection) {
        self.location = location
        self.connection = connection
    }

    func write<T>(_ body: (StoreSession) throws -> T) throws -> T {
        try using { connection in
            if !captureReady {
                // Outside the transaction, so a rollback cannot take the tables away.
                try connection.execute(ChangeCapture.temporaryTables)
                captureReady = true
            }
            return try connection.transaction {
                try connection.query(PostgresSchema.writerLock)
                let session = StoreSession(PostgresSession(connection: connection))
                let result = try body(session)
                try ChangeCapture.requireExplained(session)
                return result
            }
        }
    }

    func read<T>(_ body: (StoreSession) throws -> T) throws -> T {
        try using { connection in
            try connection.transaction(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") {
                return try body(StoreSession(PostgresSession(connection: connection)))
            }
        }
    }

    /// The connection itself, for operations that are not store transactions (copies, checks).
    func using<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try lock.withLock {
            guard !closed else { throw StoreError(.integrity, "the tracker was closed") }
            return try PostgresTracker.mapped(location) { try body(connection) }
        }
    }

    func close() {
        lock.withLock { closed = true }
    }
}

extension Store {
    /// Opens the tracker on a PostgreSQL server. The schema must be this `sop`'s (`sop db
    /// migrate` makes it so); a failure is one line naming the server, never its password.
    public static func open(
        server location: ConnectionString, now: @escaping @Sendable () -> Date = { Date() },
        maxEvidenceBytes: Int = Store.defaultMaxEvidenceBytes
    ) throws(StoreError) -> Store {
        let connection = try PostgresTracker.connect(location)
        let schema = try PostgresTracker.mapped(location) { try PostgresTracker.schema(connection) }
        try PostgresTracker.requireCurrentSchema(schema, location)
        return Store(
            backend: .postgres(PostgresBackend(location: location, connection: connection)),
            path: location.redacted, clock: now, maxEvidenceBytes: maxEvidenceBytes)
    }

    /// The server's connection string, when the tracker is on PostgreSQL.
    public var server: ConnectionString? {
        if case .postgres(let server) = backend { server.location } else { nil }
    }
}
