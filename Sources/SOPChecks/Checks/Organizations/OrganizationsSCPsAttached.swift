extension Check {
    /// Custom service control policies are defined and govern every environment OU.
    static let organizationsSCPsAttached = Check(
        id: "organizations_scps_attached",
        title: "SCPs attached to the OUs",
        items: ["scp.define", "scp.attach"],
        scope: .global,
        needs: [.organizationUnits, .organizationPolicies],
        criterion: "The SCP policy type is ENABLED on the root; ≥ 1 custom SCP (not AWS managed) exists; every OU of "
            + "`required_ous` has a custom SCP attached to it, a parent OU or the root; no custom SCP is left unattached.",
        parameters: [
            CheckParameter(
                "required_ous", default: .list(["Production", "Development", "Testing"]), "OUs that must be governed")
        ],
        examples: [
            CheckExample(
                "SCP on the root", .pass,
                snapshot: Snapshot {
                    $0.organizationUnits = .value(.populated)
                    $0.organizationPolicies = .value(
                        OrganizationPolicies(serviceControlPolicies: [
                            OrganizationPolicy(
                                id: "p-FullAWSAccess", name: "FullAWSAccess", awsManaged: true, targets: ["r-root"]),
                            OrganizationPolicy(id: "p-deny", name: "DenyLeaveOrg", targets: ["r-root"]),
                        ]))
                }),
            CheckExample(
                "only the AWS managed SCP", .fail,
                snapshot: Snapshot {
                    $0.organizationUnits = .value(.populated)
                    $0.organizationPolicies = .value(
                        OrganizationPolicies(serviceControlPolicies: [
                            OrganizationPolicy(
                                id: "p-FullAWSAccess", name: "FullAWSAccess", awsManaged: true, targets: ["r-root"])
                        ]))
                }),
            CheckExample(
                "Testing OU ungoverned, one SCP unattached", .fail, resources: ["Testing", "p-spare"],
                snapshot: Snapshot {
                    $0.organizationUnits = .value(.populated)
                    $0.organizationPolicies = .value(
                        OrganizationPolicies(serviceControlPolicies: [
                            OrganizationPolicy(id: "p-deny", name: "DenyRegions", targets: ["ou-prod", "ou-dev"]),
                            OrganizationPolicy(id: "p-spare", name: "Spare", targets: []),
                        ]))
                }),
        ]
    ) { input throws(FetchFailure) in
        let tree = try input.snapshot.organizationUnits.get("organizations:ListRoots")
        let policies = try input.snapshot.organizationPolicies.get("organizations:ListPolicies")
        guard tree.inUse, policies.inUse else { return .fail("the account is not in an organization") }
        var problems: [String] = []
        var offenders: [String] = []
        if !tree.roots.contains(where: { $0.enabled("SERVICE_CONTROL_POLICY") }) {
            problems.append("the SCP policy type is not enabled on the root")
            offenders.append(contentsOf: tree.roots.map(\.id))
        }
        let custom = policies.serviceControlPolicies.filter { !$0.awsManaged }
        if custom.isEmpty {
            return .fail((problems + ["no custom SCP is defined"]).joined(separator: "; "), resources: offenders)
        }
        let attachedTargets = Set(custom.flatMap(\.targets))
        let unitsById = Dictionary(tree.units.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        func governed(_ unit: OrganizationalUnit) -> Bool {
            var current: String? = unit.id
            var seen: Set<String> = []
            while let id = current, !seen.contains(id) {
                if attachedTargets.contains(id) { return true }
                seen.insert(id)
                current = unitsById[id]?.parentId
            }
            return false
        }
        for name in try input.list("required_ous") {
            let units = tree.units.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }
            if units.isEmpty || !units.allSatisfy(governed) {
                problems.append("OU \(name) has no custom SCP")
                offenders.append(name)
            }
        }
        for policy in custom where policy.targets.isEmpty {
            problems.append("SCP \(policy.name) is not attached")
            offenders.append(policy.id)
        }
        return problems.isEmpty
            ? .pass("\(custom.count) custom SCPs govern the required OUs")
            : .fail(problems.joined(separator: "; "), resources: offenders)
    }
}
