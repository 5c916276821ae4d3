import Foundation
import SOPCore
import SOPJSON

/// SHA-256 in the lower-case hex form stored everywhere in the database (SOPCore's ``ContentHash``).
enum Hashing {
    static func sha256(_ data: Data) -> String { ContentHash.sha256Hex(data) }

    static func sha256(_ text: String) -> String { ContentHash.sha256Hex(text) }

    /// The genesis `prev_hash` of the audit chain.
    static let zero = String(repeating: "0", count: 64)
}

/// The form that is hashed: SOPJSON's canonical JSON (sorted keys, no whitespace, slashes
/// unescaped, snake_case property names, ISO-8601 dates), written by the project's own code.
enum CanonicalJSON {
    /// The canonical text of `value`; `null` for a value without one (a non-finite number),
    /// as the JSONEncoder-based writer this replaces answered.
    static func encode<T: Encodable>(_ value: T) -> String {
        (try? CanonicalJSONValue(encoding: value))?.text ?? "null"
    }

    /// A flat object of optional strings, the usual before/after of an audit event (nil
    /// fields are left out).
    static func object(_ fields: [String: String?]) -> String {
        CanonicalJSONValue.object(fields.compactMapValues { $0.map(CanonicalJSONValue.string) }).text
    }
}
