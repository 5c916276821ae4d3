import Foundation

extension CanonicalJSONValue {
    /// The canonical tree of an `Encodable` value, with the conventions the store has always
    /// hashed: property names converted to snake_case (``SnakeCase``), the keys of a
    /// `[String: …]` dictionary kept as they are, dates as ISO-8601 UTC whole seconds, nil
    /// optionals of a synthesized `Encodable` left out, `URL` as its absolute string, `Data` as
    /// Base64. Throws for what has no canonical form (non-finite doubles, `Float`, an
    /// unsigned integer above `Int.max`).
    public init<T: Encodable>(encoding value: T) throws {
        self = try CanonicalEncoding.value(of: value, codingPath: [])
    }
}

enum CanonicalEncoding {
    static func value<T: Encodable>(of value: T, codingPath: [any CodingKey]) throws -> CanonicalJSONValue {
        switch value {
        case let text as String: return .string(text)
        case let date as Date: return .string(ISO8601Seconds.string(date))
        case let url as URL: return .string(url.absoluteString)
        case let data as Data: return .string(data.base64EncodedString())
        case let dictionary as any StringKeyedDictionary: return .object(try dictionary.canonicalMembers(codingPath))
        default:
            let node = EncodingNode()
            try value.encode(to: CanonicalEncoder(node: node, codingPath: codingPath))
            return node.value
        }
    }

    static func double(_ value: Double, _ codingPath: [any CodingKey]) throws -> CanonicalJSONValue {
        guard value.isFinite else {
            throw EncodingError.invalidValue(
                value, .init(codingPath: codingPath, debugDescription: "\(value) has no JSON form"))
        }
        return .double(value)
    }

    /// The canonical form has one floating-point type, `Double`; a `Float` would need its own
    /// digits (JSONEncoder wrote `Float(1e8)` as `1e+08`, `Double(1e8)` as `100000000`), and the
    /// store hashes none.
    static func float(_ value: Float, _ codingPath: [any CodingKey]) -> EncodingError {
        EncodingError.invalidValue(
            value, .init(codingPath: codingPath, debugDescription: "Float is not part of the canonical form"))
    }

    static func integer<I: FixedWidthInteger>(_ value: I, _ codingPath: [any CodingKey]) throws -> CanonicalJSONValue {
        guard let number = Int(exactly: value) else {
            throw EncodingError.invalidValue(
                value, .init(codingPath: codingPath, debugDescription: "\(value) is beyond Int"))
        }
        return .int(number)
    }
}

/// `[String: Value]` dictionaries, whose keys are data and are never converted to snake_case.
protocol StringKeyedDictionary {
    func canonicalMembers(_ codingPath: [any CodingKey]) throws -> [String: CanonicalJSONValue]
}

extension Dictionary: StringKeyedDictionary where Key == String, Value: Encodable {
    func canonicalMembers(_ codingPath: [any CodingKey]) throws -> [String: CanonicalJSONValue] {
        var members: [String: CanonicalJSONValue] = [:]
        members.reserveCapacity(count)
        for (key, value) in self {
            members[key] = try CanonicalEncoding.value(of: value, codingPath: codingPath + [PlainKey(key)])
        }
        return members
    }
}

struct PlainKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }
}

/// What one `encode(to:)` call produced, filled in by whichever container it asked for.
final class EncodingNode {
    enum Content {
        case nothing
        case single(CanonicalJSONValue)
        case array([EncodingNode])
        case object([String: EncodingNode])
    }

    var content: Content = .nothing

    init() {}
    init(_ value: CanonicalJSONValue) { content = .single(value) }

    /// A value that encoded nothing is an empty object, as JSONEncoder writes it.
    var value: CanonicalJSONValue {
        switch content {
        case .nothing: return .object([:])
        case .single(let value): return value
        case .array(let nodes): return .array(nodes.map(\.value))
        case .object(let nodes): return .object(nodes.mapValues(\.value))
        }
    }
}

struct CanonicalEncoder: Encoder {
    let node: EncodingNode
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .object = node.content {} else { node.content = .object([:]) }
        return KeyedEncodingContainer(KeyedContainer<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .array = node.content {} else { node.content = .array([]) }
        return UnkeyedContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleValueContainer(node: node, codingPath: codingPath)
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: EncodingNode
    let codingPath: [any CodingKey]

    private func set(_ child: EncodingNode, for key: Key) { set(child, named: SnakeCase.convert(key.stringValue)) }

    private func set(_ child: EncodingNode, named name: String) {
        guard case .object(var members) = node.content else { return }
        node.content = .nothing  // keeps `members` uniquely referenced while it changes
        members[name] = child
        node.content = .object(members)
    }

    private func set(_ value: CanonicalJSONValue, for key: Key) { set(EncodingNode(value), for: key) }

    mutating func encodeNil(forKey key: Key) throws { set(.null, for: key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { set(.bool(value), for: key) }
    mutating func encode(_ value: String, forKey key: Key) throws { set(.string(value), for: key) }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        set(try CanonicalEncoding.double(value, codingPath + [key]), for: key)
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        throw CanonicalEncoding.float(value, codingPath + [key])
    }
    mutating func encode(_ value: Int, forKey key: Key) throws { set(.int(value), for: key) }
    mutating func encode<T: FixedWidthInteger & Encodable>(integer value: T, forKey key: Key) throws {
        set(try CanonicalEncoding.integer(value, codingPath + [key]), for: key)
    }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try encode(integer: value, forKey: key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try encode(integer: value, forKey: key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try encode(integer: value, forKey: key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try encode(integer: value, forKey: key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try encode(integer: value, forKey: key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try encode(integer: value, forKey: key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try encode(integer: value, forKey: key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try encode(integer: value, forKey: key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try encode(integer: value, forKey: key) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        set(try CanonicalEncoding.value(of: value, codingPath: codingPath + [key]), for: key)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type,
        forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let child = EncodingNode()
        set(child, for: key)
        return CanonicalEncoder(node: child, codingPath: codingPath + [key]).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = EncodingNode()
        set(child, for: key)
        return CanonicalEncoder(node: child, codingPath: codingPath + [key]).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let child = EncodingNode()
        set(child, named: "super")
        return CanonicalEncoder(node: child, codingPath: codingPath + [PlainKey("super")])
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        let child = EncodingNode()
        set(child, for: key)
        return CanonicalEncoder(node: child, codingPath: codingPath + [key])
    }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let node: EncodingNode
    let codingPath: [any CodingKey]

    var count: Int {
        if case .array(let elements) = node.content { return elements.count }
        return 0
    }

    private func append(_ child: EncodingNode) {
        guard case .array(var elements) = node.content else { return }
        node.content = .nothing  // keeps `elements` uniquely referenced while it grows
        elements.append(child)
        node.content = .array(elements)
    }

    private var nextPath: [any CodingKey] { codingPath + [PlainKey(intValue: count)] }

    mutating func encodeNil() throws { append(EncodingNode(.null)) }
    mutating func encode(_ value: Bool) throws { append(EncodingNode(.bool(value))) }
    mutating func encode(_ value: String) throws { append(EncodingNode(.string(value))) }
    mutating func encode(_ value: Double) throws { append(EncodingNode(try CanonicalEncoding.double(value, nextPath))) }
    mutating func encode(_ value: Float) throws { throw CanonicalEncoding.float(value, nextPath) }
    mutating func encode(_ value: Int) throws { append(EncodingNode(.int(value))) }
    mutating func encode(_ value: Int8) throws { append(EncodingNode(try CanonicalEncoding.integer(value, nextPath))) }
    mutating func encode(_ value: Int16) throws { append(EncodingNode(try CanonicalEncoding.integer(value, nextPath))) }
    mutating func encode(_ value: Int32) throws { append(EncodingNode(try CanonicalEncoding.integer(value, nextPath))) }
    mutating func encode(_ value: Int64) throws { append(EncodingNode(try CanonicalEncoding.integer(value, nextPath))) }
    mutating func encode(_ value: UInt) throws { append(EncodingNode(try CanonicalEncoding.integer(value, nextPath))) }
    mutating func encode(_ value: UInt8) throws { append(EncodingNode(try CanonicalEncoding.integer(value, nextPath))) }
    mutating func encode(_ value: UInt16) throws {
        append(EncodingNode(try CanonicalEncoding.integer(value, nextPath)))
    }
    mutating func encode(_ value: UInt32) throws {
        append(EncodingNode(try CanonicalEncoding.integer(value, nextPath)))
    }
    mutating func encode(_ value: UInt64) throws {
        append(EncodingNode(try CanonicalEncoding.integer(value, nextPath)))
    }
    mutating func encode<T: Encodable>(_ value: T) throws {
        append(EncodingNode(try CanonicalEncoding.value(of: value, codingPath: nextPath)))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<
        NestedKey
    > {
        let child = EncodingNode()
        let path = nextPath
        append(child)
        return CanonicalEncoder(node: child, codingPath: path).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let child = EncodingNode()
        let path = nextPath
        append(child)
        return CanonicalEncoder(node: child, codingPath: path).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let child = EncodingNode()
        let path = nextPath
        append(child)
        return CanonicalEncoder(node: child, codingPath: path)
    }
}

private struct SingleValueContainer: SingleValueEncodingContainer {
    let node: EncodingNode
    let codingPath: [any CodingKey]

    private func set(_ value: CanonicalJSONValue) { node.content = .single(value) }

    mutating func encodeNil() throws { set(.null) }
    mutating func encode(_ value: Bool) throws { set(.bool(value)) }
    mutating func encode(_ value: String) throws { set(.string(value)) }
    mutating func encode(_ value: Double) throws { set(try CanonicalEncoding.double(value, codingPath)) }
    mutating func encode(_ value: Float) throws { throw CanonicalEncoding.float(value, codingPath) }
    mutating func encode(_ value: Int) throws { set(.int(value)) }
    mutating func encode(_ value: Int8) throws { set(try CanonicalEncoding.integer(value, codingPath)) }
    mutating func encode(_ value: Int16) throws { set(try CanonicalEncoding.integer(value, codingPath)) }
    mutating func encode(_ value: Int32) throws { set(try CanonicalEncoding.integer(value, codingPath)) }
    mutating func encode(_ value: Int64) throws { set(try CanonicalEncoding.integer(value, codingPath)) }
    mutating func encode(_ value: UInt) throws { set(try CanonicalEncoding.integer(value, codingPath)) }
    mutating func encode(_ value: UInt8) throws { set(try CanonicalEncoding.integer(value, codingPath)) }
    mutating func encode(_ value: UInt16) throws { set(try CanonicalEncoding.integer(value, codingPath)) }
    mutating func encode(_ value: UInt32) throws { set(try CanonicalEncoding.integer(value, codingPath)) }
    mutating func encode(_ value: UInt64) throws { set(try CanonicalEncoding.integer(value, codingPath)) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        set(try CanonicalEncoding.value(of: value, codingPath: codingPath))
    }
}
