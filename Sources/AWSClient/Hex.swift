import Crypto
import Foundation

extension Sequence where Element == UInt8 {
    /// Lower-case hexadecimal, as SigV4 writes hashes and signatures.
    var hexString: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            bytes.append(lowerHexDigits[Int(byte >> 4)])
            bytes.append(lowerHexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// `0-9a-f` as ASCII bytes (one table, not one array per call).
private let lowerHexDigits: [UInt8] = Array("0123456789abcdef".utf8)

/// SHA-256 of `data` as lower-case hex.
func sha256Hex(_ data: Data) -> String { SHA256.hash(data: data).hexString }

/// SHA-256 of UTF-8 text as lower-case hex.
func sha256Hex(_ text: String) -> String {
    var text = text
    return text.withUTF8 { SHA256.hash(data: UnsafeRawBufferPointer($0)).hexString }
}

/// The SHA-256 of an empty body, which SigV4 uses constantly.
let emptyBodySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
