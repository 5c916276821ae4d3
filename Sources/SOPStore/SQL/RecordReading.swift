import GRDB

/// A record that decodes from either engine's rows (see ``ColumnReader``).
protocol ColumnDecodable {
    init(columns: some ColumnReader) throws
}

extension ItemRecord: ColumnDecodable {}
extension EvidenceRecord: ColumnDecodable {}
extension CustomerRecord: ColumnDecodable {}
extension SectionRecord: ColumnDecodable {}
extension SignoffRecord: ColumnDecodable {}
extension CheckStateRecord: ColumnDecodable {}
extension AuditEventRecord: ColumnDecodable {}
extension ChainHeadRecord: ColumnDecodable {}
extension VerificationRunRecord: ColumnDecodable {}

/// Reads records with one statement, whichever engine: the read paths that both engines serve
/// (a customer's report, the portfolio) are written once against this.
protocol RecordReading {
    func records<R: ColumnDecodable>(_ type: R.Type, _ sql: String, _ arguments: [SQLValue]) throws -> [R]
}

extension Database: RecordReading {
    /// Cached statements and GRDB rows: a site build runs these once per customer.
    func records<R: ColumnDecodable>(_ type: R.Type, _ sql: String, _ arguments: [SQLValue]) throws -> [R] {
        let statement = try cachedStatement(sql: sql)
        let positions = Dictionary(
            statement.columnNames.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let rows = try Row.fetchCursor(statement, arguments: StatementArguments(arguments.map(\.databaseValue)))
        var result: [R] = []
        while let row = try rows.next() { result.append(try R(columns: PositionedRow(row: row, positions: positions))) }
        return result
    }
}

/// A GRDB row whose columns were located once for the whole statement: one lookup per value
/// instead of GRDB's two by name (`hasColumn`, then the subscript), which were a tenth of a
/// site build.
struct PositionedRow: ColumnReader {
    let row: Row
    let positions: [String: Int]

    func value<T: StoredValue>(_ column: String) throws -> T {
        // A column the statement did not select reads as NULL, as for ``Row``.
        try Row.decoded(positions[column].map { row[$0] } ?? .null, column)
    }
}

extension PostgresSession: RecordReading {
    func records<R: ColumnDecodable>(_ type: R.Type, _ sql: String, _ arguments: [SQLValue]) throws -> [R] {
        try rows(sql, arguments).map { try R(columns: $0) }
    }
}
