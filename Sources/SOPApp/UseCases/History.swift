import SOPCore
import SOPStore

extension SOPApplication {
    /// `sop log [SLUG]`: a customer's history oldest first, or the newest events across all
    /// customers (oldest of them first); at most `limit` events, the newest kept.
    public func log(slug: String?, limit: Int?) throws -> [AuditEvent] {
        var events = try Tracker.with(context) { store in
            try slug.map { try store.log(customer: $0) } ?? store.activity(limit: limit ?? 50).reversed()
        }
        if let limit, events.count > limit { events = Array(events.suffix(max(0, limit))) }
        return events
    }

    /// `sop audit verify`: recomputes the chain and every stored hash. A broken trail is a
    /// result (with its problems), not an error: the verdict says it is not OK.
    /// `earlierHead` is a head a packet or an earlier verify recorded, which the trail must still hold.
    public func verifyAudit(earlierHead: String? = nil) throws -> (report: AuditReport, verdict: Verdict) {
        let report: AuditReport
        report = try Tracker.with(context) { try $0.verifyAudit(earlierHead: earlierHead) }
        return (report, report.isIntact ? .ok : .notOK)
    }

    /// `sop backup PATH`: a consistent copy (SQLite's online backup API; for a PostgreSQL
    /// tracker, a portable SQLite file); returns the tracker that was copied.
    public func backup(to path: String) throws -> String {
        // A PostgreSQL tracker is backed up as a portable SQLite file that verifies offline.
        let tracker = try Tracker.open(context)
        let source = tracker.store.path
        try tracker.run { try $0.backup(to: path) }
        return source
    }

    /// `sop restore PATH`: replaces the database with a backup; returns the database replaced.
    public func restore(from path: String, force: Bool) throws -> String {
        let destination = try Tracker.filePath(context, for: "sop restore")
        try Tracker.mapped(context) { try Store.restore(from: path, to: destination, force: force) }
        return destination
    }
}
