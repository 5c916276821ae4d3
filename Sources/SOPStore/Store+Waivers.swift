import Foundation
import SOPJSON

/// What `sop waive` asks for.
public struct WaiverRequest: Sendable {
    public var customer: String
    /// An item id or a check id, optionally `@region`.
    public var target: String
    public var reason: String
    public var expires: String
    public var resources: [String]

    public init(customer: String, target: String, reason: String, expires: String, resources: [String] = []) {
        self.customer = customer
        self.target = target
        self.reason = reason
        self.expires = expires
        self.resources = resources
    }
}

extension Store {
    /// Records a requested waiver (state `requested`): it covers nothing until someone else,
    /// holding a sign-off role for its item, approves it.
    ///
    /// A check target must be one the customer's items list; an item target must be one of the
    /// customer's items. The expiry must be a real date, today or later (a waiver that could
    /// never be in force is refused, not recorded).
    @discardableResult
    public func requestWaiver(_ request: WaiverRequest, checks knownChecks: Set<String>, by actor: String) throws
        -> WaiverInfo
    {
        let reason = request.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw StoreError.badInput("a waiver needs a reason (--reason)") }
        try SecretScanner.check(reason, what: "the reason")
        guard WaiverInfo.validDate(request.expires) else {
            throw StoreError.badInput("--expires '\(request.expires)' is not a date (YYYY-MM-DD)")
        }
        let resources = request.resources.map { $0.trimmingCharacters(in: .whitespaces) }
        if let empty = resources.firstIndex(where: \.isEmpty) {
            throw StoreError.badInput("--resource \(empty + 1) is empty")
        }
        // The region's spelling is the application layer's to check (one rule for every command).
        let (name, region) = Self.splitScope(request.target)
        return try write { db in
            let customer = try customerRecord(db, request.customer)
            guard let customerID = customer.id else { throw StoreError(.integrity, "customer row has no id") }
            let today = String(nowString.prefix(10))
            guard request.expires >= today else {
                throw StoreError.badInput("--expires \(request.expires) is in the past (today is \(today))")
            }
            let kind: String
            if try db.integer(
                "SELECT count(*) FROM item WHERE customer_id = ? AND item_id = ? AND archived_at IS NULL",
                [.integer(customerID), .text(name)]) > 0
            {
                kind = "item"
            } else if knownChecks.contains(name) {
                kind = "check"
            } else {
                throw StoreError.badInput(
                    "unknown item or check '\(name)' for customer '\(customer.slug)' (see 'sop status \(customer.slug)')"
                )
            }
            let id = try db.integer(
                """
                INSERT INTO waiver (id, customer_id, target, target_kind, region, resources, reason, expires, state,
                    requested_by, requested_at)
                VALUES ((SELECT COALESCE(max(id), 0) + 1 FROM waiver), ?, ?, ?, ?, ?, ?, ?, 'requested', ?, ?)
                RETURNING id
                """,
                [
                    .integer(customerID), .text(name), .text(kind), SQLValue(region),
                    .text(CanonicalJSONValue.array(resources.map(CanonicalJSONValue.string)).text), .text(reason),
                    .text(request.expires), .text(actor), .text(nowString),
                ])
            let waiverID = "W-\(id)"
            try audit(
                db, customer: customer.slug, actor: actor, action: "waiver.request", target: waiverID,
                after: CanonicalJSON.object([
                    "target": region.map { "\(name)@\($0)" } ?? name, "reason": reason, "expires": request.expires,
                    "resources": resources.isEmpty ? nil : resources.joined(separator: ","),
                ]))
            return WaiverInfo(
                id: waiverID, customer: customer.slug, target: name, targetKind: kind, region: region,
                resources: resources, reason: reason, expires: request.expires, recordedState: .requested,
                requestedBy: actor, requestedAt: nowString)
        }
    }

    /// Approves, rejects or revokes a waiver.
    ///
    /// Separation of duties: whoever decides must not be who asked, and `role` must be a role
    /// the template names for the sign-off of the waived item (or of its section). Approving a
    /// waiver whose expiry has passed is refused (it would be in force for no day).
    @discardableResult
    public func decideWaiver(
        customer slug: String, id: String, decision: WaiverInfo.Decision, role: String?, note: String?,
        by actor: String
    ) throws -> WaiverInfo {
        let note = note?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let note, !note.isEmpty { try SecretScanner.check(note, what: "the note") }
        return try write { db in
            let customer = try customerRecord(db, slug)
            var waiver = try Self.waiver(db, customer: customer, id: id)
            let today = String(nowString.prefix(10))
            let current = waiver.state(today: today)
            guard let next = decision.next(from: current) else {
                throw StoreError(
                    .refused, "\(waiver.id) is \(current.rawValue); it cannot be \(decision.rawValue)d")
            }
            var canonicalRole: String?
            if decision != .revoke || role != nil {
                guard let role, !role.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw StoreError.badInput("--role is required to \(decision.rawValue) a waiver")
                }
                let allowed = try approverRoles(db, customer: customer, waiver: waiver)
                guard !allowed.isEmpty else {
                    throw StoreError(
                        .refused,
                        "the template names no sign-off role for \(waiver.target); nobody may decide its waiver")
                }
                guard let match = allowed.first(where: { $0.caseInsensitiveCompare(role) == .orderedSame }) else {
                    throw StoreError(
                        .refused,
                        "role '\(role)' may not decide waivers of \(waiver.target) (allowed: \(allowed.joined(separator: ", ")))"
                    )
                }
                canonicalRole = match
            }
            if decision != .revoke, actor.caseInsensitiveCompare(waiver.requestedBy) == .orderedSame {
                throw StoreError(.refused, "\(actor) asked for \(waiver.id) and may not \(decision.rawValue) it too")
            }
            let now = nowString
            switch decision {
            case .approve, .reject:
                try db.execute(
                    "UPDATE waiver SET state = ?, decided_by = ?, decided_role = ?, decided_at = ?, note = ? WHERE customer_id = ? AND id = ?",
                    [
                        .text(next.rawValue), .text(actor), SQLValue(canonicalRole), .text(now),
                        SQLValue(note?.isEmpty == false ? note : nil), SQLValue(customer.id),
                        .integer(Self.number(waiver.id)),
                    ])
                waiver.decidedBy = actor
                waiver.decidedRole = canonicalRole
                waiver.decidedAt = now
            case .revoke:
                try db.execute(
                    "UPDATE waiver SET state = ?, ended_by = ?, ended_at = ?, note = COALESCE(?, note) WHERE customer_id = ? AND id = ?",
                    [
                        .text(next.rawValue), .text(actor), .text(now), SQLValue(note?.isEmpty == false ? note : nil),
                        SQLValue(customer.id), .integer(Self.number(waiver.id)),
                    ])
                waiver.endedBy = actor
                waiver.endedAt = now
            }
            if let note, !note.isEmpty { waiver.note = note }
            waiver.recordedState = next
            try audit(
                db, customer: customer.slug, actor: actor, action: decision.action, target: waiver.id,
                before: CanonicalJSON.object(["state": current.rawValue]),
                after: CanonicalJSON.object(["state": next.rawValue, "role": canonicalRole, "note": waiver.note]))
            return waiver
        }
    }

    /// Records the expiry of every approved waiver whose last day has passed, one audit event
    /// each (`waiver.expire`, by `sop`); nothing is written when none has. Reads never wait for
    /// this: a waiver past its date is expired in every view whether or not it was recorded.
    @discardableResult
    public func recordExpiredWaivers(customer slug: String? = nil) throws -> [WaiverInfo] {
        let today = String(nowString.prefix(10))
        let due = try waivers(customer: slug).filter { $0.recordedState == .approved && $0.expires < today }
        guard !due.isEmpty else { return [] }
        return try write { db in
            var expired: [WaiverInfo] = []
            for var waiver in due {
                let customer = try customerRecord(db, waiver.customer)
                let changed = try db.rows(
                    """
                    UPDATE waiver SET state = 'expired', ended_by = 'sop', ended_at = ?
                    WHERE customer_id = ? AND id = ? AND state = 'approved' RETURNING id
                    """, [.text(nowString), SQLValue(customer.id), .integer(Self.number(waiver.id))])
                guard !changed.isEmpty else { continue }
                try audit(
                    db, customer: waiver.customer, actor: "sop", action: "waiver.expire", target: waiver.id,
                    before: CanonicalJSON.object(["state": "approved"]),
                    after: CanonicalJSON.object(["state": "expired", "expires": waiver.expires]))
                waiver.recordedState = .expired
                waiver.endedBy = "sop"
                waiver.endedAt = nowString
                expired.append(waiver)
            }
            return expired
        }
    }

    /// Every waiver (of one customer, or all), by customer then number.
    public func waivers(customer slug: String? = nil) throws -> [WaiverInfo] {
        try read { db in
            var sql = Self.waiverRows
            var arguments: [SQLValue] = []
            if let slug {
                let customer = try customerRecord(db, slug)
                sql += " WHERE w.customer_id = ?"
                arguments.append(SQLValue(customer.id))
            }
            return try db.rows(sql + " ORDER BY c.slug, w.id", arguments).map(Self.waiver(row:))
        }
    }

    /// The waiver `id` (`W-3`, or `3`) of a customer, or a one-line "unknown waiver" error.
    static func waiver(_ db: StoreSession, customer: CustomerRecord, id: String) throws -> WaiverInfo {
        let number = Self.number(id)
        guard number > 0,
            let row = try db.rows(
                Self.waiverRows + " WHERE w.customer_id = ? AND w.id = ?",
                [SQLValue(customer.id), .integer(number)]
            ).first
        else {
            throw StoreError.badInput(
                "unknown waiver '\(id)' for customer '\(customer.slug)' (see 'sop waiver list \(customer.slug)')")
        }
        return waiver(row: row)
    }

    /// The roles that may decide a waiver: the item's sign-off roles, else those of its section
    /// and the sections above it; for a check, those of every item of the customer listing it.
    private func approverRoles(_ db: StoreSession, customer: CustomerRecord, waiver: WaiverInfo) throws -> [String] {
        let items: [ItemRecord]
        if waiver.targetKind == "item" {
            items = try db.records(
                ItemRecord.self, "SELECT * FROM item WHERE customer_id = ? AND item_id = ?",
                [SQLValue(customer.id), .text(waiver.target)])
        } else {
            items = try db.records(
                ItemRecord.self, "SELECT * FROM item WHERE customer_id = ? AND archived_at IS NULL ORDER BY ordinal",
                [SQLValue(customer.id)]
            ).filter { $0.checks.contains(waiver.target) }
        }
        var roles: [String] = []
        for item in items {
            var found = item.signoffRoles
            var section: String? = item.section
            while found.isEmpty, let number = section {
                found =
                    try db.record(
                        SectionRecord.self, "SELECT * FROM section WHERE customer_id = ? AND number = ?",
                        [SQLValue(customer.id), .text(number)])?.signoffRoles ?? []
                section = number.contains(".") ? String(number[..<number.lastIndex(of: ".")!]) : nil
            }
            for role in found where !roles.contains(role) { roles.append(role) }
        }
        return roles
    }

    static func splitScope(_ target: String) -> (name: String, region: String?) {
        guard let at = target.lastIndex(of: "@") else { return (target, nil) }
        return (String(target[..<at]), String(target[target.index(after: at)...]))
    }

    /// `W-3` and `3` are the same waiver; anything else is no waiver (0).
    static func number(_ id: String) -> Int64 {
        let digits = id.hasPrefix("W-") || id.hasPrefix("w-") ? id.dropFirst(2) : Substring(id)
        guard !digits.isEmpty, digits.count <= 12, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return 0 }
        return Int64(digits) ?? 0
    }

    /// Waiver rows with their customer's slug, as ``waiver(row:)`` reads them.
    static let waiverRows = "SELECT w.*, c.slug FROM waiver w JOIN customer c ON c.id = w.customer_id"

    static func waiver(row: SQLRow) -> WaiverInfo {
        var reader = JSONReader(Array(row.string("resources").utf8))
        return WaiverInfo(
            id: "W-\(row["id"].integer ?? 0)", customer: row.string("slug"), target: row.string("target"),
            targetKind: row.string("target_kind"), region: row["region"].text, resources: reader.stringArray() ?? [],
            reason: row.string("reason"), expires: row.string("expires"),
            // A state no version of sop writes (only an edit behind its back, which `sop audit
            // verify` reports) covers nothing.
            recordedState: WaiverInfo.State(rawValue: row.string("state")) ?? .rejected,
            requestedBy: row.string("requested_by"), requestedAt: row.string("requested_at"),
            decidedBy: row["decided_by"].text, decidedRole: row["decided_role"].text,
            decidedAt: row["decided_at"].text, endedBy: row["ended_by"].text, endedAt: row["ended_at"].text,
            note: row["note"].text)
    }
}
