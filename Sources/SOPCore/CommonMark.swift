import CCmark
import Foundation

/// A parsed CommonMark document, owned by Swift and freed with it.
///
/// Wraps cmark's C API just enough to walk the AST without recursion (so deeply
/// nested input cannot exhaust the stack) and to render HTML in cmark's safe mode.
public final class CommonMarkDocument {
    let root: OpaquePointer

    /// Parses Markdown; cmark accepts any UTF-8 text, so this cannot fail.
    public init(_ markdown: String) {
        var text = markdown
        root = text.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                cmark_parse_document(chars.baseAddress, chars.count, CMARK_OPT_DEFAULT)
            }
        }
    }

    deinit { cmark_node_free(root) }

    public var document: CommonMarkNode { CommonMarkNode(pointer: root, owner: self) }

    /// Renders the document as HTML. Raw HTML (including comments) is omitted and
    /// unsafe link schemes are dropped: cmark's default since 0.30.
    public func renderHTML() -> String {
        guard let html = cmark_render_html(root, CMARK_OPT_DEFAULT) else { return "" }
        defer { free(html) }
        return String(cString: html)
    }

    /// Renders Markdown to HTML in one step (safe mode).
    public static func html(_ markdown: String) -> String {
        CommonMarkDocument(markdown).renderHTML()
    }
}

/// A node in a ``CommonMarkDocument``; valid while the document lives (it keeps it alive).
public struct CommonMarkNode {
    public enum Kind: Equatable {
        case document, blockQuote, list, item, codeBlock, htmlBlock, customBlock, paragraph,
            heading, thematicBreak, text, softBreak, lineBreak, code, htmlInline, customInline,
            emphasis, strong, link, image, none
    }

    let pointer: OpaquePointer
    let owner: CommonMarkDocument

    public var kind: Kind {
        switch cmark_node_get_type(pointer) {
        case CMARK_NODE_DOCUMENT: return .document
        case CMARK_NODE_BLOCK_QUOTE: return .blockQuote
        case CMARK_NODE_LIST: return .list
        case CMARK_NODE_ITEM: return .item
        case CMARK_NODE_CODE_BLOCK: return .codeBlock
        case CMARK_NODE_HTML_BLOCK: return .htmlBlock
        case CMARK_NODE_CUSTOM_BLOCK: return .customBlock
        case CMARK_NODE_PARAGRAPH: return .paragraph
        case CMARK_NODE_HEADING: return .heading
        case CMARK_NODE_THEMATIC_BREAK: return .thematicBreak
        case CMARK_NODE_TEXT: return .text
        case CMARK_NODE_SOFTBREAK: return .softBreak
        case CMARK_NODE_LINEBREAK: return .lineBreak
        case CMARK_NODE_CODE: return .code
        case CMARK_NODE_HTML_INLINE: return .htmlInline
        case CMARK_NODE_CUSTOM_INLINE: return .customInline
        case CMARK_NODE_EMPH: return .emphasis
        case CMARK_NODE_STRONG: return .strong
        case CMARK_NODE_LINK: return .link
        case CMARK_NODE_IMAGE: return .image
        default: return .none
        }
    }

    /// Literal text of text, code, code-block and HTML nodes.
    public var literal: String? {
        guard let c = cmark_node_get_literal(pointer) else { return nil }
        return String(cString: c)
    }

    public var headingLevel: Int { Int(cmark_node_get_heading_level(pointer)) }
    public var isBulletList: Bool { cmark_node_get_list_type(pointer) == CMARK_BULLET_LIST }
    public var url: String? { cmark_node_get_url(pointer).map { String(cString: $0) } }

    /// 1-based start position in the parsed text (inline nodes report 0, i.e. unknown).
    public var startLine: Int { Int(cmark_node_get_start_line(pointer)) }
    public var startColumn: Int { Int(cmark_node_get_start_column(pointer)) }
    public var endLine: Int { Int(cmark_node_get_end_line(pointer)) }

    public var firstChild: CommonMarkNode? {
        cmark_node_first_child(pointer).map { CommonMarkNode(pointer: $0, owner: owner) }
    }
    public var next: CommonMarkNode? { cmark_node_next(pointer).map { CommonMarkNode(pointer: $0, owner: owner) } }

    /// The direct children, in order.
    public var children: [CommonMarkNode] {
        var result: [CommonMarkNode] = []
        var child = firstChild
        while let node = child {
            result.append(node)
            child = node.next
        }
        return result
    }

    /// The plain text of the node and its descendants: emphasis and link markup
    /// dropped, code spans kept as their text, line breaks as spaces. Iterative.
    public var plainText: String {
        var text = ""
        guard let iterator = cmark_iter_new(pointer) else { return text }
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
            switch cmark_node_get_type(node) {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE:
                if let c = cmark_node_get_literal(node) { text += String(cString: c) }
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
                text += " "
            case CMARK_NODE_PARAGRAPH, CMARK_NODE_HEADING, CMARK_NODE_ITEM:
                if !text.isEmpty && !text.hasSuffix(" ") { text += " " }
            default: break
            }
        }
        return text.trimmingCharacters(in: .whitespaces)
    }

    /// Every descendant of a kind, in document order (iterative walk).
    public func descendants(ofKind wanted: Kind) -> [CommonMarkNode] {
        var found: [CommonMarkNode] = []
        guard let iterator = cmark_iter_new(pointer) else { return found }
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator), node != pointer else {
                continue
            }
            let candidate = CommonMarkNode(pointer: node, owner: owner)
            if candidate.kind == wanted { found.append(candidate) }
        }
        return found
    }
}
