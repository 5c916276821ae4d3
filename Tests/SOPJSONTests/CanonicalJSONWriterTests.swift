import SOPJSON
import Testing

/// The streaming writer gives the tree's bytes.
@Suite struct CanonicalJSONWriterTests {
    @Test func sameBytesAsTheTree() {
        let text = "quote \" back \\ / é 🧾 \u{1} \u{2028}"
        var writer = CanonicalJSONWriter()
        writer.object { object in
            object.member("a") { $0.int(-3) }
            object.member("b/c") { $0.strings([text, ""]) }
            object.member("d") { $0.array([1, 2]) { writer, number in writer.int(number) } }
            object.member("e") { $0.value(.object(["z": .null, "Z": .bool(true), "é": .double(0.1)])) }
            object.member("f") { $0.object { _ in } }
        }
        let tree = CanonicalJSONValue.object([
            "a": .int(-3), "b/c": .strings([text, ""]), "d": .array([.int(1), .int(2)]),
            "e": .object(["z": .null, "Z": .bool(true), "é": .double(0.1)]), "f": .object([:]),
        ])
        #expect(writer.text == tree.text)
        #expect(writer.bytes == tree.bytes)
    }
}
