import Foundation
import GRDB
import SOPCore

extension Store {
    /// Moves an item to `status`.
    ///
    /// `blocked` and `n/a` need a reason. `done` is refused while required evidence
    /// or a `depends` item is missing, naming what is missing; `force` (with a reason)
    /// overrides and is recorded in the audit trail. `failed` is only set by verification.
    public func mark(customer slug: String, item itemID: String, status: ItemStatus, reason: String? = nil,
                     force: Bool = false, by actor: String) throws {
        let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        guard status != .failed else {
            throw StoreError.badInput("'failed' is set by 'sop verify', not by hand")
        }
        if (status == .blocked || status == .notApplicable) && reason == nil {
            throw StoreError.badInput("marking \(itemID) \(status.rawValue) needs --reason")
        }
        if force && reason == nil { throw StoreError.badInput("--force needs --reason") }
        if let reason { try SecretScanner.check(reason, what: "the reason") }
        try write { db in
            let customer = try customerRecord(db, slug)
            var item = try itemRecord(db, customer, itemID)
            var missing: [String] = []
            if status == .done {
                missing = try missingForDone(db, customer: customer, item: item)
                if !missing.isEmpty && !force {
                    throw StoreError.badInput("cannot mark \(itemID) done: missing \(missing.joined(separator: "; ")) "
                        + "(use --force --reason to override)")
                }
            }
            let before = CanonicalJSON.object(["status": item.status, "reason": item.statusReason])
            item.status = status.rawValue
            item.statusReason = reason
            item.updatedAt = nowString
            item.updatedBy = actor
            try item.update(db)
            var after: [String: String?] = ["status": status.rawValue, "reason": reason]
            if force && !missing.isEmpty { after["forced_over"] = missing.joined(separator: "; ") }
            try audit(db, customer: slug, actor: actor, action: "item.mark", target: itemID, before: before,
                      after: CanonicalJSON.object(after))
        }
    }

    /// Assigns an item to someone, optionally with a due date.
    public func assign(customer slug: String, item itemID: String, to assignee: String, due: String? = nil,
                       by actor: String) throws {
        let assignee = assignee.trimmingCharacters(in: .whitespaces)
        guard !assignee.isEmpty else { throw StoreError.badInput("--to must name someone") }
        try SecretScanner.check(assignee, what: "--to")
        let due = try due.map { value throws(StoreError) in try Timestamps.validatedDay(value, option: "--due") }
        try write { db in
            let customer = try customerRecord(db, slug)
            var item = try itemRecord(db, customer, itemID)
            let before = CanonicalJSON.object(["assignee": item.assignee, "due": item.due])
            item.assignee = assignee
            if let due { item.due = due }
            item.updatedAt = nowString
            item.updatedBy = actor
            try item.update(db)
            try audit(db, customer: slug, actor: actor, action: "item.assign", target: itemID, before: before,
                      after: CanonicalJSON.object(["assignee": item.assignee, "due": item.due]))
        }
    }

    /// What keeps an item from being done: evidence kinds without current evidence, unfinished `depends`.
    func missingForDone(_ db: Database, customer: CustomerRecord, item: ItemRecord) throws -> [String] {
        guard let customerID = customer.id else { return [] }
        var missing: [String] = []
        let evidence = try EvidenceRecord
            .filter(EvidenceRecord.Columns.customerId == customerID && EvidenceRecord.Columns.itemId == item.itemId)
            .fetchAll(db)
        let checks = try CheckStateRecord
            .filter(CheckStateRecord.Columns.customerId == customerID && CheckStateRecord.Columns.itemId == item.itemId)
            .fetchAll(db)
        let kinds = EvidenceRules.missingKinds(required: item.evidenceKinds, evidence: evidence, checks: checks, today: today)
        if !kinds.isEmpty { missing.append("evidence (\(kinds.joined(separator: ", ")))") }
        if !item.depends.isEmpty {
            let rows = try ItemRecord
                .filter(ItemRecord.Columns.customerId == customerID && item.depends.contains(ItemRecord.Columns.itemId))
                .fetchAll(db)
            let settled = Set(rows.filter { ItemStatus(rawValue: $0.status)?.isSettled ?? false }.map(\.itemId))
            let open = item.depends.filter { !settled.contains($0) }
            if !open.isEmpty { missing.append("depends on \(open.joined(separator: ", ")) (not done)") }
        }
        return missing
    }
}

/// When evidence counts as present for an item.
enum EvidenceRules {
    /// Required kinds without current evidence. Retracted and expired evidence does not count;
    /// `check` needs at least one recorded check result and none failing.
    static func missingKinds(required: [String], evidence: [EvidenceRecord], checks: [CheckStateRecord],
                             today: String) -> [String] {
        var missing: [String] = []
        for kind in required {
            if kind == EvidenceKind.check.rawValue {
                if checks.isEmpty {
                    missing.append("check (run 'sop verify')")
                } else if checks.contains(where: { $0.outcome == CheckOutcome.fail.rawValue }) {
                    missing.append("check (failing)")
                } else if !checks.contains(where: { $0.outcome == CheckOutcome.pass.rawValue }) {
                    missing.append("check (no passing result)")
                }
                continue
            }
            let present = evidence.contains { row in
                row.kind == kind && row.retractedAt == nil && (row.expires.map { $0 >= today } ?? true)
            }
            if !present { missing.append(kind) }
        }
        return missing
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
