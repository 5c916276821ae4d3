/// Everything the fetchers gathered for one scope: the account-wide data, plus (in a
/// regional snapshot) one region's data. Checks read it and never call AWS.
///
/// Every field starts as `.notFetched`; a check that reads a field the plan did not fetch
/// reports `error`, never `pass`.
///
/// Each field is where one ``DataKey``'s answer lands; the key's declaration names it
/// (`DataKey.declare()`), and merging and ``overlaying(regional:)`` go through that entry.
public struct Snapshot: Sendable, Equatable, Codable {
    // Account-wide.
    public var iamAccountSummary: Fetched<IAMAccountSummary> = .notFetched
    public var iamCredentialReport: Fetched<CredentialReport> = .notFetched
    /// nil: no password policy is set (`NoSuchEntity`).
    public var iamPasswordPolicy: Fetched<IAMPasswordPolicy?> = .notFetched
    public var iamAuthorizationDetails: Fetched<IAMAuthorizationDetails> = .notFetched
    /// nil: the account is in no organization.
    public var organization: Fetched<OrganizationInfo?> = .notFetched
    public var organizationUnits: Fetched<OrganizationTree> = .notFetched
    public var organizationPolicies: Fetched<OrganizationPolicies> = .notFetched
    public var budgets: Fetched<[Budget]> = .notFetched
    /// Metric alarms in us-east-1, where the billing metric lives.
    public var billingAlarms: Fetched<[MetricAlarm]> = .notFetched
    public var trails: Fetched<[Trail]> = .notFetched
    public var trailBuckets: Fetched<[BucketSecurity]> = .notFetched
    public var costAllocationTags: Fetched<CostAllocationTags> = .notFetched
    public var alternateContacts: Fetched<AlternateContacts> = .notFetched
    /// nil: no account-level configuration.
    public var s3AccountPublicAccessBlock: Fetched<PublicAccessBlock?> = .notFetched

    // One region.
    public var configRecorders: Fetched<ConfigSetup> = .notFetched
    public var configRules: Fetched<[ConfigRule]> = .notFetched
    public var guardDutyDetectors: Fetched<[GuardDutyDetector]> = .notFetched
    public var eventRules: Fetched<[EventRule]> = .notFetched
    public var snsTopics: Fetched<SNSTopics> = .notFetched
    public var vpcNetwork: Fetched<VPCNetwork> = .notFetched
    public var securityGroups: Fetched<[SecurityGroup]> = .notFetched
    public var networkAcls: Fetched<[NetworkACL]> = .notFetched
    public var ebsEncryption: Fetched<EBSEncryption> = .notFetched
    public var dashboards: Fetched<[String]> = .notFetched
    public var alarms: Fetched<[MetricAlarm]> = .notFetched
    public var logGroups: Fetched<[LogGroup]> = .notFetched
    public var backupPlans: Fetched<[BackupPlan]> = .notFetched
    public var lambdaFunctions: Fetched<[LambdaFunction]> = .notFetched

    public init() {}

    /// Builds a snapshot in place: `Snapshot { $0.budgets = .value([]) }`.
    public init(_ build: (inout Snapshot) -> Void) {
        build(&self)
    }

    /// The regional fields of `regional` laid over this (account-wide) snapshot: every key
    /// declared regional (``DataKey/declaration``), fetched or not.
    public func overlaying(regional: Snapshot) -> Snapshot {
        var merged = self
        DataKey.merge(DataKey.regional, from: regional, into: &merged)
        return merged
    }
}
