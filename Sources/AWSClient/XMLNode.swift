import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A parsed XML element: enough of a tree to read AWS query, EC2 and S3 responses.
///
/// Names are local names (namespace prefixes dropped). Lookups return optionals, never trap:
/// `root["ListUsersResult"]?["Users"]?.all("member")`.
public struct XMLNode: Sendable, Equatable, CustomStringConvertible {
    public var name: String
    public var attributes: [String: String]
    public var children: [XMLNode]
    /// The element's own text (concatenated, trimmed of surrounding whitespace).
    public var text: String

    public init(name: String, attributes: [String: String] = [:], children: [XMLNode] = [], text: String = "") {
        self.name = name
        self.attributes = attributes
        self.children = children
        self.text = text
    }

    /// The first child called `name`.
    public subscript(_ name: String) -> XMLNode? { children.first { $0.name == name } }

    /// Every child called `name`.
    public func all(_ name: String) -> [XMLNode] { children.filter { $0.name == name } }

    /// Follows a path of child names: `node.at("ListUsersResult", "Users")`.
    public func at(_ path: String...) -> XMLNode? { at(path) }

    public func at(_ path: [String]) -> XMLNode? {
        var node: XMLNode? = self
        for name in path { node = node?[name] }
        return node
    }

    /// The first descendant (depth first, self included) called `name`.
    public func first(_ name: String) -> XMLNode? {
        if self.name == name { return self }
        for child in children { if let found = child.first(name) { return found } }
        return nil
    }

    /// Every descendant called `name` (depth first, self included).
    public func descendants(_ name: String) -> [XMLNode] {
        var found: [XMLNode] = []
        if self.name == name { found.append(self) }
        for child in children { found += child.descendants(name) }
        return found
    }

    /// The text of the child `name`, if present.
    public func string(_ name: String) -> String? { self[name]?.text }

    /// The text of the child `name` as `Int`.
    public func int(_ name: String) -> Int? { string(name).flatMap { Int($0) } }

    /// The text of the child `name` as `Bool` (`true` / `false`).
    public func bool(_ name: String) -> Bool? {
        switch string(name)?.lowercased() {
        case "true": return true
        case "false": return false
        default: return nil
        }
    }

    /// The members of a query-protocol list: `<Users><member>…</member></Users>` or EC2's `<item>`.
    public func list(_ name: String) -> [XMLNode] {
        guard let container = self[name] else { return [] }
        return container.children.filter { $0.name == "member" || $0.name == "item" }
    }

    public var description: String {
        if children.isEmpty { return "<\(name)>\(text)</\(name)>" }
        return "<\(name)>" + children.map(\.description).joined() + "</\(name)>"
    }

    /// Parses a document and returns its root element.
    ///
    /// AWS answers (elements, attributes, text with the predefined and numeric entities,
    /// CDATA, comments) are read by a small parser on the bytes: Foundation's `XMLParser` cost
    /// several times as much per response, on the threads that run the fetches. Anything else
    /// (a DOCTYPE, a carriage return, an entity it does not know, malformed text) goes to
    /// `XMLParser`, so both accept and read documents the same way.
    public static func parse(_ data: Data) throws -> XMLNode {
        if let root = data.withUnsafeBytes({ bytes -> XMLNode? in
            var parser = FastXMLParser(bytes.bindMemory(to: UInt8.self))
            return parser.document()
        }) {
            return root
        }
        return try parseWithFoundation(data)
    }

    /// `XMLParser` with the tree builder (also the reference the fast path is tested against).
    static func parseWithFoundation(_ data: Data) throws -> XMLNode {
        let parser = XMLParser(data: data)
        let builder = TreeBuilder()
        parser.delegate = builder
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        guard parser.parse(), let root = builder.root else {
            let reason = parser.parserError.map { "\($0.localizedDescription)" } ?? "no root element"
            throw XMLParseError(message: "invalid XML at line \(parser.lineNumber): \(reason)")
        }
        return root
    }
}

/// The body was not well-formed XML.
public struct XMLParseError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

final class TreeBuilder: NSObject, XMLParserDelegate {
    /// The text without surrounding whitespace. Most element texts have none, and Foundation's
    /// `trimmingCharacters` (through NSString) was a third of all XML parsing.
    static func trimmed(_ text: String) -> String {
        func isSpace(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.isWhitespace }
        let scalars = text.unicodeScalars
        guard let first = scalars.first, let last = scalars.last else { return text }
        if !isSpace(first) && !isSpace(last) { return text }
        guard let start = scalars.firstIndex(where: { !isSpace($0) }),
            let end = scalars.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(scalars[start...end])
    }

    private var stack: [(node: XMLNode, text: String)] = []
    var root: XMLNode?

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
        qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
    ) {
        let local = elementName.split(separator: ":").last.map(String.init) ?? elementName
        stack.append((XMLNode(name: local, attributes: attributeDict), ""))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].text += string
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].text += String(decoding: CDATABlock, as: UTF8.self)
    }

    func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
        qualifiedName qName: String?
    ) {
        guard let popped = stack.popLast() else { return }
        var node = popped.node
        node.text = Self.trimmed(popped.text)
        if stack.isEmpty {
            root = node
        } else {
            stack[stack.count - 1].node.children.append(node)
        }
    }
}

/// A strict reader for the XML AWS sends, building what ``TreeBuilder`` builds from
/// `XMLParser`'s callbacks (local names, attributes as written, each element's own text
/// concatenated and trimmed). Returns nil for anything it does not fully accept.
struct FastXMLParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    private func peek(_ text: StaticString, at offset: Int = 0) -> Bool {
        let count = text.utf8CodeUnitCount
        let start = index + offset
        guard start + count <= bytes.count else { return false }
        for i in 0..<count where bytes[start + i] != text.utf8Start[i] { return false }
        return true
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A }

    private mutating func skipSpace() {
        while index < bytes.count, Self.isSpace(bytes[index]) { index += 1 }
    }

    /// Moves past the next `end` (e.g. `-->`); false when there is none.
    private mutating func skip(past end: StaticString) -> Bool {
        while index < bytes.count {
            if peek(end) {
                index += end.utf8CodeUnitCount
                return true
            }
            index += 1
        }
        return false
    }

    /// Comments and processing instructions (the declaration included) around the root.
    private mutating func skipMisc() -> Bool {
        while true {
            skipSpace()
            if peek("<!--") {
                guard skip(past: "-->") else { return false }
            } else if peek("<?") {
                guard skip(past: "?>") else { return false }
            } else {
                return true
            }
        }
    }

    mutating func document() -> XMLNode? {
        // A carriage return would be normalised by an XML parser; a BOM or a DOCTYPE is rare.
        guard !bytes.contains(0x0D), index < bytes.count, bytes[index] != 0xEF else { return nil }
        guard skipMisc(), index < bytes.count, bytes[index] == UInt8(ascii: "<"), !peek("<!"),
            let root = element(depth: 0), skipMisc(), index == bytes.count
        else { return nil }
        return root
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: ":"), UInt8(ascii: "."),
            UInt8(ascii: "-"), 0x80...0xFF:
            return true
        default:
            return false
        }
    }

    private mutating func name() -> String? {
        let start = index
        while index < bytes.count, Self.isNameByte(bytes[index]) { index += 1 }
        guard index > start else { return nil }
        let first = bytes[start]
        guard first != UInt8(ascii: ":"), first != UInt8(ascii: "-"), first != UInt8(ascii: "."),
            !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first), bytes[index - 1] != UInt8(ascii: ":")
        else { return nil }
        return String(validating: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    }

    /// An element starting at `<`: its attributes, children and own text.
    private mutating func element(depth: Int) -> XMLNode? {
        guard depth < 256 else { return nil }
        index += 1  // <
        guard let qualified = name() else { return nil }
        let local = qualified.split(separator: ":").last.map(String.init) ?? qualified
        var node = XMLNode(name: local)
        // Attributes.
        while true {
            let hadSpace = index < bytes.count && Self.isSpace(bytes[index])
            skipSpace()
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: "/") {
                guard peek("/>") else { return nil }
                index += 2
                return node
            }
            if bytes[index] == UInt8(ascii: ">") {
                index += 1
                break
            }
            guard hadSpace, let attribute = name() else { return nil }
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else { return nil }
            index += 1
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") else {
                return nil
            }
            let quote = bytes[index]
            index += 1
            let start = index
            while index < bytes.count, bytes[index] != quote {
                // Entities, tabs and newlines in attribute values need normalising: XMLParser's job.
                switch bytes[index] {
                case UInt8(ascii: "&"), UInt8(ascii: "<"), 0x09, 0x0A: return nil
                default: index += 1
                }
            }
            guard index < bytes.count,
                let value = String(validating: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self),
                node.attributes.updateValue(value, forKey: attribute) == nil
            else { return nil }
            index += 1  // closing quote
        }
        // Content.
        var text: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "<") {
                if peek("</") {
                    index += 2
                    guard let closing = name(), closing == qualified else { return nil }
                    skipSpace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: ">") else { return nil }
                    index += 1
                    guard let decoded = String(validating: text, as: UTF8.self) else { return nil }
                    node.text = TreeBuilder.trimmed(decoded)
                    return node
                } else if peek("<!--") {
                    guard skip(past: "-->") else { return nil }
                } else if peek("<![CDATA[") {
                    index += 9
                    let start = index
                    guard skip(past: "]]>") else { return nil }
                    text.append(contentsOf: bytes[start..<(index - 3)])
                } else if peek("<?") {
                    guard skip(past: "?>") else { return nil }
                } else if peek("<!") {
                    return nil
                } else {
                    guard let child = element(depth: depth + 1) else { return nil }
                    node.children.append(child)
                }
            } else if byte == UInt8(ascii: "&") {
                guard entity(into: &text) else { return nil }
            } else if byte == UInt8(ascii: "]"), peek("]]>") {
                return nil  // not allowed in text
            } else if byte < 0x20, byte != 0x09, byte != 0x0A {
                return nil
            } else {
                text.append(byte)
                index += 1
            }
        }
        return nil  // no closing tag
    }

    /// `&amp;` `&lt;` `&gt;` `&quot;` `&apos;` `&#NN;` `&#xNN;`, decoded into `text`.
    private mutating func entity(into text: inout [UInt8]) -> Bool {
        let named: [(StaticString, UInt8)] = [
            ("&amp;", 0x26), ("&lt;", 0x3C), ("&gt;", 0x3E), ("&quot;", 0x22), ("&apos;", 0x27),
        ]
        for (entity, byte) in named where peek(entity) {
            text.append(byte)
            index += entity.utf8CodeUnitCount
            return true
        }
        guard peek("&#") else { return false }
        index += 2
        var radix: UInt32 = 10
        if index < bytes.count, bytes[index] == UInt8(ascii: "x") {
            radix = 16
            index += 1
        }
        var value: UInt32 = 0
        var digits = 0
        while index < bytes.count, bytes[index] != UInt8(ascii: ";") {
            guard let digit = Character(Unicode.Scalar(bytes[index])).hexDigitValue, UInt32(digit) < radix,
                digits < 8
            else { return false }
            value = value * radix + UInt32(digit)
            digits += 1
            index += 1
        }
        guard digits > 0, index < bytes.count else { return false }
        index += 1  // ;
        // XML 1.0 characters only.
        guard
            value == 0x09 || value == 0x0A || value == 0x0D || (0x20...0xD7FF).contains(value)
                || (0xE000...0xFFFD).contains(value) || (0x10000...0x10FFFF).contains(value),
            let scalar = Unicode.Scalar(value)
        else { return false }
        text.append(contentsOf: String(Character(scalar)).utf8)
        return true
    }
}
