/// Pretty-printed JSON in the layout JSONEncoder's `.prettyPrinted` uses (two-space indent,
/// `"key" : value`, an empty array as `[` blank line `]`), slashes unescaped: the layout of
/// `sop verify --json`, whose readers may compare it as text.
///
/// Members are written in the order given, so callers decide the order (they pass them sorted,
/// as `.sortedKeys` did). Strings and numbers are written as the canonical form writes them.
public enum PrettyJSON {
    public indirect enum Value: Sendable {
        case string(String)
        case int(Int)
        case double(Double)
        case bool(Bool)
        case null
        case array([Value])
        /// Members in the order given (callers pass them sorted).
        case object([(String, Value)])

        public static func strings(_ values: [String]) -> Value { .array(values.map { .string($0) }) }
    }

    public static func render(_ value: Value) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64 * 1024)
        write(value, indent: 0, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static func newline(_ indent: Int, _ out: inout [UInt8]) {
        out.append(UInt8(ascii: "\n"))
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent))
    }

    private static func write(_ value: Value, indent: Int, into out: inout [UInt8]) {
        switch value {
        case .string(let text): JSONStringEscaping.append(text, to: &out)
        case .int(let number): out.append(contentsOf: String(number).utf8)
        case .double(let number): out.append(contentsOf: JSONNumberText.double(number).utf8)
        case .bool(let flag): out.append(contentsOf: (flag ? "true" : "false").utf8)
        case .null: out.append(contentsOf: "null".utf8)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            if elements.isEmpty { out.append(UInt8(ascii: "\n")) }
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                newline(indent + 2, &out)
                write(element, indent: indent + 2, into: &out)
            }
            newline(indent, &out)
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            if members.isEmpty { out.append(UInt8(ascii: "\n")) }
            for (index, (key, element)) in members.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                newline(indent + 2, &out)
                JSONStringEscaping.append(key, to: &out)
                out.append(contentsOf: " : ".utf8)
                write(element, indent: indent + 2, into: &out)
            }
            newline(indent, &out)
            out.append(UInt8(ascii: "}"))
        }
    }
}
