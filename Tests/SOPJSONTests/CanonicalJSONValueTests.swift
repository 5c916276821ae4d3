import Foundation
import Testing

@testable import SOPJSON

/// The canonical bytes, rule by rule, written out literally (they were read off JSONEncoder with
/// `.sortedKeys` and `.withoutEscapingSlashes` on Swift 6.3.1, the writer the store shipped with).
@Suite struct CanonicalJSONValueTests {
    @Test func everyASCIIByteIsEscapedAsJSONEncoderEscapedIt() {
        let text = String(decoding: (0..<0x80).map { UInt8($0) }, as: UTF8.self)
        let expected =
            #"["\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f"#
            + #"\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f"#
            + ##" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"##
            + "\u{7F}\"]"
        #expect(CanonicalJSONValue.strings([text]).text == expected)
    }

    @Test func nonASCIIIsCopiedAsUTF8() {
        let text = "é ü 漢 😀 👩‍💻 \u{2028} \u{2029} \u{FEFF} \u{85} a/b"
        #expect(CanonicalJSONValue.string(text).bytes == [UInt8(ascii: "\"")] + Array(text.utf8) + [UInt8(ascii: "\"")])
    }

    @Test func numbers() {
        let doubles: [Double] = [
            0.1, 1e21, -1.5, 1.0, -0.0, 1e-7, 123_456_789_012_345_683_968, .greatestFiniteMagnitude,
            .leastNonzeroMagnitude, 1e20, 100, 2.5e-5, 1e16, 1e15,
        ]
        #expect(
            CanonicalJSONValue.array(doubles.map(CanonicalJSONValue.double)).text
                == "[0.1,1e+21,-1.5,1,-0,1e-07,1.2345678901234568e+20,1.7976931348623157e+308,5e-324,1e+20,100,2.5e-05,1e+16,1000000000000000]"
        )
        #expect(
            CanonicalJSONValue.array([.int(0), .int(-1), .int(.max), .int(.min)]).text
                == "[0,-1,9223372036854775807,-9223372036854775808]")
        #expect(CanonicalJSONValue.array([.double(.nan), .double(.infinity)]).text == "[null,null]")
    }

    @Test func membersAreSortedByTheirUTF8Bytes() {
        let keys = ["a10", "a9", "B", "a", "_x", "é", "Z", "fooBar", "a.10", "a.9", ""]
        let object = CanonicalJSONValue.object(
            Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, .int($0)) }))
        #expect(object.text == #"{"":10,"B":2,"Z":6,"_x":4,"a":3,"a.10":8,"a.9":9,"a10":0,"a9":1,"fooBar":7,"é":5}"#)
        #expect(CanonicalJSONValue.object([:]).text == "{}" && CanonicalJSONValue.array([]).text == "[]")
    }

    /// An `Encodable` value gets JSONEncoder's `.convertToSnakeCase`, quirks and all.
    @Test func encodablesUseTheStoresConventions() throws {
        struct Sample: Encodable {
            var templateSha256 = "t"
            var notApplicable: [String] = []
            var URLValue = 1
            var checkId: String?
            var itemIDs = [1]
            var flag = true
            var d = Date(timeIntervalSince1970: 1.7)
            var e = Date(timeIntervalSince1970: -0.5)
            var f = Date(timeIntervalSince1970: 1_780_000_000.999)
            var x_y = 1
            var myURLProperty = 2
            var aB = 3
            var _lead = 4
            var ABC = 5
            var a1B = 6
            var A = 7
            var Abc = 8
            var dictionary: [String: String?] = ["fooBar": "kept", "gone": nil]
        }
        #expect(
            try CanonicalJSONValue(encoding: Sample()).text == #"{"_lead":4,"a":7,"a1_b":6,"a_b":3,"a_bc":5,"abc":8,"#
                + #""d":"1970-01-01T00:00:01Z","dictionary":{"fooBar":"kept","gone":null},"e":"1969-12-31T23:59:59Z","#
                + #""f":"2026-05-28T20:26:40Z","flag":true,"item_i_ds":[1],"my_url_property":2,"not_applicable":[],"#
                + #""template_sha256":"t","u_rl_value":1,"x_y":1}"#)
    }

    @Test func valuesWithoutACanonicalFormAreRefused() throws {
        #expect(throws: EncodingError.self) { try CanonicalJSONValue(encoding: [Double.nan]) }
        #expect(throws: EncodingError.self) { try CanonicalJSONValue(encoding: [Float(0.5)]) }
        #expect(throws: EncodingError.self) { try CanonicalJSONValue(encoding: [UInt64.max]) }
        #expect(try CanonicalJSONValue(encoding: [UInt8(7)]) == .array([.int(7)]))
    }

    /// A cross-check with today's Foundation over many strings: if a later toolchain changes
    /// JSONEncoder's escaping, this fails while the known-answer tests in SOPStoreTests keep
    /// passing, which says the writer is right and Foundation moved (then drop this test).
    @Test func escapingAgreesWithJSONEncoderOverTheBasicPlane() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var samples: [String] = []
        var scalar: UInt32 = 0
        while scalar < 0x11_0000 {
            if let value = Unicode.Scalar(scalar) { samples.append("a\(Character(value))\"\\/z") }
            scalar += scalar < 0x800 ? 1 : 97
        }
        for sample in samples {
            let expected = String(decoding: try encoder.encode([sample: [sample]]), as: UTF8.self)
            let actual = CanonicalJSONValue.object([sample: .strings([sample])]).text
            guard actual == expected else {
                Issue.record("\(sample.debugDescription): \(actual) ≠ \(expected)")
                return
            }
        }
    }
}
