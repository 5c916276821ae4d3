import Foundation

/// A JSON value in the one form the project hashes, and its writer.
///
/// Audit events, their `before`/`after`, check evidence and recorded runs are stored as this
/// text and hashed byte for byte, so the bytes are defined here, by code the project owns:
/// object members sorted by the UTF-8 bytes of their keys, no whitespace, strings escaped as
/// ``JSONStringEscaping`` says (slashes not escaped), integers in decimal, doubles in Swift's
/// shortest round-trip form without a trailing `.0`. These are exactly the bytes JSONEncoder
/// (`.sortedKeys`, `.withoutEscapingSlashes`) wrote when the store was first released, so
/// existing databases keep verifying; known-answer tests (`CanonicalHashKnownAnswerTests`)
/// freeze them against any later change of the writer or of Foundation.
public enum CanonicalJSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    /// A finite double; a non-finite one has no JSON form and is written as `null`.
    case double(Double)
    case string(String)
    case array([CanonicalJSONValue])
    /// Members in any order: the writer sorts them.
    case object([String: CanonicalJSONValue])

    /// An array of strings, the most common member of the store's documents.
    public static func strings(_ values: [String]) -> CanonicalJSONValue {
        .array(values.map(CanonicalJSONValue.string))
    }

    /// A date as the canonical form writes it: `"2026-03-02T09:00:00Z"` (UTC, whole seconds
    /// rounded down), the form an `Encodable`'s `Date` takes too.
    public static func date(_ date: Date) -> CanonicalJSONValue { .string(ISO8601Seconds.string(date)) }

    /// The canonical text.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The canonical bytes (UTF-8).
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(into: &out)
        return out
    }

    /// Appends the canonical bytes to `out`.
    public func write(into out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let flag): out.append(contentsOf: (flag ? "true" : "false").utf8)
        case .int(let number): out.append(contentsOf: String(number).utf8)
        case .double(let number):
            guard number.isFinite else {
                out.append(contentsOf: "null".utf8)
                return
            }
            out.append(contentsOf: JSONNumberText.double(number).utf8)
        case .string(let text): JSONStringEscaping.append(text, to: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            var first = true
            for element in elements {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                element.write(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            var first = true
            for member in members.sorted(by: { Self.precedes($0.key, $1.key) }) {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                JSONStringEscaping.append(member.key, to: &out)
                out.append(UInt8(ascii: ":"))
                member.value.write(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// The order of members: `a` before `b` in the byte order of their UTF-8 (not String's `<`,
    /// which compares by Unicode canonical equivalence): `"B" < "_x" < "a10" < "a9" < "é"`.
    public static func precedes(_ a: String, _ b: String) -> Bool {
        var a = a
        var b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                for index in 0..<min(x.count, y.count) where x[index] != y[index] { return x[index] < y[index] }
                return x.count < y.count
            }
        }
    }
}
