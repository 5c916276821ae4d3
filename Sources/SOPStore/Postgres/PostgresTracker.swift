import SOPPostgres

/// A tracker on a PostgreSQL server: its schema, migrated deliberately (`sop db migrate`) and
/// checked on every open, so a `sop` never works on a schema older or newer than itself.
public enum PostgresTracker {
    /// The oldest server the schema runs on (identity columns, `EXECUTE FUNCTION` triggers).
    public static let minimumServerVersion = 120000

    /// Connects and checks the server is new enough; failures are one line naming the server.
    public static func connect(_ connection: ConnectionString) throws(StoreError) -> PostgresConnection {
        let server: PostgresConnection
        do {
            server = try PostgresConnection(connection)
        } catch {
            throw StoreError.badInput("--db \(connection.redacted): \(error.message)")
        }
        guard server.serverVersion >= minimumServerVersion else {
            throw StoreError.badInput(
                "--db \(connection.redacted): PostgreSQL \(server.serverVersionText) is older than 12, the oldest sop supports"
            )
        }
        return server
    }

    /// Applies the migrations the database lacks, in one transaction under an advisory lock, so
    /// two invocations that migrate at once wait for each other and the second finds nothing to
    /// do. Returns the migrations applied (empty when the schema was current).
    public static func migrate(_ connection: ConnectionString) throws(StoreError) -> [String] {
        let server = try connect(connection)
        return try mapped(connection) {
            try server.transaction {
                try server.query(PostgresSchema.migrationLock)
                try server.execute(PostgresSchema.ledger)
                let applied = try appliedMigrations(server)
                try refuseUnknown(applied, connection)
                var done: [String] = []
                for migration in PostgresSchema.migrations where !applied.contains(migration.identifier) {
                    try server.execute(migration.sql)
                    try server.query(
                        "INSERT INTO grdb_migrations (identifier) VALUES ($1)", [migration.identifier])
                    done.append(migration.identifier)
                }
                return done
            }
        }
    }

    /// The engine, server version, schema and row counts.
    public static func status(_ connection: ConnectionString) throws(StoreError) -> TrackerStatus {
        let server = try connect(connection)
        return try mapped(connection) {
            let schema = try schema(server)
            var tables: [TrackerStatus.TableCount] = []
            if schema != nil {
                for table in TrackerStatus.countedTables {
                    // A schema older than this sop lacks the later tables: they are not counted.
                    guard try server.query("SELECT to_regclass('\(table)') IS NOT NULL").scalar == "t" else { continue }
                    // Table names come from the fixed list above, never from input.
                    let count = try server.query("SELECT count(*) FROM \(table)").scalar.flatMap { Int($0) } ?? 0
                    tables.append(.init(table: table, rows: count))
                }
            }
            return TrackerStatus(
                engine: "postgresql", location: connection.redacted, serverVersion: server.serverVersionText,
                schema: schema, expectedSchema: Migrations.current, tables: tables)
        }
    }

    /// The newest migration applied, nil when the database has no `sop` schema.
    static func schema(_ server: PostgresConnection) throws -> String? {
        guard try server.query("SELECT to_regclass('grdb_migrations') IS NOT NULL").scalar == "t" else { return nil }
        let applied = try appliedMigrations(server)
        return Migrations.identifiers.last { applied.contains($0) }
    }

    /// Every row, read in one consistent view (REPEATABLE READ) whatever other writers do
    /// meanwhile, from a tracker whose schema is this `sop`'s.
    static func snapshot(_ connection: ConnectionString) throws -> TrackerSnapshot {
        let server = try connect(connection)
        try requireCurrentSchema(try schema(server), connection)
        return try server.transaction {
            try server.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            return try TrackerSnapshot.read(server)
        }
    }

    /// Refuses a schema that is not this `sop`'s, saying what to run.
    public static func requireCurrentSchema(_ status: TrackerStatus) throws(StoreError) {
        try requireCurrentSchema(status.schema, location: status.location)
    }

    /// The same check on the schema alone (one query, not the row counts of `status`).
    static func requireCurrentSchema(_ schema: String?, _ connection: ConnectionString) throws(StoreError) {
        try requireCurrentSchema(schema, location: connection.redacted)
    }

    private static func requireCurrentSchema(_ schema: String?, location: String) throws(StoreError) {
        guard schema != Migrations.current else { return }
        guard let schema else {
            throw StoreError.badInput("--db \(location): no sop schema yet; run `sop db migrate` with this --db first")
        }
        throw StoreError.badInput(
            "--db \(location): the schema is at \(schema), this sop needs \(Migrations.current); run `sop db migrate` with this --db"
        )
    }

    private static func appliedMigrations(_ server: PostgresConnection) throws -> Set<String> {
        Set(try server.query("SELECT identifier FROM grdb_migrations").rows.compactMap { $0.first ?? nil })
    }

    private static func refuseUnknown(_ applied: Set<String>, _ connection: ConnectionString) throws {
        let unknown = applied.subtracting(Migrations.identifiers).sorted()
        if !unknown.isEmpty {
            throw StoreError.badInput(
                "--db \(connection.redacted): the schema has migrations this sop does not know (\(unknown.joined(separator: ", "))); use a newer sop"
            )
        }
    }

    /// Runs `body`, turning any failure into one line that names the server (never its password).
    static func mapped<T>(_ connection: ConnectionString, _ body: () throws -> T) throws(StoreError) -> T {
        do {
            return try body()
        } catch let error as StoreError {
            throw error
        } catch let error as PostgresError {
            throw StoreError.badInput("--db \(connection.redacted): \(error.message)")
        } catch {
            throw StoreError.badInput("--db \(connection.redacted): \(error)")
        }
    }
}
