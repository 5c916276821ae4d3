import Foundation
import HTTPTypes
import HummingbirdTesting
import SOPApp
import SOPStore
import Testing

@testable import SOPServer

/// The customer portal: from a one-time link to the stakeholder's own customer-audience view;
/// no URL reaches another customer's data, internal evidence or the team's pages.
@Suite(.serialized) struct PortalTests {
    static func secret(_ link: String) -> String { String(link.split(separator: "/").last ?? "") }

    @Test func aStakeholderFinishesTheirPartThroughTheLink() async throws {
        let fixture = try ServerFixture()
        _ = try fixture.app.addEvidence(
            slug: "acme", item: "root.mfa", input: .note("INTERNAL-ONLY margin notes"), by: "sam", expires: nil,
            internal: true)
        // An approved waiver: the stakeholder sees the exception their account lives with.
        let waiver = try fixture.app.requestWaiver(
            WaiverRequest(
                customer: "acme", target: "network.security-groups", reason: "hardware key arrives Friday",
                expires: "2026-03-31"),
            by: "sam")
        try fixture.app.decideWaiver(
            slug: "acme", id: waiver.id, decision: .approve, role: "Security Lead", by: "priya")
        let invitation = try fixture.app.invite(
            slug: "acme", role: "customer stakeholder", email: "jo@acme.example", expires: "14d",
            baseURL: "http://127.0.0.1:8080", by: nil)
        #expect(invitation.invitation.role == "Customer Stakeholder")
        let secret = Self.secret(invitation.link)
        try await fixture.serve { client in
            let landing = try await client.get("/invite/\(secret)")
            #expect(landing.status == .ok)
            let redeemed = try await client.post("/invite/\(secret)", [:])
            #expect(redeemed.status == .found)
            #expect(redeemed.headers[.location] == "/portal")
            let portal = try await client.get("/portal")
            #expect(portal.status == .ok)
            #expect(portal.text.contains("Acme Corp"))
            #expect(!portal.text.contains("INTERNAL-ONLY"))
            #expect(!portal.text.contains("Globex"))
            #expect(!portal.text.contains("Audit log"))
            #expect(portal.text.contains("<h2>Waivers</h2>"))
            #expect(portal.text.contains("hardware key arrives Friday"))
            #expect(portal.text.contains("approved by priya (Security Lead)"))
            // The item the stakeholder owns, and a sign-off their role gives.
            let owned = try #require(
                try fixture.app.customerView(slug: "acme", audience: .customer).items.first {
                    $0.ownerRole == "Customer Stakeholder"
                })
            let upload = try await client.upload(
                "/portal/evidence", ["item": owned.id], file: ("policy.pdf", Data("%PDF-1.4 ok".utf8)))
            #expect(upload.status == .found)
            #expect(try await client.get("/portal").text.contains("handed over for \(owned.id)"))
            let notOwned = try await client.post("/portal/evidence", ["item": "root.mfa", "note": "x"])
            #expect(notOwned.status == .found)
            #expect(try await client.get("/portal").text.contains("is not owned by Customer Stakeholder"))
        }
        let evidence = try fixture.app.evidence(slug: "acme", item: nil).filter { $0.by.contains("jo@acme.example") }
        #expect(evidence.count == 1)
        #expect(try fixture.app.verifyAudit().verdict == .ok)
    }

    @Test func theLinkWorksOnceAndOnlyUntilItExpires() async throws {
        let fixture = try ServerFixture()
        let once = try fixture.app.invite(
            slug: "acme", role: "Customer Stakeholder", email: "jo@acme.example", expires: "1d",
            baseURL: "http://127.0.0.1:8080", by: nil)
        let expiring = try fixture.app.invite(
            slug: "acme", role: "Customer Stakeholder", email: "jo@acme.example", expires: "1d",
            baseURL: "http://127.0.0.1:8080", by: nil)
        try await fixture.serve { client in
            #expect(try await client.post("/invite/\(Self.secret(once.link))", [:]).status == .found)
            let again = try await client.post("/invite/\(Self.secret(once.link))", [:])
            #expect(again.status == .forbidden)
            #expect(again.text.contains("used already"))
            #expect(try await client.post("/invite/not-a-secret", [:]).status == .notFound)
        }
        var later = fixture
        later.environment["SOP_NOW"] = "2026-03-04T09:00:00Z"
        try await later.serve { client in
            let expired = try await client.post("/invite/\(Self.secret(expiring.link))", [:])
            #expect(expired.status == .forbidden)
            #expect(expired.text.contains("expired"))
        }
    }

    @Test func noRouteGivesAStakeholderAnotherCustomersOrTheTeamsData() async throws {
        let fixture = try ServerFixture()
        let globexFile = fixture.directory.appendingPathComponent("globex.txt")
        try Data("GLOBEX-PRIVATE".utf8).write(to: globexFile)
        let globexEvidence = try fixture.app.addEvidence(
            slug: "globex", item: "root.mfa", input: .file(path: globexFile.path), by: "sam", expires: nil,
            internal: false)
        let internalFile = fixture.directory.appendingPathComponent("internal.txt")
        try Data("ACME-INTERNAL".utf8).write(to: internalFile)
        let internalEvidence = try fixture.app.addEvidence(
            slug: "acme", item: "root.mfa", input: .file(path: internalFile.path), by: "sam", expires: nil,
            internal: true)
        let invitation = try fixture.app.invite(
            slug: "acme", role: "Customer Stakeholder", email: "jo@acme.example", expires: "14d",
            baseURL: "http://127.0.0.1:8080", by: nil)
        try await fixture.serve { client in
            try await client.post("/invite/\(Self.secret(invitation.link))", [:])
            try await client.get("/portal")
            let gets = [
                "/", "/activity", "/templates", "/customers/acme", "/customers/globex",
                "/customers/globex/evidence/\(globexEvidence.id)", "/customers/acme/evidence/\(internalEvidence.id)",
                "/customers/globex/packet.zip", "/customers/acme/packet.zip?audience=internal",
                "/portal/evidence/\(globexEvidence.id)", "/portal/evidence/\(internalEvidence.id)",
                "/portal/../customers/globex", "/portal/evidence/..%2F..%2Fcustomers%2Fglobex",
            ]
            for path in gets {
                let response = try await client.get(path)
                #expect(response.status == .notFound || response.status == .badRequest, "\(path): \(response.status)")
                #expect(!response.text.contains("GLOBEX"), "\(path)")
                #expect(!response.text.contains("Globex"), "\(path)")
                #expect(!response.text.contains("ACME-INTERNAL"), "\(path)")
            }
            for path in [
                "/customers/globex/mark", "/customers/acme/mark", "/customers/globex/signoff",
                "/customers/acme/evidence",
            ] {
                let response = try await client.post(
                    path, ["item": "root.mfa", "state": "in-progress", "target": "15.1"])
                #expect(response.status == .notFound, "\(path)")
            }
            // The portal's own packet is the customer audience of the stakeholder's customer.
            let packet = try await client.get("/portal/packet.zip")
            #expect(packet.status == .ok)
            let bytes = String(decoding: Data(buffer: packet.body), as: UTF8.self)
            #expect(!bytes.contains("ACME-INTERNAL"))
            #expect(!bytes.contains("GLOBEX"))
        }
        #expect(try fixture.app.customerStatus(slug: "acme").items.first { $0.id == "root.mfa" }?.status == .todo)
    }
}
