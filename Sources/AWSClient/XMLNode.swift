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
    public static func parse(_ data: Data) throws -> XMLNode {
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

private final class TreeBuilder: NSObject, XMLParserDelegate {
    private var stack: [(node: XMLNode, text: String)] = []
    var root: XMLNode?

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
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

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?) {
        guard let popped = stack.popLast() else { return }
        var node = popped.node
        node.text = popped.text.trimmingCharacters(in: .whitespacesAndNewlines)
        if stack.isEmpty {
            root = node
        } else {
            stack[stack.count - 1].node.children.append(node)
        }
    }
}
