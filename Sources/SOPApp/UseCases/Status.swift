import SOPCore
import SOPStore

extension SOPApplication {
    /// `sop status SLUG`: one customer's progress, blockers, failing checks and sign-offs.
    /// Item and section text shows the parameter values that apply to the customer.
    public func customerStatus(slug: String) throws -> CustomerReport {
        let report: CustomerReport
        if case .server(let connection) = trackerLocation {
            let today = Timestamps.day(try context.clock()())
            report = try Tracker.mapped(context) {
                try PostgresTracker.customerReport(connection, slug: slug, today: today)
            }
        } else {
            report = try Tracker.with(context) { try $0.customerReport(slug: slug) }
        }
        return report.filled(PinnedTemplates(library: context.templateLibrary))
    }

    /// `sop status`: one row per customer, most urgent first.
    public func portfolio() throws -> [PortfolioRow] {
        if case .server(let connection) = trackerLocation {
            let today = Timestamps.day(try context.clock()())
            return try Tracker.mapped(context) { try PostgresTracker.portfolio(connection, today: today) }
        }
        return try Tracker.with(context) { try $0.portfolio() }
    }
}
