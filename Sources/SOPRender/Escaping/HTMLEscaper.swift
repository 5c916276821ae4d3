/// Escapes text for HTML element content and double-quoted attribute values.
///
/// Renderers build HTML structure themselves and pass every piece of text through here
/// (after ``UserText/clean(_:)``), so no user text can open a tag or leave an attribute.
public enum HTMLEscaper {
    /// One line of user text as HTML text.
    public static func text(_ raw: String) -> String {
        escape(UserText.line(raw))
    }

    /// Multi-line user text with `<br>` between lines.
    public static func block(_ raw: String) -> String {
        UserText.lines(raw).map(escape).joined(separator: "<br>\n")
    }

    /// An `<a>` for http, https and mailto URLs; anything else becomes plain text.
    public static func link(_ label: String, url: String) -> String {
        let text = self.text(label.isEmpty ? url : label)
        guard let safe = SafeLink.url(url) else { return text }
        return "<a href=\"\(escape(safe))\" rel=\"noopener noreferrer\">\(text)</a>"
    }

    /// Escapes the five characters with meaning in HTML text and attributes.
    public static func escape(_ text: String) -> String {
        if !text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) {
            return text
        }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        // Scalars, not Characters: "&" followed by a combining mark is one Character but
        // must still be escaped.
        for ch in text.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }
}
