extension Check {
    /// The account belongs to an organization with all features (SCPs, tag policies) enabled.
    static let organizationsAllFeaturesEnabled = Check(
        id: "organizations_all_features_enabled",
        title: "Organization with all features",
        items: ["org.create"],
        scope: .global,
        needs: [.organization],
        criterion: "`DescribeOrganization` succeeds and `FeatureSet` is `ALL`; not being in an organization fails.",
        examples: [
            CheckExample(
                "all features", .pass,
                snapshot: Snapshot {
                    $0.organization = .value(OrganizationInfo(id: "o-abc", featureSet: "ALL"))
                }),
            CheckExample(
                "consolidated billing only", .fail, resources: ["o-abc"],
                snapshot: Snapshot {
                    $0.organization = .value(OrganizationInfo(id: "o-abc", featureSet: "CONSOLIDATED_BILLING"))
                }),
            CheckExample("no organization", .fail, snapshot: Snapshot { $0.organization = .value(nil) }),
        ]
    ) { input throws(FetchFailure) in
        guard let organization = try input.snapshot.organization.get("organizations:DescribeOrganization") else {
            return .fail("the account is not in an organization")
        }
        return organization.featureSet == "ALL"
            ? .pass("organization \(organization.id) has all features enabled")
            : .fail(
                "organization \(organization.id) has feature set \(organization.featureSet), not ALL",
                resources: [organization.id])
    }
}
