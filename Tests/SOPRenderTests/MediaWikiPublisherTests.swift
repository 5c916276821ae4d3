import Foundation
import SOPRender
import TestSupport
import Testing

/// Publishing against a real MediaWiki 1.39 (Debian package, SQLite, `php -S` on loopback).
/// The harness installs and starts it; when it cannot, the test fails rather than skips.
@Suite(.serialized) struct MediaWikiPublisherTests {
    @Test func publishReadBackRepublishAndRetries() async throws {
        let server = try MediaWikiServer()
        defer { server.stop() }
        let title = "SOP/Test \(UUID().uuidString.prefix(8))"
        let report = Fixtures.report(name: "Acme {{template}} [[Category:x]] <script>alert(1)</script> ~~~~")
        let client = MediaWikiClient(apiURL: server.apiURL)
        let publisher = MediaWikiPublisher(client: client, user: server.user, password: server.password)

        // First publish: files uploaded, page created.
        let first = try await publisher.publish(
            report: report, title: title, date: Fixtures.now, evidence: Fixtures.blobs)
        #expect(first.pageChanged)
        #expect(first.uploaded.sorted() == ["SOP-acme-order_form_signed-2.pdf", "SOP-acme-order_form_signed.pdf"])
        #expect(first.skippedFiles.isEmpty)

        // Read the page back through the API: exactly what was rendered (minus trailing whitespace).
        let expected = WikitextPage(
            report: report, date: Fixtures.now,
            files: ["E3": "SOP-acme-order_form_signed.pdf", "E5": "SOP-acme-order_form_signed-2.pdf"]
        ).render()
        let saved = try #require(try await client.page(title))
        #expect(saved.text == expected.trimmingTrailingWhitespace)
        // The parsed page has no category and no template from user text.
        let categories = try await client.categories(title)
        #expect(categories.isEmpty, "user text created categories: \(categories)")
        #expect(try await client.fileSHA1("SOP-acme-order_form_signed.pdf") != nil)

        // Republishing the same data: unchanged, nothing uploaded.
        let second = try await publisher.publish(
            report: report, title: title, date: Fixtures.now, evidence: Fixtures.blobs)
        #expect(second.isUnchanged)
        #expect(second.unchangedFiles.count == 2)

        // A changed report with a stale token: badtoken → new token → one retry → saved.
        var changed = report
        changed.sections[2].items[0].status = .done
        await client.setToken("bogus+\\")
        let third = try await publisher.publish(
            report: changed, title: title, date: Fixtures.now, evidence: Fixtures.blobs)
        #expect(third.pageChanged)
        #expect(third.retries == 1)
        #expect(try #require(try await client.page(title)).revision > saved.revision)

        // The session is lost (logged out): assertuserfailed → log in again → saved.
        try await client.logout()
        await client.setToken("+\\")
        changed.sections[2].items[1].status = .done
        let fourth = try await publisher.publish(
            report: changed, title: title, date: Fixtures.now, evidence: Fixtures.blobs)
        #expect(fourth.pageChanged)
        #expect(fourth.retries == 1)

        // A wrong password is one clear line that does not contain the password.
        let wrong = MediaWikiPublisher(
            client: MediaWikiClient(apiURL: server.apiURL), user: server.user, password: "not-the-password-123")
        do {
            _ = try await wrong.publish(report: report, title: title, date: Fixtures.now, evidence: Fixtures.blobs)
            Issue.record("publishing with a wrong password succeeded")
        } catch let error as MediaWikiError {
            #expect(error.description.hasPrefix("login failed"))
            #expect(!error.description.contains("not-the-password-123"))
        }
    }
}

extension String {
    var trimmingTrailingWhitespace: String {
        var t = self
        while let last = t.last, last.isWhitespace { t.removeLast() }
        return t
    }
}
