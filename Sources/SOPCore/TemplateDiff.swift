/// What changed between two versions of a template, matched by item id.
///
/// Items that name earlier ids in `replaces` are reported as renames (one
/// successor) or splits (several successors) instead of a removal plus additions,
/// because that is how the upgrade carries their history forward.
public struct TemplateDiff: Sendable, Equatable {
    public struct ItemRef: Sendable, Equatable, Codable {
        public var id: String
        public var section: String
        public var title: String
    }

    public struct Move: Sendable, Equatable, Codable {
        public var id: String
        public var from: String
        public var to: String
    }

    public struct FieldChange: Sendable, Equatable, Codable {
        public var field: String
        public var before: String
        public var after: String
    }

    public struct Change: Sendable, Equatable, Codable {
        public var id: String
        public var section: String
        public var title: String
        public var changes: [FieldChange]
        /// True when what it takes to complete the item changed (evidence, sign-off, checks,
        /// condition): its sign-offs must be given again after an upgrade.
        public var requirementsChanged: Bool
    }

    public struct Replacement: Sendable, Equatable, Codable {
        /// `renamed` (one new item replaces one old), `split` (several new items replace one old)
        /// or `merged` (one new item replaces several old).
        public var kind: String
        public var old: [ItemRef]
        public var new: [ItemRef]
    }

    public struct ParameterChange: Sendable, Equatable, Codable {
        public var name: String
        public var change: String  // added | removed | changed
        public var before: String?
        public var after: String?
    }

    public struct SectionChange: Sendable, Equatable, Codable {
        public var number: String
        public var change: String  // added | removed | retitled | signoff
        public var before: String?
        public var after: String?
    }

    public var from: String
    public var to: String
    public var releaseNotes: String?
    public var added: [ItemRef]
    public var removed: [ItemRef]
    public var replaced: [Replacement]
    public var moved: [Move]
    public var changed: [Change]
    public var parameters: [ParameterChange]
    public var sections: [SectionChange]

    public var isEmpty: Bool {
        added.isEmpty && removed.isEmpty && replaced.isEmpty && moved.isEmpty && changed.isEmpty
            && parameters.isEmpty && sections.isEmpty
    }

    public init(from old: Template, to new: Template) {
        from = old.reference
        to = new.reference
        releaseNotes = new.releaseNotes
        func ref(_ item: Item) -> ItemRef { ItemRef(id: item.id, section: item.section, title: item.title) }
        let oldIDs = Set(old.items.map(\.id))
        let newIDs = Set(new.items.map(\.id))

        // Replacements: new items naming old ids that no longer exist under that id.
        var successors: [String: [Item]] = [:]
        for item in new.items {
            for replaced in item.replaces where oldIDs.contains(replaced) && !newIDs.contains(replaced) {
                successors[replaced, default: []].append(item)
            }
        }
        var consumedOld = Set<String>()
        var consumedNew = Set<String>()
        var replaced: [Replacement] = []
        for oldItem in old.items {
            guard let successorItems = successors[oldItem.id], !consumedOld.contains(oldItem.id) else { continue }
            if successorItems.count == 1, let successor = successorItems.first {
                let predecessors = old.items.filter { successor.replaces.contains($0.id) && !newIDs.contains($0.id) }
                for predecessor in predecessors { consumedOld.insert(predecessor.id) }
                consumedNew.insert(successor.id)
                replaced.append(
                    Replacement(
                        kind: predecessors.count > 1 ? "merged" : "renamed",
                        old: predecessors.map(ref), new: [ref(successor)]))
            } else {
                consumedOld.insert(oldItem.id)
                for item in successorItems { consumedNew.insert(item.id) }
                replaced.append(Replacement(kind: "split", old: [ref(oldItem)], new: successorItems.map(ref)))
            }
        }
        self.replaced = replaced
        added = new.items.filter { !oldIDs.contains($0.id) && !consumedNew.contains($0.id) }.map(ref)
        removed = old.items.filter { !newIDs.contains($0.id) && !consumedOld.contains($0.id) }.map(ref)

        var moved: [Move] = []
        var changed: [Change] = []
        for newItem in new.items {
            guard let oldItem = old.item(newItem.id) else { continue }
            if oldItem.section != newItem.section {
                moved.append(Move(id: newItem.id, from: oldItem.section, to: newItem.section))
            }
            let changes = Self.fieldChanges(oldItem, newItem)
            if !changes.isEmpty {
                let requirementFields: Set<String> = ["evidence", "signoff", "checks", "when"]
                changed.append(
                    Change(
                        id: newItem.id, section: newItem.section, title: newItem.title, changes: changes,
                        requirementsChanged: changes.contains { requirementFields.contains($0.field) }))
            }
        }
        self.moved = moved
        self.changed = changed

        var parameters: [ParameterChange] = []
        for parameter in new.parameters {
            if let before = old.parameter(parameter.name) {
                if before.defaultValue != parameter.defaultValue {
                    parameters.append(
                        ParameterChange(
                            name: parameter.name, change: "changed",
                            before: before.defaultValue.description, after: parameter.defaultValue.description))
                }
            } else {
                parameters.append(
                    ParameterChange(
                        name: parameter.name, change: "added", before: nil, after: parameter.defaultValue.description))
            }
        }
        for parameter in old.parameters where new.parameter(parameter.name) == nil {
            parameters.append(
                ParameterChange(
                    name: parameter.name, change: "removed", before: parameter.defaultValue.description, after: nil))
        }
        self.parameters = parameters

        var sections: [SectionChange] = []
        for section in new.sections {
            guard let before = old.section(section.number) else {
                sections.append(
                    SectionChange(number: section.number, change: "added", before: nil, after: section.title))
                continue
            }
            if before.title != section.title {
                sections.append(
                    SectionChange(
                        number: section.number, change: "retitled", before: before.title, after: section.title))
            }
            if before.signoff != section.signoff {
                sections.append(
                    SectionChange(
                        number: section.number, change: "signoff",
                        before: Self.list(before.signoff), after: Self.list(section.signoff)))
            }
        }
        for section in old.sections where new.section(section.number) == nil {
            sections.append(SectionChange(number: section.number, change: "removed", before: section.title, after: nil))
        }
        self.sections = sections
    }

    static func list(_ values: [String]) -> String { values.isEmpty ? "none" : values.joined(separator: ", ") }

    static func fieldChanges(_ a: Item, _ b: Item) -> [FieldChange] {
        var changes: [FieldChange] = []
        func compare(_ field: String, _ x: String, _ y: String) {
            if x != y { changes.append(FieldChange(field: field, before: x, after: y)) }
        }
        compare("title", a.title, b.title)
        compare("evidence", list(a.evidence.map(\.rawValue)), list(b.evidence.map(\.rawValue)))
        compare("signoff", list(a.signoff), list(b.signoff))
        compare("checks", list(a.checks.sorted()), list(b.checks.sorted()))
        compare("when", a.when?.description ?? "always", b.when?.description ?? "always")
        compare("owner", a.owner ?? "none", b.owner ?? "none")
        compare("depends", list(a.depends.sorted()), list(b.depends.sorted()))
        compare("due", a.due?.description ?? "none", b.due?.description ?? "none")
        compare("valid_for", a.validFor?.description ?? "always", b.validFor?.description ?? "always")
        return changes
    }
}

extension TemplateDiff {
    /// The diff as release notes a project manager can read.
    public func renderText() -> String {
        var out = "Changes from \(from) to \(to)\n"
        if let notes = releaseNotes?.trimmingCharacters(in: .whitespacesAndNewlines), !notes.isEmpty {
            out += "\nRelease notes of \(to):\n"
            out +=
                notes.split(separator: "\n", omittingEmptySubsequences: false).map { "  \($0)" }.joined(separator: "\n")
                + "\n"
        }
        func heading(_ title: String, _ count: Int) {
            out += "\n\(title) (\(count)):\n"
        }
        if isEmpty { return out + "\nNo differences.\n" }
        if !added.isEmpty {
            heading("New items", added.count)
            for item in added { out += "  + \(item.section)  \(item.id): \(item.title)\n" }
        }
        if !replaced.isEmpty {
            heading("Renamed, split or merged items (history carried over)", replaced.count)
            for r in replaced {
                let olds = r.old.map { "\($0.id) (\($0.section))" }.joined(separator: ", ")
                let news = r.new.map { "\($0.id) (\($0.section))" }.joined(separator: ", ")
                out +=
                    "  ~ \(olds) \(r.kind == "split" ? "split into" : r.kind == "merged" ? "merged into" : "renamed to") \(news)\n"
                for n in r.new { out += "      \(n.id): \(n.title)\n" }
            }
        }
        if !removed.isEmpty {
            heading("Retired items (archived with their history on upgrade)", removed.count)
            for item in removed { out += "  - \(item.section)  \(item.id): \(item.title)\n" }
        }
        if !moved.isEmpty {
            heading("Moved items", moved.count)
            for m in moved { out += "  > \(m.id): section \(m.from) → \(m.to)\n" }
        }
        if !changed.isEmpty {
            heading("Changed items", changed.count)
            for c in changed {
                out +=
                    "  * \(c.section)  \(c.id)\(c.requirementsChanged ? "  [requirements changed: sign-offs must be given again]" : "")\n"
                for f in c.changes {
                    out += "      \(Self.fieldName(f.field)): \(f.before) → \(f.after)\n"
                }
            }
        }
        if !parameters.isEmpty {
            heading("Parameters", parameters.count)
            for p in parameters {
                switch p.change {
                case "added": out += "  + \(p.name) = \(p.after ?? "")\n"
                case "removed": out += "  - \(p.name) (was \(p.before ?? ""))\n"
                default: out += "  * \(p.name): \(p.before ?? "") → \(p.after ?? "")\n"
                }
            }
        }
        if !sections.isEmpty {
            heading("Sections", sections.count)
            for s in sections {
                switch s.change {
                case "added": out += "  + \(s.number) \(s.after ?? "")\n"
                case "removed": out += "  - \(s.number) \(s.before ?? "")\n"
                case "retitled": out += "  * \(s.number) title: \(s.before ?? "") → \(s.after ?? "")\n"
                default: out += "  * \(s.number) sign-off: \(s.before ?? "") → \(s.after ?? "")\n"
                }
            }
        }
        return out
    }

    static func fieldName(_ field: String) -> String {
        switch field {
        case "signoff": return "sign-off"
        case "when": return "applies when"
        case "depends": return "depends on"
        case "valid_for": return "evidence valid for"
        default: return field
        }
    }
}

extension TemplateDiff: Encodable {
    enum CodingKeys: String, CodingKey {
        case from, to
        case releaseNotes = "release_notes"
        case added, removed, replaced, moved, changed, parameters, sections
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(from, forKey: .from)
        try c.encode(to, forKey: .to)
        try c.encode(releaseNotes, forKey: .releaseNotes)
        try c.encode(added, forKey: .added)
        try c.encode(removed, forKey: .removed)
        try c.encode(replaced, forKey: .replaced)
        try c.encode(moved, forKey: .moved)
        try c.encode(changed, forKey: .changed)
        try c.encode(parameters, forKey: .parameters)
        try c.encode(sections, forKey: .sections)
    }
}
