import Foundation
import GRDB
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
            return try AuditEventRecord.fetchAll(
                db,
                SQLRequest(
                    sql: "SELECT * FROM audit_event WHERE customer = ? ORDER BY seq DESC LIMIT ?",
                    arguments: [slug, max(0, limit)], cached: true)
            )
            .reversed().map(AuditEvent.init)
        }
    }

    /// Items whose latest `item.mark` event overrode missing evidence or dependencies
    /// (`--force --reason`), so a packet can flag them.
    public func forcedItems(customer slug: String) throws -> Set<String> {
        try read { db in
            _ = try customerRecord(db, slug)
            // Only the target and one flag per event leave SQLite, oldest first: the latest mark wins.
            let rows = try Row.fetchCursor(
                db.cachedStatement(
                    sql: """
                        SELECT target, instr(after, '"forced_over"') > 0 AS forced FROM audit_event
                        WHERE customer = ? AND action = 'item.mark' ORDER BY seq
                        """), arguments: [slug])
            var latest: [String: Bool] = [:]
            while let row = try rows.next() {
                latest[try row.decode(String.self, forColumn: "target")] = try row.decode(
                    Bool.self, forColumn: "forced")
            }
            return Set(latest.filter(\.value).keys)
        }
    }
}
