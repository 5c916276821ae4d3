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
///
/// Reads that find the connection busy run on extra read-only connections, opened when first
/// needed and kept for the next read, at most one per core (``readers``): a site build reads
/// on every core, as it does on SQLite, instead of queueing behind one connection.
final class PostgresBackend: @unchecked Sendable {
    let location: ConnectionString
    private let connection: PostgresConnection
    private let lock = NSLock()
    /// Whether this connection has its temporary capture tables (see ``ChangeCapture``).
    private var captureReady = false
    private var closed = false
    private let readers: ReaderPool

    init(location: ConnectionString, connection: PostgresConnection) {
        self.location = location
        self.connection = connection
        readers = ReaderPool(location: location, limit: ProcessInfo.processInfo.activeProcessorCount)
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
        try read(transaction: true, body)
    }

    /// A read of one statement: atomic by itself, so it runs without `BEGIN`/`COMMIT` (one
    /// round trip instead of three; `sop serve` reads the change counter on every request).
    func readStatement<T>(_ body: (StoreSession) throws -> T) throws -> T {
        try read(transaction: false, body)
    }

    private func read<T>(transaction: Bool, _ body: (StoreSession) throws -> T) throws -> T {
        func run(_ connection: PostgresConnection) throws -> T {
            guard transaction else { return try body(StoreSession(PostgresSession(connection: connection))) }
            return try connection.transaction(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") {
                try body(StoreSession(PostgresSession(connection: connection)))
            }
        }
        if lock.try() {
            defer { lock.unlock() }
            guard !closed else { throw StoreError(.integrity, "the tracker was closed") }
            return try PostgresTracker.mapped(location) { try run(connection) }
        }
        if let reader = readers.take() {
            defer { readers.give(reader) }
            return try PostgresTracker.mapped(location) { try run(reader) }
        }
        return try using(run)
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
        readers.close()
    }
}

/// The extra read connections of a ``PostgresBackend``.
final class ReaderPool: @unchecked Sendable {
    private let location: ConnectionString
    private let limit: Int
    private let lock = NSLock()
    private var idle: [PostgresConnection] = []
    private var opened = 0
    private var closed = false

    init(location: ConnectionString, limit: Int) {
        self.location = location
        self.limit = limit
    }

    /// An idle connection, a new one while fewer than `limit` are open, else nil (the caller
    /// waits for the main connection). A connection that cannot be opened is nil as well: the
    /// read then runs on the main connection, which reports any real problem.
    func take() -> PostgresConnection? {
        let mayOpen: Bool = lock.withLock {
            guard !closed else { return false }
            if !idle.isEmpty { return false }
            guard opened < limit else { return false }
            opened += 1
            return true
        }
        if !mayOpen { return lock.withLock { closed ? nil : idle.popLast() } }
        if let connection = try? PostgresConnection(location) { return connection }
        lock.withLock { opened -= 1 }
        return nil
    }

    /// Returns a connection after a read; one that broke, or any after ``close()``, is dropped.
    func give(_ connection: PostgresConnection) {
        lock.withLock {
            if closed || !connection.isUp {
                opened -= 1
            } else {
                idle.append(connection)
            }
        }
    }

    func close() {
        lock.withLock {
            closed = true
            opened -= idle.count
            idle.removeAll()
        }
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
