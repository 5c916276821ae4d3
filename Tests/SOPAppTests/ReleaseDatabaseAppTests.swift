import Foundation
import SOPApp
import TestSupport
import Testing

/// A tracker written by release 0.1.0 (`Tests/SOPStoreTests/Fixtures/release-0.1.0.db`), opened
/// through the application layer after this release's migrations: the audit trail still
/// verifies and every read use case works on it.
@Suite struct ReleaseDatabaseAppTests {
    static let fixture = Paths.repositoryRoot.appendingPathComponent("Tests/SOPStoreTests/Fixtures/release-0.1.0.db")

    func copy() throws -> AppFixture {
        let app = try AppFixture()
        try FileManager.default.copyItem(atPath: Self.fixture.path, toPath: app.database)
        return app
    }

    @Test func auditVerifyPassesOnADatabaseOfTheLastRelease() throws {
        let app = try copy()
        let (report, verdict) = try app.app.verifyAudit()
        #expect(report.problems.isEmpty, "\(report.problems)")
        #expect(report.events >= 13)
        #expect(verdict == .ok)
    }

    @Test func everyReadUseCaseWorksOnIt() throws {
        let fixture = try copy()
        let app = fixture.app
        let customers = try app.customers()
        #expect(!customers.isEmpty)
        for customer in customers {
            let report = try app.customerStatus(slug: customer.slug)
            #expect(report.customer.slug == customer.slug)
            #expect(!report.items.isEmpty)
            #expect(!(try app.log(slug: customer.slug, limit: nil)).isEmpty)
            _ = try app.evidence(slug: customer.slug, item: nil)
            let packet = fixture.directory.appendingPathComponent("packet-\(customer.slug)").path
            let written = try app.handover(
                slug: customer.slug, to: packet, audience: .internal, preparedBy: "tester",
                force: false)
            #expect(written.files.contains("MANIFEST.sha256"))
        }
        #expect(try app.portfolio().count == customers.count)
        // Reading it changed nothing the chain does not explain.
        #expect(try app.verifyAudit().verdict == .ok)
    }
}
