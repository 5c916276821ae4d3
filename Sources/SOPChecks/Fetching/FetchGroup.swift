/// The fetchers, and which data each gathers. One group runs once for the account
/// (global) or once per verified region.
enum FetchGroup: CaseIterable, Sendable {
    case iam, organizations, billing, cloudTrail, account
    case config, detection, ec2, operations

    var keys: Set<DataKey> {
        switch self {
        case .iam: IAMFetcher.keys
        case .organizations: OrganizationsFetcher.keys
        case .billing: BillingFetcher.keys
        case .cloudTrail: CloudTrailFetcher.keys
        case .account: AccountFetcher.keys
        case .config: ConfigFetcher.keys
        case .detection: DetectionFetcher.keys
        case .ec2: EC2Fetcher.keys
        case .operations: OperationsFetcher.keys
        }
    }

    var scope: Scope {
        switch self {
        case .iam, .organizations, .billing, .cloudTrail, .account: .global
        case .config, .detection, .ec2, .operations: .regional
        }
    }

    func fetch(_ keys: Set<DataKey>, region: String, context: FetchContext) async -> [SnapshotPatch] {
        switch self {
        case .iam: await IAMFetcher.fetch(keys, region: region, context: context)
        case .organizations: await OrganizationsFetcher.fetch(keys, region: region, context: context)
        case .billing: await BillingFetcher.fetch(keys, region: region, context: context)
        case .cloudTrail: await CloudTrailFetcher.fetch(keys, region: region, context: context)
        case .account: await AccountFetcher.fetch(keys, region: region, context: context)
        case .config: await ConfigFetcher.fetch(keys, region: region, context: context)
        case .detection: await DetectionFetcher.fetch(keys, region: region, context: context)
        case .ec2: await EC2Fetcher.fetch(keys, region: region, context: context)
        case .operations: await OperationsFetcher.fetch(keys, region: region, context: context)
        }
    }
}
