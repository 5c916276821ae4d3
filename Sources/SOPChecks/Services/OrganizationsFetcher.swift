import AWSClient

/// Reads the organization: its feature set, the OU tree with member accounts, and the
/// service control and tag policies with their targets.
enum OrganizationsFetcher {
    static let region = "us-east-1"

    static func fetch(_ keys: Set<DataKey>, region _: String, context: FetchContext) async -> [SnapshotPatch] {
        var patches: [SnapshotPatch] = []
        async let organization: Fetched<OrganizationInfo?>? =
            keys.contains(.organization)
            ? fetched { () async throws(FetchFailure) in try await describe(context) } : nil
        if keys.contains(.organizationUnits) || keys.contains(.organizationPolicies) {
            // The policy listings need nothing from ListRoots: they go out with it. ListRoots
            // still decides whether the account is in an organization at all.
            async let scps: Fetched<[OrganizationPolicy]>? =
                keys.contains(.organizationPolicies)
                ? policies(of: "SERVICE_CONTROL_POLICY", context) : nil
            async let tags: Fetched<[OrganizationPolicy]>? =
                keys.contains(.organizationPolicies)
                ? policies(of: "TAG_POLICY", context) : nil
            let roots = await fetched { () async throws(FetchFailure) in try await listRoots(context) }
            async let tree: Fetched<OrganizationTree>? =
                keys.contains(.organizationUnits)
                ? fetched { () async throws(FetchFailure) in try await units(roots: roots.get(), context) } : nil
            if let tree = await tree { patches.append { $0.organizationUnits = tree } }
            if let scps = await scps, let tags = await tags {
                let policies: Fetched<OrganizationPolicies>
                do throws(FetchFailure) {
                    policies =
                        try roots.get() == nil
                        ? .value(OrganizationPolicies(inUse: false))
                        : .value(
                            OrganizationPolicies(serviceControlPolicies: try scps.get(), tagPolicies: try tags.get()))
                } catch {
                    policies = .failed(error)
                }
                patches.append { $0.organizationPolicies = policies }
            }
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
            return OrganizationInfo(
                id: org["Id"]?.string ?? "", featureSet: org["FeatureSet"]?.string ?? "",
                masterAccountId: org["MasterAccountId"]?.string ?? "")
        } catch  where isNotInUse(error) {
            return nil
        }
    }

    /// The roots with their policy types, and the depth of the call that read them; nil when not in an organization.
    static func listRoots(_ context: FetchContext) async throws(FetchFailure) -> (
        roots: [OrganizationRoot], depth: Int
    )? {
        do {
            let (pages, depth) = try await context.jsonPages(.organizations, "ListRoots", region: region, followUps: 2)
            let roots = pages.flatMap { $0["Roots"]?.elements ?? [] }.map { root in
                OrganizationRoot(
                    id: root["Id"]?.string ?? "",
                    policyTypes: Dictionary(
                        (root["PolicyTypes"]?.elements ?? []).compactMap { type in
                            type["Type"]?.string.map { ($0, type["Status"]?.string ?? "") }
                        }, uniquingKeysWith: { a, _ in a }))
            }
            return (roots, depth)
        } catch  where isNotInUse(error) {
            return nil
        }
    }

    /// Walks the OU tree: each OU's child OUs and accounts are asked for as soon as the OU is
    /// known (no level waits for another's accounts). Units come out level by level, each
    /// level in its parents' order, as a breadth-first walk lists them.
    static func units(roots: (roots: [OrganizationRoot], depth: Int)?, _ context: FetchContext)
        async throws(FetchFailure) -> OrganizationTree
    {
        guard let roots else { return .notInUse }
        let found = try await concurrently(Array(roots.roots.enumerated())) { entry throws(FetchFailure) in
            try await subtree(of: entry.element.id, path: [entry.offset], after: roots.depth, context)
        }.flatMap { $0 }
        let ordered = found.sorted { a, b in
            a.path.count != b.path.count ? a.path.count < b.path.count : a.path.lexicographicallyPrecedes(b.path)
        }
        return OrganizationTree(roots: roots.roots, units: ordered.prefix(5000).map(\.unit))
    }

    /// The OUs below `parent`, each with its accounts, and theirs below them. `path` places
    /// each unit in breadth-first order (AWS nests OUs at most five deep; the walk stops at 20).
    private static func subtree(of parent: String, path: [Int], after depth: Int, _ context: FetchContext)
        async throws(FetchFailure) -> [(path: [Int], unit: OrganizationalUnit)]
    {
        guard path.count <= 20 else { return [] }
        let (pages, childDepth) = try await context.jsonPages(
            .organizations, "ListOrganizationalUnitsForParent",
            ["ParentId": .string(parent)], region: region, after: depth,
            followUps: 1)
        let children = pages.flatMap { $0["OrganizationalUnits"]?.elements ?? [] }.map { ou in
            OrganizationalUnit(id: ou["Id"]?.string ?? "", name: ou["Name"]?.string ?? "", parentId: parent)
        }
        let below = try await concurrently(Array(children.enumerated())) { entry throws(FetchFailure) in
            let childPath = path + [entry.offset]
            async let accounts = fetched { () async throws(FetchFailure) -> [OrganizationAccount] in
                let (pages, _) = try await context.jsonPages(
                    .organizations, "ListAccountsForParent",
                    ["ParentId": .string(entry.element.id)], region: region,
                    after: childDepth)
                return pages.flatMap { $0["Accounts"]?.elements ?? [] }.map {
                    OrganizationAccount(
                        id: $0["Id"]?.string ?? "", name: $0["Name"]?.string ?? "", status: $0["Status"]?.string ?? "")
                }
            }
            async let grandchildren = fetched { () async throws(FetchFailure) in
                try await subtree(of: entry.element.id, path: childPath, after: childDepth, context)
            }
            var unit = entry.element
            unit.accounts = try await accounts.get()
            return [(path: childPath, unit: unit)] + (try await grandchildren.get())
        }
        return below.flatMap { $0 }
    }

    static func policies(of type: String, _ context: FetchContext) async -> Fetched<[OrganizationPolicy]> {
        await fetched { () async throws(FetchFailure) in
            let listed = try await recovering(
                ([], 0),
                when: {
                    $0.code.contains("PolicyTypeNotEnabled") || $0.code.contains("PolicyTypeNotAvailable")
                }
            ) { () async throws(FetchFailure) -> ([JSONValue], Int) in
                try await context.jsonPages(
                    .organizations, "ListPolicies", ["Filter": .string(type)], region: region,
                    followUps: 1)
            }
            let summaries = listed.0.flatMap { $0["Policies"]?.elements ?? [] }
            return try await concurrently(summaries) { summary throws(FetchFailure) in
                let id = summary["Id"]?.string ?? ""
                let (pages, _) = try await context.jsonPages(
                    .organizations, "ListTargetsForPolicy", ["PolicyId": .string(id)],
                    region: region, after: listed.1)
                return OrganizationPolicy(
                    id: id, name: summary["Name"]?.string ?? id,
                    awsManaged: summary["AwsManaged"]?.bool ?? false,
                    targets: pages.flatMap { $0["Targets"]?.elements ?? [] }.compactMap { $0["TargetId"]?.string })
            }
        }
    }
}
