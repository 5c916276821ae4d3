import Foundation
import SOPCore

/// What a customer page or packet renders: the report, recent activity and forced items, all
/// read in one transaction, so they come from one state of the tracker.
public struct CustomerPage: Sendable {
    public var report: CustomerReport
    /// The newest events of the customer, oldest first.
    public var log: [AuditEvent]
    /// Items whose latest mark was forced over missing evidence or dependencies.
    public var forced: Set<String>
}

/// The rows one customer's report is built from.
struct CustomerRows {
    var customer: CustomerRecord
    var sections: [SectionRecord] = []
    var items: [ItemRecord] = []
    var evidence: [EvidenceRecord] = []
    var checks: [CheckStateRecord] = []
    var signoffs: [SignoffRecord] = []
    /// Newest first.
    var runs: [VerificationRunRecord] = []
}

extension Store {
    /// One customer's page; on PostgreSQL the three reads cost one transaction's round trips.
    public func customerPage(slug: String, activityLimit: Int) throws -> CustomerPage {
        let today = self.today
        return try read { db in
            CustomerPage(
                report: try Self.customerReport(db, slug: slug, today: today),
                log: try Self.log(db, customer: slug, limit: activityLimit),
                forced: try Self.forcedItems(db, customer: slug))
        }
    }

    /// The pages of several customers, in the order of `slugs`, read in one transaction with
    /// one statement per table for the whole batch instead of about ten per customer: a site
    /// of a thousand customers costs a hundred statements, not ten thousand round trips.
    ///
    /// Each page is the same as ``customerPage(slug:activityLimit:)`` gives (the same rows in
    /// the same order, grouped by customer); an unknown slug is the same one-line error.
    public func customerPages(slugs: [String], activityLimit: Int) throws -> [CustomerPage] {
        guard !slugs.isEmpty else { return [] }
        let today = self.today
        // Only reading happens in the transaction; the reports are assembled after it, so on
        // PostgreSQL the connection is free for the next batch meanwhile.
        let batch = try read { db in try Self.pageRows(db, slugs: slugs, activityLimit: activityLimit) }
        return try batch.pages.map { page in
            CustomerPage(
                report: try Self.customerReport(page.rows, today: today, auditHead: batch.head), log: page.log,
                forced: page.forced)
        }
    }

    /// The rows of the customers' pages, in the order of `slugs`, and the chain head they were read at.
    static func pageRows(_ db: StoreSession, slugs: [String], activityLimit: Int) throws
        -> (pages: [(rows: CustomerRows, log: [AuditEvent], forced: Set<String>)], head: AuditHead)
    {
        let names = slugs.map(SQLValue.text)
        let customers = try db.records(
            CustomerRecord.self, "SELECT * FROM customer WHERE slug IN (\(placeholders(names.count)))", names)
        let bySlug = Dictionary(customers.map { ($0.slug, $0) }, uniquingKeysWith: { first, _ in first })
        var rowsByID: [Int64: CustomerRows] = [:]
        for slug in slugs {
            guard let customer = bySlug[slug], let id = customer.id else {
                throw StoreError.badInput("unknown customer '\(slug)' (see 'sop customers')")
            }
            rowsByID[id] = CustomerRows(customer: customer)
        }
        let ids = rowsByID.keys.sorted().map(SQLValue.integer)
        let inIDs = "customer_id IN (\(placeholders(ids.count)))"
        for r in try db.records(
            SectionRecord.self,
            "SELECT * FROM section WHERE \(inIDs) AND archived_at IS NULL ORDER BY customer_id, ordinal", ids)
        {
            rowsByID[r.customerId]?.sections.append(r)
        }
        for r in try db.records(
            ItemRecord.self, "SELECT * FROM item WHERE \(inIDs) AND archived_at IS NULL ORDER BY customer_id, ordinal",
            ids)
        {
            rowsByID[r.customerId]?.items.append(r)
        }
        for r in try db.records(EvidenceRecord.self, "SELECT * FROM evidence WHERE \(inIDs) ORDER BY id", ids) {
            rowsByID[r.customerId]?.evidence.append(r)
        }
        for r in try db.records(
            CheckStateRecord.self,
            "SELECT * FROM check_state WHERE \(inIDs) ORDER BY customer_id, item_id, check_id, region", ids)
        {
            rowsByID[r.customerId]?.checks.append(r)
        }
        for r in try db.records(SignoffRecord.self, "SELECT * FROM signoff WHERE \(inIDs) ORDER BY id", ids) {
            rowsByID[r.customerId]?.signoffs.append(r)
        }
        for r in try db.records(
            VerificationRunRecord.self, "SELECT * FROM verification_run WHERE \(inIDs) ORDER BY id DESC", ids)
        {
            rowsByID[r.customerId]?.runs.append(r)
        }

        // The newest `activityLimit` events of each customer, and every item mark (forced
        // items), each in one statement for the batch.
        let limit = SQLValue.integer(Int64(max(0, activityLimit)))
        let inNames = "customer IN (\(placeholders(names.count)))"
        var logs: [String: [AuditEvent]] = [:]
        for record in try db.records(
            AuditEventRecord.self,
            """
            SELECT * FROM audit_event WHERE seq IN (
                SELECT seq FROM (
                    SELECT seq, ROW_NUMBER() OVER (PARTITION BY customer ORDER BY seq DESC) AS n
                    FROM audit_event WHERE \(inNames)
                ) AS recent WHERE n <= ?)
            ORDER BY seq
            """, names + [limit])
        {
            logs[record.customer ?? "", default: []].append(AuditEvent(record))
        }
        var marks: [String: [String: Bool]] = [:]
        for row in try db.rows(
            """
            SELECT customer, target, CASE WHEN after LIKE '%"forced\\_over"%' ESCAPE '\\' THEN 1 ELSE 0 END AS forced
            FROM audit_event WHERE \(inNames) AND action = 'item.mark' ORDER BY seq
            """, names)
        {
            marks[row.string("customer"), default: [:]][row.string("target")] = row.int("forced") != 0
        }

        let pages = try slugs.map { slug in
            guard let id = bySlug[slug]?.id, let rows = rowsByID[id] else {
                throw StoreError.badInput("unknown customer '\(slug)' (see 'sop customers')")
            }
            return (rows, logs[slug] ?? [], Set((marks[slug] ?? [:]).filter(\.value).keys))
        }
        return (pages, try auditHead(db))
    }

    /// `?, ?, …` for an `IN` list of `count` values.
    private static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }
}
