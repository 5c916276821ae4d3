import Foundation
import SOPApp
import TestSupport
import Testing

/// The verify use case driven in-process: region planning, the identity call failing, bad input
/// refused before any request, and the verdict that decides the exit code.
@Suite struct VerifyUseCaseTests {
    /// A global and a regional check: few requests, but both kinds of scope.
    static let checks = ["iam_password_policy_strong", "guardduty_detector_enabled"]

    @Test func anUnknownRegionIsRefusedBeforeAnyRequestAsNewRefusesIt() async throws {
        let fixture = try AppFixture(aws: try await SharedMoto.environment())
        try fixture.customer(regions: ["us-east-1"])
        await #expect(throws: AppError.badInput("--regions: 'us-east-x' is not an AWS region name (like eu-west-1)")) {
            try await fixture.app.verify(VerifyRequest(slug: "acme", regions: ["us-east-x"]))
        }
        #expect(fixture.transport.requests.isEmpty, "nothing sent for a region that cannot exist")
        #expect(throws: AppError.badInput("--regions: 'us-east-x' is not an AWS region name (like eu-west-1)")) {
            try fixture.customer("other", regions: ["us-east-x"])
        }
    }

    @Test func theCustomersRegionsAreUsedWithoutListingTheEnabledOnes() async throws {
        let fixture = try AppFixture(aws: try await SharedMoto.environment())
        try fixture.customer(regions: ["eu-west-1", "us-east-1"])
        let result = try await fixture.app.verify(VerifyRequest(slug: "acme", checks: Self.checks))
        #expect(result.report.regions == ["eu-west-1", "us-east-1"])
        #expect(!fixture.transport.operations.contains("DescribeRegions"))
        #expect(fixture.transport.operations.contains("GetCallerIdentity"))
        let regional = result.report.results.filter { $0.check == "guardduty_detector_enabled" }.map(\.region)
        #expect(Set(regional) == ["eu-west-1", "us-east-1"])
        #expect(result.report.results.filter { $0.check == "iam_password_policy_strong" }.map(\.region) == ["global"])
    }

    @Test func aCustomerWithoutRegionsIsVerifiedInEveryEnabledRegion() async throws {
        let fixture = try AppFixture(aws: try await SharedMoto.environment())
        try fixture.customer(regions: [])
        let result = try await fixture.app.verify(VerifyRequest(slug: "acme", checks: ["guardduty_detector_enabled"]))
        #expect(fixture.transport.operations.filter { $0 == "DescribeRegions" }.count == 1)
        #expect(result.report.regions.count > 2, "moto lists every region: \(result.report.regions)")
        #expect(result.report.regions.contains("us-east-1") && result.report.regions.contains("eu-west-1"))
        #expect(Set(result.report.results.map(\.region)) == Set(result.report.regions))
    }

    @Test func regionsAllOverridesTheCustomersRegions() async throws {
        let fixture = try AppFixture(aws: try await SharedMoto.environment())
        try fixture.customer(regions: ["us-east-1"])
        let result = try await fixture.app.verify(
            VerifyRequest(
                slug: "acme", regions: ["all"],
                checks: ["guardduty_detector_enabled"]))
        #expect(fixture.transport.operations.contains("DescribeRegions"))
        #expect(result.report.regions.count > 2)
        let listed = try await fixture.app.verify(
            VerifyRequest(
                slug: "acme", regions: ["eu-west-1"],
                checks: ["guardduty_detector_enabled"]))
        #expect(listed.report.regions == ["eu-west-1"], "a list given wins over the customer's regions")
    }

    @Test func whenTheIdentityCallFailsEveryCheckIsAnErrorNeverAPass() async throws {
        let server = try await FaultServer.start()
        defer { server.stop() }
        let fixture = try AppFixture(aws: [
            "AWS_ENDPOINT_URL": server.endpoint(.badSignature).absoluteString, "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1", "AWS_MAX_ATTEMPTS": "1",
        ])
        try fixture.customer(regions: ["us-east-1", "eu-west-1"])
        let result = try await fixture.app.verify(VerifyRequest(slug: "acme", checks: Self.checks))
        #expect(!result.report.results.isEmpty)
        #expect(
            result.report.results.allSatisfy {
                $0.outcome == "error" && $0.summary.hasPrefix("could not be verified: ")
            })
        #expect(result.report.account == "")
        #expect(result.report.regions == ["us-east-1", "eu-west-1"])
        #expect(result.notes.contains { $0.hasPrefix("cannot identify the AWS account") })
        #expect(result.verdict == .undecided)
        #expect(result.verdict.exitCode == 3)
    }

    @Test func anUnknownCheckAndAnUnknownCustomerAreBadInput() async throws {
        let fixture = try AppFixture(aws: try await SharedMoto.environment())
        try fixture.customer(regions: ["us-east-1"])
        let unknownCheck = await #expect(throws: AppError.self) {
            try await fixture.app.verify(VerifyRequest(slug: "acme", checks: ["no_such_check"]))
        }
        #expect(unknownCheck?.kind == .badInput)
        #expect(unknownCheck?.message.contains("no_such_check") == true)
        let unknownCustomer = await #expect(throws: AppError.self) {
            try await fixture.app.verify(VerifyRequest(slug: "nobody"))
        }
        #expect(unknownCustomer?.kind == .badInput)
        #expect(fixture.transport.requests.isEmpty)
    }
}
