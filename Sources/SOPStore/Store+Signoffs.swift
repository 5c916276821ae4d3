import Foundation
import SOPCore

extension Store {
    /// Records a role's sign-off of an item or a section (given by its number, `5` or `15.1`).
    ///
    /// Only roles the template requires there are accepted. The sign-off pins the
    /// SHA-256 of the evidence set it approved (for a section: all evidence of its
    /// items, subsections included), so a later change makes it stale.
    @discardableResult
    public func signoff(
        customer slug: String, target: String, role: String, by actor: String,
        note: String? = nil
    ) throws -> SignoffInfo {
        let note = note?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        if let note { try SecretScanner.check(note, what: "the note") }
        return try write { db in
            let customer = try customerRecord(db, slug)
            guard let customerID = customer.id else { throw StoreError(.integrity, "customer row has no id") }
            let resolved = try signoffTarget(db, customer, target)
            let canonicalRole = try requiredRole(role, among: resolved.roles, target: resolved.label)
            let statuses = try itemStatuses(db, customerID: customerID, items: resolved.items)
            if resolved.kind == "item", let status = statuses.first?.status,
                !SignoffStaleness.canBeSignedOff(item: status)
            {
                throw StoreError.problem(
                    .notReadyForSignoff(target: resolved.label, open: ["\(resolved.target) \(status.rawValue)"]))
            }
            if resolved.kind == "section" {
                let open = SignoffStaleness.openItems(section: statuses)
                if !open.isEmpty { throw StoreError.problem(.notReadyForSignoff(target: resolved.label, open: open)) }
            }
            let hash = try evidenceSetHash(db, customerID: customerID, items: resolved.items)
            var record = SignoffRecord(
                id: nil, customerId: customerID, target: resolved.target,
                targetKind: resolved.kind, role: canonicalRole, signedBy: actor,
                signedAt: nowString, note: note, evidenceHash: hash, revokedAt: nil,
                revokedBy: nil, revokedReason: nil)
            try db.insert(&record)
            try audit(
                db, customer: slug, actor: actor, action: "signoff.add", target: resolved.target,
                after: CanonicalJSON.object([
                    "signoff": "S\(record.id ?? 0)", "role": canonicalRole,
                    "evidence_hash": hash, "note": note,
                ]))
            return SignoffInfo(
                id: "S\(record.id ?? 0)", target: record.target, targetKind: record.targetKind,
                role: canonicalRole, by: actor, at: record.signedAt, note: note, evidenceHash: hash,
                state: .valid, revokedAt: nil, revokedBy: nil, revokedReason: nil)
        }
    }

    /// Revokes the current sign-off of `role` on an item or section, with a reason.
    public func revokeSignoff(
        customer slug: String, target: String, role: String, reason: String,
        by actor: String
    ) throws {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw StoreError.problem(.reasonRequired(.signoffRevocation)) }
        try SecretScanner.check(reason, what: "the reason")
        try write { db in
            let customer = try customerRecord(db, slug)
            let resolved = try signoffTarget(db, customer, target)
            let canonicalRole = try requiredRole(role, among: resolved.roles, target: resolved.label)
            guard
                var record = try db.record(
                    SignoffRecord.self,
                    "SELECT * FROM signoff WHERE customer_id = ? AND target = ? AND role = ? ORDER BY id DESC LIMIT 1",
                    [SQLValue(customer.id), .text(resolved.target), .text(canonicalRole)]),
                record.revokedAt == nil
            else { throw StoreError.badInput("\(resolved.label) has no sign-off by \(canonicalRole) to revoke") }
            record.revokedAt = nowString
            record.revokedBy = actor
            record.revokedReason = reason
            try db.update(record)
            try audit(
                db, customer: slug, actor: actor, action: "signoff.revoke", target: resolved.target,
                before: CanonicalJSON.object(["signoff": "S\(record.id ?? 0)", "role": canonicalRole]),
                after: CanonicalJSON.object(["signoff": "S\(record.id ?? 0)", "reason": reason]))
        }
    }

    struct SignoffTarget {
        var target: String
        var kind: String
        var label: String
        var roles: [String]
        var items: [String]
    }

    /// An item id, else a section number; anything else is bad input.
    /// The statuses of `items`, in their order; an unknown stored status is an integrity error.
    func itemStatuses(_ db: StoreSession, customerID: Int64, items: [String]) throws -> [(
        id: String, status: ItemStatus
    )] {
        var byID: [String: String] = [:]
        for row in try db.rows(
            "SELECT item_id, status FROM item WHERE customer_id = ? AND archived_at IS NULL", [.integer(customerID)])
        {
            byID[row.string("item_id")] = row.string("status")
        }
        return try items.map { id in
            guard let text = byID[id], let status = ItemStatus(rawValue: text) else {
                throw StoreError(.integrity, "item \(id) has an unknown status (run sop audit verify)")
            }
            return (id, status)
        }
    }

    func signoffTarget(_ db: StoreSession, _ customer: CustomerRecord, _ target: String) throws -> SignoffTarget {
        guard let customerID = customer.id else { throw StoreError(.integrity, "customer row has no id") }
        if let item = try db.record(
            ItemRecord.self, "SELECT * FROM item WHERE customer_id = ? AND item_id = ? AND archived_at IS NULL",
            [.integer(customerID), .text(target)])
        {
            return SignoffTarget(
                target: item.itemId, kind: "item", label: "item \(item.itemId)",
                roles: item.signoffRoles, items: [item.itemId])
        }
        let number = target.hasSuffix(".") ? String(target.dropLast()) : target
        if let section = try db.record(
            SectionRecord.self, "SELECT * FROM section WHERE customer_id = ? AND number = ? AND archived_at IS NULL",
            [.integer(customerID), .text(number)])
        {
            let items = try db.strings(
                """
                SELECT item_id FROM item WHERE customer_id = ? AND archived_at IS NULL
                AND (section = ? OR section LIKE ? ESCAPE '\\') ORDER BY ordinal
                """, [.integer(customerID), .text(number), .text(Self.likePrefix(number + "."))])
            return SignoffTarget(
                target: number, kind: "section", label: "section \(number)",
                roles: section.signoffRoles, items: items)
        }
        throw StoreError.badInput("unknown item or section '\(target)' for customer '\(customer.slug)'")
    }

    private func requiredRole(_ role: String, among roles: [String], target: String) throws -> String {
        guard !roles.isEmpty else { throw StoreError.badInput("\(target) needs no sign-off") }
        let wanted = role.trimmingCharacters(in: .whitespaces)
        guard let match = roles.first(where: { $0.caseInsensitiveCompare(wanted) == .orderedSame }) else {
            throw StoreError.badInput(
                "role '\(wanted)' does not sign off \(target) (required: \(roles.joined(separator: ", ")))")
        }
        return match
    }

    static func likePrefix(_ prefix: String) -> String {
        prefix.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
    }

    /// The hash a sign-off of `items` pins now (see `SignoffStaleness.hash`).
    func evidenceSetHash(_ db: StoreSession, customerID: Int64, items: [String]) throws -> String {
        let list = StoreSession.placeholders(items.count)
        let arguments = [SQLValue.integer(customerID)] + StoreSession.list(items)
        let evidence = try db.records(
            EvidenceRecord.self,
            """
            SELECT * FROM evidence WHERE customer_id = ? AND item_id IN (\(list))
            AND retracted_at IS NULL AND kind <> 'check' ORDER BY id
            """, arguments)
        let checks = try db.records(
            CheckStateRecord.self,
            "SELECT * FROM check_state WHERE customer_id = ? AND item_id IN (\(list)) ORDER BY item_id, check_id, region",
            arguments)
        let definitions = try db.records(
            ItemRecord.self,
            "SELECT * FROM item WHERE customer_id = ? AND item_id IN (\(list)) AND archived_at IS NULL ORDER BY ordinal",
            arguments)
        return Self.evidenceSetHash(evidence: evidence, checks: checks, items: definitions)
    }

    /// `SignoffStaleness.hash` over the store's rows.
    static func evidenceSetHash(evidence: [EvidenceRecord], checks: [CheckStateRecord], items: [ItemRecord]) -> String {
        SignoffStaleness.hash(
            evidence: evidence.map {
                .init(
                    item: $0.itemId, number: $0.id ?? 0, kind: $0.kind, sha256: $0.sha256,
                    retracted: $0.retractedAt != nil)
            },
            checks: checks.map { .init(item: $0.itemId, check: $0.checkId, region: $0.region, outcome: $0.outcome) },
            requirements: items.map {
                .init(
                    item: $0.itemId, evidenceKinds: $0.evidenceKinds, signoffRoles: $0.signoffRoles, checks: $0.checks,
                    condition: $0.whenCondition)
            })
    }
}
