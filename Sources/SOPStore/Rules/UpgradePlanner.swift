import SOPCore

/// What `sop upgrade` does to a customer, decided from plain values: the rule of template upgrades.
///
/// The planner reads nothing and writes nothing. Given the customer's rows as they are
/// and the target template, it returns the plan people read (`UpgradePlan`) together
/// with every row the move writes, so `--dry-run` and a real upgrade cannot disagree
/// and the apply step only executes (`Store.apply`). Tests call it without a database.
enum UpgradePlanner {
    /// The customer's state the plan starts from.
    struct Input: Sendable, Equatable {
        var customer: CustomerRecord
        /// Items not archived, in checklist order.
        var items: [ItemRecord]
        /// Evidence not retracted, oldest first.
        var evidence: [EvidenceRecord]
        /// Sign-offs not revoked, oldest first.
        var signoffs: [SignoffRecord]
        /// Every section row, archived ones included (a later version may restore them).
        var sections: [SectionRecord]
        /// Items archived by an earlier upgrade: a version that brings an id back restores its row
        /// (and its history) instead of inserting a second one.
        var archivedItems: [ItemRecord] = []
    }

    /// A row to write: a new one or a new state of an existing one.
    enum RowWrite<Row: Sendable & Equatable>: Sendable, Equatable {
        case insert(Row)
        case update(Row)
    }

    /// The plan and the writes that carry it out, in the order they are made.
    struct Planned: Sendable, Equatable {
        var plan: UpgradePlan
        /// Template items in template order, then the archived ones.
        var itemWrites: [RowWrite<ItemRecord>]
        /// Copies of inherited evidence (no id yet), after the items they belong to exist.
        var evidenceCopies: [EvidenceRecord]
        /// Template sections in template order, then the archived ones.
        var sectionWrites: [RowWrite<SectionRecord>]
        /// The customer pinned to the new version.
        var customer: CustomerRecord
    }

    /// Plans moving `input`'s customer to `template`, following `replaces` links through
    /// `intermediates` (the versions in between, any order). `now` and `actor` stamp the
    /// rows written. Throws `.refused` for another template, a downgrade or the same version.
    static func plan(
        _ input: Input, to template: Template, through intermediates: [Template] = [],
        actor: String, now: String
    ) throws(StoreError) -> Planned {
        let customer = input.customer
        try checkMove(customer, to: template)
        guard let customerID = customer.id else { throw StoreError(.integrity, "customer row has no id") }
        let context = Context(
            input: input, template: template, ancestry: ancestry(template, intermediates),
            customerID: customerID, actor: actor, now: now)
        var plan = UpgradePlan(
            customer: customer.slug, from: "\(customer.templateId)@\(customer.templateVersion)",
            to: template.reference, fromSha256: customer.templateSha256, toSha256: template.sha256,
            unchanged: [], changed: [], inherited: [], added: [], archived: [], sections: [])
        var itemWrites: [RowWrite<ItemRecord>] = []
        var evidenceCopies: [EvidenceRecord] = []
        var consumed = Set<String>()
        for (ordinal, item) in template.items.enumerated() {
            if let old = context.byID[item.id] {
                let (change, row) = context.kept(old, as: item, ordinal: ordinal)
                if let absorbed = context.absorbing(item, into: row, change: change) {
                    // An existing item that now `replaces` retired ones takes their history too,
                    // as `template diff` says it does.
                    consumed.formUnion(absorbed.change.inheritsFrom)
                    plan.inherited.append(absorbed.change)
                    itemWrites.append(.update(absorbed.row))
                    evidenceCopies += absorbed.copies
                    continue
                }
                if let change { plan.changed.append(change) } else { plan.unchanged.append(item.id) }
                itemWrites.append(.update(row))
            } else if let retired = context.archivedByID[item.id] {
                let (change, row) = context.kept(retired, as: item, ordinal: ordinal)
                plan.changed.append(
                    .init(
                        id: item.id, section: item.section, title: item.title, statusBefore: "archived",
                        statusAfter: row.status, reason: change?.reason,
                        changes: ["restored (retired by an earlier version)"] + (change?.changes ?? []),
                        inheritsFrom: [], evidenceCarried: 0, staleSignoffs: change?.staleSignoffs ?? []))
                itemWrites.append(.update(row))
            } else if let inherited = context.inherited(item, ordinal: ordinal) {
                consumed.formUnion(inherited.change.inheritsFrom)
                plan.inherited.append(inherited.change)
                itemWrites.append(.insert(inherited.row))
                evidenceCopies += inherited.copies
            } else {
                let (change, row) = context.added(item, ordinal: ordinal)
                plan.added.append(change)
                itemWrites.append(.insert(row))
            }
        }
        for old in input.items where !context.newIDs.contains(old.itemId) {
            plan.archived.append(
                .init(
                    id: old.itemId, section: old.section, title: old.title, statusBefore: old.status,
                    statusAfter: "archived",
                    reason: consumed.contains(old.itemId) ? "history inherited by its successor" : nil,
                    changes: [], inheritsFrom: [], evidenceCarried: 0, staleSignoffs: []))
            var row = old
            row.archivedAt = now
            itemWrites.append(.update(row))
        }
        let sectionWrites = planSections(
            input.sections, template: template, customerID: customerID, now: now,
            lines: &plan.sections)
        plan.staleSectionSignoffs = staleSectionSignoffs(input.signoffs, plan: plan)
        var moved = customer
        moved.templateVersion = template.version.description
        moved.templateSha256 = template.sha256
        moved.templateTitle = template.title
        moved.lastActivityAt = now
        return Planned(
            plan: plan, itemWrites: itemWrites, evidenceCopies: evidenceCopies, sectionWrites: sectionWrites,
            customer: moved)
    }

    /// Upgrades move forward within one template, and only to a different version.
    static func checkMove(_ customer: CustomerRecord, to template: Template) throws(StoreError) {
        let slug = customer.slug
        guard customer.templateId == template.id else {
            throw StoreError(
                .refused,
                "\(slug) follows template \(customer.templateId); \(template.reference) is a different template")
        }
        guard let current = SemanticVersion(customer.templateVersion) else {
            throw StoreError(.integrity, "\(slug) is pinned to an unreadable version '\(customer.templateVersion)'")
        }
        if template.version < current {
            throw StoreError(
                .refused,
                "downgrade refused: \(slug) is on \(customer.templateId)@\(current) and "
                    + "\(template.version) is older; evidence and sign-offs only move forward")
        }
        if template.version == current {
            throw StoreError(.refused, "\(slug) is already on \(template.reference)")
        }
    }

    /// For each item of `template`, every earlier id it descends from through `replaces`
    /// links in it and the intermediate versions, nearest first.
    static func ancestry(_ template: Template, _ intermediates: [Template]) -> [String: [String]] {
        var links: [String: [String]] = [:]
        for version in intermediates.sorted(by: { $0.version < $1.version }) + [template] {
            for item in version.items where !item.replaces.isEmpty { links[item.id] = item.replaces }
        }
        var result: [String: [String]] = [:]
        for item in template.items where !item.replaces.isEmpty {
            var seen: [String] = []
            var queue = item.replaces
            while !queue.isEmpty {
                let id = queue.removeFirst()
                guard id != item.id, !seen.contains(id) else { continue }
                seen.append(id)
                queue += links[id] ?? []
            }
            result[item.id] = seen
        }
        return result
    }

    /// True when completing the item takes something different now.
    static func requirementsChanged(_ old: ItemRecord, _ new: Item) -> Bool {
        Set(old.evidenceKinds) != Set(new.evidence.map(\.rawValue)) || Set(old.signoffRoles) != Set(new.signoff)
            || Set(old.checks) != Set(new.checks) || old.whenCondition != new.when?.description
    }

    /// The fields of a kept item that differ, as `name: before → after`.
    static func definitionChanges(_ old: ItemRecord, _ new: Item) -> [String] {
        var changes: [String] = []
        func compare(_ name: String, _ a: String, _ b: String) {
            if a != b { changes.append("\(name): \(a) → \(b)") }
        }
        compare("section", old.section, new.section)
        compare("title", old.title, new.title)
        compare("evidence", list(old.evidenceKinds), list(new.evidence.map(\.rawValue)))
        compare("sign-off", list(old.signoffRoles), list(new.signoff))
        compare("checks", list(old.checks.sorted()), list(new.checks.sorted()))
        compare("applies when", old.whenCondition ?? "always", new.when?.description ?? "always")
        compare("owner", old.ownerRole ?? "none", new.owner ?? "none")
        compare("depends on", list(old.depends.sorted()), list(new.depends.sorted()))
        return changes
    }

    /// Required manual evidence kinds with no current evidence. Unlike the done gate, check
    /// results are not asked for (the next verify brings them) and expiry is not looked at:
    /// an upgrade reopens an item only for what the new version newly requires.
    static func missingEvidence(_ item: Item, _ evidence: [EvidenceRecord]) -> [String] {
        let present = Set(evidence.filter { $0.retractedAt == nil }.map(\.kind))
        return item.evidence.filter { $0 != .check && !present.contains($0.rawValue) }.map(\.rawValue)
    }

    /// The least advanced status among predecessors: a merged item is only as done as its parts.
    static func inheritedStatus(_ statuses: [String]) -> String {
        let order = [ItemStatus.blocked, .failed, .todo, .inProgress, .done, .notApplicable].map(\.rawValue)
        let known = statuses.filter { order.contains($0) }
        if known.allSatisfy({ $0 == ItemStatus.notApplicable.rawValue }) { return ItemStatus.notApplicable.rawValue }
        let relevant = known.filter { $0 != ItemStatus.notApplicable.rawValue }
        if relevant.allSatisfy({ $0 == ItemStatus.done.rawValue }) { return ItemStatus.done.rawValue }
        if relevant.contains(ItemStatus.blocked.rawValue) { return ItemStatus.blocked.rawValue }
        if relevant.contains(where: {
            $0 == ItemStatus.done.rawValue || $0 == ItemStatus.inProgress.rawValue || $0 == ItemStatus.failed.rawValue
        }) {
            return ItemStatus.inProgress.rawValue
        }
        return ItemStatus.todo.rawValue
    }

    /// New sections added, retired ones archived, titles and sign-off roles refreshed; `lines` gets the plan's words.
    static func planSections(
        _ sections: [SectionRecord], template: Template, customerID: Int64, now: String,
        lines: inout [String]
    ) -> [RowWrite<SectionRecord>] {
        var writes: [RowWrite<SectionRecord>] = []
        let byNumber = Dictionary(sections.map { ($0.number, $0) }, uniquingKeysWith: { a, _ in a })
        for (ordinal, section) in template.sections.enumerated() {
            let row = SectionRecord(
                customerId: customerID, number: section.number, ordinal: ordinal, title: section.title,
                level: section.level, signoffRoles: section.signoff, archivedAt: nil)
            guard let old = byNumber[section.number] else {
                lines.append("+ \(section.number) \(section.title)")
                writes.append(.insert(row))
                continue
            }
            if old.archivedAt != nil { lines.append("+ \(section.number) \(section.title) (restored)") }
            if old.signoffRoles != section.signoff {
                lines.append("* \(section.number) sign-off: \(list(old.signoffRoles)) → \(list(section.signoff))")
            }
            if old != row { writes.append(.update(row)) }
        }
        let kept = Set(template.sections.map(\.number))
        for old in sections where old.archivedAt == nil && !kept.contains(old.number) {
            lines.append("- \(old.number) \(old.title) (archived)")
            var row = old
            row.archivedAt = now
            writes.append(.update(row))
        }
        return writes
    }

    /// A section sign-off approved the section's items as they were: any item change inside it makes it stale.
    static func staleSectionSignoffs(_ signoffs: [SignoffRecord], plan: UpgradePlan) -> [String] {
        let touched = Set((plan.changed + plan.inherited + plan.added + plan.archived).map(\.section))
        return signoffs.filter { signoff in
            signoff.targetKind == "section"
                && touched.contains { $0 == signoff.target || $0.hasPrefix(signoff.target + ".") }
        }
        .map { "\($0.target): \($0.role) by \($0.signedBy)" }
    }

    static func list(_ values: [String]) -> String { values.isEmpty ? "none" : values.joined(separator: ", ") }
}
