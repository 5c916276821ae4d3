import Foundation

/// A place in a source file, 1-based, as editors and `file:line:col` links expect.
public struct SourcePosition: Hashable, Sendable, Codable, Comparable {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = max(1, line)
        self.column = max(1, column)
    }

    public static let start = SourcePosition(line: 1, column: 1)

    public static func < (lhs: SourcePosition, rhs: SourcePosition) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }
}

/// One problem found in a template, printed as `path:line:col: error: message`.
public struct Diagnostic: Error, Hashable, Sendable, CustomStringConvertible {
    public var path: String
    public var position: SourcePosition
    public var message: String

    public init(path: String, position: SourcePosition, message: String) {
        self.path = path
        self.position = position
        // A diagnostic is one line, whatever the message quotes.
        self.message = message.replacingOccurrences(of: "\n", with: " ")
    }

    public var description: String {
        "\(path):\(position.line):\(position.column): error: \(message)"
    }
}

/// All problems found in one template; thrown when a template must be valid to be used.
public struct TemplateErrors: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics.sorted { ($0.position, $0.message) < ($1.position, $1.message) }
    }

    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}
