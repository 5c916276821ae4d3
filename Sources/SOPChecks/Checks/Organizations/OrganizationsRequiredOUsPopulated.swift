extension Check {
    /// The environment OUs exist and each holds at least one active member account.
    static let organizationsRequiredOUsPopulated = Check(
        id: "organizations_required_ous_populated",
        title: "Required OUs hold member accounts",
        items: ["org.ous", "org.member-accounts"],
        scope: .global,
        needs: [.organizationUnits],
        criterion: "Every OU named in `required_ous` exists (at any depth) and directly holds ≥ 1 ACTIVE account.",
        parameters: [
            CheckParameter(
                "required_ous", default: .list(["Production", "Development", "Testing"]), "OUs that must exist")
        ],
        notes: "Needs the management account's credentials (on AWS, member accounts cannot list the organization).",
        examples: [
            CheckExample(
                "three populated OUs", .pass, snapshot: Snapshot { $0.organizationUnits = .value(.populated) }),
            CheckExample(
                "Testing OU empty", .fail, resources: ["Testing"],
                snapshot: Snapshot {
                    var tree = OrganizationTree.populated
                    tree.units[2].accounts = []
                    $0.organizationUnits = .value(tree)
                }),
            CheckExample(
                "Development OU missing, its only account suspended elsewhere", .fail, resources: ["Development"],
                snapshot: Snapshot {
                    var tree = OrganizationTree.populated
                    tree.units.remove(at: 1)
                    $0.organizationUnits = .value(tree)
                }),
            CheckExample("no organization", .fail, snapshot: Snapshot { $0.organizationUnits = .value(.notInUse) }),
        ]
    ) { input throws(FetchFailure) in
        let tree = try input.snapshot.organizationUnits.get("organizations:ListOrganizationalUnitsForParent")
        guard tree.inUse else { return .fail("the account is not in an organization") }
        var problems: [String] = []
        var offenders: [String] = []
        for name in try input.list("required_ous") {
            let units = tree.units.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }
            if units.isEmpty {
                problems.append("OU \(name) is missing")
                offenders.append(name)
            } else if !units.contains(where: { $0.accounts.contains { $0.status == "ACTIVE" } }) {
                problems.append("OU \(name) has no active account")
                offenders.append(name)
            }
        }
        return problems.isEmpty
            ? .pass("required OUs exist with active accounts")
            : .fail(problems.joined(separator: "; "), resources: offenders)
    }
}

extension OrganizationTree {
    static let populated = OrganizationTree(
        roots: [
            OrganizationRoot(id: "r-root", policyTypes: ["SERVICE_CONTROL_POLICY": "ENABLED", "TAG_POLICY": "ENABLED"])
        ],
        units: [
            OrganizationalUnit(
                id: "ou-prod", name: "Production", parentId: "r-root",
                accounts: [OrganizationAccount(id: "111111111111", name: "prod")]),
            OrganizationalUnit(
                id: "ou-dev", name: "Development", parentId: "r-root",
                accounts: [OrganizationAccount(id: "222222222222", name: "dev")]),
            OrganizationalUnit(
                id: "ou-test", name: "Testing", parentId: "r-root",
                accounts: [OrganizationAccount(id: "333333333333", name: "test")]),
        ])
}
