/// The per-service fetchers, and which data each gathers. The runner starts one fetch per
/// service for the account-wide data it needs and one per service and region for the
/// regional data, all at once.
enum FetchGroup: CaseIterable, Sendable {
    case iam, organizations, budgets, costExplorer, cloudWatch, cloudTrail, account, s3Control
    case config, guardDuty, events, sns, lambda, ec2, logs, backup

    var keys: Set<DataKey> {
        switch self {
        case .iam: [.iamAccountSummary, .iamCredentialReport, .iamPasswordPolicy, .iamAuthorizationDetails]
        case .organizations: [.organization, .organizationUnits, .organizationPolicies]
        case .budgets: [.budgets]
        case .costExplorer: [.costAllocationTags]
        case .cloudWatch: [.billingAlarms, .dashboards, .alarms]
        case .cloudTrail: [.trails, .trailBuckets]
        case .account: [.alternateContacts]
        case .s3Control: [.s3AccountPublicAccessBlock]
        case .config: [.configRecorders, .configRules]
        case .guardDuty: [.guardDutyDetectors]
        case .events: [.eventRules]
        case .sns: [.snsTopics]
        case .lambda: [.lambdaFunctions]
        case .ec2: [.vpcNetwork, .securityGroups, .networkAcls, .ebsEncryption]
        case .logs: [.logGroups]
        case .backup: [.backupPlans]
        }
    }

    /// Its calls name the account (Budgets' `AccountId`, the S3 Control host): they wait for the
    /// caller identity when the account is not known yet.
    var needsAccountId: Bool { self == .budgets || self == .s3Control }

    /// Its account-wide data is read in the run's primary (first) region (CloudTrail's trail
    /// list): it waits for the region list when that is still being asked for.
    var needsPrimaryRegion: Bool { self == .cloudTrail }

    /// Fetches `keys` (all of one scope) for `region`; keys sharing calls are fetched together.
    func fetch(_ keys: Set<DataKey>, region: String, context: FetchContext) async -> [SnapshotPatch] {
        switch self {
        case .organizations: return await OrganizationsFetcher.fetch(keys, region: region, context: context)
        case .cloudTrail: return await CloudTrailFetcher.fetch(keys, region: region, context: context)
        default:
            return await withTaskGroup(of: SnapshotPatch.self) { group in
                for key in keys { group.addTask { await Self.fetch(key, region: region, context: context) } }
                var patches: [SnapshotPatch] = []
                for await patch in group { patches.append(patch) }
                return patches
            }
        }
    }

    /// One piece of data from its service's fetcher, as a patch for the snapshot.
    static func fetch(_ key: DataKey, region: String, context c: FetchContext) async -> SnapshotPatch {
        typealias F = FetchFailure
        switch key {
        case .iamAccountSummary:
            let v = await fetched { () async throws(F) in try await IAMFetcher.summary(c) }
            return { $0.iamAccountSummary = v }
        case .iamCredentialReport:
            let v = await fetched { () async throws(F) in try await IAMFetcher.credentialReport(c) }
            return { $0.iamCredentialReport = v }
        case .iamPasswordPolicy:
            let v = await fetched { () async throws(F) in try await IAMFetcher.passwordPolicy(c) }
            return { $0.iamPasswordPolicy = v }
        case .iamAuthorizationDetails:
            let v = await fetched { () async throws(F) in try await IAMFetcher.authorizationDetails(c) }
            return { $0.iamAuthorizationDetails = v }
        case .budgets:
            let v = await fetched { () async throws(F) in try await BudgetsFetcher.budgets(c) }
            return { $0.budgets = v }
        case .costAllocationTags:
            let v = await fetched { () async throws(F) in try await CostExplorerFetcher.costAllocationTags(c) }
            return { $0.costAllocationTags = v }
        case .billingAlarms:
            let v = await fetched { () async throws(F) in try await CloudWatchFetcher.alarms(region: "us-east-1", c) }
            return { $0.billingAlarms = v }
        case .dashboards:
            let v = await fetched { () async throws(F) in try await CloudWatchFetcher.dashboards(region: region, c) }
            return { $0.dashboards = v }
        case .alarms:
            let v = await fetched { () async throws(F) in try await CloudWatchFetcher.alarms(region: region, c) }
            return { $0.alarms = v }
        case .alternateContacts:
            let v = await fetched { () async throws(F) in try await AccountFetcher.alternateContacts(c) }
            return { $0.alternateContacts = v }
        case .s3AccountPublicAccessBlock:
            let v = await fetched { () async throws(F) in try await S3ControlFetcher.accountPublicAccessBlock(c) }
            return { $0.s3AccountPublicAccessBlock = v }
        case .configRecorders:
            let v = await fetched { () async throws(F) in try await ConfigFetcher.setup(region, c) }
            return { $0.configRecorders = v }
        case .configRules:
            let v = await fetched { () async throws(F) in try await ConfigFetcher.rules(region, c) }
            return { $0.configRules = v }
        case .guardDutyDetectors:
            let v = await fetched { () async throws(F) in try await GuardDutyFetcher.detectors(region, c) }
            return { $0.guardDutyDetectors = v }
        case .eventRules:
            let v = await fetched { () async throws(F) in try await EventsFetcher.rules(region, c) }
            return { $0.eventRules = v }
        case .snsTopics:
            let v = await fetched { () async throws(F) in try await SNSFetcher.topics(region, c) }
            return { $0.snsTopics = v }
        case .lambdaFunctions:
            let v = await fetched { () async throws(F) in try await LambdaFetcher.functions(region, c) }
            return { $0.lambdaFunctions = v }
        case .vpcNetwork:
            let v = await fetched { () async throws(F) in try await EC2Fetcher.network(region, c) }
            return { $0.vpcNetwork = v }
        case .securityGroups:
            let v = await fetched { () async throws(F) in try await EC2Fetcher.securityGroups(region, c) }
            return { $0.securityGroups = v }
        case .networkAcls:
            let v = await fetched { () async throws(F) in try await EC2Fetcher.networkAcls(region, c) }
            return { $0.networkAcls = v }
        case .ebsEncryption:
            let v = await fetched { () async throws(F) in try await EC2Fetcher.ebs(region, c) }
            return { $0.ebsEncryption = v }
        case .logGroups:
            let v = await fetched { () async throws(F) in try await LogsFetcher.logGroups(region, c) }
            return { $0.logGroups = v }
        case .backupPlans:
            let v = await fetched { () async throws(F) in try await BackupFetcher.backupPlans(region, c) }
            return { $0.backupPlans = v }
        case .organization, .organizationUnits, .organizationPolicies, .trails, .trailBuckets:
            // Fetched by their group (they share their first calls); nothing to add here.
            return { _ in }
        }
    }
}
