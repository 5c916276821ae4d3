import SOPCore

/// What `sop upgrade` does to one customer, item by item; shown by `--dry-run`
/// and recorded in the audit trail when applied.
public struct UpgradePlan: Sendable, Equatable, Encodable {
    /// One item's fate in the upgrade.
    public struct ItemChange: Sendable, Equatable, Encodable {
        public var id: String
        public var section: String
        public var title: String
        public var statusBefore: String?
        public var statusAfter: String
        /// Why the status is what it is after the upgrade (e.g. a requirement now missing).
        public var reason: String?
        /// Field changes of an item kept by id (`evidence: check → check, file`).
        public var changes: [String]
        /// For an item that inherits history: the old ids it replaces.
        public var inheritsFrom: [String]
        /// Evidence rows carried to this item (copies; the originals stay on the archived item).
        public var evidenceCarried: Int
        /// Sign-offs that become stale and must be given again (`Security Lead by priya`).
        public var staleSignoffs: [String]
    }

    public var customer: String
    public var from: String
    public var to: String
    public var fromSha256: String
    public var toSha256: String
    /// Items kept by id with nothing that matters changed.
    public var unchanged: [String]
    /// Items kept by id whose text, section or requirements changed.
    public var changed: [ItemChange]
    /// New items that inherit the history of replaced ones (renames, splits, merges).
    public var inherited: [ItemChange]
    /// New items, todo or not applicable by their condition.
    public var added: [ItemChange]
    /// Items the new version retired: archived with their evidence and sign-offs.
    public var archived: [ItemChange]
    /// Section-level changes (added, retired, sign-off roles).
    public var sections: [String]
    /// Section sign-offs that go stale because items of the section changed (`5: Security Lead by priya`).
    public var staleSectionSignoffs: [String] = []

    /// Items whose requirements changed: their sign-offs are stale, listed for the PM.
    public var reopened: [ItemChange] {
        (changed + inherited).filter {
            !$0.staleSignoffs.isEmpty || $0.statusBefore != $0.statusAfter && $0.reason != nil
        }
    }

    /// The plan as text a project manager reads before saying yes.
    public func renderText(dryRun: Bool) -> String {
        var out =
            dryRun
            ? "Upgrade plan for \(customer): \(from) → \(to) (dry run: nothing was changed)\n"
            : "Upgraded \(customer): \(from) → \(to)\n"
        out +=
            "  \(unchanged.count) items carried over unchanged, \(changed.count) changed, \(inherited.count) inherit history, "
            + "\(added.count) new, \(archived.count) archived\n"
        func list(_ title: String, _ items: [ItemChange], _ line: (ItemChange) -> String) {
            guard !items.isEmpty else { return }
            out += "\n\(title) (\(items.count)):\n"
            for item in items { out += line(item) }
        }
        func status(_ item: ItemChange) -> String {
            guard let before = item.statusBefore, before != item.statusAfter else { return item.statusAfter }
            return "\(before) → \(item.statusAfter)"
        }
        list("New items", added) {
            "  + \($0.section)  \($0.id) [\($0.statusAfter)]: \($0.title)\($0.reason.map { " (\($0))" } ?? "")\n"
        }
        list("Inheriting history", inherited) {
            "  ~ \($0.section)  \($0.id) ← \($0.inheritsFrom.joined(separator: ", ")) [\(status($0))], "
                + "\($0.evidenceCarried) evidence carried\($0.reason.map { "; \($0)" } ?? "")\n"
        }
        list("Changed items", changed) { item in
            var line = "  * \(item.section)  \(item.id) [\(status(item))]: \(item.changes.joined(separator: "; "))\n"
            if let reason = item.reason { line += "      \(reason)\n" }
            return line
        }
        list("Archived (history kept)", archived) {
            "  - \($0.section)  \($0.id) [\($0.statusBefore ?? "")]: \($0.title)\n"
        }
        let stale = (changed + inherited).filter { !$0.staleSignoffs.isEmpty }
        if !stale.isEmpty || !staleSectionSignoffs.isEmpty {
            out += "\nSign-offs to give again (what they approved changed):\n"
            for item in stale { out += "  ! \(item.id): \(item.staleSignoffs.joined(separator: ", "))\n" }
            for line in staleSectionSignoffs { out += "  ! section \(line)\n" }
        }
        if !sections.isEmpty {
            out += "\nSections:\n"
            for line in sections { out += "  \(line)\n" }
        }
        return out
    }
}
