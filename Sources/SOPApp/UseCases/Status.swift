import SOPCore
import SOPStore

extension SOPApplication {
    /// `sop status SLUG`: one customer's progress, blockers, failing checks and sign-offs.
    /// Item and section text shows the parameter values that apply to the customer.
    public func customerStatus(slug: String) throws -> CustomerReport {
        let report = try Tracker.with(context) { try $0.customerReport(slug: slug) }
        let pinned = PinnedTemplates(library: context.templateLibrary)
        return report.filled(pinned).aged(pinned)
    }

    /// `sop status`: one row per customer, most urgent first.
    public func portfolio() throws -> [PortfolioRow] {
        try Tracker.with(context) { try $0.portfolio() }
    }
}
