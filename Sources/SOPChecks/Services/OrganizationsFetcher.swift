import AWSClient

/// Reads the organization: its feature set, the OU tree with member accounts, and the
/// service control and tag policies with their targets.
enum OrganizationsFetcher {
    static let region = "us-east-1"

    static func fetch(_ keys: Set<DataKey>, region _: String, context: FetchContext) async -> [SnapshotPatch] {
        var patches: [SnapshotPatch] = []
        async let organization: Fetched<OrganizationInfo?>? = keys.contains(.organization)
            ? fetched { () async throws(FetchFailure) in try await describe(context) } : nil
        if keys.contains(.organizationUnits) || keys.contains(.organizationPolicies) {
            let roots = await fetched { () async throws(FetchFailure) in try await listRoots(context) }
            async let tree: Fetched<OrganizationTree>? = keys.contains(.organizationUnits)
                ? fetched { () async throws(FetchFailure) in try await units(roots: roots.get(), context) } : nil
            async let policiesValue: Fetched<OrganizationPolicies>? = keys.contains(.organizationPolicies)
                ? fetched { () async throws(FetchFailure) in try await policies(roots: roots.get(), context) } : nil
            if let tree = await tree { patches.append { $0.organizationUnits = tree } }
            if let policies = await policiesValue { patches.append { $0.organizationPolicies = policies } }
        }
        if let organization = await organization { patches.append { $0.organization = organization } }
        return patches
    }

    static func isNotInUse(_ failure: FetchFailure) -> Bool {
        failure.code.contains("AWSOrganizationsNotInUse")
    }

    static func describe(_ context: FetchContext) async throws(FetchFailure) -> OrganizationInfo? {
        do {
            let (result, _) = try await context.json(.organizations, "DescribeOrganization", region: region)
            guard let org = result["Organization"] else { return nil }
            return OrganizationInfo(id: org["Id"]?.string ?? "", featureSet: org["FeatureSet"]?.string ?? "",
                                    masterAccountId: org["MasterAccountId"]?.string ?? "")
        } catch where isNotInUse(error) {
            return nil
        }
    }

    /// The roots with their policy types, and the depth of the call that read them; nil when not in an organization.
    static func listRoots(_ context: FetchContext) async throws(FetchFailure) -> (roots: [OrganizationRoot], depth: Int)? {
        do {
            let (pages, depth) = try await context.jsonPages(.organizations, "ListRoots", region: region)
            let roots = pages.flatMap { $0["Roots"]?.elements ?? [] }.map { root in
                OrganizationRoot(id: root["Id"]?.string ?? "", policyTypes: Dictionary(
                    (root["PolicyTypes"]?.elements ?? []).compactMap { type in
                        type["Type"]?.string.map { ($0, type["Status"]?.string ?? "") }
                    }, uniquingKeysWith: { a, _ in a }))
            }
            return (roots, depth)
        } catch where isNotInUse(error) {
            return nil
        }
    }

    /// Walks the OU tree level by level (each level's parents concurrently) and reads each OU's accounts.
    static func units(roots: (roots: [OrganizationRoot], depth: Int)?, _ context: FetchContext)
        async throws(FetchFailure) -> OrganizationTree {
        guard let roots else { return .notInUse }
        var units: [OrganizationalUnit] = []
        var level: [(parent: String, depth: Int)] = roots.roots.map { ($0.id, roots.depth) }
        while !level.isEmpty, units.count < 5000 {
            let children = try await concurrently(level) { entry throws(FetchFailure) in
                let (pages, depth) = try await context.jsonPages(.organizations, "ListOrganizationalUnitsForParent",
                                                                 ["ParentId": .string(entry.parent)], region: region, after: entry.depth)
                return pages.flatMap { $0["OrganizationalUnits"]?.elements ?? [] }.map { ou in
                    (unit: OrganizationalUnit(id: ou["Id"]?.string ?? "", name: ou["Name"]?.string ?? "", parentId: entry.parent),
                     depth: depth)
                }
            }.flatMap { $0 }
            let withAccounts = try await concurrently(children) { child throws(FetchFailure) in
                let (pages, _) = try await context.jsonPages(.organizations, "ListAccountsForParent",
                                                             ["ParentId": .string(child.unit.id)], region: region, after: child.depth)
                var unit = child.unit
                unit.accounts = pages.flatMap { $0["Accounts"]?.elements ?? [] }.map {
                    OrganizationAccount(id: $0["Id"]?.string ?? "", name: $0["Name"]?.string ?? "", status: $0["Status"]?.string ?? "")
                }
                return unit
            }
            units += withAccounts
            level = children.map { ($0.unit.id, $0.depth) }
        }
        return OrganizationTree(roots: roots.roots, units: units)
    }

    static func policies(roots: (roots: [OrganizationRoot], depth: Int)?, _ context: FetchContext)
        async throws(FetchFailure) -> OrganizationPolicies {
        guard roots != nil else { return OrganizationPolicies(inUse: false) }
        async let scps = policies(of: "SERVICE_CONTROL_POLICY", context)
        async let tags = policies(of: "TAG_POLICY", context)
        let (s, t) = await (scps, tags)
        return OrganizationPolicies(serviceControlPolicies: try s.get(), tagPolicies: try t.get())
    }

    static func policies(of type: String, _ context: FetchContext) async -> Fetched<[OrganizationPolicy]> {
        await fetched { () async throws(FetchFailure) in
            let listed = try await recovering(([], 0), when: {
                $0.code.contains("PolicyTypeNotEnabled") || $0.code.contains("PolicyTypeNotAvailable")
            }) { () async throws(FetchFailure) -> ([JSONValue], Int) in
                try await context.jsonPages(.organizations, "ListPolicies", ["Filter": .string(type)], region: region)
            }
            let summaries = listed.0.flatMap { $0["Policies"]?.elements ?? [] }
            return try await concurrently(summaries) { summary throws(FetchFailure) in
                let id = summary["Id"]?.string ?? ""
                let (pages, _) = try await context.jsonPages(.organizations, "ListTargetsForPolicy", ["PolicyId": .string(id)],
                                                             region: region, after: listed.1)
                return OrganizationPolicy(id: id, name: summary["Name"]?.string ?? id,
                                          awsManaged: summary["AwsManaged"]?.bool ?? false,
                                          targets: pages.flatMap { $0["Targets"]?.elements ?? [] }.compactMap { $0["TargetId"]?.string })
            }
        }
    }
}
