import Foundation
import GRDB
import SOPCore
import SOPJSON

/// One entry of the audit trail, as `sop log` and the renderer show it.
public struct AuditEvent: Sendable, Codable, Equatable {
    public var seq: Int64
    public var customer: String?
    public var actor: String
    public var at: String
    public var action: String
    public var target: String
    /// Canonical JSON of the state before and after the change (`{}` when there was none).
    public var before: String
    public var after: String
    public var hash: String

    init(_ record: AuditEventRecord) {
        seq = record.seq
        customer = record.customer
        actor = record.actor
        at = record.at
        action = record.action
        target = record.target
        before = record.before
        after = record.after
        hash = record.hash
    }
}

/// The hash chain: how an event's hash is computed, and appending under the chain head.
enum AuditChain {
    /// `SHA256(prev_hash || canonical content)`, the content being every column but the hashes
    /// as a canonical JSON array of strings (`["1","acme","dana",…]`, no customer as `""`).
    /// `before` and `after` enter as the stored text, so only string escaping decides these
    /// bytes; `CanonicalHashKnownAnswerTests` freezes them. Events since the chain covers the
    /// state also carry the images of the rows they wrote (`row_images`), as a ninth string;
    /// events written before that have none and hash as they always did.
    static func hash(
        prevHash: String, seq: Int64, customer: String?, actor: String, at: String, action: String,
        target: String, before: String, after: String, rowImages: String? = nil
    ) -> String {
        var fields = [String(seq), customer ?? "", actor, at, action, target, before, after]
        if let rowImages { fields.append(rowImages) }
        return Hashing.sha256(prevHash + CanonicalJSONValue.strings(fields).text)
    }

    static func hash(of record: AuditEventRecord, prevHash: String) -> String {
        hash(
            prevHash: prevHash, seq: record.seq, customer: record.customer, actor: record.actor, at: record.at,
            action: record.action, target: record.target, before: record.before, after: record.after,
            rowImages: record.rowImages)
    }

    /// Appends one event inside the caller's transaction and moves the chain head; `rows` are
    /// the images of the tracked rows the event explains (see ``ChangeRecorder``).
    @discardableResult
    static func append(
        _ db: StoreSession, customer: String?, actor: String, at: String, action: String, target: String,
        before: String = "{}", after: String = "{}", rows: [RowImage]
    ) throws -> AuditEventRecord {
        guard let head = try db.record(ChainHeadRecord.self, "SELECT * FROM chain_head WHERE id = 1", []) else {
            throw StoreError(.integrity, "audit trail head is missing")
        }
        let seq = head.count + 1
        let rowImages = RowImage.column(rows)
        let hash = hash(
            prevHash: head.lastHash, seq: seq, customer: customer, actor: actor, at: at, action: action,
            target: target, before: before, after: after, rowImages: rowImages)
        let record = AuditEventRecord(
            seq: seq, customer: customer, actor: actor, at: at, action: action,
            target: target, before: before, after: after, prevHash: head.lastHash, hash: hash, rowImages: rowImages)
        try db.execute(
            """
            INSERT INTO audit_event (seq, customer, actor, at, action, target, before, after, prev_hash, hash, row_images)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .integer(seq), SQLValue(customer), .text(actor), .text(at), .text(action), .text(target),
                .text(before), .text(after), .text(head.lastHash), .text(hash), .text(rowImages),
            ])
        try db.execute("UPDATE chain_head SET count = ?, last_hash = ? WHERE id = 1", [.integer(seq), .text(hash)])
        if let customer {
            try db.execute("UPDATE customer SET last_activity_at = ? WHERE slug = ?", [.text(at), .text(customer)])
        }
        return record
    }
}

extension Store {
    /// Appends an audit event stamped with the store's clock.
    @discardableResult
    func audit(
        _ db: StoreSession, customer: String?, actor: String, action: String, target: String,
        before: String = "{}", after: String = "{}"
    ) throws -> AuditEventRecord {
        try AuditChain.append(
            db, customer: customer, actor: actor, at: nowString, action: action, target: target,
            before: before, after: after, rows: try changedRows(db))
    }

    /// The images of the rows this transaction changed since its last event.
    private func changedRows(_ db: StoreSession) throws -> [RowImage] {
        switch db.engine {
        case .sqlite(let database): try changes.drain(database)
        case .postgres: try ChangeCapture.drain(db)
        }
    }

    /// The history of one customer, oldest first.
    public func log(customer slug: String) throws -> [AuditEvent] {
        try read { db in
            _ = try customerRecord(db, slug)
            return try db.records(
                AuditEventRecord.self, "SELECT * FROM audit_event WHERE customer = ? ORDER BY seq", [.text(slug)]
            ).map(AuditEvent.init)
        }
    }

    /// The most recent events across all customers, newest first.
    public func activity(limit: Int = 50) throws -> [AuditEvent] {
        try read { db in
            try db.records(
                AuditEventRecord.self, "SELECT * FROM audit_event ORDER BY seq DESC LIMIT ?",
                [.integer(Int64(max(0, limit)))]
            ).map(AuditEvent.init)
        }
    }
}
