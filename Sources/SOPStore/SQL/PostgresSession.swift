import Foundation
import SOPPostgres

/// A PostgreSQL connection as an ``SQLSession``: `?` placeholders become `$1`, `$2`… and each
/// result column is read back by its type, so a row reads the same as on SQLite.
struct PostgresSession: SQLSession {
    let connection: PostgresConnection

    func rows(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow] {
        let result = try connection.query(Self.numbered(sql), arguments.map(Self.text))
        return try result.rows.map { row in
            SQLRow(
                columns: result.columns,
                values: try zip(result.types, row).enumerated().map { index, pair in
                    try Self.value(pair.1, type: pair.0, column: result.columns[index])
                })
        }
    }

    func execute(_ sql: String, _ arguments: [SQLValue]) throws {
        try connection.query(Self.numbered(sql), arguments.map(Self.text))
    }

    /// `?` → `$n`, outside quoted strings and identifiers (`'a?b'` and `"a?"` stay as written).
    static func numbered(_ sql: String) -> String {
        var out = ""
        var number = 0
        var quote: Character?
        for character in sql {
            if let open = quote {
                if character == open { quote = nil }
                out.append(character)
            } else if character == "'" || character == "\"" {
                quote = character
                out.append(character)
            } else if character == "?" {
                number += 1
                out += "$\(number)"
            } else {
                out.append(character)
            }
        }
        return out
    }

    /// A value as PostgreSQL's text input takes it (`bytea` in hex).
    static func text(_ value: SQLValue) -> String? {
        switch value {
        case .null: return nil
        case .integer(let number): return String(number)
        case .text(let text): return text
        case .bytes(let data): return "\\x" + Hex.lowercase(data)
        }
    }

    /// Type OIDs of the columns the tracker's schema uses.
    enum TypeOID {
        static let boolean: UInt32 = 16
        static let bytea: UInt32 = 17
        static let integers: Set<UInt32> = [20, 21, 23]  // bigint, smallint, integer
    }

    static func value(_ text: String?, type: UInt32, column: String) throws -> SQLValue {
        guard let text else { return .null }
        switch type {
        case TypeOID.boolean:
            switch text {
            case "t": return .integer(1)
            case "f": return .integer(0)
            default: throw SQLValueProblem("\(column): '\(text.prefix(20))' is not a boolean")
            }
        case TypeOID.bytea:
            guard text.hasPrefix("\\x"), let data = Hex.data(text.dropFirst(2)) else {
                throw SQLValueProblem("\(column): not bytea in hex form")
            }
            return .bytes(data)
        case let oid where TypeOID.integers.contains(oid):
            guard let number = Int64(text) else {
                throw SQLValueProblem("\(column): '\(text.prefix(20))' is not an integer")
            }
            return .integer(number)
        default:
            return .text(text)
        }
    }
}

/// Hexadecimal for `bytea`.
enum Hex {
    /// Two lower-case digits per byte (a 25 MB evidence file is one string).
    static func lowercase(_ data: Data) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(data.count * 2)
        for byte in data {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Bytes from hexadecimal digits; nil for an odd count or a non-digit.
    static func data(_ hex: Substring) -> Data? {
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
        return Data(bytes)
    }
}
