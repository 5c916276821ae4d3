import Foundation

/// The `sop template show --json` shape. Other tools read it: extend, never rename.
///
/// `{"id","version","title","subject","provider","email_required","parameters":{…},"sections":[{"number","title","signoff":[…]}],
///  "items":[{"id","section","title","evidence":[…],"signoff":[…],"checks":[…],"when":…,"depends":[…],
///  "due":"start+5wd"|null,"valid_for":"365d"|null}]}`
public struct TemplateJSON: Encodable {
    struct SectionJSON: Encodable {
        var number: String
        var title: String
        var level: Int
        var signoff: [String]
    }

    struct ItemJSON: Encodable {
        var id: String
        var section: String
        var title: String
        var steps: [String]
        var evidence: [String]
        var signoff: [String]
        var checks: [String]
        var when: String?
        var owner: String?
        var depends: [String]
        var replaces: [String]
        var due: String?
        var validFor: String?

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(section, forKey: .section)
            try c.encode(title, forKey: .title)
            try c.encode(steps, forKey: .steps)
            try c.encode(evidence, forKey: .evidence)
            try c.encode(signoff, forKey: .signoff)
            try c.encode(checks, forKey: .checks)
            try c.encode(when, forKey: .when)  // explicit null when unconditional
            try c.encode(owner, forKey: .owner)
            try c.encode(depends, forKey: .depends)
            try c.encode(replaces, forKey: .replaces)
            try c.encode(due, forKey: .due)  // explicit null when the item has no due rule
            try c.encode(validFor, forKey: .validFor)
        }

        enum CodingKeys: String, CodingKey {
            case id, section, title, steps, evidence, signoff, checks, when, owner, depends, replaces, due
            case validFor = "valid_for"
        }
    }

    var id: String
    var version: String
    var title: String
    var roles: [String]
    var release_notes: String?
    var sha256: String
    var parameters: [String: ParameterValue]
    var sections: [SectionJSON]
    var items: [ItemJSON]
    /// What the template is about and whose regions it takes (absent when it names none).
    var subject: String?
    var provider: String?
    var email_required: Bool

    public init(_ template: Template) {
        subject = template.subject
        provider = template.provider?.rawValue
        email_required = template.requiresEmail
        id = template.id
        version = template.version.description
        title = template.title
        roles = template.roles
        release_notes = template.releaseNotes
        sha256 = template.sha256
        parameters = Dictionary(uniqueKeysWithValues: template.parameters.map { ($0.name, $0.defaultValue) })
        sections = template.sections.map {
            SectionJSON(number: $0.number, title: $0.title, level: $0.level, signoff: $0.signoff)
        }
        items = template.items.map {
            ItemJSON(
                id: $0.id, section: $0.section, title: $0.title, steps: $0.steps, evidence: $0.evidence.map(\.rawValue),
                signoff: $0.signoff, checks: $0.checks, when: $0.when?.description, owner: $0.owner,
                depends: $0.depends, replaces: $0.replaces, due: $0.due?.description,
                validFor: $0.validFor?.description)
        }
    }

    /// Pretty, key-sorted JSON: stable for golden files and diffs.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
