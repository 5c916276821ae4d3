/// A unit of account data a fetcher gathers once (per region, or once for the
/// account), and that checks declare they need.
///
/// The calls a check makes are the union of its keys' calls, so a check's API list,
/// the least-privilege IAM policy and the fetch plan cannot drift apart.
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
    public var scope: Scope {
        switch self {
        case .configRecorders, .configRules, .guardDutyDetectors, .eventRules, .snsTopics, .vpcNetwork,
             .securityGroups, .networkAcls, .ebsEncryption, .dashboards, .alarms, .logGroups, .backupPlans,
             .lambdaFunctions:
            return .regional
        default:
            return .global
        }
    }

    /// The read-only operations gathering this data takes, in the order they are made.
    public var calls: [APICall] {
        switch self {
        case .iamAccountSummary: return [.iam("GetAccountSummary")]
        case .iamCredentialReport: return [.iam("GenerateCredentialReport"), .iam("GetCredentialReport")]
        case .iamPasswordPolicy: return [.iam("GetAccountPasswordPolicy")]
        case .iamAuthorizationDetails: return [.iam("GetAccountAuthorizationDetails")]
        case .organization: return [.organizations("DescribeOrganization")]
        case .organizationUnits:
            return [.organizations("ListRoots"), .organizations("ListOrganizationalUnitsForParent"),
                    .organizations("ListAccountsForParent")]
        case .organizationPolicies:
            return [.organizations("ListRoots"), .organizations("ListPolicies"), .organizations("ListTargetsForPolicy")]
        case .budgets:
            return [.budgets("DescribeBudgets"), .budgets("DescribeNotificationsForBudget"),
                    .budgets("DescribeSubscribersForNotification")]
        case .billingAlarms: return [.cloudwatch("DescribeAlarms")]
        case .trails:
            return [.cloudtrail("DescribeTrails"), .cloudtrail("GetTrailStatus"), .cloudtrail("GetEventSelectors")]
        case .trailBuckets:
            return [.cloudtrail("DescribeTrails"),
                    .s3("GetBucketEncryption"), .s3("GetPublicAccessBlock")]
        case .costAllocationTags: return [.ce("ListCostAllocationTags")]
        case .alternateContacts: return [.account("GetAlternateContact")]
        case .s3AccountPublicAccessBlock:
            return [.s3control("GetPublicAccessBlock")]
        case .configRecorders:
            return [.config("DescribeConfigurationRecorders"), .config("DescribeConfigurationRecorderStatus"),
                    .config("DescribeDeliveryChannels")]
        case .configRules: return [.config("DescribeConfigRules")]
        case .guardDutyDetectors: return [.guardduty("ListDetectors"), .guardduty("GetDetector")]
        case .eventRules: return [.events("ListRules"), .events("ListTargetsByRule")]
        case .snsTopics: return [.sns("ListTopics"), .sns("ListSubscriptions")]
        case .vpcNetwork:
            return [.ec2("DescribeVpcs"), .ec2("DescribeSubnets"), .ec2("DescribeRouteTables"),
                    .ec2("DescribeInternetGateways"), .ec2("DescribeNatGateways")]
        case .securityGroups: return [.ec2("DescribeSecurityGroups")]
        case .networkAcls: return [.ec2("DescribeNetworkAcls")]
        case .ebsEncryption: return [.ec2("GetEbsEncryptionByDefault"), .ec2("DescribeVolumes")]
        case .dashboards: return [.cloudwatch("ListDashboards")]
        case .alarms: return [.cloudwatch("DescribeAlarms")]
        case .logGroups: return [.logs("DescribeLogGroups")]
        case .backupPlans:
            return [.backup("ListBackupPlans"), .backup("GetBackupPlan"), .backup("ListBackupSelections")]
        case .lambdaFunctions: return [.lambda("ListFunctions"), .lambda("GetPolicy")]
        }
    }
}

/// Where a check (or a piece of data) applies: the account as a whole, or each region.
public enum Scope: String, Sendable, Codable {
    case global
    case regional
}
