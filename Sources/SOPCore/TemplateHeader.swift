import Foundation

/// A template's front matter alone: its parameters and the words it uses for its subject.
///
/// Reading a customer's `${name}` values needs only the defaults, and `sop status SLUG` should
/// not pay for parsing a whole SOP with cmark to get them (about 20 ms for the shipped one).
public struct TemplateHeader: Sendable, Equatable {
    public var parameters: [Parameter]
    public var subject: TemplateSubject

    /// Parameter defaults by name.
    public var parameterValues: [String: ParameterValue] {
        Dictionary(parameters.map { ($0.name, $0.defaultValue) }, uniquingKeysWith: { first, _ in first })
    }

    /// The front matter of `data`, or nil when the file has none that parses cleanly (then the
    /// full parser, which reports every problem, is the one to ask).
    public init?(data: Data) {
        guard let decoded = String(validating: data, as: UTF8.self), !decoded.utf8.contains(0) else { return nil }
        let text = decoded.contains("\r\n") ? decoded.replacingOccurrences(of: "\r\n", with: "\n") : decoded
        guard let (yaml, _, _) = FrontMatter.split(text) else { return nil }
        var clean = true
        let front = FrontMatter.parse(yaml, lineOffset: 1) { _, _ in clean = false }
        guard clean else { return nil }
        parameters = front.parameters
        subject = front.subject
    }
}
