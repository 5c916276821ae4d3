import Foundation
import SOPCore

/// What needs a project manager's attention across every customer, as plain facts: the read
/// behind `sop agenda` and `sop digest`. Dates are `YYYY-MM-DD`; which facts enter the agenda
/// window, and in what order, is the application layer's.
public struct AgendaFacts: Sendable, Equatable {
    /// An open (not done, not n/a, not blocked) item with a due date up to the window's last day.
    public struct DueItem: Sendable, Equatable {
        public var customer: String
        public var item: String
        public var title: String
        public var status: ItemStatus
        public var due: String
        public var assignee: String?
    }

    /// An item marked blocked, with the reason given (and its due date: a blocked item is listed
    /// once, as blocked, since the reason is what the project manager acts on).
    public struct BlockedItem: Sendable, Equatable {
        public var customer: String
        public var item: String
        public var title: String
        public var reason: String?
        public var due: String?
        public var assignee: String?
    }

    /// Current (not retracted) evidence that expires on or before the window's last day.
    public struct ExpiringEvidence: Sendable, Equatable {
        public var customer: String
        public var item: String
        public var title: String
        public var evidence: String
        public var kind: String
        public var expires: String
        public var assignee: String?
    }

    /// A sign-off that no longer stands (``SignoffState/stale``), on an item or a section.
    public struct StaleSignoff: Sendable, Equatable {
        public var customer: String
        public var target: String
        public var targetKind: String
        public var title: String
        public var role: String
        public var by: String?
        public var at: String?
        public var assignee: String?
    }

    /// The latest outcome of a check on an item is `fail`.
    public struct FailingCheck: Sendable, Equatable {
        public var customer: String
        public var item: String
        public var title: String
        public var check: String
        public var region: String?
        public var summary: String
        public var since: String
        public var assignee: String?
    }

    public var today: String
    /// Customer slug → owner, for every customer (the owner filter needs those with no entries).
    public var owners: [String: String?]
    public var dueItems: [DueItem] = []
    public var blocked: [BlockedItem] = []
    public var expiringEvidence: [ExpiringEvidence] = []
    public var staleSignoffs: [StaleSignoff] = []
    public var failingChecks: [FailingCheck] = []
}

extension Store {
    /// Every customer's agenda facts up to `until` (inclusive), read in one transaction.
    ///
    /// Each customer's report is assembled the way `sop status SLUG` assembles it (so a stale
    /// sign-off here is stale there: ``SignoffStaleness`` decides both), in batches of the site's
    /// size so a portfolio of thousands costs a few statements per batch on either engine.
    /// `prepare` sees each report before its facts are taken (the application layer fills in
    /// the template's parameter values, so titles read as they do in `sop status SLUG`).
    public func agendaFacts(until: String, prepare: (CustomerReport) -> CustomerReport = { $0 }) throws
        -> AgendaFacts
    {
        let today = self.today
        let batches = try read { db -> (rows: [[CustomerRows]], head: AuditHead) in
            let slugs = try db.strings("SELECT slug FROM customer ORDER BY slug", [])
            var batches: [[CustomerRows]] = []
            for start in stride(from: 0, to: slugs.count, by: Self.agendaBatch) {
                let batch = Array(slugs[start..<min(start + Self.agendaBatch, slugs.count)])
                batches.append(try Self.reportRows(db, slugs: batch))
            }
            return (batches, try Self.auditHead(db))
        }
        var facts = AgendaFacts(today: today, owners: [:])
        for rows in batches.rows.joined() {
            let report = prepare(try Self.customerReport(rows, today: today, auditHead: batches.head))
            Self.collect(report, until: until, into: &facts)
        }
        return facts
    }

    static let agendaBatch = 8

    /// The facts of one customer's report.
    static func collect(_ report: CustomerReport, until: String, into facts: inout AgendaFacts) {
        let slug = report.customer.slug
        facts.owners[slug] = .some(report.customer.owner)
        for item in report.items {
            if !item.status.isSettled, item.status != .blocked, let due = item.due, due <= until {
                facts.dueItems.append(
                    .init(
                        customer: slug, item: item.id, title: item.title, status: item.status, due: due,
                        assignee: item.assignee))
            }
            if item.status == .blocked {
                facts.blocked.append(
                    .init(
                        customer: slug, item: item.id, title: item.title, reason: item.reason, due: item.due,
                        assignee: item.assignee))
            }
            if item.status != .notApplicable {
                for evidence in item.evidence where evidence.retractedAt == nil {
                    guard let expires = evidence.expires, expires >= facts.today, expires <= until else { continue }
                    facts.expiringEvidence.append(
                        .init(
                            customer: slug, item: item.id, title: item.title, evidence: evidence.id,
                            kind: evidence.kind, expires: expires, assignee: item.assignee))
                }
            }
            for check in item.checkOutcomes where check.outcome == .fail {
                facts.failingChecks.append(
                    .init(
                        customer: slug, item: item.id, title: item.title, check: check.checkId, region: check.region,
                        summary: check.summary, since: check.since, assignee: item.assignee))
            }
            for signoff in item.signoffs where signoff.state == .stale {
                facts.staleSignoffs.append(
                    .init(
                        customer: slug, target: item.id, targetKind: "item", title: item.title, role: signoff.role,
                        by: signoff.by, at: signoff.at, assignee: item.assignee))
            }
        }
        for signoff in report.signoffs where signoff.state == .stale {
            let title = report.sections.first { $0.number == signoff.target }?.title ?? ""
            facts.staleSignoffs.append(
                .init(
                    customer: slug, target: signoff.target, targetKind: "section", title: title, role: signoff.role,
                    by: signoff.by, at: signoff.at, assignee: nil))
        }
    }
}
