/// Fills `${name}` references in template text with the values that apply.
///
/// Template text (item titles and steps, section titles, the SOP body) may name a parameter;
/// what people read shows its value: the customer's own, else the template's default. A name
/// with no value is left as written, so a missing value is visible rather than blank.
public enum ParameterText {
    /// `text` with each `${name}` that has a value replaced by `escape(value)`; `escape`
    /// makes a value plain text in the output's markup (Markdown for the renderers).
    public static func fill(
        _ text: String, _ values: [String: ParameterValue], escape: (String) -> String = { $0 }
    ) -> String {
        guard text.contains("${") else { return text }
        var output = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else { break }
            output += rest[..<start.lowerBound]
            if let value = values[String(rest[start.upperBound..<end])] {
                output += escape(value.description)
            } else {
                output += rest[start.lowerBound...end]
            }
            rest = rest[rest.index(after: end)...]
        }
        return output + rest
    }
}
