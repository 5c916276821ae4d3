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
        guard var start = referenceStart(in: text[...]) else { return text }
        var output = ""
        var rest = Substring(text)
        while true {
            let nameStart = rest.utf8.index(start, offsetBy: 2)
            guard let end = rest[nameStart...].utf8.firstIndex(of: UInt8(ascii: "}")) else { break }
            output += rest[..<start]
            if let value = values[String(rest[nameStart..<end])] {
                output += escape(value.description)
            } else {
                output += rest[start...end]
            }
            rest = rest[rest.utf8.index(after: end)...]
            guard let next = referenceStart(in: rest) else { break }
            start = next
        }
        return output + rest
    }

    /// Where the first `${` starts, scanning bytes: Foundation's `contains`/`range(of:)` went
    /// through `CFStringFind` and were most of filling a site's worth of item text.
    static func referenceStart(in text: Substring) -> String.Index? {
        var index = text.utf8.startIndex
        var previous: UInt8 = 0
        while index != text.utf8.endIndex {
            let byte = text.utf8[index]
            if previous == UInt8(ascii: "$") && byte == UInt8(ascii: "{") { return text.utf8.index(before: index) }
            previous = byte
            index = text.utf8.index(after: index)
        }
        return nil
    }
}
