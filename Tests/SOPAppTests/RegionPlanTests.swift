import Testing

@testable import SOPApp

/// The one region planning rule, case by case.
@Suite struct RegionPlanTests {
    @Test func aListGivenWins() throws {
        let plan = RegionPlan(try RegionRequest(["eu-west-1"]), customerRegions: ["us-east-1"])
        #expect(plan == .known(["eu-west-1"]))
        #expect(!plan.needsEnabledRegions)
    }

    @Test func allMeansTheEnabledRegions() throws {
        let plan = RegionPlan(try RegionRequest(["all"]), customerRegions: ["us-east-1"])
        #expect(plan == .enabledRegions)
        #expect(plan.regions(enabled: ["a-b-1", "c-d-2"], home: "us-east-1") == ["a-b-1", "c-d-2"])
    }

    @Test func nothingGivenMeansTheCustomersRegionsElseTheEnabledOnes() throws {
        #expect(RegionPlan(try RegionRequest([]), customerRegions: ["us-east-1"]) == .known(["us-east-1"]))
        #expect(RegionPlan(try RegionRequest([]), customerRegions: []) == .enabledRegions)
    }

    @Test func withoutAUsableListingOnlyTheHomeRegionIsVerified() {
        #expect(RegionPlan.enabledRegions.regions(enabled: nil, home: "eu-central-1") == ["eu-central-1"])
        #expect(RegionPlan.enabledRegions.regions(enabled: [], home: "eu-central-1") == ["eu-central-1"])
    }

    @Test(arguments: [
        "us-east-x", "moon", "US-EAST-1", "us-east-", "-us-east-1", "us--east-1", "us-east-1 ", "all,us-east-1",
    ])
    func malformedNamesAreRefused(name: String) {
        #expect(throws: AppError.self) { try RegionRequest([name]) }
    }

    @Test(arguments: ["us-east-1", "eu-west-1", "us-gov-west-1", "ap-southeast-4", "cn-north-1"])
    func realNamesAreAccepted(name: String) throws {
        #expect(try RegionRequest([name]) == .list([name]))
    }
}
