import Foundation
import SOPJSON

/// Any JSON value, for request bodies and responses of the JSON and REST-JSON protocols.
///
/// Lookups return optionals and never trap: `response["Roots"]?[0]?["Id"]?.string`.
public enum JSONValue: Sendable, Hashable, Codable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public subscript(_ key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    public subscript(_ index: Int) -> JSONValue? {
        if case .array(let array) = self, array.indices.contains(index) { return array[index] }
        return nil
    }

    public var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }
    public var bool: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }
    public var double: Double? {
        if case .number(let n) = self { return n }
        return nil
    }
    /// The number as `Int` when it is integral (also accepts numeric strings, which some APIs send).
    public var int: Int? {
        switch self {
        case .number(let n) where n.rounded() == n && abs(n) < 9.0e15: return Int(n)
        case .string(let s): return Int(s)
        default: return nil
        }
    }
    public var array: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }
    public var object: [String: JSONValue]? {
        if case .object(let o) = self { return o }
        return nil
    }
    public var isNull: Bool { self == .null }

    /// The elements of an array, or `[]` for anything else (handy for optional lists).
    public var elements: [JSONValue] { array ?? [] }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let b = try? container.decode(Bool.self) {
            self = .bool(b)
        } else if let n = try? container.decode(Double.self) {
            self = .number(n)
        } else if let s = try? container.decode(String.self) {
            self = .string(s)
        } else if let a = try? container.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let b): try container.encode(b)
        case .number(let n):
            if n.rounded() == n && abs(n) < 9.0e15 { try container.encode(Int64(n)) } else { try container.encode(n) }
        case .string(let s): try container.encode(s)
        case .array(let a): try container.encode(a)
        case .object(let o): try container.encode(o)
        }
    }

    /// Compact JSON with sorted keys (stable bytes, so signatures and fixtures are reproducible):
    /// SOPJSON's canonical form, with integral numbers below 9e15 written as integers, as
    /// ``encode(to:)`` gives them.
    public func encoded() -> Data { Data(canonical.bytes) }

    private var canonical: CanonicalJSONValue {
        switch self {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .number(let n): return n.rounded() == n && abs(n) < 9.0e15 ? .int(Int(n)) : .double(n)
        case .string(let s): return .string(s)
        case .array(let a): return .array(a.map(\.canonical))
        case .object(let o): return .object(o.mapValues(\.canonical))
        }
    }

    /// Parses JSON text; throws `JSONParseError` with a short reason.
    ///
    /// Well-formed documents are read by SOPJSON's `JSONReader` (responses are parsed on the
    /// threads that run the fetches, and `JSONDecoder` into this enum tried four types per
    /// value); anything it does not accept (malformed text, duplicate keys, a bare scalar at the
    /// top) goes to `JSONDecoder`, so both paths accept and reject the same documents.
    public static func parse(_ data: Data) throws -> JSONValue {
        if let value = read(data) { return value }
        do {
            return try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw JSONParseError(message: "invalid JSON (\(data.count) bytes)")
        }
    }

    public var description: String { String(decoding: encoded(), as: UTF8.self) }

    /// A document whose top is an object or an array, read by the strict reader; nil for
    /// anything it does not fully accept.
    static func read(_ data: Data) -> JSONValue? {
        var reader = JSONReader(data)
        let kind = reader.nextKind()
        guard kind == .object || kind == .array, let value = value(&reader), reader.atEnd else { return nil }
        return value
    }

    private static func value(_ reader: inout JSONReader) -> JSONValue? {
        switch reader.nextKind() {
        case .object:
            var members: [String: JSONValue] = [:]
            let ok = reader.object { reader, key in
                // A repeated key: which one wins is JSONDecoder's to say.
                guard let element = value(&reader), members.updateValue(element, forKey: key) == nil else {
                    return false
                }
                return true
            }
            return ok ? .object(members) : nil
        case .array:
            var elements: [JSONValue] = []
            let ok = reader.array { reader in
                guard let element = value(&reader) else { return false }
                elements.append(element)
                return true
            }
            return ok ? .array(elements) : nil
        case .string: return reader.string().map { .string($0) }
        case .number: return reader.number().map { .number($0) }
        case .bool: return reader.bool().map { .bool($0) }
        // (Not `cond ? .null : nil`: `nil` would be read as `JSONValue.null`.)
        case .null: return reader.null() ? Optional(.null) : .none
        case nil: return nil
        }
    }
}

/// The body was not valid JSON.
public struct JSONParseError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, b in b }))
    }
    public init(nilLiteral: ()) { self = .null }
}
