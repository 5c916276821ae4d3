/// The per-service fetchers. The runner starts one fetch per group for the account-wide
/// data it needs and one per group and region for the regional data, all at once.
///
/// Which data a group gathers is not listed here: each key names its group in
/// ``DataKey/declaration``.
enum FetchGroup: CaseIterable, Sendable {
    case iam, organizations, budgets, costExplorer, cloudWatch, cloudTrail, account, s3Control
    case config, guardDuty, events, sns, lambda, ec2, logs, backup

    /// The keys whose declaration names this group.
    var keys: Set<DataKey> { Self.members[self] ?? [] }

    private static let members: [FetchGroup: Set<DataKey>] = Dictionary(
        grouping: DataKey.allCases, by: { $0.declaration.group }
    ).mapValues(Set.init)

    /// Its calls name the account (Budgets' `AccountId`, the S3 Control host): they wait for the
    /// caller identity when the account is not known yet.
    var needsAccountId: Bool { self == .budgets || self == .s3Control }

    /// Its account-wide data is read in the run's primary (first) region (CloudTrail's trail
    /// list): it waits for the region list when that is still being asked for.
    var needsPrimaryRegion: Bool { self == .cloudTrail }

    /// Fetches `keys` (all of one scope, all of this group) for `region`. The answers are in
    /// the returned snapshot's fields for those keys; ``DataKey/merge(_:from:into:)`` copies
    /// them where they belong.
    func fetch(_ keys: Set<DataKey>, region: String, context: FetchContext) async -> Snapshot {
        var snapshot = Snapshot()
        for patch in await patches(keys, region: region, context: context) { patch(&snapshot) }
        return snapshot
    }

    private func patches(_ keys: Set<DataKey>, region: String, context: FetchContext) async -> [SnapshotPatch] {
        if let joint = await jointFetch(keys, region: region, context: context) { return joint }
        return await withTaskGroup(of: SnapshotPatch.self) { group in
            for key in keys {
                guard case .own(let fetch) = key.declaration.source else { continue }
                group.addTask { await fetch(region, context) }
            }
            var patches: [SnapshotPatch] = []
            for await patch in group { patches.append(patch) }
            return patches
        }
    }

    /// The group's joint fetcher, for groups whose keys share their first calls (declared
    /// with source ``DataDeclaration/Source/group``); nil for groups that fetch key by key.
    func jointFetch(_ keys: Set<DataKey>, region: String, context: FetchContext) async -> [SnapshotPatch]? {
        switch self {
        case .organizations: await OrganizationsFetcher.fetch(keys, region: region, context: context)
        case .cloudTrail: await CloudTrailFetcher.fetch(keys, region: region, context: context)
        default: nil
        }
    }
}
