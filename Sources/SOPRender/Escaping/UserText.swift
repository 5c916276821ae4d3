import Foundation

/// Cleans text a user typed before any output format sees it.
///
/// Every renderer calls this first, so each escaper only has to think about its own
/// syntax: NUL and other control characters are gone, and bidirectional overrides
/// (which can make `txt.exe` read as `exe.txt`) are shown as a visible marker instead
/// of reordering the text around them.
public enum UserText {
    /// Bidirectional formatting characters (U+202A–U+202E, U+2066–U+2069, U+200E/F, U+061C).
    static let bidiControls: Set<UInt32> = [
        0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x200E, 0x200F, 0x061C,
    ]

    /// The text with control characters removed; newlines and tabs kept (tabs as spaces),
    /// bidi controls replaced by U+FFFD so a reader sees that something was there.
    public static func clean(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            let v = scalar.value
            defer { previousWasCR = v == 0x0D }
            switch v {
            case 0x0A:
                if !previousWasCR { out.append("\n") }
            case 0x0D:
                out.append("\n")
            case 0x09:
                out.append(" ")
            case 0x00...0x1F, 0x7F...0x9F, 0xFEFF, 0x2028, 0x2029:
                continue
            default:
                if bidiControls.contains(v) {
                    out.append("\u{FFFD}")
                } else {
                    out.append(scalar)
                }
            }
        }
        return String(out)
    }

    /// One line: cleaned, newlines folded to spaces, surrounding whitespace trimmed.
    public static func line(_ text: String) -> String {
        // Fast path: plain printable ASCII with nothing to trim is already one clean line.
        let bytes = text.utf8
        if let first = bytes.first, let last = bytes.last, first != 0x20, last != 0x20,
            bytes.allSatisfy({ (0x20...0x7E).contains($0) })
        {
            return text
        }
        let cleaned = clean(text).replacingOccurrences(of: "\n", with: " ")
        return cleaned.trimmingCharacters(in: .whitespaces)
    }

    /// Lines of a multi-line note, cleaned and trimmed, without leading or trailing blank lines.
    public static func lines(_ text: String) -> [String] {
        var lines = clean(text).split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        while lines.first?.isEmpty == true { lines.removeFirst() }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }
}
