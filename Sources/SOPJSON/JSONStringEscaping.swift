/// How a string is written inside JSON, by both writers.
///
/// `"` and `\` are escaped, the control characters U+0000–U+001F are written as `\b \t \n \f \r`
/// or `\u00xx` (lower-case hex); everything else, `/`, DEL, U+2028 and non-ASCII included, is
/// copied as UTF-8. This is the escaping of JSONEncoder with `.withoutEscapingSlashes`, the form
/// every hash in existing databases was computed over, so it must never change.
enum JSONStringEscaping {
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    static func append(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var plainStart = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[plainStart..<index]))
                plainStart = index + 1
                out.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(byte)
                case 0x08: out.append(UInt8(ascii: "b"))
                case 0x09: out.append(UInt8(ascii: "t"))
                case 0x0A: out.append(UInt8(ascii: "n"))
                case 0x0C: out.append(UInt8(ascii: "f"))
                case 0x0D: out.append(UInt8(ascii: "r"))
                default:
                    out.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                    out.append(hexDigits[Int(byte >> 4)])
                    out.append(hexDigits[Int(byte & 0x0F)])
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[plainStart...]))
        }
        out.append(UInt8(ascii: "\""))
    }
}
