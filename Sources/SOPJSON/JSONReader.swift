import Foundation

/// A forward-only, strict RFC 8259 reader over the bytes of one JSON document.
///
/// One reader serves AWS answers (built into a tree by AWSClient's `JSONValue.parse`) and the
/// runs the store wrote itself (read member by member straight into their types). Foundation's
/// decoders build a boxed tree (JSONSerialization) or go through Codable's key conversion
/// (JSONDecoder) first, which made parsing responses and reading stored runs measurable parts
/// of a verify and a site build; this reads the bytes in place.
///
/// It is strict: a method returns nil (or false) for anything it does not fully accept
/// (invalid UTF-8, unescaped control characters, a lone surrogate, leading zeros, a number
/// that is not finite, nesting deeper than ``maximumDepth``), so callers can fall back to
/// JSONDecoder and never be more lenient than it. After a failure the position is unspecified.
public struct JSONReader {
    /// The deepest nesting of arrays and objects accepted.
    public static let maximumDepth = 255

    /// What the next value is, judged by its first byte.
    public enum Kind: Sendable, Equatable {
        case object, array, string, number, bool, null
    }

    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public init(_ data: Data) { self.bytes = [UInt8](data) }

    /// True when only whitespace is left.
    public var atEnd: Bool {
        mutating get {
            skipWhitespace()
            return index == bytes.count
        }
    }

    /// The kind of the next value (whitespace skipped), or nil when no value can start here.
    public mutating func nextKind() -> Kind? {
        skipWhitespace()
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        default: return nil
        }
    }

    /// Calls `member(&reader, key)` for each member of an object; `member` must consume the
    /// value and return false to stop with a failure.
    public mutating func object(_ member: (inout JSONReader, String) -> Bool) -> Bool {
        guard consume(UInt8(ascii: "{")), enter() else { return false }
        defer { depth -= 1 }
        if consume(UInt8(ascii: "}")) { return true }
        repeat {
            guard let key = string(), consume(UInt8(ascii: ":")), member(&self, key) else { return false }
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "}"))
    }

    /// Calls `element(&reader)` for each element of an array; `element` must consume the value.
    public mutating func array(_ element: (inout JSONReader) -> Bool) -> Bool {
        guard consume(UInt8(ascii: "[")), enter() else { return false }
        defer { depth -= 1 }
        if consume(UInt8(ascii: "]")) { return true }
        repeat {
            guard element(&self) else { return false }
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "]"))
    }

    public mutating func stringArray() -> [String]? {
        var list: [String] = []
        let ok = array { reader in
            guard let text = reader.string() else { return false }
            list.append(text)
            return true
        }
        return ok ? list : nil
    }

    /// `null` → `.some(nil)`, a string → `.some(text)`, anything else → nil.
    public mutating func optionalString() -> String?? {
        if null() { return .some(nil) }
        return string().map { .some($0) }
    }

    /// Consumes `null`; false (nothing consumed) when the next value is something else.
    public mutating func null() -> Bool {
        skipWhitespace()
        return literal("null")
    }

    public mutating func bool() -> Bool? {
        skipWhitespace()
        if literal("true") { return true }
        if literal("false") { return false }
        return nil
    }

    /// A string with every escape resolved; nil if malformed.
    public mutating func string() -> String? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        let start = index
        // Fast path: no escapes before the closing quote.
        while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\") {
            guard bytes[index] >= 0x20 else { return nil }
            index += 1
        }
        guard index < bytes.count else { return nil }
        if bytes[index] == UInt8(ascii: "\"") {
            defer { index += 1 }
            return String(validating: bytes[start..<index], as: UTF8.self)
        }
        var out = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(validating: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { return nil }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    guard let scalar = unicodeEscape() else { return nil }
                    out.append(contentsOf: String(Character(scalar)).utf8)
                default: return nil
                }
            case 0..<0x20:
                return nil
            default:
                out.append(byte)
            }
        }
        return nil
    }

    /// A whole number without fraction or exponent that fits in `Int`.
    public mutating func integer() -> Int? {
        guard let range = numberToken(), let text = String(validating: bytes[range], as: UTF8.self),
            !text.utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 | 0x20 == UInt8(ascii: "e") })
        else { return nil }
        return Int(text)
    }

    /// Any number, as the nearest `Double` (JSONDecoder's reading); nil when it is not finite.
    public mutating func number() -> Double? {
        guard let range = numberToken(), let number = Double(String(decoding: bytes[range], as: UTF8.self)),
            number.isFinite
        else { return nil }
        return number
    }

    /// Skips any value (for members a newer writer added).
    public mutating func skipValue() -> Bool {
        switch nextKind() {
        case .object: return object { reader, _ in reader.skipValue() }
        case .array: return array { reader in reader.skipValue() }
        case .string: return string() != nil
        case .number: return number() != nil
        case .bool: return bool() != nil
        case .null: return null()
        case nil: return false
        }
    }

    // MARK: Bytes

    private mutating func enter() -> Bool {
        depth += 1
        guard depth <= Self.maximumDepth else { return false }
        return true
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?` at the current position.
    private mutating func numberToken() -> Range<Int>? {
        skipWhitespace()
        let start = index
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count else { return nil }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            guard digits() > 0 else { return nil }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { return nil }
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard digits() > 0 else { return nil }
        }
        return start..<index
    }

    private mutating func digits() -> Int {
        let from = index
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        return index - from
    }

    /// The four hex digits after `\u` (and the escaped low surrogate a high one needs).
    private mutating func unicodeEscape() -> Unicode.Scalar? {
        guard let high = hex4() else { return nil }
        if (0xD800...0xDBFF).contains(high) {
            guard literal("\\u"), let low = hex4(), (0xDC00...0xDFFF).contains(low) else { return nil }
            return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
        }
        return Unicode.Scalar(high)  // nil for a lone low surrogate
    }

    private mutating func hex4() -> UInt32? {
        guard bytes.count - index >= 4 else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    /// `literal` exactly at the current position (no whitespace skipped), without allocating.
    private mutating func literal(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - index >= count else { return false }
        for offset in 0..<count where bytes[index + offset] != literal.utf8Start[offset] { return false }
        index += count
        return true
    }
}
