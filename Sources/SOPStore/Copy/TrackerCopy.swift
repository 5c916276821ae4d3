import Foundation
import GRDB
import SOPCore
import SOPPostgres

/// What `sop db copy` moved, and the head of the trail it verified at the destination.
public struct CopyResult: Sendable {
    public var from: String
    public var to: String
    public var rows: Int
    public var head: AuditHead
}

/// `sop db copy`: moves a whole tracker, its audit trail included, between engines (SQLite to
/// PostgreSQL and back, or file to file), into an empty destination, and proves the copy.
///
/// The source must verify before anything is written. A SQLite destination is a new file,
/// written by a raw connection and then opened by the store and verified like any tracker; a
/// failure removes it. A PostgreSQL destination is written in one transaction that also
/// reads every row back and compares it with the source before it commits, then replays the
/// copied trail offline (the rows as a SQLite file): nothing is half-copied, and what commits
/// equals what was verified.
public enum TrackerCopy {
    public static func copy(from source: TrackerLocation, to destination: TrackerLocation) throws(StoreError)
        -> CopyResult
    {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("sop-copy-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        do {
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            let snapshot = try read(source, work: work)
            let head = try write(snapshot, to: destination, work: work)
            return CopyResult(from: source.shown, to: destination.shown, rows: snapshot.rowCount, head: head)
        } catch let error as StoreError {
            throw error
        } catch let error as PostgresError {
            throw StoreError.badInput("\(error.message)")
        } catch let error as DatabaseError {
            throw StoreError.badInput("database error: \(error.message ?? error.description)")
        } catch {
            throw StoreError.badInput("\(error)")
        }
    }

    /// Every row of the source, once its trail verifies.
    private static func read(_ source: TrackerLocation, work: URL) throws -> TrackerSnapshot {
        switch source {
        case .file(let path):
            let store = try Store.open(path: path, create: false)
            defer { store.close() }
            try requireIntact(try store.verifyAudit(), "--from \(path)")
            return try store.read { try TrackerSnapshot.read($0) }
        case .server(let connection):
            let snapshot = try PostgresTracker.snapshot(connection)
            _ = try verifiedOffline(snapshot, work: work, what: "--from \(connection.redacted)")
            return snapshot
        }
    }

    /// Writes into the empty destination and returns the head its verification found.
    private static func write(_ snapshot: TrackerSnapshot, to destination: TrackerLocation, work: URL) throws
        -> AuditHead
    {
        switch destination {
        case .file(let path):
            guard FileKind.of(path) == .missing else {
                throw StoreError.badInput("--to \(path) exists; sop db copy writes a new tracker file")
            }
            do {
                try Store.open(path: path, create: true).close()
                try snapshot.write(toSQLite: path)
                let store = try Store.open(path: path, create: false)
                defer { store.close() }
                let report = try store.verifyAudit()
                try requireIntact(report, "--to \(path)")
                guard try store.read({ try TrackerSnapshot.read($0) }) == snapshot else {
                    throw StoreError.badInput("--to \(path): the copied rows differ from the source")
                }
                return report.head
            } catch {
                for suffix in ["", "-wal", "-shm", "-journal"] {
                    try? FileManager.default.removeItem(atPath: path + suffix)
                }
                throw error
            }
        case .server(let connection):
            _ = try PostgresTracker.migrate(connection)
            let server = try PostgresTracker.connect(connection)
            return try server.transaction {
                try server.query(PostgresSchema.writerLock)
                let held =
                    try server.query(
                        "SELECT (SELECT count(*) FROM customer), (SELECT count(*) FROM audit_event)"
                    ).rows.first ?? []
                let customers = Int(held.first.flatMap { $0 } ?? "0") ?? 0
                let events = Int(held.last.flatMap { $0 } ?? "0") ?? 0
                guard customers == 0 && events == 0 else {
                    throw StoreError.badInput(
                        "--to \(connection.redacted) already holds a tracker (\(customers) customers, \(events) events); copy into an empty database"
                    )
                }
                try snapshot.write(to: server)
                guard try TrackerSnapshot.read(server) == snapshot else {
                    throw StoreError.badInput("--to \(connection.redacted): the rows read back differ from the source")
                }
                return try verifiedOffline(snapshot, work: work, what: "--to \(connection.redacted)").head
            }
        }
    }

    /// `sop audit verify` of a PostgreSQL tracker: one consistent read of every row, replayed
    /// offline by the same verifier as on SQLite, so every changed, inserted or deleted row is
    /// named the same way whichever engine holds it.
    public static func verifyAudit(_ connection: ConnectionString, earlierHead: String?) throws(StoreError)
        -> AuditReport
    {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("sop-verify-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        return try PostgresTracker.mapped(connection) {
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            return try offlineReport(try PostgresTracker.snapshot(connection), work: work, earlierHead: earlierHead)
        }
    }

    /// Replays a snapshot's trail and requires it intact.
    static func verifiedOffline(_ snapshot: TrackerSnapshot, work: URL, what: String) throws -> AuditReport {
        let report = try offlineReport(snapshot, work: work, earlierHead: nil)
        try requireIntact(report, what)
        return report
    }

    /// Writes a snapshot as a SQLite file in `work` and verifies that like any tracker.
    static func offlineReport(_ snapshot: TrackerSnapshot, work: URL, earlierHead: String?) throws -> AuditReport {
        let path = work.appendingPathComponent("verify-\(UUID().uuidString).sqlite").path
        try Store.open(path: path, create: true).close()
        try snapshot.write(toSQLite: path)
        let store = try Store.open(path: path, create: false)
        defer { store.close() }
        return try store.verifyAudit(earlierHead: earlierHead)
    }

    private static func requireIntact(_ report: AuditReport, _ what: String) throws {
        guard report.isIntact else {
            throw StoreError(
                .integrity,
                "\(what): the audit trail does not verify (\(report.problems.count) problem(s), first: \(report.problems[0])); nothing was copied"
            )
        }
    }
}
