/// Escapes user text for MediaWiki wikitext.
///
/// Wikitext has markup nearly everywhere (`{{templates}}`, `[[links]]`, `'''bold'''`,
/// `== headings ==`, `~~~~` signatures, `__TOC__` magic words, `|` in tables, `*#:;` at a
/// line start, bare URLs, HTML tags), so instead of tracking contexts every character
/// that takes part in any of them is written as a numeric character reference. The
/// reader sees the same text; the parser sees no markup. Entities survive MediaWiki's
/// save (only trailing whitespace is trimmed), so read-back comparisons stay exact.
public enum WikitextEscaper {
    static let entities: [Character: String] = [
        "&": "&amp;", "<": "&lt;", ">": "&gt;", "[": "&#91;", "]": "&#93;", "{": "&#123;", "}": "&#125;",
        "|": "&#124;", "'": "&#39;", "=": "&#61;", "~": "&#126;", "_": "&#95;", "*": "&#42;", "#": "&#35;",
        ":": "&#58;", ";": "&#59;", "!": "&#33;", "\"": "&quot;",
    ]
    /// Characters with meaning only as the first character of a line (`----` rules, a
    /// leading space for preformatted text is trimmed by UserText already).
    static let lineStart: [Character: String] = ["-": "&#45;", " ": "&#32;"]

    /// One line of user text.
    public static func inline(_ raw: String) -> String {
        escape(UserText.line(raw))
    }

    /// Multi-line user text with `<br />` between lines.
    public static func block(_ raw: String) -> String {
        UserText.lines(raw).map(escape).joined(separator: "<br />")
    }

    /// An external link for http, https and mailto; anything else as escaped text.
    public static func link(_ label: String, url: String) -> String {
        let text = inline(label.isEmpty ? url : label)
        guard let safe = SafeLink.url(url) else { return text }
        // The URL is percent-encoded by SafeLink (no spaces, brackets or quotes), so it
        // cannot end the link early; `'` and `~` are encoded there too.
        return "[\(safe) \(text)]"
    }

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        var atStart = true
        for ch in text {
            if let entity = entities[ch] {
                out += entity
            } else if atStart, let entity = lineStart[ch] {
                out += entity
            } else {
                out.append(ch)
            }
            atStart = false
        }
        return out
    }
}
