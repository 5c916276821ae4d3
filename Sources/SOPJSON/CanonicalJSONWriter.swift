/// Canonical JSON written straight into bytes, for documents written by the hundred (a run's
/// check evidence), where building a ``CanonicalJSONValue`` tree first costs three times more.
///
/// The bytes are the tree's: the same escaping, numbers and layout, and members must come in
/// canonical order, which ``Object/member(_:_:)`` checks (a key out of order is a programming
/// error and traps, so a test of each document shape finds it). Keys that are data, whose order
/// the caller cannot know, go in as a tree through ``value(_:)``, which sorts them.
public struct CanonicalJSONWriter {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 1024) { bytes.reserveCapacity(capacity) }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    public var text: String { String(decoding: bytes, as: UTF8.self) }

    public mutating func value(_ value: CanonicalJSONValue) { value.write(into: &bytes) }
    public mutating func string(_ text: String) { JSONStringEscaping.append(text, to: &bytes) }
    public mutating func int(_ number: Int) { bytes.append(contentsOf: String(number).utf8) }

    public mutating func strings(_ values: [String]) {
        array(values) { writer, value in writer.string(value) }
    }

    public mutating func array<Elements: Sequence>(
        _ elements: Elements,
        _ element: (inout CanonicalJSONWriter, Elements.Element) -> Void
    ) {
        bytes.append(UInt8(ascii: "["))
        var first = true
        for value in elements {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            element(&self, value)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    public mutating func object(_ members: (inout Object) -> Void) {
        var object = Object(writer: self)
        self = CanonicalJSONWriter(bytes: [])  // keeps `bytes` uniquely referenced inside `object`
        object.writer.bytes.append(UInt8(ascii: "{"))
        members(&object)
        object.writer.bytes.append(UInt8(ascii: "}"))
        self = object.writer
    }

    /// The members of one object, written in canonical key order.
    public struct Object {
        fileprivate var writer: CanonicalJSONWriter
        private var lastKey: String?

        fileprivate init(writer: CanonicalJSONWriter) { self.writer = writer }

        public mutating func member(_ key: String, _ value: (inout CanonicalJSONWriter) -> Void) {
            if let lastKey {
                // Every caller names its keys with string literals, in order (no input chooses a
                // key), so this guards the program, not the data; the known-answer tests pin it.
                precondition(CanonicalJSONValue.precedes(lastKey, key), "canonical JSON member \(key) after \(lastKey)")
                writer.bytes.append(UInt8(ascii: ","))
            }
            lastKey = key
            writer.string(key)
            writer.bytes.append(UInt8(ascii: ":"))
            value(&writer)
        }
    }
}
