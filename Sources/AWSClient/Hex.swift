import Crypto
import Foundation

extension Sequence where Element == UInt8 {
    /// Lower-case hexadecimal, as SigV4 writes hashes and signatures.
    var hexString: String {
        var out = ""
        for byte in self {
            out.append(Self.digits[Int(byte >> 4)])
            out.append(Self.digits[Int(byte & 0x0F)])
        }
        return out
    }

    private static var digits: [Character] { Array("0123456789abcdef") }
}

/// SHA-256 of `data` as lower-case hex.
func sha256Hex(_ data: Data) -> String { SHA256.hash(data: data).hexString }

/// The SHA-256 of an empty body, which SigV4 uses constantly.
let emptyBodySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
