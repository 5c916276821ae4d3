import Foundation
import GRDB
import SOPCore

extension Store {
    /// One row per customer, most urgent first: the read API behind `sop status`.
    ///
    /// A single aggregate query over `item` (a covering index, see migration `v2`) and
    /// `check_state`, so it stays fast with thousands of customers.
    public func portfolio() throws -> [PortfolioRow] {
        let today = self.today
        return try read { db in try Self.portfolio(db, today: today) }
    }

    /// The portfolio over any engine: one statement, the same rows and order on both.
    static func portfolio(_ session: any SQLSession, today: String) throws -> [PortfolioRow] {
        let rows = try session.rows(portfolioSQL, [.text(today)])
        return rows.map { row -> PortfolioRow in
            let total = row.int("total")
            let done = row.int("done")
            return PortfolioRow(
                slug: row.string("slug"), name: row.string("name"),
                template: .init(id: row.string("template_id"), version: row.string("template_version")),
                progress: total == 0 ? 100 : Int((Double(done) * 100 / Double(total)).rounded(.down)),
                total: total, done: done, blocked: row.int("blocked"), overdue: row.int("overdue"),
                failing: row.int("failing"), failedItems: row.int("failed"), owner: row["owner"].text,
                due: row["due"].text, lastActivity: row.string("last_activity_at"))
        }
        .sorted(by: moreUrgent)
    }

    static let portfolioSQL = """
        SELECT c.slug, c.name, c.template_id, c.template_version, c.owner, c.due, c.last_activity_at,
               COUNT(*) FILTER (WHERE i.status <> 'n/a') AS total,
               COUNT(*) FILTER (WHERE i.status = 'done') AS done,
               COUNT(*) FILTER (WHERE i.status = 'blocked') AS blocked,
               COUNT(*) FILTER (WHERE i.status = 'failed') AS failed,
               COUNT(*) FILTER (WHERE i.due < ? AND i.status NOT IN ('done', 'n/a')) AS overdue,
               (SELECT COUNT(DISTINCT s.check_id || '@' || s.region) FROM check_state s
                WHERE s.customer_id = c.id AND s.outcome = 'fail') AS failing
        FROM customer c
        LEFT JOIN item i ON i.customer_id = c.id AND i.archived_at IS NULL
        GROUP BY c.id
        ORDER BY c.slug
        """

    /// Blocked, overdue or failing customers first (most problems first), then by due date, then least progress.
    static func moreUrgent(_ a: PortfolioRow, _ b: PortfolioRow) -> Bool {
        let ap = a.blocked + a.overdue + a.failing + a.failedItems
        let bp = b.blocked + b.overdue + b.failing + b.failedItems
        if (ap > 0) != (bp > 0) { return ap > 0 }
        if ap != bp { return ap > bp }
        let ad = a.due ?? "9999-99-99"
        let bd = b.due ?? "9999-99-99"
        if ad != bd { return ad < bd }
        if a.progress != b.progress { return a.progress < b.progress }
        return a.slug < b.slug
    }
}
