import GRDB

extension Store {
    /// `sop db status`: the library's version, the schema and the row counts.
    public func trackerStatus() throws -> TrackerStatus {
        if let server { return try PostgresTracker.status(server) }
        return try readSQLite { db in
            let applied = Set(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"))
            var tables: [TrackerStatus.TableCount] = []
            for table in TrackerStatus.countedTables {
                // Table names come from the fixed list, never from input.
                tables.append(
                    .init(table: table, rows: try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0))
            }
            return TrackerStatus(
                engine: "sqlite", location: path,
                serverVersion: try String.fetchOne(db, sql: "SELECT sqlite_version()") ?? "",
                schema: Migrations.identifiers.last { applied.contains($0) },
                expectedSchema: Migrations.current, tables: tables)
        }
    }
}
