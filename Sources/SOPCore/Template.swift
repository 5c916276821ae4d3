import Foundation

/// A versioned checklist template: the SOP as data.
///
/// Parsed from a Markdown file by ``TemplateParser``; identified by `id@version`
/// and pinned by the SHA-256 of the file it came from.
public struct Template: Sendable, Equatable {
    public var id: String
    public var version: SemanticVersion
    public var title: String
    public var roles: [String]
    public var releaseNotes: String?
    public var parameters: [Parameter]
    public var sections: [Section]
    public var items: [Item]
    /// Where the template was read from (for messages), and the SHA-256 of its bytes.
    public var path: String
    public var sha256: String
    /// The Markdown body after the front matter, for rendering the SOP as a page.
    public var body: String
    /// What the template is about, as its front matter says (see ``TemplateSubject``).
    public var subjectWords: TemplateSubject

    public init(
        id: String, version: SemanticVersion, title: String, roles: [String], releaseNotes: String?,
        parameters: [Parameter], sections: [Section], items: [Item], path: String, sha256: String, body: String,
        subjectWords: TemplateSubject = TemplateSubject()
    ) {
        self.subjectWords = subjectWords
        self.id = id
        self.version = version
        self.title = title
        self.roles = roles
        self.releaseNotes = releaseNotes
        self.parameters = parameters
        self.sections = sections
        self.items = items
        self.path = path
        self.sha256 = sha256
        self.body = body
    }

    /// `id@version`, the way users name a template.
    public var reference: String { "\(id)@\(version)" }

    public func item(_ id: String) -> Item? { items.first { $0.id == id } }
    public func section(_ number: String) -> Section? { sections.first { $0.number == number } }
    public func parameter(_ name: String) -> Parameter? { parameters.first { $0.name == name } }

    /// Items of a section and of all its subsections (`"5"` covers `5.1` and `5.2`).
    public func items(inSection number: String) -> [Item] {
        items.filter { $0.section == number || $0.section.hasPrefix(number + ".") }
    }

    /// Default parameter values overlaid with a customer's overrides.
    public func parameterValues(overrides: [String: ParameterValue] = [:]) -> [String: ParameterValue] {
        var values: [String: ParameterValue] = [:]
        for parameter in parameters { values[parameter.name] = parameter.defaultValue }
        for (key, value) in overrides { values[key] = value }
        return values
    }
}

/// A heading of the SOP, keeping its own numbering (`"3.1"`).
public struct Section: Sendable, Equatable {
    public var number: String
    public var title: String
    /// Heading level in the Markdown (2 for `##`).
    public var level: Int
    /// Roles that must sign the section off as a whole.
    public var signoff: [String]
    /// Free text of the section (paragraphs, reference lists), as Markdown.
    public var notes: [String]
    public var position: SourcePosition
    /// Where the section's `signoff` metadata was written, for messages.
    public var signoffPosition: SourcePosition?

    public init(
        number: String, title: String, level: Int, signoff: [String] = [], notes: [String] = [],
        position: SourcePosition
    ) {
        self.number = number
        self.title = title
        self.level = level
        self.signoff = signoff
        self.notes = notes
        self.position = position
    }

    /// The number of the enclosing section (`"3"` for `"3.1"`), or nil at the top.
    public var parentNumber: String? {
        guard let dot = number.lastIndex(of: ".") else { return nil }
        return String(number[..<dot])
    }
}

/// One checklist item: a task-list entry of the template with its metadata.
public struct Item: Sendable, Equatable {
    public var id: String
    public var section: String
    public var title: String
    /// Sub-bullets of the item in the SOP: the steps that make it up.
    public var steps: [String]
    public var evidence: [EvidenceKind]
    public var signoff: [String]
    public var checks: [String]
    public var when: Condition?
    public var owner: String?
    public var depends: [String]
    /// Ids of items in earlier template versions whose history this item inherits.
    public var replaces: [String]
    /// When the item is due, relative to the customer's start, another item or the customer's
    /// due date (`due:`); ``DueSchedule`` turns it into a day at `sop new`.
    public var due: DueRule?
    /// How long the item's evidence stays current (`valid_for:`), for evidence ageing.
    public var validFor: ValidityPeriod?
    public var position: SourcePosition
    /// Where each metadata key was written, so validation can point at it.
    public var metadataPositions: [String: SourcePosition] = [:]

    public init(
        id: String, section: String, title: String, steps: [String] = [], evidence: [EvidenceKind] = [],
        signoff: [String] = [], checks: [String] = [], when: Condition? = nil, owner: String? = nil,
        depends: [String] = [], replaces: [String] = [], due: DueRule? = nil, validFor: ValidityPeriod? = nil,
        position: SourcePosition = .start
    ) {
        self.due = due
        self.validFor = validFor
        self.id = id
        self.section = section
        self.title = title
        self.steps = steps
        self.evidence = evidence
        self.signoff = signoff
        self.checks = checks
        self.when = when
        self.owner = owner
        self.depends = depends
        self.replaces = replaces
        self.position = position
    }

    /// True when at least one automated check verifies the item.
    public var isAutomated: Bool { !checks.isEmpty }
}

/// A named template parameter with its default, e.g. `password_min_length: 14`.
public struct Parameter: Sendable, Equatable {
    public var name: String
    public var defaultValue: ParameterValue
    public var description: String?

    public init(name: String, defaultValue: ParameterValue, description: String? = nil) {
        self.name = name
        self.defaultValue = defaultValue
        self.description = description
    }
}

/// A parameter value: the few shapes thresholds and name lists need.
public enum ParameterValue: Sendable, Hashable, CustomStringConvertible, Codable {
    case string(String)
    case integer(Int)
    case boolean(Bool)
    case list([String])

    public var description: String {
        switch self {
        case .string(let s): return s
        case .integer(let i): return String(i)
        case .boolean(let b): return b ? "true" : "false"
        case .list(let l): return l.joined(separator: ", ")
        }
    }

    public var intValue: Int? { if case .integer(let i) = self { return i } else { return nil } }
    public var boolValue: Bool? { if case .boolean(let b) = self { return b } else { return nil } }
    public var listValue: [String]? {
        switch self {
        case .list(let l): return l
        case .string(let s): return [s]
        default: return nil
        }
    }
    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }

    /// Parses a command-line override (`--param KEY=VALUE`) into the shape of the default.
    public func parsing(_ text: String) -> ParameterValue? {
        switch self {
        case .string: return .string(text)
        case .integer: return Int(text.trimmingCharacters(in: .whitespaces)).map(ParameterValue.integer)
        case .boolean:
            switch text.lowercased() {
            case "true", "yes", "1", "on": return .boolean(true)
            case "false", "no", "0", "off": return .boolean(false)
            default: return nil
            }
        case .list:
            return .list(
                text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let b = try? c.decode(Bool.self) {
            self = .boolean(b)
        } else if let i = try? c.decode(Int.self) {
            self = .integer(i)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else {
            self = .list(try c.decode([String].self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .string(let s): try c.encode(s)
        case .integer(let i): try c.encode(i)
        case .boolean(let b): try c.encode(b)
        case .list(let l): try c.encode(l)
        }
    }
}
