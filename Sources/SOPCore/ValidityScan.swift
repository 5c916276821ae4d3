import Foundation

/// Each item's `valid_for`, read from the template's metadata comments line by line, without
/// parsing the SOP: `sop status SLUG` ages evidence by it, and a full parse costs about 20 ms
/// for the shipped template, where this costs well under one.
///
/// It reads only the common form, a multi-line `<!-- sop` comment with `id:` and `valid_for:`
/// each on a line of their own. Anything else that mentions `valid_for` (a one-line comment, a
/// value it cannot parse) makes it answer nil, and the caller parses the template in full: a
/// period is never silently dropped. A test holds it to the parser on every shipped template.
public enum ValidityScan {
    public static func periods(in text: String) -> [String: ValidityPeriod]? {
        var periods: [String: ValidityPeriod] = [:]
        var attributed = 0
        var inMetadata = false
        var id: String?
        var period: ValidityPeriod?
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if !inMetadata {
                if line.hasPrefix("<!--"), Metadata.isMetadata(line), !line.contains("-->") {
                    inMetadata = true
                    id = nil
                    period = nil
                }
                continue
            }
            if line.hasPrefix("-->") || line.hasSuffix("-->") {
                if let id, let period {
                    periods[id] = period
                    attributed += 1
                }
                inMetadata = false
                continue
            }
            if line.hasPrefix("id:") {
                id = line.dropFirst(3).trimmingCharacters(in: .whitespaces)
            } else if line.hasPrefix("valid_for:") {
                guard let parsed = try? ValidityPeriod.parse(String(line.dropFirst(10))) else { return nil }
                period = parsed
            }
        }
        // Every `valid_for:` key anywhere (one-line comments included; prose and names such as
        // `verification_valid_for` are not keys) must be one the scan attributed.
        let keys = text.matches(of: /(?:^|[\s,{])valid_for[ \t]*:/.anchorsMatchLineEndings()).count
        return keys == attributed ? periods : nil
    }
}
