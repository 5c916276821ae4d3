import Foundation
import GRDB
import SOPCore

extension Store {
    /// Moves a customer to a newer version of its template, in one transaction and one audit event.
    ///
    /// Items are matched by id: state, evidence and sign-offs stay with them. Items the new
    /// version retired are archived with their history (never deleted). Items naming old ids
    /// in `replaces` inherit those items' status and get copies of their evidence (the
    /// originals stay on the archived item). New items start as todo, or not applicable by
    /// their condition. Items whose requirements changed (evidence kinds, sign-off roles,
    /// checks, condition) have their sign-offs go stale, and a done item that now lacks
    /// required evidence is reopened. With `dryRun` the plan is computed and nothing is written.
    ///
    /// `intermediates` are the versions between the customer's and `template` (any order):
    /// their `replaces` links are followed, so a chain a → b → c carries a's history to c
    /// even when the customer jumps straight from the version with a to the one with c.
    public func upgrade(customer slug: String, to template: Template, through intermediates: [Template] = [],
                        by actor: String, dryRun: Bool = false) throws -> UpgradePlan {
        try upgrade(customer: slug, to: template, through: intermediates, by: actor, dryRun: dryRun, failAfterWrites: nil)
    }

    /// `failAfterWrites` makes the transaction throw after that many row writes: tests prove
    /// a failure halfway leaves the customer untouched on the old version.
    func upgrade(customer slug: String, to template: Template, through intermediates: [Template] = [], by actor: String,
                 dryRun: Bool, failAfterWrites: Int?) throws -> UpgradePlan {
        let ancestry = Self.ancestry(template, intermediates)
        if dryRun {
            return try read { db in
                try self.applyUpgrade(db, slug: slug, template: template, ancestry: ancestry, actor: actor, write: false, failAfter: nil)
            }
        }
        return try write { db in
            try self.applyUpgrade(db, slug: slug, template: template, ancestry: ancestry, actor: actor, write: true,
                                  failAfter: failAfterWrites)
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

    private func applyUpgrade(_ db: Database, slug: String, template: Template, ancestry: [String: [String]],
                              actor: String, write: Bool, failAfter: Int?) throws -> UpgradePlan {
        var customer = try customerRecord(db, slug)
        guard let customerID = customer.id else { throw StoreError(.integrity, "customer row has no id") }
        guard customer.templateId == template.id else {
            throw StoreError(.refused, "\(slug) follows template \(customer.templateId); \(template.reference) is a different template")
        }
        guard let current = SemanticVersion(customer.templateVersion) else {
            throw StoreError(.integrity, "\(slug) is pinned to an unreadable version '\(customer.templateVersion)'")
        }
        if template.version < current {
            throw StoreError(.refused, "downgrade refused: \(slug) is on \(customer.templateId)@\(current) and "
                + "\(template.version) is older; evidence and sign-offs only move forward")
        }
        if template.version == current {
            throw StoreError(.refused, "\(slug) is already on \(template.reference)")
        }
        let now = nowString
        var writes = 0
        func wrote() throws {
            writes += 1
            if let failAfter, writes >= failAfter { throw StoreError(.integrity, "injected failure after \(writes) writes") }
        }

        let items = try ItemRecord.filter(ItemRecord.Columns.customerId == customerID && ItemRecord.Columns.archivedAt == nil)
            .order(ItemRecord.Columns.ordinal).fetchAll(db)
        let byID = Dictionary(items.map { ($0.itemId, $0) }, uniquingKeysWith: { a, _ in a })
        let evidence = try EvidenceRecord.filter(EvidenceRecord.Columns.customerId == customerID
            && EvidenceRecord.Columns.retractedAt == nil).order(EvidenceRecord.Columns.id).fetchAll(db)
        let evidenceByItem = Dictionary(grouping: evidence, by: \.itemId)
        let signoffs = try SignoffRecord.filter(SignoffRecord.Columns.customerId == customerID
            && SignoffRecord.Columns.revokedAt == nil).order(SignoffRecord.Columns.id).fetchAll(db)
        let attributes = CustomerAttributes(compliance: Set(customer.compliance), regions: Set(customer.regions),
                                            parameters: template.parameterValues(overrides: customer.parameters))
        let newIDs = Set(template.items.map(\.id))

        var plan = UpgradePlan(customer: slug, from: "\(customer.templateId)@\(customer.templateVersion)",
                               to: template.reference, fromSha256: customer.templateSha256, toSha256: template.sha256,
                               unchanged: [], changed: [], inherited: [], added: [], archived: [], sections: [])
        var consumed = Set<String>()
        var evidenceCopies: [(EvidenceRecord, String)] = []

        for (ordinal, item) in template.items.enumerated() {
            let applies = item.when.map { $0.evaluate(attributes) } ?? true
            if let old = byID[item.id] {
                let changes = Self.definitionChanges(old, item)
                let requirementsChanged = Self.requirementsChanged(old, item)
                var status = old.status
                var reason = old.statusReason
                var why: String?
                if !applies, status != ItemStatus.notApplicable.rawValue {
                    status = ItemStatus.notApplicable.rawValue
                    reason = "applies only when \(item.when?.description ?? "")"
                    why = reason
                } else if applies, status == ItemStatus.notApplicable.rawValue, old.statusReason?.hasPrefix("applies only when") == true {
                    status = ItemStatus.todo.rawValue
                    reason = nil
                    why = "now applies to this customer"
                } else if requirementsChanged, status == ItemStatus.done.rawValue {
                    let missing = Self.missingEvidence(item, evidenceByItem[item.id] ?? [])
                    if !missing.isEmpty {
                        status = ItemStatus.inProgress.rawValue
                        reason = "reopened by \(template.reference): needs \(missing.joined(separator: ", ")) evidence"
                        why = reason
                    }
                }
                let stale = requirementsChanged
                    ? signoffs.filter { $0.targetKind == "item" && $0.target == item.id }.map { "\($0.role) by \($0.signedBy)" }
                    : []
                if changes.isEmpty && status == old.status {
                    plan.unchanged.append(item.id)
                } else {
                    plan.changed.append(.init(id: item.id, section: item.section, title: item.title, statusBefore: old.status,
                                              statusAfter: status, reason: why, changes: changes, inheritsFrom: [],
                                              evidenceCarried: 0, staleSignoffs: stale))
                }
                if write {
                    var row = Self.itemRow(item, customerID: customerID, ordinal: ordinal, status: status, reason: reason,
                                           actor: actor, now: now)
                    row.assignee = old.assignee
                    row.due = old.due
                    if status == old.status && reason == old.statusReason {
                        row.updatedAt = old.updatedAt
                        row.updatedBy = old.updatedBy
                    }
                    try row.update(db)
                    try wrote()
                }
                continue
            }
            let predecessors = (ancestry[item.id] ?? []).compactMap { byID[$0] }.filter { !newIDs.contains($0.itemId) }
            if !predecessors.isEmpty {
                predecessors.forEach { consumed.insert($0.itemId) }
                var status = applies ? Self.inheritedStatus(predecessors.map(\.status)) : ItemStatus.notApplicable.rawValue
                var reason: String? = applies ? nil : "applies only when \(item.when?.description ?? "")"
                let carried = predecessors.flatMap { evidenceByItem[$0.itemId] ?? [] }.filter { $0.kind != "check" }
                if status == ItemStatus.done.rawValue {
                    let missing = Self.missingEvidence(item, carried)
                    if !missing.isEmpty {
                        status = ItemStatus.inProgress.rawValue
                        reason = "inherited as done, but \(template.reference) needs \(missing.joined(separator: ", ")) evidence"
                    }
                }
                let stale = signoffs.filter { $0.targetKind == "item" && predecessors.map(\.itemId).contains($0.target) }
                    .map { "\($0.role) by \($0.signedBy) (given on \($0.target))" }
                plan.inherited.append(.init(id: item.id, section: item.section, title: item.title,
                                            statusBefore: predecessors.count == 1 ? predecessors[0].status : nil,
                                            statusAfter: status, reason: reason, changes: [],
                                            inheritsFrom: predecessors.map(\.itemId), evidenceCarried: carried.count,
                                            staleSignoffs: stale))
                if write {
                    var row = Self.itemRow(item, customerID: customerID, ordinal: ordinal, status: status, reason: reason,
                                           actor: actor, now: now)
                    row.assignee = predecessors.compactMap(\.assignee).first
                    row.due = predecessors.compactMap(\.due).min()
                    try row.insert(db)
                    try wrote()
                    evidenceCopies += carried.map { ($0, item.id) }
                }
                continue
            }
            let status = applies ? ItemStatus.todo.rawValue : ItemStatus.notApplicable.rawValue
            let reason = applies ? nil : "applies only when \(item.when?.description ?? "")"
            plan.added.append(.init(id: item.id, section: item.section, title: item.title, statusBefore: nil,
                                    statusAfter: status, reason: reason, changes: [], inheritsFrom: [],
                                    evidenceCarried: 0, staleSignoffs: []))
            if write {
                try Self.itemRow(item, customerID: customerID, ordinal: ordinal, status: status, reason: reason,
                                 actor: actor, now: now).insert(db)
                try wrote()
            }
        }

        for old in items where !newIDs.contains(old.itemId) {
            plan.archived.append(.init(id: old.itemId, section: old.section, title: old.title, statusBefore: old.status,
                                       statusAfter: "archived", reason: consumed.contains(old.itemId) ? "history inherited by its successor" : nil,
                                       changes: [], inheritsFrom: [], evidenceCarried: 0, staleSignoffs: []))
            if write {
                var row = old
                row.archivedAt = now
                try row.update(db)
                try wrote()
            }
        }
        var copiedEvidence: [String] = []
        if write {
            for (original, target) in evidenceCopies {
                var copy = original
                copy.id = nil
                copy.itemId = target
                try copy.insert(db)
                try wrote()
                copiedEvidence.append("E\(copy.id ?? 0):\(copy.sha256)")
            }
        }

        // Sections: new ones added, retired ones archived, titles and sign-off roles refreshed.
        let sections = try SectionRecord.filter(SectionRecord.Columns.customerId == customerID).fetchAll(db)
        let sectionByNumber = Dictionary(sections.map { ($0.number, $0) }, uniquingKeysWith: { a, _ in a })
        for (ordinal, section) in template.sections.enumerated() {
            let row = SectionRecord(customerId: customerID, number: section.number, ordinal: ordinal, title: section.title,
                                    level: section.level, signoffRoles: section.signoff, archivedAt: nil)
            if let old = sectionByNumber[section.number] {
                if old.archivedAt != nil { plan.sections.append("+ \(section.number) \(section.title) (restored)") }
                if old.signoffRoles != section.signoff {
                    plan.sections.append("* \(section.number) sign-off: \(Self.list(old.signoffRoles)) → \(Self.list(section.signoff))")
                }
                if write && old != row { try row.update(db); try wrote() }
            } else {
                plan.sections.append("+ \(section.number) \(section.title)")
                if write { try row.insert(db); try wrote() }
            }
        }
        let newSections = Set(template.sections.map(\.number))
        for old in sections where old.archivedAt == nil && !newSections.contains(old.number) {
            plan.sections.append("- \(old.number) \(old.title) (archived)")
            if write {
                var row = old
                row.archivedAt = now
                try row.update(db)
                try wrote()
            }
        }

        // A section sign-off approved the section's items as they were: any item change inside it makes it stale.
        let touched = Set((plan.changed + plan.inherited + plan.added + plan.archived).map(\.section))
        for signoff in signoffs where signoff.targetKind == "section" {
            let number = signoff.target
            if touched.contains(where: { $0 == number || $0.hasPrefix(number + ".") }) {
                plan.staleSectionSignoffs.append("\(number): \(signoff.role) by \(signoff.signedBy)")
            }
        }

        guard write else { return plan }
        let before = CanonicalJSON.encode(["template": plan.from, "template_sha256": plan.fromSha256])
        customer.templateVersion = template.version.description
        customer.templateSha256 = template.sha256
        customer.templateTitle = template.title
        customer.lastActivityAt = now
        try customer.update(db)
        try wrote()
        // The event states every new status and every evidence copy, so `sop audit verify`
        // can replay it like any other change.
        var transitions: [String: String] = [:]
        for change in plan.changed + plan.inherited + plan.added { transitions[change.id] = change.statusAfter }
        try audit(db, customer: slug, actor: actor, action: "customer.upgrade", target: slug, before: before,
                  after: CanonicalJSON.encode(UpgradeEvent(plan: plan, transitions: transitions, evidence: copiedEvidence)))
        return plan
    }

    static func itemRow(_ item: Item, customerID: Int64, ordinal: Int, status: String, reason: String?,
                        actor: String, now: String) -> ItemRecord {
        ItemRecord(customerId: customerID, itemId: item.id, ordinal: ordinal, section: item.section, title: item.title,
                   steps: item.steps, evidenceKinds: item.evidence.map(\.rawValue), signoffRoles: item.signoff,
                   checks: item.checks, depends: item.depends, whenCondition: item.when?.description,
                   ownerRole: item.owner, status: status, statusReason: reason, assignee: nil, due: nil,
                   updatedAt: now, updatedBy: actor, archivedAt: nil)
    }

    /// True when completing the item takes something different now.
    static func requirementsChanged(_ old: ItemRecord, _ new: Item) -> Bool {
        Set(old.evidenceKinds) != Set(new.evidence.map(\.rawValue)) || Set(old.signoffRoles) != Set(new.signoff)
            || Set(old.checks) != Set(new.checks) || old.whenCondition != new.when?.description
    }

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

    /// Required manual evidence kinds with no current evidence (check results come from the next verify).
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
        if relevant.contains(where: { $0 == ItemStatus.done.rawValue || $0 == ItemStatus.inProgress.rawValue || $0 == ItemStatus.failed.rawValue }) {
            return ItemStatus.inProgress.rawValue
        }
        return ItemStatus.todo.rawValue
    }

    static func list(_ values: [String]) -> String { values.isEmpty ? "none" : values.joined(separator: ", ") }
}

/// The `after` of a `customer.upgrade` audit event.
private struct UpgradeEvent: Encodable {
    var plan: UpgradePlan
    var transitions: [String: String]
    var evidence: [String]
}
