/// Escapes user text for generated Markdown (CommonMark and GitHub-flavoured).
///
/// The rule is simple so it is easy to trust: the characters that open inline markup
/// anywhere (emphasis, code, links, HTML, entities, table cells, strikethrough) are always
/// backslash-escaped (CommonMark allows a backslash before any ASCII punctuation); the ones
/// that only start a block (`#`, `+`, `-`, `=`, `1.`) are escaped at the start of a line.
/// Quotes, commas, colons, slashes, parentheses stay readable: without an unescaped `[`
/// or `<` they cannot form a link.
public enum MarkdownEscaper {
    /// Characters that are always escaped, wherever they appear.
    static let special: Set<Character> = ["\\", "`", "*", "_", "[", "]", "<", ">", "|", "~", "&"]
    /// Characters escaped only as the first character of a line (block markers).
    static let lineStart: Set<Character> = ["#", "+", "-", "=", "!", ":"]

    /// One line of user text as inline Markdown (newlines become spaces).
    public static func inline(_ text: String) -> String {
        escapeLine(UserText.line(text))
    }

    /// Multi-line user text as Markdown lines joined by hard line breaks, for a paragraph
    /// or a list item. Blank lines are kept as hard breaks too so the text stays one block.
    public static func block(_ text: String) -> String {
        let lines = UserText.lines(text).map(escapeLine)
        guard !lines.isEmpty else { return "" }
        return lines.map { $0.isEmpty ? "\u{00A0}" : $0 }.joined(separator: "\\\n")
    }

    /// Text for a GFM table cell: inline escaping already covers `|`.
    public static func cell(_ text: String) -> String {
        let escaped = inline(text)
        return escaped.isEmpty ? " " : escaped
    }

    /// A link when the URL is http, https or mailto; otherwise the URL as escaped text.
    public static func link(_ label: String, url: String) -> String {
        let text = inline(label.isEmpty ? url : label)
        guard let safe = SafeLink.url(url) else { return text }
        return "[\(text)](<\(safe)>)"
    }

    /// User text as a code span: no escaping inside (backslashes would show), a fence
    /// longer than any run of backticks in the text. In a GFM table cell `|` still ends the
    /// cell, so `inTable` escapes it (GFM removes that backslash inside tables).
    public static func code(_ text: String, inTable: Bool = false) -> String {
        var value = UserText.line(text)
        if inTable { value = value.replacingOccurrences(of: "|", with: "\\|") }
        if value.isEmpty { return "` `" }
        var longest = 0
        var run = 0
        for ch in value {
            run = ch == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: longest + 1)
        let pad = value.hasPrefix("`") || value.hasSuffix("`") || value.hasPrefix(" ") ? " " : ""
        return fence + pad + value + pad + fence
    }

    static func escapeLine(_ line: String) -> String {
        var out = ""
        out.reserveCapacity(line.utf8.count + 8)
        var atStart = true
        var digitsAtStart = true
        for ch in line {
            if special.contains(ch) || (atStart && lineStart.contains(ch)) {
                out.append("\\")
                out.append(ch)
            } else if (ch == "." || ch == ")") && digitsAtStart && !atStart {
                // "1." or "1)" at the start of a line would begin an ordered list.
                out.append("\\")
                out.append(ch)
            } else {
                out.append(ch)
            }
            if !(ch.isASCII && ch.isNumber) { digitsAtStart = false }
            atStart = false
        }
        return out
    }
}
