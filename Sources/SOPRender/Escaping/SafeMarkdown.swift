import CCmark
import Foundation

/// The one way SOPRender turns Markdown into HTML: cmark in its safe mode.
///
/// `CMARK_OPT_UNSAFE` is never passed, so raw HTML blocks and inlines (including the
/// template's `<!-- sop … -->` metadata comments) are replaced by
/// `<!-- raw HTML omitted -->` and `javascript:`, `vbscript:`, `file:` and `data:` link
/// destinations become empty. Template-authored Markdown and generated Markdown (with
/// user text escaped by ``MarkdownEscaper``) both go through here.
public enum SafeMarkdown {
    /// Options used for every render: smart punctuation off (output stays byte-predictable),
    /// invalid UTF-8 replaced rather than passed through.
    static let options = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8

    /// Renders a Markdown document as an HTML fragment.
    public static func html(_ markdown: String) -> String {
        var text = markdown
        let rendered: UnsafeMutablePointer<CChar>? = text.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                cmark_markdown_to_html(chars.baseAddress, chars.count, options)
            }
        }
        guard let rendered else { return "" }
        defer { free(rendered) }
        return String(cString: rendered)
    }

    /// Renders one line of inline Markdown without the surrounding `<p>`.
    public static func inlineHTML(_ markdown: String) -> String {
        // A leading block marker would turn the line into a heading or list: the inline
        // text is authored as a title, so render it as a paragraph and strip the wrapper.
        var html = self.html(
            markdown.utf8.contains(0x0A) ? markdown.replacingOccurrences(of: "\n", with: " ") : markdown)
        if html.hasPrefix("<p>") && html.hasSuffix("</p>\n") {
            html = String(html.dropFirst(3).dropLast(5))
        } else {
            html = html.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return html
    }

    /// The plain text of inline Markdown (for wikitext and titles): markup dropped.
    public static func plainText(_ markdown: String) -> String {
        CommonMarkPlain.text(markdown)
    }
}

/// Extracts plain text from Markdown by walking cmark's AST.
enum CommonMarkPlain {
    static func text(_ markdown: String) -> String {
        var source = markdown
        let root: OpaquePointer? = source.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                cmark_parse_document(chars.baseAddress, chars.count, SafeMarkdown.options)
            }
        }
        guard let root else { return markdown }
        defer { cmark_node_free(root) }
        guard let iterator = cmark_iter_new(root) else { return markdown }
        defer { cmark_iter_free(iterator) }
        var text = ""
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard let node = cmark_iter_get_node(iterator) else { continue }
            let type = cmark_node_get_type(node)
            if event == CMARK_EVENT_ENTER {
                switch type {
                case CMARK_NODE_TEXT, CMARK_NODE_CODE, CMARK_NODE_CODE_BLOCK:
                    if let c = cmark_node_get_literal(node) { text += String(cString: c) }
                case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
                    text += " "
                default: break
                }
            } else if event == CMARK_EVENT_EXIT {
                switch type {
                case CMARK_NODE_PARAGRAPH, CMARK_NODE_HEADING, CMARK_NODE_ITEM:
                    if !text.hasSuffix(" ") && !text.isEmpty { text += " " }
                default: break
                }
            }
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
