import Foundation
import SOPJSON
import Testing

/// The layout `sop verify --json` prints, JSONEncoder's `.prettyPrinted` one.
@Suite struct PrettyJSONTests {
    static let sample = PrettyJSON.Value.object([
        ("a/b", .string("quote \" back \\ tab\t é 🧾 \u{2028}")),
        ("empty_array", .array([])),
        ("empty_object", .object([])),
        ("list", .array([.int(1), .double(0.5), .double(1e21), .double(54), .bool(true), .null])),
        ("nested", .object([("inner", .strings(["x", "y"]))])),
    ])

    @Test func layout() {
        #expect(
            PrettyJSON.render(Self.sample) == """
                {
                  "a/b" : "quote \\" back \\\\ tab\\t é 🧾 \u{2028}",
                  "empty_array" : [

                  ],
                  "empty_object" : {

                  },
                  "list" : [
                    1,
                    0.5,
                    1e+21,
                    54,
                    true,
                    null
                  ],
                  "nested" : {
                    "inner" : [
                      "x",
                      "y"
                    ]
                  }
                }
                """)
    }

    /// The same value through today's JSONEncoder gives the same text (a cross-check; the
    /// literal layout above is what the CLI's contract rests on).
    @Test func agreesWithJSONEncoderToday() throws {
        struct Inner: Encodable { var inner = ["x", "y"] }
        struct Sample: Encodable {
            var ab = "quote \" back \\ tab\t é 🧾 \u{2028}"
            var emptyArray: [Int] = []
            var emptyObject: [String: Int] = [:]
            var nested = Inner()
            enum CodingKeys: String, CodingKey {
                case ab = "a/b"
                case emptyArray = "empty_array"
                case emptyObject = "empty_object"
                case nested
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let expected = String(decoding: try encoder.encode(Sample()), as: UTF8.self)
        let value = PrettyJSON.Value.object([
            ("a/b", .string("quote \" back \\ tab\t é 🧾 \u{2028}")), ("empty_array", .array([])),
            ("empty_object", .object([])), ("nested", .object([("inner", .strings(["x", "y"]))])),
        ])
        #expect(PrettyJSON.render(value) == expected)
    }
}
