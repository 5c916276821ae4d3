import SOPCore

/// Which checks a customer's verification runs, and on which of their items.
///
/// A check runs when an item of the customer's pinned template names it and that item
/// applies to the customer (is not not-applicable); its results are recorded on exactly
/// those items.
public struct VerificationPlan: Sendable {
    public struct Entry: Sendable {
        public var check: Check
        /// The template's applicable items that name the check.
        public var items: [String]
        /// Their SOP section numbers (`"5.2"`), unique, in template order.
        public var sections: [String]
    }

    public var entries: [Entry]

    public var checks: [Check] { entries.map(\.check) }

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case unknownCheck(String)
        case notInTemplate(check: String, template: String)
        case notApplicable(check: String)

        public var description: String {
            switch self {
            case .unknownCheck(let id):
                return "unknown check '\(id)' (known: see Documentation/Checks.md)"
            case .notInTemplate(let id, let template):
                return "check '\(id)' is not used by template \(template)"
            case .notApplicable(let id):
                return "check '\(id)' verifies only items that do not apply to this customer"
            }
        }
    }

    /// Validates requested ids before anything else, so a typo fails fast with exit 2.
    public static func unknownIds(_ requested: [String]) -> [String] {
        requested.filter { CheckCatalog.check($0) == nil }
    }

    /// One checklist item as the plan needs it: its id, SOP section and the checks it names.
    public struct ChecklistItem: Sendable, Equatable {
        public var id: String
        public var section: String
        public var checks: [String]

        public init(id: String, section: String, checks: [String]) {
            self.id = id
            self.section = section
            self.checks = checks
        }
    }

    /// The plan for `template` given the item ids that apply; `only` limits it to some checks.
    public init(template: Template, applicableItems: Set<String>, only: [String]? = nil) throws(Problem) {
        try self.init(
            items: template.items.map { ChecklistItem(id: $0.id, section: $0.section, checks: $0.checks) },
            templateReference: template.reference, applicableItems: applicableItems, only: only)
    }

    /// The plan for a checklist (a customer's items in template order, e.g. as the tracker
    /// holds them) given the item ids that apply; `only` limits it to some checks.
    /// `templateReference` names the checklist's template in errors.
    public init(
        items checklist: [ChecklistItem], templateReference: String, applicableItems: Set<String>,
        only: [String]? = nil
    ) throws(Problem) {
        if let unknown = Self.unknownIds(only ?? []).first { throw .unknownCheck(unknown) }
        var entries: [Entry] = []
        for check in CheckCatalog.all {
            if let only, !only.contains(check.id) { continue }
            let naming = checklist.filter { $0.checks.contains(check.id) }
            if naming.isEmpty {
                if only != nil { throw .notInTemplate(check: check.id, template: templateReference) }
                continue
            }
            let items = naming.filter { applicableItems.contains($0.id) }
            if items.isEmpty {
                if only != nil { throw .notApplicable(check: check.id) }
                continue
            }
            var sections: [String] = []
            for item in items where !sections.contains(item.section) { sections.append(item.section) }
            entries.append(Entry(check: check, items: items.map(\.id), sections: sections))
        }
        self.entries = entries
    }
}
