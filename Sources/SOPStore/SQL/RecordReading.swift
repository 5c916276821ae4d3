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
        let rows = try Row.fetchCursor(statement, arguments: StatementArguments(arguments.map(\.databaseValue)))
        var result: [R] = []
        while let row = try rows.next() { result.append(try R(columns: row)) }
        return result
    }
}

extension PostgresSession: RecordReading {
    func records<R: ColumnDecodable>(_ type: R.Type, _ sql: String, _ arguments: [SQLValue]) throws -> [R] {
        try rows(sql, arguments).map { try R(columns: $0) }
    }
}
