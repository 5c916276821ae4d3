import SOPCore

extension UpgradePlanner {
    /// What every item decision looks at, computed once per plan.
    struct Context {
        let template: Template
        let ancestry: [String: [String]]
        let customerID: Int64
        let actor: String
        let now: String
        let attributes: CustomerAttributes
        let byID: [String: ItemRecord]
        let archivedByID: [String: ItemRecord]
        let evidenceByItem: [String: [EvidenceRecord]]
        let signoffs: [SignoffRecord]
        let newIDs: Set<String>
        /// The target template's due days for this customer (from the day it was created and its
        /// due date): an item without a date gets its rule's, a date already set is kept.
        let dueDays: [String: String]

        init(
            input: Input, template: Template, ancestry: [String: [String]], customerID: Int64, actor: String,
            now: String
        ) {
            self.template = template
            self.ancestry = ancestry
            self.customerID = customerID
            self.actor = actor
            self.now = now
            attributes = CustomerAttributes(
                compliance: Set(input.customer.compliance),
                regions: Set(input.customer.regions),
                parameters: template.parameterValues(overrides: input.customer.parameters))
            byID = Dictionary(input.items.map { ($0.itemId, $0) }, uniquingKeysWith: { a, _ in a })
            archivedByID = Dictionary(input.archivedItems.map { ($0.itemId, $0) }, uniquingKeysWith: { a, _ in a })
            evidenceByItem = Dictionary(grouping: input.evidence, by: \.itemId)
            signoffs = input.signoffs
            newIDs = Set(template.items.map(\.id))
            dueDays = DueSchedule.compute(
                template.items, start: String(input.customer.createdAt.prefix(10)), customerDue: input.customer.due)
        }

        /// An item kept by id: its new definition, and a status that follows its condition and requirements.
        ///
        /// The change is nil when nothing that matters changed. An item its condition now rules
        /// out becomes not applicable; one it ruled out comes back as todo when the condition
        /// holds; a done item whose requirements changed reopens if evidence is now missing.
        func kept(_ old: ItemRecord, as item: Item, ordinal: Int) -> (UpgradePlan.ItemChange?, ItemRecord) {
            let applies = Applicability.applies(item, to: attributes)
            let changes = UpgradePlanner.definitionChanges(old, item)
            let requirementsChanged = UpgradePlanner.requirementsChanged(old, item)
            var status = old.status
            var reason = old.statusReason
            var cause = old.statusCause
            var why: String?
            if !applies, status != ItemStatus.notApplicable.rawValue {
                status = ItemStatus.notApplicable.rawValue
                reason = Applicability.reason(item.when)
                cause = Applicability.conditionCause
                why = reason
            } else if applies, Applicability.isRuledOutByCondition(status: status, cause: old.statusCause) {
                status = ItemStatus.todo.rawValue
                reason = nil
                cause = nil
                why = "now applies to this customer"
            } else if requirementsChanged, status == ItemStatus.done.rawValue {
                let missing = UpgradePlanner.missingEvidence(item, evidenceByItem[item.id] ?? [])
                if !missing.isEmpty {
                    status = ItemStatus.inProgress.rawValue
                    reason = "reopened by \(template.reference): needs \(missing.joined(separator: ", ")) evidence"
                    cause = nil
                    why = reason
                }
            }
            let stale =
                requirementsChanged
                ? signoffs.filter { $0.targetKind == "item" && $0.target == item.id }.map {
                    "\($0.role) by \($0.signedBy)"
                }
                : []
            var row = self.row(item, ordinal: ordinal, status: status, reason: reason, cause: cause)
            row.assignee = old.assignee
            row.due = old.due ?? (applies ? dueDays[item.id] : nil)
            if status == old.status && reason == old.statusReason {
                row.updatedAt = old.updatedAt
                row.updatedBy = old.updatedBy
            }
            guard !changes.isEmpty || status != old.status else { return (nil, row) }
            return (
                .init(
                    id: item.id, section: item.section, title: item.title, statusBefore: old.status,
                    statusAfter: status, reason: why, changes: changes, inheritsFrom: [], evidenceCarried: 0,
                    staleSignoffs: stale), row
            )
        }

        /// A new item that replaces old ones: it takes their least advanced status, their
        /// assignee and earliest due date, and copies of their manual evidence (check
        /// results stay behind: the next verify records fresh ones). Nil when it replaces nothing current.
        func inherited(_ item: Item, ordinal: Int) -> (
            change: UpgradePlan.ItemChange, row: ItemRecord,
            copies: [EvidenceRecord]
        )? {
            let predecessors = (ancestry[item.id] ?? []).compactMap { byID[$0] }.filter { !newIDs.contains($0.itemId) }
            guard !predecessors.isEmpty else { return nil }
            let applies = Applicability.applies(item, to: attributes)
            var status =
                applies ? UpgradePlanner.inheritedStatus(predecessors.map(\.status)) : ItemStatus.notApplicable.rawValue
            var reason: String? = applies ? nil : Applicability.reason(item.when)
            let cause: String? = applies ? nil : Applicability.conditionCause
            let carried = predecessors.flatMap { evidenceByItem[$0.itemId] ?? [] }.filter { $0.kind != "check" }
            // A rename that keeps the requirements keeps the decision: an item forced done
            // over missing evidence stays done, with the reason it was forced.
            let renamedAsIs =
                predecessors.count == 1 && !UpgradePlanner.requirementsChanged(predecessors[0], item)
            if status == ItemStatus.done.rawValue, renamedAsIs {
                reason = predecessors[0].statusReason
            } else if status == ItemStatus.done.rawValue {
                let missing = UpgradePlanner.missingEvidence(item, carried)
                if !missing.isEmpty {
                    status = ItemStatus.inProgress.rawValue
                    reason =
                        "inherited as done, but \(template.reference) needs \(missing.joined(separator: ", ")) evidence"
                }
            }
            let predecessorIDs = predecessors.map(\.itemId)
            let stale = signoffs.filter { $0.targetKind == "item" && predecessorIDs.contains($0.target) }
                .map { "\($0.role) by \($0.signedBy) (given on \($0.target))" }
            let change = UpgradePlan.ItemChange(
                id: item.id, section: item.section, title: item.title,
                statusBefore: predecessors.count == 1 ? predecessors[0].status : nil, statusAfter: status,
                reason: reason,
                changes: [], inheritsFrom: predecessorIDs, evidenceCarried: carried.count, staleSignoffs: stale)
            var row = self.row(item, ordinal: ordinal, status: status, reason: reason, cause: cause)
            row.assignee = predecessors.compactMap(\.assignee).first
            row.due = predecessors.compactMap(\.due).min() ?? (applies ? dueDays[item.id] : nil)
            let copies = carried.map { original in
                var copy = original
                copy.id = nil
                copy.itemId = item.id
                return copy
            }
            return (change, row, copies)
        }

        /// An item kept by id that also names retired items in `replaces`: their status joins its
        /// own (an item nobody has touched yet takes theirs), their manual evidence is copied to it.
        /// Nil when it replaces nothing current.
        func absorbing(_ item: Item, into kept: ItemRecord, change: UpgradePlan.ItemChange?) -> (
            change: UpgradePlan.ItemChange, row: ItemRecord, copies: [EvidenceRecord]
        )? {
            let predecessors = (ancestry[item.id] ?? []).compactMap { byID[$0] }.filter { !newIDs.contains($0.itemId) }
            guard !predecessors.isEmpty else { return nil }
            var row = kept
            let own = evidenceByItem[item.id] ?? []
            let untouched = kept.status == ItemStatus.todo.rawValue && own.isEmpty
            let carried = predecessors.flatMap { evidenceByItem[$0.itemId] ?? [] }.filter { $0.kind != "check" }
            if kept.status != ItemStatus.notApplicable.rawValue {
                var status = UpgradePlanner.inheritedStatus(
                    predecessors.map(\.status) + (untouched ? [] : [kept.status]))
                var reason = status == kept.status ? kept.statusReason : nil
                if status == ItemStatus.done.rawValue {
                    let missing = UpgradePlanner.missingEvidence(item, own + carried)
                    if !missing.isEmpty {
                        status = ItemStatus.inProgress.rawValue
                        reason =
                            "inherited as done, but \(template.reference) needs \(missing.joined(separator: ", ")) evidence"
                    }
                }
                row.status = status
                row.statusReason = reason
                row.statusCause = nil
                row.updatedAt = now
                row.updatedBy = actor
            }
            let predecessorIDs = predecessors.map(\.itemId)
            let stale = signoffs.filter { $0.targetKind == "item" && predecessorIDs.contains($0.target) }
                .map { "\($0.role) by \($0.signedBy) (given on \($0.target))" }
            let copies = carried.map { original in
                var copy = original
                copy.id = nil
                copy.itemId = item.id
                return copy
            }
            return (
                UpgradePlan.ItemChange(
                    id: item.id, section: item.section, title: item.title,
                    statusBefore: change?.statusBefore ?? kept.status,
                    statusAfter: row.status, reason: row.statusReason, changes: change?.changes ?? [],
                    inheritsFrom: predecessorIDs, evidenceCarried: carried.count,
                    staleSignoffs: (change?.staleSignoffs ?? []) + stale),
                row, copies
            )
        }

        /// A new item with no history: todo, or not applicable by its condition.
        func added(_ item: Item, ordinal: Int) -> (UpgradePlan.ItemChange, ItemRecord) {
            let applies = Applicability.applies(item, to: attributes)
            let status = applies ? ItemStatus.todo.rawValue : ItemStatus.notApplicable.rawValue
            let reason = applies ? nil : Applicability.reason(item.when)
            return (
                .init(
                    id: item.id, section: item.section, title: item.title, statusBefore: nil, statusAfter: status,
                    reason: reason, changes: [], inheritsFrom: [], evidenceCarried: 0, staleSignoffs: []),
                dated(
                    row(
                        item, ordinal: ordinal, status: status, reason: reason,
                        cause: applies ? nil : Applicability.conditionCause), applies: applies)
            )
        }

        /// The row with its rule's due day, when the item applies.
        func dated(_ row: ItemRecord, applies: Bool) -> ItemRecord {
            var row = row
            row.due = applies ? dueDays[row.itemId] : nil
            return row
        }

        /// The customer's copy of `item` with the given state, stamped by this upgrade.
        func row(_ item: Item, ordinal: Int, status: String, reason: String?, cause: String?) -> ItemRecord {
            ItemRecord(
                customerId: customerID, itemId: item.id, ordinal: ordinal, section: item.section, title: item.title,
                steps: item.steps, evidenceKinds: item.evidence.map(\.rawValue), signoffRoles: item.signoff,
                checks: item.checks, depends: item.depends, whenCondition: item.when?.description,
                ownerRole: item.owner, status: status, statusReason: reason, assignee: nil, due: nil,
                updatedAt: now, updatedBy: actor, archivedAt: nil, statusCause: cause)
        }
    }
}
