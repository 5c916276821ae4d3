import Foundation
import GRDB

/// Every row of a tracker, table by table, as engine-neutral values: what `sop db copy` moves.
///
/// The tables and their columns are read from the SQLite schema the migrations build (one
/// source of truth for both engines, whose schemas match column for column), in an order that
/// satisfies every foreign key. Rows are ordered by primary key, so two snapshots of the same
/// data are equal value for value, whichever engine they came from. Reading and writing go
/// through ``SQLSession``, the same code on both engines.
struct TrackerSnapshot: Equatable {
    struct Table: Equatable {
        var name: String
        var columns: [String]
        var key: [String]
        var rows: [[SQLValue]]
    }

    var tables: [Table]

    /// Rows across all tables (for messages).
    var rowCount: Int { tables.reduce(0) { $0 + $1.rows.count } }

    /// Tables in foreign-key order; `chain_head` (one row, there from the first migration) last.
    static let tableOrder = [
        "customer", "section", "item", "blob", "verification_run", "evidence", "check_state", "signoff",
        "app_user", "api_token", "invite", "waiver", "baseline", "audit_event", "chain_head",
    ]

    /// Tables whose `id` is generated: on PostgreSQL their identity sequences move past copied ids.
    static let identityTables = ["customer", "verification_run", "evidence", "signoff"]

    /// The shape of every copied table, from a migrated in-memory SQLite database.
    static let layout: [Table] = {
        do {
            let queue = try DatabaseQueue()
            try Migrations.migrator(now: { "" }).migrate(queue)
            return try queue.read { db in
                try tableOrder.map { table in
                    let info = try db.rows("PRAGMA table_info(\(table))", [])
                    let columns = info.map { $0["name"].text ?? "" }
                    // `pk` is the column's position in the primary key, 0 when not in it.
                    let key = info.filter { ($0["pk"].integer ?? 0) > 0 }
                        .sorted { ($0["pk"].integer ?? 0) < ($1["pk"].integer ?? 0) }.map { $0["name"].text ?? "" }
                    return Table(name: table, columns: columns, key: key, rows: [])
                }
            }
        } catch {
            preconditionFailure("the migrations build the schema they describe: \(error)")
        }
    }()

    /// Reads every row (table names and columns come from ``layout``, never from input).
    static func read(_ session: any SQLSession) throws -> TrackerSnapshot {
        var tables = layout
        for index in tables.indices {
            let table = tables[index]
            let columns = table.columns.map { "\"\($0)\"" }.joined(separator: ", ")
            let order = table.key.map { "\"\($0)\"" }.joined(separator: ", ")
            tables[index].rows = try session.rows("SELECT \(columns) FROM \(table.name) ORDER BY \(order)", [])
                .map(\.values)
        }
        return TrackerSnapshot(tables: tables)
    }

    /// Writes every row into an empty, migrated tracker inside the caller's transaction, in
    /// multi-row statements (at most 30,000 values each, under both engines' limits). The rows
    /// carry their audit trail with them: the result is verified by replaying it afterwards, so
    /// the store's observer (which refuses rows written without an event) is not involved.
    func write(to session: any SQLSession) throws {
        for table in tables where !table.rows.isEmpty {
            if table.name == "chain_head" { try session.execute("DELETE FROM chain_head", []) }
            let columns = table.columns.map { "\"\($0)\"" }.joined(separator: ", ")
            let tuple = "(" + Array(repeating: "?", count: table.columns.count).joined(separator: ", ") + ")"
            let perStatement = max(1, min(500, 30_000 / table.columns.count))
            var start = 0
            while start < table.rows.count {
                let batch = table.rows[start..<min(start + perStatement, table.rows.count)]
                try session.execute(
                    "INSERT INTO \(table.name) (\(columns)) VALUES "
                        + Array(repeating: tuple, count: batch.count).joined(separator: ", "),
                    batch.flatMap { $0 })
                start += perStatement
            }
        }
    }

    /// Writes every row into a new, migrated SQLite tracker, in one transaction. Foreign keys
    /// are not enforced while copying: a source damaged behind sop's back (a referenced row
    /// deleted) must arrive as it is, so the verifier that runs next names the damage instead
    /// of the copy failing on it.
    func write(toSQLite path: String) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = false
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        try queue.write { try write(to: $0) }
    }
}
