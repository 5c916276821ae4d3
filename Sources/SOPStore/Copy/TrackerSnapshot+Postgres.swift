import SOPPostgres

extension TrackerSnapshot {
    /// Every row of a PostgreSQL tracker.
    static func read(_ server: PostgresConnection) throws -> TrackerSnapshot {
        try read(PostgresSession(connection: server))
    }

    /// Inserts every row into an empty PostgreSQL tracker, inside the caller's transaction, and
    /// moves each identity column's sequence past the copied ids.
    func write(to server: PostgresConnection) throws {
        try write(to: PostgresSession(connection: server))
        for table in Self.identityTables {
            try server.query(
                "SELECT setval(pg_get_serial_sequence('\(table)', 'id'), COALESCE(max(id), 1), max(id) IS NOT NULL) FROM \(table)"
            )
        }
    }
}
