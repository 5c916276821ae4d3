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
        let rows = try read { db in
            try Row.fetchAll(db, sql: Self.portfolioSQL, arguments: ["today": today])
        }
        let result = rows.map { row -> PortfolioRow in
            let total: Int = row["total"] ?? 0
            let done: Int = row["done"] ?? 0
            return PortfolioRow(
                slug: row["slug"], name: row["name"],
                template: .init(id: row["template_id"], version: row["template_version"]),
                progress: total == 0 ? 100 : Int((Double(done) * 100 / Double(total)).rounded(.down)),
                total: total, done: done, blocked: row["blocked"] ?? 0, overdue: row["overdue"] ?? 0,
                failing: row["failing"] ?? 0, failedItems: row["failed"] ?? 0, owner: row["owner"], due: row["due"],
                lastActivity: row["last_activity_at"])
        }
        return result.sorted(by: Self.moreUrgent)
    }

    static let portfolioSQL = """
        SELECT c.slug, c.name, c.template_id, c.template_version, c.owner, c.due, c.last_activity_at,
               COUNT(*) FILTER (WHERE i.status <> 'n/a') AS total,
               COUNT(*) FILTER (WHERE i.status = 'done') AS done,
               COUNT(*) FILTER (WHERE i.status = 'blocked') AS blocked,
               COUNT(*) FILTER (WHERE i.status = 'failed') AS failed,
               COUNT(*) FILTER (WHERE i.due < :today AND i.status NOT IN ('done', 'n/a')) AS overdue,
               (SELECT COUNT(DISTINCT s.check_id || '@' || s.region) FROM check_state s
                WHERE s.customer_id = c.id AND s.outcome = 'fail') AS failing
        FROM customer c
        LEFT JOIN item i ON i.customer_id = c.id AND i.archived_at IS NULL
        GROUP BY c.id
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
