/// A unit of account data a fetcher gathers once (per region, or once for the
/// account), and that checks declare they need.
///
/// The calls a check makes are the union of its keys' calls, so a check's API list,
/// the least-privilege IAM policy and the fetch plan cannot drift apart. Each case is
/// declared (scope, calls, fetch group, snapshot field) in `declare()`, in
/// `Fetching/DataKeyDeclarations.swift`, which also says how to add one.
public enum DataKey: String, Sendable, CaseIterable, Codable, Comparable {
    // Global (fetched once per run).
    case iamAccountSummary, iamCredentialReport, iamPasswordPolicy,
        iamAuthorizationDetails
    case organization, organizationUnits, organizationPolicies
    case budgets, billingAlarms
    case trails, trailBuckets
    case costAllocationTags, alternateContacts, s3AccountPublicAccessBlock
    // Regional (fetched once in each verified region).
    case configRecorders, configRules, guardDutyDetectors, eventRules, snsTopics
    case vpcNetwork, securityGroups, networkAcls, ebsEncryption
    case dashboards, alarms, logGroups, backupPlans, lambdaFunctions

    public static func < (lhs: DataKey, rhs: DataKey) -> Bool {
        (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
    }

    /// Whether the data describes the whole account or one region.
    public var scope: Scope { declaration.scope }

    /// The read-only operations gathering this data takes, in the order they are made.
    public var calls: [APICall] { declaration.calls }

    /// The key's entry in ``declarations`` (which holds every case: it is built from `allCases`).
    var declaration: DataDeclaration { Self.declarations[self]! }

    /// Every key's declaration, built once from ``declare()``.
    static let declarations: [DataKey: DataDeclaration] = Dictionary(
        uniqueKeysWithValues: allCases.map { ($0, $0.declare()) })

    /// The keys read once in each region, in declaration order.
    static let regional: [DataKey] = allCases.filter { $0.scope == .regional }

    /// Copies the fields of `keys` from `source` (a group's answers, a region's data) into `target`.
    static func merge(_ keys: some Sequence<DataKey>, from source: Snapshot, into target: inout Snapshot) {
        for key in keys { key.declaration.merge(source, &target) }
    }
}

/// Where a check (or a piece of data) applies: the account as a whole, or each region.
public enum Scope: String, Sendable, Codable {
    case global
    case regional
}
