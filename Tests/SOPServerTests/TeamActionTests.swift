import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SOPApp
import Testing

@testable import SOPServer

/// Team members act through the CLI's use cases, as themselves; refusals are the use case's
/// one line on the page; cross-site posts and viewers change nothing.
@Suite(.serialized) struct TeamActionTests {
    @Test func aMemberMarksAssignsAddsEvidenceAndSignsOffAsThemselves() async throws {
        let fixture = try ServerFixture()
        try await fixture.serve { client in
            try await client.signIn("priya")
            try await client.get("/customers/acme")
            let mark = try await client.post("/customers/acme/mark", ["item": "root.mfa", "state": "in-progress"])
            #expect(mark.status == .found)
            #expect(mark.headers[.location] == "/customers/acme")
            let page = try await client.get("/customers/acme")
            #expect(page.text.contains("root.mfa marked in-progress"))
            let again = try await client.get("/customers/acme")
            #expect(!again.text.contains("root.mfa marked in-progress"), "a notice shows once")

            try await client.post("/customers/acme/assign", ["item": "root.mfa", "to": "sam", "due": "2026-03-20"])
            let upload = try await client.upload(
                "/customers/acme/evidence", ["item": "root.mfa"],
                file: ("../../mfa screenshot.png", Data([0x89, 0x50, 1, 2])))
            #expect(upload.status == .found)
            let evidencePage = try await client.get("/customers/acme")
            #expect(evidencePage.text.contains("added to root.mfa"))
            #expect(evidencePage.text.contains("mfa screenshot.png"))
        }
        let evidence = try fixture.app.evidence(slug: "acme", item: "root.mfa")
        #expect(evidence.count == 1)
        #expect(evidence.first?.fileName == "mfa screenshot.png")
        #expect(evidence.first?.by == "priya")
        let log = try fixture.app.log(slug: "acme", limit: 3)
        #expect(log.allSatisfy { $0.actor == "priya" })
        #expect(try fixture.app.verifyAudit().verdict == .ok)
    }

    @Test func refusalsAreTheUseCasesOwnLineAndChangeNothing() async throws {
        let fixture = try ServerFixture()
        let before = try fixture.app.log(slug: nil, limit: 1000).count
        try await fixture.serve { client in
            try await client.signIn("priya")
            try await client.get("/customers/acme")
            try await client.post("/customers/acme/mark", ["item": "root.mfa", "state": "done"])
            let done = try await client.get("/customers/acme")
            #expect(done.text.contains("class=\"notice error\""))
            #expect(done.text.contains("root.mfa"))
            try await client.post("/customers/acme/mark", ["item": "no.such.item", "state": "done"])
            #expect(try await client.get("/customers/acme").text.contains("unknown item"))
            try await client.post(
                "/customers/acme/evidence", ["item": "root.mfa", "note": "key AKIAIOSFODNN7EXAMPLE secret"])
            #expect(try await client.get("/customers/acme").text.contains("refused"))
            // Security Lead is priya's, Customer Stakeholder is not.
            try await client.post("/customers/acme/signoff", ["target": "15.1", "role": "Customer Stakeholder"])
            #expect(try await client.get("/customers/acme").text.contains("you do not hold the role"))
        }
        #expect(try fixture.app.log(slug: nil, limit: 1000).count == before)
    }

    @Test func crossSitePostsAndMissingFormTokensAreRefused() async throws {
        let fixture = try ServerFixture()
        try await fixture.serve { client in
            try await client.signIn("priya")
            try await client.get("/customers/acme")
            let crossSite = try await client.post(
                "/customers/acme/mark", ["item": "root.mfa", "state": "in-progress"],
                headers: [HTTPField.Name("Sec-Fetch-Site")!: "cross-site"])
            #expect(crossSite.status == .forbidden)
            let sameSite = try await client.post(
                "/customers/acme/mark", ["item": "root.mfa", "state": "in-progress"],
                headers: [HTTPField.Name("Sec-Fetch-Site")!: "same-site"])
            #expect(sameSite.status == .forbidden)
            // An older browser without Sec-Fetch-Site: the Origin decides.
            var noFetchSite = try await client.client.execute(
                uri: "/customers/acme/mark", method: .post,
                headers: [
                    .contentType: "application/x-www-form-urlencoded", .origin: "http://evil.example",
                    .cookie: client.cookie ?? "",
                ],
                body: .init(string: "item=root.mfa&state=in-progress&csrf=\(client.formToken ?? "")"))
            #expect(noFetchSite.status == .forbidden)
            // The server's own form under no-referrer: Origin null, Sec-Fetch-Site same-origin.
            noFetchSite = try await client.post(
                "/customers/acme/mark", ["item": "root.mfa", "state": "in-progress"], headers: [.origin: "null"])
            #expect(noFetchSite.status == .found)
            try await client.post("/customers/acme/mark", ["item": "root.mfa", "state": "todo"])
            let noToken = try await client.post(
                "/customers/acme/mark", ["item": "root.mfa", "state": "in-progress"], token: .some(nil))
            #expect(noToken.status == .forbidden)
            let wrongToken = try await client.post(
                "/customers/acme/mark", ["item": "root.mfa", "state": "in-progress"], token: "forged")
            #expect(wrongToken.status == .forbidden)
        }
        #expect(try fixture.app.customerStatus(slug: "acme").items.first { $0.id == "root.mfa" }?.status == .todo)
    }

    @Test func aViewerReadsAndChangesNothing() async throws {
        let fixture = try ServerFixture()
        try await fixture.serve { client in
            try await client.signIn("vic")
            let page = try await client.get("/customers/acme")
            #expect(page.status == .ok)
            #expect(!page.text.contains("action=\"/customers/acme/mark\""))
            let refused = try await client.post("/customers/acme/mark", ["item": "root.mfa", "state": "in-progress"])
            #expect(refused.status == .forbidden)
        }
    }

    @Test func pagesChangeAsSoonAsTheTrackerDoesAndUnchangedOnesAreNotResent() async throws {
        let fixture = try ServerFixture()
        try await fixture.serve { client in
            try await client.signIn("priya")
            let first = try await client.get("/customers/acme")
            let etag = try #require(first.headers[.eTag])
            let unchanged = try await client.get("/customers/acme", headers: [.ifNoneMatch: etag])
            #expect(unchanged.status == .notModified)
            #expect(unchanged.body.readableBytes == 0)
            // Another process (the CLI) changes the tracker: the next load shows it.
            _ = try fixture.app.addEvidence(
                slug: "acme", item: "root.mfa", input: .note("Hardware key in the safe"), by: "sam", expires: nil,
                internal: false)
            let changed = try await client.get("/customers/acme", headers: [.ifNoneMatch: etag])
            #expect(changed.status == .ok)
            #expect(changed.text.contains("Hardware key in the safe"))
        }
    }

    @Test func evidenceDownloadsAreTheStoredBytesAndNothingElse() async throws {
        let fixture = try ServerFixture()
        let bytes = Data("<html><script>alert(1)</script></html>".utf8)
        let file = fixture.directory.appendingPathComponent("report.html")
        try bytes.write(to: file)
        let info = try fixture.app.addEvidence(
            slug: "acme", item: "root.mfa", input: .file(path: file.path), by: "sam", expires: nil, internal: false)
        try await fixture.serve { client in
            try await client.signIn("priya")
            let download = try await client.get("/customers/acme/evidence/\(info.id)")
            #expect(download.status == .ok)
            #expect(Data(buffer: download.body) == bytes)
            #expect(download.headers[.contentType] == "application/octet-stream")
            #expect(download.headers[.contentDisposition]?.hasPrefix("attachment;") == true)
            #expect(download.headers[HTTPField.Name("X-Evidence-SHA256")!] == info.sha256)
            for path in [
                "/customers/acme/evidence/..%2F..%2Fetc%2Fpasswd", "/customers/acme/evidence/E999",
                "/customers/globex/evidence/\(info.id)", "/customers/..%2Fglobex",
            ] {
                let response = try await client.get(path)
                #expect(response.status == .notFound || response.status == .badRequest, "\(path)")
                #expect(!response.text.contains("alert(1)"), "\(path)")
            }
            let packet = try await client.get("/customers/acme/packet.zip")
            #expect(packet.status == .ok)
            #expect(packet.headers[.contentType] == "application/zip")
            #expect(packet.body.getBytes(at: packet.body.readerIndex, length: 4) == [0x50, 0x4B, 0x03, 0x04])
        }
    }

    @Test func hostileTextLeavesNoMarkupOnAnyPage() async throws {
        let fixture = try ServerFixture()
        let hostile =
            "<script>alert(1)</script>\"><img src=x onerror=alert(2)> \u{202E}fdp.exe "
            + String(repeating: "W", count: 10_000)
        _ = try fixture.app.createCustomer(
            CreateCustomerRequest(
                customer: NewCustomer(slug: "evil", name: hostile, email: "root@evil.example", owner: hostile),
                template: "aws-account@1.1.0"))
        _ = try fixture.app.addEvidence(
            slug: "evil", item: "root.mfa", input: .note("javascript:alert(3) " + hostile), by: "sam", expires: nil,
            internal: false)
        _ = try fixture.app.addEvidence(
            slug: "evil", item: "root.mfa", input: .link("https://example.com/\"><script>alert(4)</script>"), by: "sam",
            expires: nil, internal: false)
        try fixture.app.assign(slug: "evil", item: "root.mfa", to: hostile, due: nil, by: nil)
        try await fixture.serve { client in
            try await client.signIn("priya")
            for path in ["/", "/customers/evil", "/activity", "/?owner=" + ServerFixture.Client.encode(hostile)] {
                let page = try await client.get(path)
                #expect(page.status == .ok, "\(path)")
                #expect(!page.text.contains("<script"), "\(path)")
                #expect(!page.text.contains("<img src=x"), "\(path)")
                #expect(!page.text.contains("\u{202E}"), "\(path)")
                #expect(!page.text.contains("href=\"javascript:"), "\(path)")
                #expect(page.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
                #expect(page.headers[.xContentTypeOptions] == "nosniff")
                #expect(page.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
                #expect(page.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
            }
        }
    }

    @Test func oversizedBodiesAreRefusedBeforeTheyAreRead() async throws {
        let fixture = try ServerFixture()
        var options = ServerOptions()
        options.maxBodyBytes = 1024 * 1024
        try await fixture.serve(options) { client in
            try await client.signIn("priya")
            try await client.get("/customers/acme")
            let big = try await client.upload(
                "/customers/acme/evidence", ["item": "root.mfa"], file: ("big.bin", Data(count: 2 * 1024 * 1024)))
            #expect(big.status == .contentTooLarge)
            let form = try await client.post("/customers/acme/mark", ["item": String(repeating: "x", count: 100_000)])
            #expect(form.status == .contentTooLarge)
        }
        #expect(try fixture.app.evidence(slug: "acme", item: nil).isEmpty)
    }
}
