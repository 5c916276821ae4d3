import SOPPostgres

/// Where a tracker lives: a SQLite file (the embedded default) or a PostgreSQL server (team
/// mode), as `--db` / `SOP_DB` name it.
public enum TrackerLocation: Sendable, Equatable {
    case file(String)
    case server(ConnectionString)

    /// A `postgresql://` URI or libpq `key=value` text names a server; anything else a file.
    public init(_ text: String) {
        self = ConnectionString.isConnectionString(text) ? .server(ConnectionString(text)) : .file(text)
    }

    /// How messages and `sop db status` show it: the path, or the connection string without its
    /// password.
    public var shown: String {
        switch self {
        case .file(let path): return path
        case .server(let connection): return connection.redacted
        }
    }
}

/// What `sop db status` reports: the engine, its version, the schema and how many rows each
/// table holds. Never a password.
public struct TrackerStatus: Sendable, Encodable, Equatable {
    public struct TableCount: Sendable, Encodable, Equatable {
        public var table: String
        public var rows: Int
    }

    /// `sqlite` or `postgresql`.
    public var engine: String
    /// The file, or the redacted connection string.
    public var location: String
    public var serverVersion: String
    /// The newest migration applied, nil for an empty database.
    public var schema: String?
    /// The newest migration this `sop` knows.
    public var expectedSchema: String
    /// Row counts, in schema order (empty until the schema exists).
    public var tables: [TableCount]

    /// Whether the schema is exactly the one this `sop` works with.
    public var isCurrent: Bool { schema == expectedSchema }
}

extension TrackerStatus {
    /// The tables whose rows `sop db status` counts: every table the copy moves but the
    /// one-row chain head.
    static let countedTables = TrackerSnapshot.tableOrder.filter { $0 != "chain_head" }
}
