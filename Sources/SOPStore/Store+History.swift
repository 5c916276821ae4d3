import Foundation
import SOPCore

/// Bounded reads of one customer's audit trail, for pages that show only its recent part.
///
/// A site build or packet needs the newest events and which items were forced done; reading
/// and decoding the whole trail of every customer for that was a tenth of a site build.
extension Store {
    /// The newest `limit` events of one customer, oldest first.
    public func log(customer slug: String, limit: Int) throws -> [AuditEvent] {
        try read { db in
            _ = try customerRecord(db, slug)
            return try Self.log(db, customer: slug, limit: limit)
        }
    }

    /// Items whose latest `item.mark` event overrode missing evidence or dependencies
    /// (`--force --reason`), so a packet can flag them.
    public func forcedItems(customer slug: String) throws -> Set<String> {
        try read { db in
            _ = try customerRecord(db, slug)
            return try Self.forcedItems(db, customers: [slug])[slug] ?? []
        }
    }

    static func log(_ db: StoreSession, customer slug: String, limit: Int) throws -> [AuditEvent] {
        try db.records(
            AuditEventRecord.self, "SELECT * FROM audit_event WHERE customer = ? ORDER BY seq DESC LIMIT ?",
            [.text(slug), .integer(Int64(max(0, limit)))]
        )
        .reversed().map(AuditEvent.init)
    }
}
