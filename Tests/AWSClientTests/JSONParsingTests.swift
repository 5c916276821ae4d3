import Foundation
import Testing

@testable import AWSClient

/// `JSONValue.parse` reads well-formed documents with its own parser and leaves everything
/// else to JSONDecoder: both must accept, reject and read documents the same way.
struct JSONParsingTests {
    /// What JSONDecoder alone makes of a document (nil: rejected).
    func decoded(_ text: String) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    /// What the strict reader alone makes of it (nil: left to JSONDecoder).
    func fast(_ text: String) -> JSONValue? { JSONValue.read(Data(text.utf8)) }

    static let documents: [String] = [
        #"{}"#, #"[]"#, #"  {"a" : [1, 2.5, -3e2, 0, -0, 1E+2, 12345678901234567890]}  "#,
        #"{"s":"plain","e":"q\"b\\s\/n\nt\tr\rf\fb\bu\u00e9\u20ac","pair":"\ud83d\ude00","nul":"\u0000"}"#,
        #"{"nested":{"list":[{"x":null,"y":true,"z":false},[],{}]},"unicode":"é€😀"}"#,
        #"{"Policy":"{\"Version\":\"2012-10-17\",\"Statement\":[]}"}"#,
        #"[1.5e-7, 0.1, 100, 3.0]"#,
    ]

    /// Bare scalars at the top are left to JSONDecoder.
    static let scalars = [#""just a string""#, "42", "true", "null"]

    static let malformed: [String] = [
        "", " ", "{", "[1,]", #"{"a":1,}"#, #"{"a" 1}"#, "[01]", "[1.]", "[.5]", "[1e]", "[+1]", "[-]",
        #"["unterminated]"#, "[\"tab\there\"]", #"["\x"]"#, #"["\u12"]"#, #"["\ud800"]"#, #"["\udc00x"]"#,
        "[1] [2]", "nul", "tru", "[nul]", "[tru]", "[fals]", "[nullx]", "[true false]", "[1e400]", "{\"a\":1}x",
    ]

    @Test func wellFormedDocumentsReadAsJSONDecoderReadsThem() throws {
        for document in Self.documents {
            let reference = try #require(decoded(document), "JSONDecoder rejects \(document)")
            #expect(fast(document) == reference, "\(document)")
            #expect(try JSONValue.parse(Data(document.utf8)) == reference)
        }
    }

    @Test func malformedDocumentsFallBackAndAreRejectedAlike() {
        for document in Self.malformed {
            #expect(fast(document) == Optional<JSONValue>.none, "the fast parser accepted \(document.debugDescription)")
            let accepted = (try? JSONValue.parse(Data(document.utf8))) != nil
            #expect(accepted == (decoded(document) != nil), "\(document.debugDescription)")
        }
    }

    @Test func topLevelScalarsAreJSONDecodersToJudge() {
        for document in Self.scalars {
            #expect(fast(document) == Optional<JSONValue>.none)
            #expect((try? JSONValue.parse(Data(document.utf8))) == decoded(document))
        }
    }

    /// A repeated key is JSONDecoder's to resolve.
    @Test func repeatedKeysGoToJSONDecoder() throws {
        let document = #"{"a":1,"a":2}"#
        #expect(fast(document) == Optional<JSONValue>.none)
        #expect((try? JSONValue.parse(Data(document.utf8))) == decoded(document))
    }

    /// Every recorded answer (`Fixtures/responses/<service>/<Operation>-<account>.json`, recorded
    /// from moto by `record.py` there) reads the same through both parsers. A file JSONDecoder
    /// rejects is a broken fixture, and too few files means the walk is looking in the wrong place.
    @Test func recordedResponsesReadTheSame() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "Fixtures/responses")
        let files =
            (FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "json" } ?? []).sorted { $0.path < $1.path }
        #expect(files.count >= 20, "only \(files.count) recorded answers under \(folder.path)")
        #expect(
            Set(files.map { $0.deletingLastPathComponent().lastPathComponent }).count >= 10,
            "answers of too few services")
        for file in files {
            let name = "\(file.deletingLastPathComponent().lastPathComponent)/\(file.lastPathComponent)"
            let data = try Data(contentsOf: file)
            let reference = try #require(try? JSONDecoder().decode(JSONValue.self, from: data), "\(name) is not JSON")
            #expect(reference.object?.isEmpty == false, "\(name) holds no AWS answer")
            #expect(
                fast(String(decoding: data, as: UTF8.self)) == reference,
                "\(name): the fast parser reads it differently")
            #expect(try JSONValue.parse(data) == reference, "\(name)")
        }
    }
}
