import Foundation
import GRDB

/// A value bound to or read from SQL, the same on both engines: SQLite's four storage classes
/// that the tracker uses (no floating point), and PostgreSQL's `bigint`, `text`, `bytea` and
/// `boolean` read back into them (a boolean is the integer 1 or 0, as SQLite stores it).
enum SQLValue: Equatable, Sendable {
    case null
    case integer(Int64)
    case text(String)
    case bytes(Data)

    init(_ text: String?) { self = text.map { .text($0) } ?? .null }
    init(_ number: Int64?) { self = number.map { .integer($0) } ?? .null }
    init(_ number: Int?) { self = number.map { .integer(Int64($0)) } ?? .null }

    var integer: Int64? { if case .integer(let number) = self { number } else { nil } }
    var text: String? { if case .text(let text) = self { text } else { nil } }

    var databaseValue: DatabaseValue {
        switch self {
        case .null: return .null
        case .integer(let number): return number.databaseValue
        case .text(let text): return text.databaseValue
        case .bytes(let data): return data.databaseValue
        }
    }

    init(_ value: DatabaseValue) {
        switch value.storage {
        case .null: self = .null
        case .int64(let number): self = .integer(number)
        case .double(let number): self = .text(String(number))
        case .string(let text): self = .text(text)
        case .blob(let data): self = .bytes(data)
        }
    }
}

/// A value a column holds that does not read as its type (a database edited by hand).
struct SQLValueProblem: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// One result row: values by position, with the column names of its statement.
struct SQLRow: Equatable, Sendable {
    var columns: [String]
    var values: [SQLValue]

    subscript(_ column: String) -> SQLValue {
        columns.firstIndex(of: column).map { values[$0] } ?? .null
    }

    /// An integer column (a count), 0 when NULL.
    func int(_ column: String) -> Int { self[column].integer.map { Int($0) } ?? 0 }

    /// A text column that is NOT NULL in the schema.
    func string(_ column: String) -> String { self[column].text ?? "" }
}

/// What the store asks of a database connection inside a transaction, whichever engine: run a
/// statement with `?` placeholders and read its rows as ``SQLValue``s.
protocol SQLSession {
    func rows(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow]
    func execute(_ sql: String, _ arguments: [SQLValue]) throws
}

extension Database: SQLSession {
    func rows(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow] {
        let statement = try cachedStatement(sql: sql)
        let columns = statement.columnNames
        return try Row.fetchAll(statement, arguments: StatementArguments(arguments.map(\.databaseValue))).map { row in
            SQLRow(columns: columns, values: (0..<columns.count).map { SQLValue(row[$0] as DatabaseValue) })
        }
    }

    func execute(_ sql: String, _ arguments: [SQLValue]) throws {
        try execute(sql: sql, arguments: StatementArguments(arguments.map(\.databaseValue)))
    }
}
