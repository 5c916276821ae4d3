import Foundation
import SOPCore

/// SHA-256 in the lower-case hex form stored everywhere in the database (SOPCore's ``ContentHash``).
enum Hashing {
    static func sha256(_ data: Data) -> String { ContentHash.sha256Hex(data) }

    static func sha256(_ text: String) -> String { ContentHash.sha256Hex(text) }

    /// The genesis `prev_hash` of the audit chain.
    static let zero = String(repeating: "0", count: 64)
}

/// JSON with sorted keys and no insignificant whitespace: the form that is hashed.
enum CanonicalJSON {
    static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        guard let data = try? encoder.encode(value) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }

    /// A flat object of optional strings, the usual before/after of an audit event.
    static func object(_ fields: [String: String?]) -> String {
        encode(fields.compactMapValues { $0 })
    }
}
