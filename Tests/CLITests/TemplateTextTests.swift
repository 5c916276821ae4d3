import Foundation
import TestSupport
import Testing

/// Template text shows the values that apply: `${name}` filled from the customer's parameters,
/// else the template's defaults.
@Suite struct TemplateTextTests {
    @Test func parameterReferencesShowTheCustomersValue() throws {
        let t = TrackerFixture()
        #expect(try t.createAcme(["--param", "password_min_length=16"]).status == 0)
        let status = try t.sop(["status", "acme", "--json"])
        let items = t.json(status)["items"] as? [[String: Any]] ?? []
        let policy = try #require(items.first { $0["id"] as? String == "gov.security-policies" })
        let steps = policy["steps"] as? [String] ?? []
        #expect(steps.first == "Passwords: at least 16 characters, expiry after 90 days, no reuse of the last 24.")
        #expect(!status.stdout.contains("${"))

        // The template's page shows its defaults.
        let site = t.directory.path("site").path
        #expect(try t.sop(["site", "build", "--out", site]).status == 0)
        let pages = try FileManager.default.contentsOfDirectory(atPath: site + "/templates")
        let page = try #require(pages.first { $0 == "aws-account-1.0.0.html" }, "the pinned version's page: \(pages)")
        let html = try String(contentsOfFile: site + "/templates/" + page, encoding: .utf8)
        #expect(html.contains("at least 14 characters"))
        #expect(!html.contains("${password_min_length}"))
    }
}
