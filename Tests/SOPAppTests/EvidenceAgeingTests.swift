import Foundation
import SOPCore
import SOPStore
import TestSupport
import Testing

@testable import SOPApp

/// Evidence that ages (`valid_for`, `verification_valid_for`): the item needs renewal and the
/// sign-offs that rested on its evidence turn stale on the right day, in status and on pages.
@Suite struct EvidenceAgeingTests {
    /// A one-section template: training (valid 365 days) signed off by the Security Lead, and a
    /// checked item whose results stay current for 30 days.
    static func fixture() throws -> AppFixture {
        var fixture = try AppFixture()
        let folder = fixture.directory.appendingPathComponent("templates")
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("ageing"), withIntermediateDirectories: true)
        try Data(
            """
            ---
            id: ageing
            version: 1.0.0
            title: Ageing
            roles: [Security Lead]
            parameters:
              verification_valid_for:
                default: 30d
                description: How long verification results stay current.
            ---

            ## 1. People
            <!-- sop
            signoff: [Security Lead]
            -->

            - [ ] **Training:** Train everyone.
              <!-- sop
              id: training
              evidence: [note]
              valid_for: 365d
              signoff: [Security Lead]
              -->
            - [ ] **Root MFA:** Turn it on.
              <!-- sop
              id: root.mfa
              evidence: [check]
              checks: [iam_root_mfa_enabled]
              -->
            """.utf8
        ).write(to: folder.appendingPathComponent("ageing/1.0.0.md"))
        fixture.environment["SOP_TEMPLATES"] = folder.path
        _ = try fixture.app.createCustomer(
            CreateCustomerRequest(
                customer: NewCustomer(slug: "acme", name: "Acme", email: "root@acme.example"), template: "ageing"))
        let app = fixture.app
        _ = try app.addEvidence(
            slug: "acme", item: "training", input: .note("all 12 staff trained"), by: nil, expires: nil,
            internal: false)
        _ = try app.mark(slug: "acme", item: "training", state: "done", reason: nil, force: false, by: nil)
        _ = try app.signoff(slug: "acme", target: "training", role: "Security Lead", by: "priya", note: nil)
        return fixture
    }

    func status(_ fixture: AppFixture, on day: String) throws -> CustomerReport {
        var later = fixture
        later.environment["SOP_NOW"] = "\(day)T12:00:00Z"
        return try later.app.customerStatus(slug: "acme")
    }

    @Test func aSignoffTurnsStaleTheDayAfterItsEvidenceStopsBeingValid() throws {
        let fixture = try Self.fixture()
        // Added 2026-03-02T09:00Z, valid for 365 days: current through 2027-03-02.
        let lastDay = try status(fixture, on: "2027-03-02")
        let training = try #require(lastDay.items.first { $0.id == "training" })
        #expect(training.needsRenewal == nil)
        #expect(training.evidence.first?.validUntil == "2027-03-02")
        #expect(training.evidence.first?.stale == nil)
        #expect(training.signoffs.first?.state == .valid)

        let dayAfter = try status(fixture, on: "2027-03-03")
        let aged = try #require(dayAfter.items.first { $0.id == "training" })
        #expect(aged.needsRenewal == true)
        #expect(aged.evidence.first?.stale == true)
        #expect(aged.signoffs.first?.state == .stale, "the sign-off rested on evidence that aged")
        #expect(aged.status == .done, "the status is what was marked; renewal is shown beside it")

        // New evidence renews the item; the sign-off is stale until given again (evidence changed).
        var renewing = fixture
        renewing.environment["SOP_NOW"] = "2027-03-03T12:00:00Z"
        _ = try renewing.app.addEvidence(
            slug: "acme", item: "training", input: .note("refresher for all staff"), by: nil, expires: nil,
            internal: false)
        let renewed = try #require(try renewing.app.customerStatus(slug: "acme").items.first { $0.id == "training" })
        #expect(renewed.needsRenewal == nil)
        _ = try renewing.app.signoff(slug: "acme", target: "training", role: "Security Lead", by: "priya", note: nil)
        let signed = try #require(try renewing.app.customerStatus(slug: "acme").items.first { $0.id == "training" })
        #expect(signed.signoffs.first { $0.role == "Security Lead" }?.state == .valid)
    }

    @Test func verificationResultsAgeByTheParameterAndOnlyTheNewestCounts() throws {
        let fixture = try Self.fixture()
        let store = try fixture.app.context.openStore()
        try Self.recordRootMFA(store)
        store.close()
        // Recorded 2026-03-02T09:00Z, current for 30 days: until 2026-04-01T09:00Z.
        #expect(try status(fixture, on: "2026-04-01").items.first { $0.id == "root.mfa" }?.needsRenewal == nil)
        let aged = try #require(try status(fixture, on: "2026-04-02").items.first { $0.id == "root.mfa" })
        #expect(aged.needsRenewal == true)
        #expect(aged.evidence.first { $0.kind == "check" }?.validUntil == "2026-04-01")
        // A newer run is the current result; the older one no longer counts.
        var later = fixture
        later.environment["SOP_NOW"] = "2026-04-02T12:00:00Z"
        let again = try later.app.context.openStore()
        try Self.recordRootMFA(again)
        again.close()
        #expect(try status(fixture, on: "2026-04-02").items.first { $0.id == "root.mfa" }?.needsRenewal == nil)
    }

    /// A verification run in which root MFA passed, recorded at the store's clock.
    static func recordRootMFA(_ store: Store) throws {
        try store.recordCheckResults(
            customer: "acme",
            run: VerificationRun(
                account: "123456789012", regions: [], startedAt: Date(), finishedAt: Date(), callsMade: 1,
                results: [
                    CheckResultRecord(
                        checkId: "iam_root_mfa_enabled", itemIds: ["root.mfa"], outcome: .pass, summary: "on")
                ]),
            by: "tester")
    }
}
