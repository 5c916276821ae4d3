import Foundation

/// RFC 3986 percent-encoding as SigV4 wants it: only `A-Z a-z 0-9 - _ . ~` stay as they are.
///
/// Foundation's `addingPercentEncoding` keeps characters such as `+`, `=` and `/` that SigV4
/// requires encoded, so the signer and the URL builder share this one routine instead.
enum PercentEncoding {
    /// Encodes every byte outside the unreserved set; with `keepSlash`, `/` is kept (paths).
    static func encode(_ string: String, keepSlash: Bool = false) -> String {
        var out = ""
        out.reserveCapacity(string.utf8.count)
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
                UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "/") where keepSlash:
                out.append("/")
            default:
                out.append("%")
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return out
    }

    /// `a=1&b=2` with both sides encoded, pairs in the given order; an empty value gives `key`
    /// alone when `bareEmptyValues` (S3 sub-resources such as `?encryption`).
    static func query(_ pairs: [(String, String)], bareEmptyValues: Bool = false) -> String {
        pairs.map { key, value in
            if value.isEmpty && bareEmptyValues { return encode(key) }
            return encode(key) + "=" + encode(value)
        }.joined(separator: "&")
    }

    private static let hexDigits: [Character] = Array("0123456789ABCDEF")
}
