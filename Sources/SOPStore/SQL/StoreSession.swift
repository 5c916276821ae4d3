import Foundation
import GRDB

/// One transaction's (or one read's) access to the tracker, whichever engine holds it.
///
/// Every store operation is written once against this: statements with `?` placeholders in
/// the SQL both engines speak, records read through ``ColumnDecodable`` and written through
/// ``insert(_:)-swift.method`` / ``update(_:)``. On SQLite the records go through GRDB as
/// they always did; on PostgreSQL they become parameterised statements built from the same
/// column values, so a row holds the same values on both engines.
struct StoreSession: SQLSession, RecordReading {
    enum Engine {
        case sqlite(Database)
        case postgres(PostgresSession)
    }

    let engine: Engine

    init(_ db: Database) { engine = .sqlite(db) }
    init(_ session: PostgresSession) { engine = .postgres(session) }

    var isPostgres: Bool { if case .postgres = engine { true } else { false } }

    func rows(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow] {
        switch engine {
        case .sqlite(let db): try db.rows(sql, arguments)
        case .postgres(let session): try session.rows(sql, arguments)
        }
    }

    func execute(_ sql: String, _ arguments: [SQLValue]) throws {
        switch engine {
        case .sqlite(let db): try db.execute(sql, arguments)
        case .postgres(let session): try session.execute(sql, arguments)
        }
    }

    func records<R: ColumnDecodable>(_ type: R.Type, _ sql: String, _ arguments: [SQLValue]) throws -> [R] {
        switch engine {
        case .sqlite(let db): try db.records(type, sql, arguments)
        case .postgres(let session): try session.records(type, sql, arguments)
        }
    }

    /// The first record the statement returns, nil when none.
    func record<R: ColumnDecodable>(_ type: R.Type, _ sql: String, _ arguments: [SQLValue]) throws -> R? {
        try records(type, sql, arguments).first
    }

    /// The first column of the first row as an integer (a count), 0 when none.
    func integer(_ sql: String, _ arguments: [SQLValue]) throws -> Int64 {
        try rows(sql, arguments).first?.values.first?.integer ?? 0
    }

    /// The first column of every row, as text.
    func strings(_ sql: String, _ arguments: [SQLValue]) throws -> [String] {
        try rows(sql, arguments).compactMap { $0.values.first?.text }
    }

    /// Inserts a record whose key is generated (`id`), setting it on the record.
    ///
    /// On PostgreSQL the id is the table's largest plus one, as SQLite's `AUTOINCREMENT` gives
    /// it: writers are serialized by the writer lock, and an identity sequence would leave gaps
    /// after a rolled-back write, so the same history would number its rows differently.
    func insert<R: MutablePersistableRecord & IdentifiedRecord>(_ record: inout R) throws {
        switch engine {
        case .sqlite(let db):
            try record.insert(db)
        case .postgres(let session):
            var values = try record.databaseDictionary
            if values["id"]?.isNull ?? true { values["id"] = nil }
            let columns = values.keys.sorted()
            let table = R.databaseTableName
            var placeholders = columns.map { _ in "?" }
            var names = columns.map { "\"\($0)\"" }
            if record.id == nil {
                names.append("id")
                placeholders.append("(SELECT COALESCE(max(id), 0) + 1 FROM \"\(table)\")")
            }
            let inserted = try session.rows(
                "INSERT INTO \"\(table)\" (\(names.joined(separator: ", "))) VALUES (\(placeholders.joined(separator: ", "))) RETURNING id",
                columns.map { SQLValue(values[$0] ?? .null) })
            guard let id = inserted.first?["id"].integer else {
                throw StoreError(.integrity, "an inserted \(table) row has no id")
            }
            record.id = id
        }
    }

    /// Inserts a record whose key is its own columns.
    func insert<R: PersistableRecord>(_ record: R) throws {
        switch engine {
        case .sqlite(let db):
            try record.insert(db)
        case .postgres(let session):
            let values = try record.databaseDictionary
            let columns = values.keys.sorted()
            try session.execute(
                "INSERT INTO \"\(R.databaseTableName)\" (\(columns.map { "\"\($0)\"" }.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))",
                columns.map { SQLValue(values[$0] ?? .null) })
        }
    }

    /// Updates every column of a record's row, found by the table's key (see ``TrackedTable``).
    func update<R: MutablePersistableRecord>(_ record: R) throws {
        switch engine {
        case .sqlite(let db):
            try record.update(db)
        case .postgres(let session):
            let table = R.databaseTableName
            guard let key = TrackedTable.byName[table]?.key else {
                throw StoreError(.integrity, "no key known for table \(table)")
            }
            let values = try record.databaseDictionary
            let columns = values.keys.sorted().filter { !key.contains($0) }
            let assignments = columns.map { "\"\($0)\" = ?" }.joined(separator: ", ")
            let condition = key.map { "\"\($0)\" = ?" }.joined(separator: " AND ")
            try session.execute(
                "UPDATE \"\(table)\" SET \(assignments) WHERE \(condition)",
                (columns + key).map { SQLValue(values[$0] ?? .null) })
        }
    }

    /// `?, ?, ?` for a list of `count` values (at least one, so `IN ()` never happens).
    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: max(1, count)).joined(separator: ", ")
    }

    /// The values of an `IN (…)` list (`NULL` for an empty one, which matches nothing).
    static func list(_ values: [String]) -> [SQLValue] {
        values.isEmpty ? [.null] : values.map { .text($0) }
    }
}

/// A record whose primary key is a generated `id`.
protocol IdentifiedRecord {
    var id: Int64? { get set }
}

extension CustomerRecord: IdentifiedRecord {}
extension EvidenceRecord: IdentifiedRecord {}
extension SignoffRecord: IdentifiedRecord {}
extension VerificationRunRecord: IdentifiedRecord {}
