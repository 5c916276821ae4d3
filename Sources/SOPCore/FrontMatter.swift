import CloudRegions
import Foundation
import Yams

/// The YAML block between `---` lines at the top of a template.
struct FrontMatter {
    var id: String?
    var version: SemanticVersion?
    var title: String?
    var roles: [String] = []
    var releaseNotes: String?
    var parameters: [Parameter] = []
    var subject = TemplateSubject()
    var positions: [String: SourcePosition] = [:]

    static let keys: Set<String> = [
        "id", "version", "title", "roles", "release_notes", "parameters", "subject", "subjects", "provider", "email",
    ]

    /// Splits raw text into front-matter YAML and the Markdown body.
    /// Returns the number of lines the front matter occupies (delimiters included),
    /// so body positions can be shifted back to file positions.
    static func split(_ text: String) -> (yaml: String, body: String, bodyLineOffset: Int)? {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if let first = lines.first, first.hasPrefix("\u{FEFF}") { lines[0] = first.dropFirst() }
        guard let first = lines.first, first.trimmingCharacters(in: .whitespaces) == "---" || first == "---\r" else {
            return nil
        }
        for index in 1..<max(1, lines.count) where index < lines.count {
            let line = lines[index].trimmingCharacters(in: CharacterSet(charactersIn: " \t\r"))
            if line == "---" || line == "..." {
                let yaml = lines[1..<index].joined(separator: "\n")
                let body = index + 1 < lines.count ? lines[(index + 1)...].joined(separator: "\n") : ""
                return (yaml, body, index + 1)
            }
        }
        return nil
    }

    /// Parses the YAML; problems are appended to `diagnostics` with file positions
    /// (`lineOffset` = the line the YAML starts on, minus one).
    static func parse(_ yaml: String, lineOffset: Int, report: (SourcePosition, String) -> Void) -> FrontMatter {
        var result = FrontMatter()
        let node: Node
        do {
            guard let composed = try Yams.compose(yaml: yaml) else {
                report(
                    SourcePosition(line: lineOffset + 1, column: 1),
                    "front matter is empty (needs id, version, title, roles)")
                return result
            }
            node = composed
        } catch {
            let (position, message) = YAMLProblem.describe(error, lineOffset: lineOffset, columnOffset: 0)
            report(position, "front matter: \(message)")
            return result
        }
        func position(_ node: Node) -> SourcePosition {
            guard let mark = node.mark else { return SourcePosition(line: lineOffset + 1, column: 1) }
            return SourcePosition(line: lineOffset + mark.line, column: mark.column)
        }
        guard case .mapping(let mapping) = node else {
            report(position(node), "front matter must be a YAML mapping of keys to values")
            return result
        }
        for (keyNode, value) in mapping {
            guard let key = keyNode.string else {
                report(position(keyNode), "front matter keys must be plain words")
                continue
            }
            result.positions[key] = position(keyNode)
            switch key {
            case "id":
                guard let id = value.scalarString, Identifier.isTemplateID(id) else {
                    report(
                        position(value),
                        "template id must be lowercase letters, digits and '-' (found \(value.describe))")
                    continue
                }
                result.id = id
            case "version":
                guard let text = value.scalarString, let version = SemanticVersion(text) else {
                    report(position(value), "version must be semantic (MAJOR.MINOR.PATCH), found \(value.describe)")
                    continue
                }
                result.version = version
            case "title":
                guard let title = value.scalarString, !title.trimmingCharacters(in: .whitespaces).isEmpty else {
                    report(position(value), "title must be non-empty text")
                    continue
                }
                result.title = title
            case "roles":
                guard let roles = value.stringList, !roles.isEmpty else {
                    report(position(value), "roles must be a list of role names")
                    continue
                }
                var seen = Set<String>()
                for role in roles where !seen.insert(role).inserted {
                    report(position(value), "role '\(role)' is listed twice")
                }
                result.roles = roles
            case "release_notes":
                guard let notes = value.scalarString else {
                    report(position(value), "release_notes must be text")
                    continue
                }
                result.releaseNotes = notes
            case "parameters":
                result.parameters = parseParameters(value, position: position, report: report)
            case "subject", "subjects":
                guard let text = value.scalarString?.trimmingCharacters(in: .whitespaces), !text.isEmpty,
                    text.count <= 60, !text.contains(where: \.isNewline)
                else {
                    report(
                        position(value), "\(key) must be a short name on one line (like 'AWS account' or 'employee')")
                    continue
                }
                if key == "subject" { result.subject.subject = text } else { result.subject.subjects = text }
            case "provider":
                switch value.scalarString {
                case "none": result.subject.provider = TemplateSubject.Provider.none
                case let word?:
                    guard let provider = CloudProvider(rawValue: word) else { fallthrough }
                    result.subject.provider = .cloud(provider)
                default:
                    report(
                        position(value),
                        "provider must be one of \(TemplateSubject.providerWords.joined(separator: ", ")) (found \(value.describe))"
                    )
                }
            case "email":
                guard let word = value.scalarString, let rule = TemplateSubject.EmailRule(rawValue: word) else {
                    report(position(value), "email must be 'required' or 'optional' (found \(value.describe))")
                    continue
                }
                result.subject.email = rule
            default:
                report(
                    position(keyNode),
                    "unknown front-matter key '\(key)' (allowed: \(keys.sorted().joined(separator: ", ")))")
            }
        }
        return result
    }

    private static func parseParameters(
        _ node: Node, position: (Node) -> SourcePosition,
        report: (SourcePosition, String) -> Void
    ) -> [Parameter] {
        guard case .mapping(let mapping) = node else {
            report(position(node), "parameters must be a mapping of names to {default, description}")
            return []
        }
        var parameters: [Parameter] = []
        for (keyNode, value) in mapping {
            guard let name = keyNode.string, Identifier.isParameterName(name) else {
                report(
                    position(keyNode),
                    "parameter name must be lowercase letters, digits and '_' (found \(keyNode.describe))")
                continue
            }
            var defaultNode: Node? = value
            var description: String?
            if case .mapping(let fields) = value {
                defaultNode = nil
                for (fieldKey, fieldValue) in fields {
                    switch fieldKey.string {
                    case "default": defaultNode = fieldValue
                    case "description": description = fieldValue.scalarString
                    default:
                        report(
                            position(fieldKey),
                            "unknown key '\(fieldKey.string ?? "?")' in parameter '\(name)' (allowed: default, description)"
                        )
                    }
                }
            }
            guard let defaultNode else {
                report(position(keyNode), "parameter '\(name)' needs a default")
                continue
            }
            guard let parsed = ParameterValue(yaml: defaultNode) else {
                report(
                    position(defaultNode),
                    "parameter '\(name)' default must be text, an integer, true/false or a list of text")
                continue
            }
            parameters.append(Parameter(name: name, defaultValue: parsed, description: description))
        }
        return parameters
    }
}

extension ParameterValue {
    init?(yaml node: Node) {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain {
                if let b = node.bool {
                    self = .boolean(b)
                    return
                }
                if let i = node.int {
                    self = .integer(i)
                    return
                }
            }
            self = .string(scalar.string)
        case .sequence:
            guard let list = node.stringList else { return nil }
            self = .list(list)
        default:
            return nil
        }
    }
}

extension Node {
    /// The text of a scalar; nil for mappings, sequences and aliases.
    var scalarString: String? {
        if case .scalar(let s) = self { return s.string }
        return nil
    }

    /// A list of scalars; a single scalar counts as a one-element list.
    var stringList: [String]? {
        switch self {
        case .scalar(let s): return s.string.isEmpty ? [] : [s.string]
        case .sequence(let seq):
            var out: [String] = []
            for element in seq {
                guard let text = element.scalarString else { return nil }
                out.append(text)
            }
            return out
        default: return nil
        }
    }

    var describe: String {
        switch self {
        case .scalar(let s): return "'\(s.string.prefix(60))'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }
}

/// Turns a Yams error into a file position and a one-line message.
enum YAMLProblem {
    static func describe(_ error: Error, lineOffset: Int, columnOffset: Int) -> (SourcePosition, String) {
        guard let yamlError = error as? YamlError else {
            return (SourcePosition(line: lineOffset + 1, column: 1), "invalid YAML")
        }
        switch yamlError {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let where_ = SourcePosition(line: lineOffset + mark.line, column: columnOffset + mark.column)
            let text = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
            return (where_, "invalid YAML: \(text)")
        case .reader(let problem, _, _, _):
            return (SourcePosition(line: lineOffset + 1, column: 1), "invalid YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return (
                SourcePosition(line: lineOffset + context.mark.line, column: columnOffset + context.mark.column),
                "duplicate YAML key(s): \(duplicates.joined(separator: ", "))"
            )
        default:
            return (SourcePosition(line: lineOffset + 1, column: 1), "invalid YAML")
        }
    }
}

/// The syntax of ids used in templates.
public enum Identifier {
    /// Item ids: lowercase words of letters and digits joined by `.` or `-`, starting with a letter.
    public static func isItemID(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, ("a"..."z").contains(first), text.count <= 80 else { return false }
        var previousWasSeparator = false
        for scalar in text.unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                previousWasSeparator = false
            } else if scalar == "." || scalar == "-" {
                if previousWasSeparator { return false }
                previousWasSeparator = true
            } else {
                return false
            }
        }
        return !previousWasSeparator
    }

    /// Template ids: lowercase letters, digits and `-`.
    public static func isTemplateID(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, ("a"..."z").contains(first), text.count <= 64 else { return false }
        return text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    /// Parameter names and check ids: lowercase letters, digits and `_`.
    public static func isParameterName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, ("a"..."z").contains(first), text.count <= 80 else { return false }
        return text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    public static func isCheckID(_ text: String) -> Bool { isParameterName(text) && text.contains("_") }
}
