import Foundation
import SOPRender
import TestSupport
import Testing

/// Golden files for the packet and one site page: fixed clock, fixed ordering.
@Suite struct SnapshotTests {
    func context(_ audience: Audience) -> HandoverContext {
        let report = Fixtures.report()
        let paths = HandoverPacket.evidencePaths(report.visible(to: audience))
        return HandoverContext(
            report: report, audience: audience, date: Fixtures.now, preparedBy: "Dana Project",
            evidencePaths: paths)
    }

    @Test func handoverMarkdownCustomer() {
        Golden.assertMatches(HandoverMarkdown(context: context(.customer)).render(), named: "handover.customer.md")
    }

    @Test func handoverMarkdownInternal() {
        Golden.assertMatches(HandoverMarkdown(context: context(.internal)).render(), named: "handover.internal.md")
    }

    @Test func handoverHTMLCustomer() {
        Golden.assertMatches(HandoverHTML(context: context(.customer)).render(), named: "handover.customer.html")
    }

    @Test func siteCustomerPage() throws {
        let files = try SiteBuilder(input: Fixtures.siteInput([Fixtures.report()])).render()
        Golden.assertMatches(files["customers/acme.html"] ?? "<missing>", named: "site.customers.acme.html")
        Golden.assertMatches(files["index.html"] ?? "<missing>", named: "site.index.html")
    }

    @Test func templatePageShowsItemIDsAndDropsMetadata() throws {
        let files = try SiteBuilder(input: Fixtures.siteInput([Fixtures.report()])).render()
        let page = try #require(files["templates/mini-1.0.0.html"])
        #expect(page.contains("<code>prep.email</code> <strong>Official Email:</strong>"))
        #expect(page.contains("<code>prep.groups</code>"))
        #expect(!page.contains("evidence: [note]"))
        #expect(!page.contains("[ ]"))
        #expect(page.contains("Use a group address"))
    }

    /// A template without checks: no account, verification or IAM-credentials part anywhere,
    /// and the packet's cover names the template's subject.
    @Test func aReportWithoutChecksHasNoVerificationParts() {
        var report = Fixtures.report()
        report.template.subject = "employee"
        report.template.verifies = false
        report.verification = []
        report.customer.accountID = nil
        let context = HandoverContext(report: report, audience: .internal, date: Fixtures.now, preparedBy: "pat")
        let pages = [
            WikitextPage(report: report, date: Fixtures.now, files: [:]).render(),
            HandoverMarkdown(context: context).render(), HandoverHTML(context: context).render(),
        ]
        for page in pages {
            for word in ["Verification", "AWS account", "IAM users", "failing checks"] {
                #expect(!page.contains(word), "a page says \(word)")
            }
        }
        #expect(pages[2].contains("<div class=\"kicker\">Employee handover</div>"))
        #expect(report.template.customersTitle == "Customer employees")
    }

    @Test func wikitextPage() {
        let text = WikitextPage(
            report: Fixtures.report(), date: Fixtures.now, files: ["E3": "SOP-acme-order_form_signed.pdf"]
        ).render()
        Golden.assertMatches(text, named: "wiki.acme.wikitext")
    }
}
