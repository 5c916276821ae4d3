import Foundation

/// JSON output for `--json`: snake-case keys, sorted, pretty-printed, slashes unescaped.
enum TrackerJSON {
    static func print<T: Encodable>(_ value: T) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        guard let data = try? encoder.encode(value) else { return }
        Swift.print(String(decoding: data, as: UTF8.self))
    }
}

/// Splits comma-separated option values (`--regions a,b --regions c`).
func commaSeparated(_ values: [String]) -> [String] {
    values.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
}
