/// Escapes user text for generated Markdown (CommonMark and GitHub-flavoured).
///
/// The rule is simple so it is easy to trust: every ASCII punctuation character that any
/// Markdown dialect gives a meaning to is backslash-escaped (CommonMark allows a backslash
/// before any ASCII punctuation), so the text can start no block, no emphasis, no link, no
/// HTML, no entity and no table cell. Quotes, commas, colons, slashes and the like stay
/// readable.
public enum MarkdownEscaper {
    /// Characters that are always escaped, wherever they appear.
    static let special: Set<Character> = [
        "\\", "`", "*", "_", "{", "}", "[", "]", "<", ">", "(", ")", "#", "+", "-", "!", "|", "~", "&", "=", ":",
    ]

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

    static func escapeLine(_ line: String) -> String {
        var out = ""
        out.reserveCapacity(line.utf8.count + 8)
        var atStart = true
        var digitsAtStart = true
        for ch in line {
            if special.contains(ch) {
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
