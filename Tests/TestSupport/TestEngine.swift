import Foundation

/// Which engine the conformance suite runs on: SQLite by default, PostgreSQL when
/// `SOP_TEST_ENGINE=postgresql` (`make test` runs the suite both ways).
///
/// The store, application and CLI tests get their trackers from ``freshTracker(file:)``: on
/// SQLite a file path, on PostgreSQL a connection string to a new database of one throwaway
/// server, already migrated by the real `sop db migrate`. The same tests, the same golden files,
/// the same expected bytes: a difference between the engines fails them.
public enum TestEngine {
    public static let isPostgreSQL = ProcessInfo.processInfo.environment["SOP_TEST_ENGINE"] == "postgresql"
    public static var isSQLite: Bool { !isPostgreSQL }

    /// The server every conformance test of this process shares, started on first use.
    public static let server = Result { try PostgresServer.start() }

    /// One migrated database that every fresh tracker copies (`CREATE DATABASE … TEMPLATE`).
    private static let template = Result { () throws -> String in
        let shared = try TestEngine.server.get()
        let name = try shared.createDatabase("sop_conformance_template")
        let migrated = try runSOP(["db", "migrate", "--db", shared.uri(database: name)])
        guard migrated.status == 0 else {
            throw PostgresServer.Failure("sop db migrate failed: \(migrated.stderr)")
        }
        return name
    }

    private static let counter = Counter()

    /// A new, empty tracker: `file` itself on SQLite; on PostgreSQL a connection string to a
    /// fresh migrated database (the file is never created).
    public static func freshTracker(file: URL, postgreSQL: Bool = isPostgreSQL) throws -> String {
        guard postgreSQL else { return file.path }
        let server = try server.get()
        let template = try template.get()
        let name = "sop_t\(ProcessInfo.processInfo.processIdentifier)_\(counter.next())"
        try server.psql("CREATE DATABASE \(name) TEMPLATE \(template)")
        return server.uri(database: name)
    }

    /// Runs SQL on a tracker's database as the admin (PostgreSQL trackers only).
    @discardableResult
    public static func psql(_ sql: String, tracker: String) throws -> String {
        try server.get().psql(sql, database: try database(of: tracker))
    }

    /// A copy of a tracker's database (no session may be connected to it), as a connection string.
    public static func copy(of tracker: String) throws -> String {
        let server = try server.get()
        let name = "sop_t\(ProcessInfo.processInfo.processIdentifier)_\(counter.next())"
        try server.psql("CREATE DATABASE \(name) TEMPLATE \(try database(of: tracker))")
        return server.uri(database: name)
    }

    private static func database(of tracker: String) throws -> String {
        guard let name = tracker.split(separator: "/").last.map(String.init), !name.isEmpty else {
            throw PostgresServer.Failure("\(tracker) names no database")
        }
        return name
    }
}

private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int {
        lock.withLock {
            value += 1
            return value
        }
    }
}
