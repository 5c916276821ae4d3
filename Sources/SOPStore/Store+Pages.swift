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
    var waivers: [WaiverInfo] = []
    /// The accepted run (`sop baseline set`), one of `runs`.
    var baselineRun: Int64?
    /// Newest first.
    var runs: [VerificationRunRecord] = []
}

extension Store {
    /// One customer's page: the batch read of one, so a packet and a site page cannot differ.
    public func customerPage(slug: String, activityLimit: Int) throws -> CustomerPage {
        guard let page = try customerPages(slugs: [slug], activityLimit: activityLimit).first else {
            throw StoreError.badInput("unknown customer '\(slug)' (see 'sop customers')")
        }
        return page
    }

    /// The pages of several customers, in the order of `slugs`, read in one transaction with
    /// one statement per table for the whole batch instead of about ten per customer: a site
    /// of a thousand customers costs a hundred statements, not ten thousand round trips.
    /// An unknown slug is the one-line "unknown customer" error.
    public func customerPages(slugs: [String], activityLimit: Int) throws -> [CustomerPage] {
        guard !slugs.isEmpty else { return [] }
        let today = self.today
        // Only reading happens in the transaction; the reports are assembled after it, so on
        // PostgreSQL the connection is free for the next batch meanwhile.
        let batch = try read { db in
            (
                rows: try Self.reportRows(db, slugs: slugs),
                logs: try Self.recentEvents(db, customers: slugs, limit: activityLimit),
                forced: try Self.forcedItems(db, customers: slugs), head: try Self.auditHead(db)
            )
        }
        return try zip(slugs, batch.rows).map { slug, rows in
            CustomerPage(
                report: try Self.customerReport(rows, today: today, auditHead: batch.head),
                log: batch.logs[slug] ?? [], forced: batch.forced[slug] ?? [])
        }
    }

    /// The rows of the customers' reports, in the order of `slugs`: one statement per table,
    /// each ordered by customer and then as a report lists them.
    static func reportRows(_ db: StoreSession, slugs: [String]) throws -> [CustomerRows] {
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
        for row in try db.rows(
            Self.waiverRows + " WHERE w.\(inIDs) ORDER BY w.id",
            ids)
        {
            if let id = row["customer_id"].integer { rowsByID[id]?.waivers.append(Self.waiver(row: row)) }
        }
        for row in try db.rows("SELECT customer_id, verification_run_id FROM baseline WHERE \(inIDs)", ids) {
            if let id = row["customer_id"].integer { rowsByID[id]?.baselineRun = row["verification_run_id"].integer }
        }
        for r in try db.records(
            VerificationRunRecord.self, "SELECT * FROM verification_run WHERE \(inIDs) ORDER BY id DESC", ids)
        {
            rowsByID[r.customerId]?.runs.append(r)
        }
        return slugs.compactMap { bySlug[$0]?.id.flatMap { rowsByID[$0] } }
    }

    /// The newest `limit` events of each customer, oldest first, in one statement.
    static func recentEvents(_ db: StoreSession, customers slugs: [String], limit: Int) throws
        -> [String: [AuditEvent]]
    {
        var logs: [String: [AuditEvent]] = [:]
        for record in try db.records(
            AuditEventRecord.self,
            """
            SELECT * FROM audit_event WHERE seq IN (
                SELECT seq FROM (
                    SELECT seq, ROW_NUMBER() OVER (PARTITION BY customer ORDER BY seq DESC) AS n
                    FROM audit_event WHERE customer IN (\(placeholders(slugs.count)))
                ) AS recent WHERE n <= ?)
            ORDER BY seq
            """, slugs.map(SQLValue.text) + [.integer(Int64(max(0, limit)))])
        {
            logs[record.customer ?? "", default: []].append(AuditEvent(record))
        }
        return logs
    }

    /// Each customer's items whose latest `item.mark` event overrode missing evidence or
    /// dependencies (`--force --reason`), so a packet can flag them. Only the target and one
    /// flag per event leave the database, oldest first: the latest mark wins.
    static func forcedItems(_ db: StoreSession, customers slugs: [String]) throws -> [String: Set<String>] {
        var latest: [String: [String: Bool]] = [:]
        for row in try db.rows(
            """
            SELECT customer, target, CASE WHEN after LIKE '%"forced\\_over"%' ESCAPE '\\' THEN 1 ELSE 0 END AS forced
            FROM audit_event WHERE customer IN (\(placeholders(slugs.count))) AND action = 'item.mark' ORDER BY seq
            """, slugs.map(SQLValue.text))
        {
            latest[row.string("customer"), default: [:]][row.string("target")] = row.int("forced") != 0
        }
        return latest.mapValues { Set($0.filter(\.value).keys) }
    }

    /// `?, ?, …` for an `IN` list of `count` values.
    private static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }
}
