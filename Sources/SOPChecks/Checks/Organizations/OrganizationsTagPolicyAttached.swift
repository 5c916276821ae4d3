extension Check {
    /// A tag policy standardises tag keys across the organization.
    static let organizationsTagPolicyAttached = Check(
        id: "organizations_tag_policy_attached",
        title: "Tag policy attached",
        items: ["tagging.standardize"],
        scope: .global,
        needs: [.organizationUnits, .organizationPolicies],
        criterion:
            "The TAG_POLICY type is ENABLED on the root and ≥ 1 tag policy is attached to the root, an OU or an account.",
        examples: [
            CheckExample(
                "tag policy on the root", .pass,
                snapshot: Snapshot {
                    $0.organizationUnits = .value(.populated)
                    $0.organizationPolicies = .value(
                        OrganizationPolicies(tagPolicies: [
                            OrganizationPolicy(id: "p-tags", name: "StandardTags", targets: ["r-root"])
                        ]))
                }),
            CheckExample(
                "tag policy defined but not attached", .fail, resources: ["p-tags"],
                snapshot: Snapshot {
                    $0.organizationUnits = .value(.populated)
                    $0.organizationPolicies = .value(
                        OrganizationPolicies(tagPolicies: [
                            OrganizationPolicy(id: "p-tags", name: "StandardTags", targets: [])
                        ]))
                }),
            CheckExample(
                "policy type disabled", .fail,
                snapshot: Snapshot {
                    var tree = OrganizationTree.populated
                    tree.roots[0].policyTypes = ["SERVICE_CONTROL_POLICY": "ENABLED"]
                    $0.organizationUnits = .value(tree)
                    $0.organizationPolicies = .value(OrganizationPolicies())
                }),
        ]
    ) { input throws(FetchFailure) in
        let tree = try input.snapshot.organizationUnits.get("organizations:ListRoots")
        let policies = try input.snapshot.organizationPolicies.get("organizations:ListPolicies")
        guard tree.inUse, policies.inUse else { return .fail("the account is not in an organization") }
        guard tree.roots.contains(where: { $0.enabled("TAG_POLICY") }) else {
            return .fail("the TAG_POLICY type is not enabled on the root", resources: tree.roots.map(\.id))
        }
        let attached = policies.tagPolicies.filter { !$0.targets.isEmpty }
        if attached.isEmpty {
            return .fail(
                policies.tagPolicies.isEmpty ? "no tag policy is defined" : "no tag policy is attached",
                resources: policies.tagPolicies.map(\.id))
        }
        return .pass("tag policies attached: \(attached.map(\.name).joined(separator: ", "))")
    }
}
