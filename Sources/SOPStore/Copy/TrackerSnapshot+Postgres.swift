import Foundation
import SOPPostgres

extension TrackerSnapshot {
    /// Reads every row of a PostgreSQL tracker, converting each text value back by the column's
    /// SQLite type (booleans `t`/`f` to 1/0, `bytea` from its hex form), so the snapshot equals
    /// the one the same data gives on SQLite.
    static func read(_ server: PostgresConnection) throws -> TrackerSnapshot {
        var tables = layout
        for index in tables.indices {
            let table = tables[index]
            let columns = table.columns.map { "\"\($0.name)\"" }.joined(separator: ", ")
            let order = table.key.map { "\"\($0)\"" }.joined(separator: ", ")
            let result = try server.query("SELECT \(columns) FROM \(table.name) ORDER BY \(order)")
            tables[index].rows = try result.rows.map { row in
                try zip(table.columns, row).map { column, text in try value(text, as: column, in: table.name) }
            }
        }
        return TrackerSnapshot(tables: tables)
    }

    /// Inserts every row into an empty PostgreSQL tracker, inside the caller's transaction, and
    /// moves each identity column's sequence past the copied ids.
    func write(to server: PostgresConnection) throws {
        for table in tables where !table.rows.isEmpty {
            let columns = table.columns.map { "\"\($0.name)\"" }.joined(separator: ", ")
            if table.name == "chain_head" {
                try server.query("DELETE FROM chain_head")
            }
            // At most 65,535 parameters per statement, and statements of a sensible size.
            let perStatement = max(1, min(500, 60_000 / table.columns.count))
            var start = 0
            while start < table.rows.count {
                let batch = table.rows[start..<min(start + perStatement, table.rows.count)]
                var parameters: [String?] = []
                var tuples: [String] = []
                for row in batch {
                    let first = parameters.count
                    parameters += zip(table.columns, row).map { Self.text($1, as: $0) }
                    tuples.append(
                        "(" + (1...row.count).map { "$\(first + $0)" }.joined(separator: ", ") + ")")
                }
                try server.query(
                    "INSERT INTO \(table.name) (\(columns)) VALUES \(tuples.joined(separator: ", "))", parameters)
                start += perStatement
            }
        }
        for table in ["customer", "verification_run", "evidence", "signoff"] {
            try server.query(
                "SELECT setval(pg_get_serial_sequence('\(table)', 'id'), COALESCE(max(id), 1), max(id) IS NOT NULL) FROM \(table)"
            )
        }
    }

    /// A value as PostgreSQL's text input takes it.
    private static func text(_ value: Value, as column: Column) -> String? {
        switch value {
        case .null: return nil
        case .integer(let number): return String(number)
        case .text(let text): return text
        case .bytes(let data): return "\\x" + data.lowercaseHex
        }
    }

    private static func value(_ text: String?, as column: Column, in table: String) throws -> Value {
        guard let text else { return .null }
        switch column.kind {
        case .text: return .text(text)
        case .integer:
            guard let number = Int64(text) else {
                throw CopyProblem("\(table).\(column.name): '\(text.prefix(20))' is not an integer")
            }
            return .integer(number)
        case .boolean:
            switch text {
            case "t": return .integer(1)
            case "f": return .integer(0)
            default: throw CopyProblem("\(table).\(column.name): '\(text.prefix(20))' is not a boolean")
            }
        case .bytes:
            guard text.hasPrefix("\\x"), let data = Data(hex: text.dropFirst(2)) else {
                throw CopyProblem("\(table).\(column.name): not bytea in hex form")
            }
            return .bytes(data)
        }
    }
}

/// A row that does not convert between the engines.
struct CopyProblem: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension Data {
    /// The bytes as lower-case hex digits, two per byte (a 25 MB file is one string).
    fileprivate var lowercaseHex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(count * 2)
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Bytes from hexadecimal digits; nil for an odd count or a non-digit.
    fileprivate init?(hex: Substring) {
        guard hex.utf8.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.utf8.count / 2)
        var high: UInt8?
        for c in hex.utf8 {
            let nibble: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = c - UInt8(ascii: "A") + 10
            default: return nil
            }
            if let h = high {
                bytes.append(h << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        self.init(bytes)
    }
}
