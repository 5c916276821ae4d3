import Foundation
import SOPJSON
import Testing

/// The reader reads what JSONSerialization reads, and refuses what it refuses.
@Suite struct JSONReaderTests {
    func makeReader(_ text: String) -> JSONReader { JSONReader(Array(text.utf8)) }

    @Test func stringsWithEveryEscape() throws {
        let samples = [
            "plain", "", "quote \" back \\ slash /", "tab\tnew\nline\r", "\u{1}\u{8}\u{c}\u{1f}", "ünïcødé ✓",
            "emoji 🧾 pair", "\u{2028}\u{2029}", "</script>",
        ]
        for sample in samples {
            let encoded = String(decoding: try JSONEncoder().encode([sample]), as: UTF8.self)
            var reader = makeReader(encoded)
            let list = reader.stringArray()
            let end = reader.atEnd
            #expect(list == [sample] && end, "\(encoded)")
        }
        // Escapes JSONEncoder never writes but JSON allows.
        var reader = makeReader(#"["\u00e9\ud83e\uddfe\/", "\u0041"]"#)
        let list = reader.stringArray()
        #expect(list == ["é🧾/", "A"])
    }

    @Test func malformedStringsAreRefused() throws {
        for text in [
            #"["unterminated]"#, #"["bad \x escape"]"#, #"["\ud83e alone"]"#, #"["\udc00 low"]"#, #"["\u12"]"#,
            "[\"raw \u{1} control\"]", #"["a" "b"]"#, #"["a",]"#, "[", #"[1]"#,
        ] {
            var reader = makeReader(text)
            let list = reader.stringArray()
            #expect(list == nil, "\(text)")
        }
        var invalidUTF8 = JSONReader([0x5B, 0x22, 0xFF, 0xFE, 0x22, 0x5D])
        let invalid = invalidUTF8.stringArray()
        #expect(invalid == nil)
    }

    @Test func numbersFollowTheGrammar() throws {
        for (text, expected) in [("0", 0), ("-0", 0), ("42", 42), ("-17", -17), ("9223372036854775807", Int.max)] {
            var reader = makeReader(text)
            let number = reader.integer()
            #expect(number == expected, "\(text)")
        }
        for text in ["1.5", "1e3", "-", "x", "+1", "9223372036854775808", ""] {
            var reader = makeReader(text)
            let number = reader.integer()
            #expect(number == nil, "\(text)")
        }
        // A leading zero ends the number: what follows is not part of it.
        var leadingZero = makeReader("[01]")
        let leadingZeroRead = leadingZero.array { reader in reader.integer() != nil }
        #expect(!leadingZeroRead)
        for (text, expected) in [
            ("1.5", 1.5), ("-3e2", -300), ("1E+2", 100), ("0.1", 0.1),
            ("12345678901234567890", 12_345_678_901_234_567_168),
        ] {
            var reader = makeReader(text)
            let number = reader.number()
            #expect(number == expected, "\(text)")
        }
        for text in ["1.", ".5", "1e", "1e400", "-", "--1"] {
            var reader = makeReader(text)
            let number = reader.number()
            #expect(number == nil, "\(text)")
        }
    }

    @Test func nestingIsBounded() throws {
        let depth = JSONReader.maximumDepth
        var fits = makeReader(String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
        let skippedFits = fits.skipValue()
        #expect(skippedFits)
        var deep = makeReader(String(repeating: "[", count: depth + 1) + String(repeating: "]", count: depth + 1))
        let skippedDeep = deep.skipValue()
        #expect(!skippedDeep)
    }

    @Test func unknownMembersAreSkipped() throws {
        let text = #"{"a": {"b": [1, -2.5e3, true, false, null, "x\"y"]}, "keep": "yes", "n": 42, "o": null}"#
        var reader = makeReader(text)
        var keep: String?
        var n: Int?
        var o: String?? = nil
        let ok = reader.object { reader, key in
            switch key {
            case "keep":
                keep = reader.string()
                return keep != nil
            case "n":
                n = reader.integer()
                return n != nil
            case "o":
                o = reader.optionalString()
                return o != nil
            default: return reader.skipValue()
            }
        }
        let end = reader.atEnd
        #expect(ok && end && keep == "yes" && n == 42 && o == .some(nil))
        for broken in [#"{"a": tru}"#, #"{"a": [1,]}"#, #"{"a" 1}"#, #"{"a":1,}"#, #"{"a":1}x"#] {
            var reader = makeReader(broken)
            let skipped = reader.skipValue()
            let end = reader.atEnd
            #expect(!(skipped && end), "\(broken)")
        }
    }

    @Test func kindsAndLiterals() throws {
        var reader = makeReader(#"  [true, false, null, 1, "s", {}, []]"#)
        var kinds: [JSONReader.Kind?] = []
        let ok = reader.array { reader in
            kinds.append(reader.nextKind())
            return reader.skipValue()
        }
        #expect(ok && kinds == [.bool, .bool, .null, .number, .string, .object, .array])
        var bad = makeReader("+")
        #expect(bad.nextKind() == nil)
    }
}
