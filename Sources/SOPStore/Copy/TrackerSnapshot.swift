import Foundation
import GRDB

/// Every row of a tracker, table by table, as engine-neutral values: what `sop db copy` moves.
///
/// The tables and their columns are read from the SQLite schema the migrations build (one
/// source of truth for both engines, whose schemas match column for column), in an order that
/// satisfies every foreign key. Rows are ordered by primary key, so two snapshots of the same
/// data are equal value for value, whichever engine they came from.
struct TrackerSnapshot: Equatable {
    /// One value as both engines can hold it.
    enum Value: Equatable {
        case null
        case integer(Int64)
        case text(String)
        case bytes(Data)
    }

    struct Table: Equatable {
        var name: String
        var columns: [Column]
        var key: [String]
        var rows: [[Value]]
    }

    /// A column and how it is stored, from SQLite's declared type.
    struct Column: Equatable {
        enum Kind: Equatable { case integer, text, bytes, boolean }
        var name: String
        var kind: Kind
    }

    var tables: [Table]

    /// Rows across all tables (for messages).
    var rowCount: Int { tables.reduce(0) { $0 + $1.rows.count } }

    /// Tables in foreign-key order, `chain_head` last (its one row is updated, not inserted).
    static let tableOrder = [
        "customer", "section", "item", "blob", "verification_run", "evidence", "check_state", "signoff",
        "audit_event", "chain_head",
    ]

    /// The shape of every copied table, from a migrated in-memory SQLite database.
    static let layout: [Table] = {
        do {
            let queue = try DatabaseQueue()
            try Migrations.migrator(now: { "" }).migrate(queue)
            return try queue.read { db in try tableOrder.map { try shape(of: $0, in: db) } }
        } catch {
            preconditionFailure("the migrations build the schema they describe: \(error)")
        }
    }()

    private static func shape(of table: String, in db: Database) throws -> Table {
        var columns: [Column] = []
        var key: [(Int, String)] = []
        for row in try Row.fetchAll(db, sql: "PRAGMA table_info(\(table))") {
            let name: String = row["name"]
            let declared = (row["type"] as String? ?? "").uppercased()
            let kind: Column.Kind =
                declared.contains("INT")
                ? .integer
                : declared.contains("BLOB")
                    ? .bytes
                    : declared.contains("BOOL") ? .boolean : .text
            columns.append(Column(name: name, kind: kind))
            let position: Int = row["pk"]
            if position > 0 { key.append((position, name)) }
        }
        return Table(name: table, columns: columns, key: key.sorted { $0.0 < $1.0 }.map(\.1), rows: [])
    }
}

extension TrackerSnapshot {
    /// Reads every row of a SQLite tracker (already opened and migrated by ``Store``).
    static func read(_ db: Database) throws -> TrackerSnapshot {
        var tables = layout
        for index in tables.indices {
            let table = tables[index]
            let columns = table.columns.map { "\"\($0.name)\"" }.joined(separator: ", ")
            let order = table.key.map { "\"\($0)\"" }.joined(separator: ", ")
            let rows = try Row.fetchCursor(db, sql: "SELECT \(columns) FROM \(table.name) ORDER BY \(order)")
            while let row = try rows.next() {
                tables[index].rows.append(
                    table.columns.indices.map { column in
                        switch row[column] as DatabaseValue {
                        case let value where value.isNull: return .null
                        case let value:
                            switch value.storage {
                            case .int64(let number): return .integer(number)
                            case .double(let number): return .text(String(number))
                            case .string(let text): return .text(text)
                            case .blob(let data): return .bytes(data)
                            case .null: return .null
                            }
                        }
                    })
            }
        }
        return TrackerSnapshot(tables: tables)
    }

    /// Writes every row into an empty, migrated SQLite tracker, in one transaction. The rows
    /// carry their audit trail with them, so the store's observer (which refuses rows written
    /// without an event) is not involved: this is a raw connection, and the result is verified
    /// by replaying that trail afterwards.
    func write(toSQLite path: String) throws {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        try queue.write { db in
            for table in tables {
                let columns = table.columns.map { "\"\($0.name)\"" }.joined(separator: ", ")
                let marks = Array(repeating: "?", count: table.columns.count).joined(separator: ", ")
                let verb = table.name == "chain_head" ? "INSERT OR REPLACE" : "INSERT"
                let statement = try db.makeStatement(sql: "\(verb) INTO \(table.name) (\(columns)) VALUES (\(marks))")
                for row in table.rows {
                    try statement.execute(arguments: StatementArguments(row.map(\.databaseValue)))
                }
            }
        }
    }
}

extension TrackerSnapshot.Value {
    var databaseValue: DatabaseValue {
        switch self {
        case .null: return .null
        case .integer(let number): return number.databaseValue
        case .text(let text): return text.databaseValue
        case .bytes(let data): return data.databaseValue
        }
    }
}
