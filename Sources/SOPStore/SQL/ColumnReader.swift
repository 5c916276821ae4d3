import Foundation
import GRDB

/// What a record's initializer reads its columns from: a GRDB row (SQLite, the hot path of a
/// site build) or an ``SQLRow`` (either engine). One initializer per record serves both, so a
/// row decodes the same whichever engine it came from.
protocol ColumnReader {
    /// The column's value as `T` (a column the statement did not select is NULL); a NULL where
    /// `T` is not optional or a value of another type throws (a database edited by hand is an error, never a trap).
    func value<T: StoredValue>(_ column: String) throws -> T
}

/// The Swift types record columns have, read from either engine's values.
protocol StoredValue {
    init?(stored value: DatabaseValue)
    init?(sql value: SQLValue)
}

extension String: StoredValue {
    init?(stored value: DatabaseValue) {
        guard case .string(let text) = value.storage else { return nil }
        self = text
    }
    init?(sql value: SQLValue) {
        guard case .text(let text) = value else { return nil }
        self = text
    }
}

extension Int64: StoredValue {
    init?(stored value: DatabaseValue) {
        switch value.storage {
        case .int64(let number): self = number
        case .double(let number) where number == number.rounded() && abs(number) < 9e18: self = Int64(number)
        default: return nil
        }
    }
    init?(sql value: SQLValue) {
        guard case .integer(let number) = value else { return nil }
        self = number
    }
}

extension Int: StoredValue {
    init?(stored value: DatabaseValue) {
        guard let number = Int64(stored: value) else { return nil }
        self = Int(number)
    }
    init?(sql value: SQLValue) {
        guard let number = Int64(sql: value) else { return nil }
        self = Int(number)
    }
}

extension Bool: StoredValue {
    init?(stored value: DatabaseValue) {
        guard let number = Int64(stored: value) else { return nil }
        self = number != 0
    }
    init?(sql value: SQLValue) {
        guard let number = Int64(sql: value) else { return nil }
        self = number != 0
    }
}

extension Optional: StoredValue where Wrapped: StoredValue {
    init?(stored value: DatabaseValue) {
        if value.isNull {
            self = .none
        } else if let wrapped = Wrapped(stored: value) {
            self = .some(wrapped)
        } else {
            return nil
        }
    }
    init?(sql value: SQLValue) {
        if value == .null {
            self = .none
        } else if let wrapped = Wrapped(sql: value) {
            self = .some(wrapped)
        } else {
            return nil
        }
    }
}

extension Row: ColumnReader {
    func value<T: StoredValue>(_ column: String) throws -> T {
        // A column the statement did not select reads as NULL, as GRDB's own decoding has it.
        try Self.decoded(hasColumn(column) ? self[column] : .null, column)
    }

    /// `stored` as `T`, or the one-line error naming the column.
    static func decoded<T: StoredValue>(_ stored: DatabaseValue, _ column: String) throws -> T {
        guard let value = T(stored: stored) else {
            throw StoreError(.integrity, "column \(column) holds no value of the expected type (run sop audit verify)")
        }
        return value
    }
}

extension SQLRow: ColumnReader {
    func value<T: StoredValue>(_ column: String) throws -> T {
        guard let value = T(sql: columns.firstIndex(of: column).map { values[$0] } ?? .null) else {
            throw StoreError(.integrity, "column \(column) holds no value of the expected type (run sop audit verify)")
        }
        return value
    }
}
