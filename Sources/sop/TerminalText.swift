/// Text bound for a terminal, with every control character a user could have typed made
/// visible: a customer named "Acme\u{1B}]0;pwned\u{7}" or holding U+202E (right-to-left
/// override) must not retitle the window, ring the bell or reorder what the PM reads.
///
/// Kept: newline and tab, and the colour sequences `sop` writes itself (`ESC [ digits ; … m`).
/// Everything else in C0, DEL, C1 and the bidirectional controls is written as `\u{XX}`.
enum TerminalText {
    static func escape(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\u{1B}", let end = colourSequenceEnd(scalars, from: index) {
                out.append(contentsOf: scalars[index...end])
                index = end + 1
                continue
            }
            if needsEscape(scalar) {
                out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                out.append(scalar)
            }
            index += 1
        }
        return String(out)
    }

    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: return false
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    /// The index of the `m` ending an SGR colour sequence starting at `start`, if it is one.
    static func colourSequenceEnd(_ scalars: [Unicode.Scalar], from start: Int) -> Int? {
        var index = start + 1
        guard index < scalars.count, scalars[index] == "[" else { return nil }
        index += 1
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "m" { return index }
            guard (scalar.value >= 0x30 && scalar.value <= 0x39) || scalar == ";" else { return nil }
            index += 1
        }
        return nil
    }
}

/// Every line a command prints goes through ``TerminalText/escape(_:)``: this shadows the
/// standard library's `print` for the whole `sop` module, so no command can forget it. (JSON
/// output is escaped by its writer and printed with `Swift.print`.)
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
    let text = items.map { "\($0)" }.joined(separator: separator)
    Swift.print(TerminalText.escape(text), terminator: terminator)
}
