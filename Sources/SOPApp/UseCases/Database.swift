import SOPStore

/// What `sop db migrate` did.
public struct MigrationResult: Sendable {
    public var location: String
    /// Migrations applied now; empty when the schema was already current.
    public var applied: [String]
    public var schema: String
}

extension SOPApplication {
    /// Where `--db` / `SOP_DB` put the tracker.
    public var trackerLocation: TrackerLocation { TrackerLocation(context.databasePath) }

    /// `sop db status`: engine, version, schema and row counts, whichever engine holds the
    /// tracker; never the password.
    public func databaseStatus() throws -> TrackerStatus {
        switch trackerLocation {
        case .server(let connection):
            return try Tracker.mapped(context) { try PostgresTracker.status(connection) }
        case .file:
            return try Tracker.with(context) { try $0.trackerStatus() }
        }
    }

    /// `sop db migrate`: brings a PostgreSQL tracker's schema to this `sop`'s (under an advisory
    /// lock, so concurrent invocations wait for each other). A SQLite tracker migrates itself
    /// whenever it is opened; for it this reports the schema.
    public func migrateDatabase() throws -> MigrationResult {
        switch trackerLocation {
        case .server(let connection):
            let applied = try Tracker.mapped(context) { try PostgresTracker.migrate(connection) }
            return MigrationResult(
                location: connection.redacted, applied: applied, schema: Migrations.current)
        case .file(let path):
            let status = try Tracker.with(context) { try $0.trackerStatus() }
            return MigrationResult(location: path, applied: [], schema: status.schema ?? "")
        }
    }

    /// `sop db copy`: the whole tracker, its audit trail included, into an empty destination on
    /// either engine, verified there before it counts. Empty `from`/`to` are refused.
    public func copyDatabase(from: String, to: String) throws -> CopyResult {
        for (option, value) in [("--from", from), ("--to", to)] where value.isEmpty {
            throw AppError.badInput("\(option): an empty value (name a tracker file or a PostgreSQL connection string)")
        }
        return try Tracker.mapped(context) {
            try TrackerCopy.copy(from: TrackerLocation(from), to: TrackerLocation(to))
        }
    }
}
