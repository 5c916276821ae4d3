/// Decides whether a user-given URL may become a link.
///
/// Only `http`, `https` and `mailto` are linked; everything else (`javascript:`, `data:`,
/// `file:`, relative paths, scheme-less text) is shown as text. The URL is returned
/// percent-encoded where Markdown, HTML or wikitext would otherwise read structure into it.
public enum SafeLink {
    static let allowedSchemes = ["http", "https", "mailto"]

    /// The URL to put in an `href`, or nil when the text must not be a link.
    public static func url(_ raw: String) -> String? {
        let text = UserText.line(raw)
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let scheme = text[..<colon].lowercased()
        guard allowedSchemes.contains(scheme) else { return nil }
        let rest = text[text.index(after: colon)...]
        if scheme == "mailto" {
            guard rest.contains("@"), !rest.hasPrefix("/") else { return nil }
        } else {
            guard rest.hasPrefix("//"), rest.count > 2 else { return nil }
        }
        var encoded = scheme + ":"
        for scalar in rest.unicodeScalars {
            switch scalar {
            case " ", "\"", "'", "<", ">", "\\", "^", "`", "{", "|", "}", "[", "]", "(", ")", "*", "_", "~":
                encoded += percent(scalar)
            default:
                if scalar.value < 0x21 || scalar.value == 0x7F {
                    encoded += percent(scalar)
                } else {
                    encoded.unicodeScalars.append(scalar)
                }
            }
        }
        return encoded
    }

    private static func percent(_ scalar: Unicode.Scalar) -> String {
        var out = ""
        for byte in String(scalar).utf8 {
            let hex = String(byte, radix: 16, uppercase: true)
            out += "%" + (hex.count == 1 ? "0" + hex : hex)
        }
        return out
    }
}
