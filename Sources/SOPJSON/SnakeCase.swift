/// Property names as the canonical form spells them: JSONEncoder's `.convertToSnakeCase` rules.
///
/// Words split where a lower-case letter is followed by an upper-case one, and a run of
/// capitals is one word up to the capital before the next lower-case letter:
/// `templateSha256` → `template_sha256`, `myURLProperty` → `my_url_property`. The first
/// character is taken to be lower-case, so `URLValue` → `u_rl_value` and `itemIDs` →
/// `item_i_ds`; these quirks are part of the hashed form and are kept.
enum SnakeCase {
    static func convert(_ key: String) -> String {
        // The usual case, a name with no capital at all, comes back as it is.
        guard key.unicodeScalars.contains(where: isUpper) else { return key }
        let scalars = Array(key.unicodeScalars)
        var words: [Range<Int>] = []
        var wordStart = 0
        var searchStart = 1
        let end = scalars.count
        while searchStart < end, let upper = scalars[searchStart..<end].firstIndex(where: isUpper) {
            words.append(wordStart..<upper)
            guard let lower = scalars[upper..<end].firstIndex(where: isLower) else {
                wordStart = upper
                searchStart = end
                break
            }
            if lower == upper + 1 {
                // A capital followed by a lower-case letter starts a word.
                wordStart = upper
            } else {
                // A run of capitals: one word, up to the capital before the lower-case letter.
                words.append(upper..<(lower - 1))
                wordStart = lower - 1
            }
            searchStart = lower + 1
        }
        words.append(wordStart..<end)
        return words.map { range in
            var word = String.UnicodeScalarView()
            word.append(contentsOf: scalars[range])
            return String(word).lowercased()
        }.joined(separator: "_")
    }

    /// Foundation's `CharacterSet.uppercaseLetters`: categories Lu and Lt.
    private static func isUpper(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .titlecaseLetter: return true
        default: return false
        }
    }

    /// Foundation's `CharacterSet.lowercaseLetters`: category Ll.
    private static func isLower(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .lowercaseLetter
    }
}
