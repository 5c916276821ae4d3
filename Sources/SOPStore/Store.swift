import Foundation
import GRDB
import SOPCore
import Synchronization

/// The tracker: one SQLite file holding customers, their checklists, evidence,
/// sign-offs, verification runs and a hash-chained audit trail.
///
/// Usable without the CLI. Every mutating call is one write transaction that also
/// appends one audit event, so a call either happens completely (and is logged) or
/// not at all; bad input throws ``StoreError`` with kind `.badInput` and changes nothing.
///
/// ## Public API (for commands, the verify runner and the renderer)
/// - Opening: ``Store/open(path:now:)``, ``Store/defaultPath(environment:)``,
///   ``Store/isSOPDatabase(path:)``, ``Store/close()``.
/// - Customers: ``Store/createCustomer(_:template:by:)``, ``Store/customers()``,
///   ``Store/customer(_:)``.
/// - Items: ``Store/mark(customer:item:status:reason:force:by:)``,
///   ``Store/assign(customer:item:to:due:by:)``.
/// - Evidence: ``Store/addEvidence(customer:item:content:by:expires:internal:)``,
///   ``Store/evidence(customer:item:)``, ``Store/evidenceContent(customer:evidence:)``,
///   ``Store/retractEvidence(customer:evidence:reason:by:)``; files are read with ``EvidenceFile/load(path:maxBytes:)``.
/// - Sign-offs: ``Store/signoff(customer:target:role:by:note:)``,
///   ``Store/revokeSignoff(customer:target:role:reason:by:)``.
/// - Verification (for `sop verify`): ``Store/recordCheckResults(customer:run:by:)`` stores a
///   ``VerificationRun`` and returns the ``VerificationChanges`` since the previous state;
///   ``Store/lastVerification(customer:)``, ``Store/verificationHistory(customer:)``,
///   ``VerificationRun/changes(since:)``.
/// - Reading (for status and the renderer): ``Store/customerReport(slug:)`` → ``CustomerReport``
///   (customer, template pin, sections, items with status/assignee/due/evidence incl. the
///   `internal` flag, sign-offs with state, check outcomes, verification history, summary);
///   ``Store/portfolio()`` → ``PortfolioRow`` per customer (one aggregate query, sorted by urgency);
///   ``Store/activity(limit:)`` and ``Store/log(customer:)`` → ``AuditEvent``.
/// - Integrity: ``Store/verifyAudit()`` → ``AuditReport``; ``Store/backup(to:)``, ``Store/restore(from:to:force:)``.
///
/// ## Conventions for code that adds writes (e.g. template upgrades)
/// - One `write` transaction per user action, ending with one `audit(...)` event.
/// - Every row of a tracked table that the transaction writes is imaged into that event by
///   ``ChangeRecorder`` (nothing to do by hand); a tracked row changed without an event, or
///   deleted, makes the commit fail, and `verifyAudit` replays the images against every row.
/// - Items are identified by (customer, item id); never delete rows, set `archived_at`.
/// - When a change sets item statuses, say so in the event's `after` JSON as
///   `transitions: {item id: status}` or `not_applicable: [item ids]` (or `status` on an
///   `item.*` event targeting the item): `verifyAudit` replays these and reports any
///   status the trail does not explain.
/// - Evidence rows must be named in their event's `after` JSON (`evidence: "E12"` with
///   `sha256`, or a list `"E12:<sha256>"`), sign-offs as `signoff: "S3"`.
public final class Store: Sendable {
    /// The engine holding the tracker: a SQLite file, or a PostgreSQL server (team mode).
    let backend: Backend
    /// The database file, or the server's connection string without its password.
    public let path: String
    /// The clock, injectable so tests (and `SOP_NOW`) get deterministic timestamps.
    let clock: @Sendable () -> Date
    /// Largest evidence file accepted, in bytes.
    public let maxEvidenceBytes: Int

    /// Captures the rows each write changes, for the images its audit event carries.
    let changes = ChangeRecorder()
    /// Whether the writer connection has the earlier-image triggers (see ``BeforeImages``).
    let beforeImagesInstalled = Mutex(false)

    public static let defaultMaxEvidenceBytes = 25 * 1024 * 1024

    init(backend: Backend, path: String, clock: @escaping @Sendable () -> Date, maxEvidenceBytes: Int) {
        self.backend = backend
        self.path = path
        self.clock = clock
        self.maxEvidenceBytes = maxEvidenceBytes
        if case .sqlite(let pool) = backend { pool.add(transactionObserver: changes, extent: .observerLifetime) }
    }

    /// Opens the database at `path` and brings its schema up to date; with `create`, a missing
    /// file (and its folder) is created, otherwise a missing file is refused, so a mistyped path
    /// never becomes an empty tracker that "verifies".
    ///
    /// WAL mode, foreign keys on, and a busy timeout so concurrent invocations wait
    /// for each other instead of failing. Only a regular file is opened: SQLite would otherwise
    /// write `-journal`/`-wal` files beside a device such as `/dev/null`.
    public static func open(
        path: String, now: @escaping @Sendable () -> Date = { Date() },
        maxEvidenceBytes: Int = Store.defaultMaxEvidenceBytes, create: Bool = true
    ) throws -> Store {
        switch FileKind.of(path) {
        case .regular: break
        case .directory: throw StoreError.badInput("database path \(path) is a directory")
        case .special(let what): throw StoreError.badInput("database path \(path) is \(what), not a database file")
        case .missing:
            guard create else { throw StoreError.badInput("no tracker database at \(path) (sop new creates one)") }
        }
        let parent = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw StoreError.badInput("cannot create the folder \(parent.path) for the database")
        }
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(30)
        configuration.label = "sop"
        do {
            let pool = try DatabasePool(path: path, configuration: configuration)
            let migrator = Migrations.migrator(now: { Timestamps.string(now()) })
            let state = try pool.read { db in
                // Tables but no migration log: some other application's database; leave it alone.
                let foreign =
                    try !db.tableExists("grdb_migrations")
                    && (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'") ?? 0) > 0
                return (try migrator.hasCompletedMigrations(db), try migrator.hasBeenSuperseded(db), foreign)
            }
            if state.2 {
                try? pool.close()
                throw StoreError(.badInput, "\(path) is not a sop database")
            }
            if state.1 { throw StoreError(.badInput, "database \(path) was written by a newer sop") }
            if !state.0 {
                try migrator.migrate(pool)
                // The reader that looked at the old schema keeps statements prepared for it.
                pool.invalidateReadOnlyConnections()
            }
            return Store(backend: .sqlite(pool), path: path, clock: now, maxEvidenceBytes: maxEvidenceBytes)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw StoreError(.badInput, "\(path) is not a sop database")
        } catch let error as DatabaseError {
            throw StoreError(.badInput, "cannot open database \(path): \(error.message ?? error.description)")
        }
    }

    /// `$XDG_DATA_HOME/sop/sop.sqlite`, else `~/.local/share/sop/sop.sqlite`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty {
            return URL(fileURLWithPath: xdg).appendingPathComponent("sop/sop.sqlite").path
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(".local/share/sop/sop.sqlite").path
    }

    /// Checkpoints the WAL and closes the connections; the store is unusable afterwards.
    public func close() {
        switch backend {
        case .sqlite(let pool): try? pool.close()
        case .postgres(let server): server.close()
        }
    }

    /// The SQLite pool, for the operations only a file has (backup, checkpoints).
    var pool: DatabasePool? { if case .sqlite(let pool) = backend { pool } else { nil } }

    var now: Date { clock() }
    var nowString: String { Timestamps.string(clock()) }
    var today: String { Timestamps.day(clock()) }

    /// One write transaction; `StoreError`s pass through unchanged, engine errors become one line.
    func write<T>(_ body: (StoreSession) throws -> T) throws -> T {
        switch backend {
        case .sqlite(let pool): return try writeSQLite(pool, body)
        case .postgres(let server): return try server.write(body)
        }
    }

    private func writeSQLite<T>(_ pool: DatabasePool, _ body: (StoreSession) throws -> T) throws -> T {
        do {
            return try pool.writeWithoutTransaction { db in
                // The earlier-image triggers live on the writer connection; a command that only
                // reads never opens it (a cold writer costs `sop status SLUG` several ms).
                // Installed outside the transaction, so a rollback cannot take them away.
                if !beforeImagesInstalled.withLock({ $0 }) {
                    try BeforeImages.install(db)
                    beforeImagesInstalled.withLock { $0 = true }
                }
                var result: T?
                try db.inTransaction {
                    result = try body(StoreSession(db))
                    return .commit
                }
                guard let result else { throw StoreError(.integrity, "a write transaction returned nothing") }
                return result
            }
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw StoreError(.integrity, "database error: \(error.message ?? error.description)")
        }
    }

    /// One read, in one consistent view of the tracker.
    func read<T>(_ body: (StoreSession) throws -> T) throws -> T {
        switch backend {
        case .sqlite(let pool):
            do {
                return try pool.read { try body(StoreSession($0)) }
            } catch let error as StoreError {
                throw error
            } catch let error as DatabaseError {
                throw StoreError(.integrity, "database error: \(error.message ?? error.description)")
            }
        case .postgres(let server):
            return try server.read(body)
        }
    }

    /// A read of one statement (see ``PostgresBackend/readStatement(_:)``): on PostgreSQL without
    /// an explicit transaction; on SQLite a statement outside a transaction is atomic as well.
    func readStatement<T>(_ body: (StoreSession) throws -> T) throws -> T {
        switch backend {
        case .sqlite(let pool):
            do {
                return try pool.unsafeRead { try body(StoreSession($0)) }
            } catch let error as StoreError {
                throw error
            } catch let error as DatabaseError {
                throw StoreError(.integrity, "database error: \(error.message ?? error.description)")
            }
        case .postgres(let server):
            return try server.readStatement(body)
        }
    }

    /// A read that only SQLite has (the verifier's replay, the file's status); the PostgreSQL
    /// side of these works through a consistent snapshot instead.
    func readSQLite<T>(_ body: (Database) throws -> T) throws -> T {
        guard let pool else { throw StoreError(.integrity, "\(path): this read needs a SQLite tracker") }
        do {
            return try pool.read(body)
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw StoreError(.integrity, "database error: \(error.message ?? error.description)")
        }
    }

    /// The customer row for a slug, or a one-line "unknown customer" error.
    func customerRecord(_ db: StoreSession, _ slug: String) throws -> CustomerRecord {
        guard
            let record = try db.record(CustomerRecord.self, "SELECT * FROM customer WHERE slug = ?", [.text(slug)]),
            record.id != nil
        else { throw StoreError.badInput("unknown customer '\(slug)' (see 'sop customers')") }
        return record
    }

    /// The item row of a customer, or a one-line "unknown item" error.
    func itemRecord(_ db: StoreSession, _ customer: CustomerRecord, _ itemID: String) throws -> ItemRecord {
        guard let id = customer.id,
            let item = try db.record(
                ItemRecord.self, "SELECT * FROM item WHERE customer_id = ? AND item_id = ?",
                [.integer(id), .text(itemID)])
        else { throw StoreError.badInput("unknown item '\(itemID)' for customer '\(customer.slug)'") }
        if item.archivedAt != nil {
            throw StoreError.badInput("item '\(itemID)' of customer '\(customer.slug)' is archived")
        }
        return item
    }
}
