import Foundation
import SOPCore

extension Store {
    /// Moves an item to `status`.
    ///
    /// `blocked` and `n/a` need a reason. `done` is refused while required evidence
    /// or a `depends` item is missing, naming what is missing; `force` (with a reason)
    /// overrides and is recorded in the audit trail. `failed` is only set by verification.
    public func mark(
        customer slug: String, item itemID: String, status: ItemStatus, reason: String? = nil,
        force: Bool = false, by actor: String
    ) throws {
        let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        if let problem = DoneGate.requestProblem(item: itemID, status: status, reason: reason, force: force) {
            throw problem
        }
        if let reason { try SecretScanner.check(reason, what: "the reason") }
        try write { db in
            let customer = try customerRecord(db, slug)
            var item = try itemRecord(db, customer, itemID)
            let blockers = status == .done ? try doneBlockers(db, customer: customer, item: item) : []
            var forcedOver: [String] = []
            switch DoneGate.verdict(status: status, blockers: blockers, force: force) {
            case .allowed: break
            case .forced(let over): forcedOver = over
            case .refused(let missing): throw StoreError.problem(.notReadyForDone(item: itemID, missing: missing))
            }
            let before = CanonicalJSON.object(["status": item.status, "reason": item.statusReason])
            item.status = status.rawValue
            item.statusReason = reason
            item.statusCause = nil
            item.updatedAt = nowString
            item.updatedBy = actor
            try db.update(item)
            var after: [String: String?] = ["status": status.rawValue, "reason": reason]
            if !forcedOver.isEmpty { after["forced_over"] = forcedOver.joined(separator: "; ") }
            try audit(
                db, customer: slug, actor: actor, action: "item.mark", target: itemID, before: before,
                after: CanonicalJSON.object(after))
        }
    }

    /// Assigns an item to someone, optionally with a due date.
    public func assign(
        customer slug: String, item itemID: String, to assignee: String, due: String? = nil,
        by actor: String
    ) throws {
        let assignee = assignee.trimmingCharacters(in: .whitespaces)
        guard !assignee.isEmpty else { throw StoreError.problem(.emptyInput(.assignee)) }
        try SecretScanner.check(assignee, input: .assignee)
        let due = try due.map { value throws(StoreError) in try Timestamps.validatedDay(value, input: .due) }
        try write { db in
            let customer = try customerRecord(db, slug)
            var item = try itemRecord(db, customer, itemID)
            let before = CanonicalJSON.object(["assignee": item.assignee, "due": item.due])
            item.assignee = assignee
            if let due { item.due = due }
            item.updatedAt = nowString
            item.updatedBy = actor
            try db.update(item)
            try audit(
                db, customer: slug, actor: actor, action: "item.assign", target: itemID, before: before,
                after: CanonicalJSON.object(["assignee": item.assignee, "due": item.due]))
        }
    }

    /// What keeps an item from being done (see `DoneGate`), from its rows and its `depends` items' rows.
    func doneBlockers(_ db: StoreSession, customer: CustomerRecord, item: ItemRecord) throws -> [String] {
        guard let customerID = customer.id else { return [] }
        let key: [SQLValue] = [.integer(customerID), .text(item.itemId)]
        let evidence = try db.records(
            EvidenceRecord.self, "SELECT * FROM evidence WHERE customer_id = ? AND item_id = ? ORDER BY id", key)
        let checks = try db.records(
            CheckStateRecord.self, "SELECT * FROM check_state WHERE customer_id = ? AND item_id = ?", key)
        var statuses: [String: String] = [:]
        if !item.depends.isEmpty {
            // Archived rows count too: a dependency retired by an upgrade keeps its last status.
            for row in try db.rows(
                "SELECT item_id, status FROM item WHERE customer_id = ? AND item_id IN (\(StoreSession.placeholders(item.depends.count)))",
                [.integer(customerID)] + StoreSession.list(item.depends))
            {
                statuses[row.string("item_id")] = row.string("status")
            }
        }
        return DoneGate.blockers(
            missingEvidence: EvidenceRules.missingKinds(
                required: item.evidenceKinds, evidence: evidence, checks: checks,
                today: today),
            openDependencies: DoneGate.openDependencies(item.depends, statuses: statuses))
    }
}

/// `DoneGate`'s evidence rule over the store's rows.
enum EvidenceRules {
    static func missingKinds(
        required: [String], evidence: [EvidenceRecord], checks: [CheckStateRecord],
        today: String
    ) -> [String] {
        DoneGate.missingEvidence(
            required: required,
            evidence: evidence.map {
                DoneGate.Evidence(kind: $0.kind, retracted: $0.retractedAt != nil, expires: $0.expires)
            },
            checkOutcomes: checks.map(\.outcome), today: today)
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
