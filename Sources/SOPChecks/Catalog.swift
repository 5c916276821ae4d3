/// Every check `sop` knows, in the SOP's order. Templates name checks by id.
///
/// A check is a file under `Checks/<Service>/`; adding one means adding it here too
/// (the catalog test fails on a check file that is not registered).
public enum CheckCatalog {
    public static let all: [Check] = [
        .iamRootMFAEnabled,
        .iamRootAccessKeysAbsent,
        .organizationsAllFeaturesEnabled,
        .organizationsRequiredOUsPopulated,
        .organizationsSCPsAttached,
        .iamGroupsRequiredWithMembers,
        .iamUserConsoleMFAEnabled,
        .iamPasswordPolicyStrong,
        .budgetsBillingAlertsConfigured,
        .iamBillingAccessAssigned,
        .cloudtrailMultiRegionLogging,
        .cloudtrailLogsEncryptedBucket,
        .configRecorderAllResources,
        .configRuleEncryptedVolumes,
        .guarddutyDetectorEnabled,
        .guarddutyFindingsNotified,
        .ec2VPCEnvironmentsSegmented,
        .ec2SecurityGroupAdminPortsRestricted,
        .ec2NetworkACLCustomRestrictive,
        .cloudwatchDashboardsPresent,
        .cloudwatchAlarmsActionable,
        .logsRetentionConfigured,
        .configRuleRequiredTags,
        .organizationsTagPolicyAttached,
        .ceCostAllocationTagsActive,
        .backupPlanWithSelection,
        .lambdaIncidentResponseWired,
        .snsAlertTopicSubscribed,
        .accountAlternateContactsSet,
        .s3AccountPublicAccessBlocked,
        .ec2EBSEncryptionByDefault,
    ]

    private static let byId: [String: Check] = Dictionary(
        all.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })

    public static func check(_ id: String) -> Check? { byId[id] }

    public static var ids: [String] { all.map(\.id) }

    /// The folder under `Checks/` that holds a service's checks.
    public static let serviceFolders: [String: String] = [
        "account": "Account", "backup": "Backup", "budgets": "Budgets", "ce": "CostExplorer",
        "cloudtrail": "CloudTrail", "cloudwatch": "CloudWatch", "config": "Config", "ec2": "EC2",
        "guardduty": "GuardDuty", "iam": "IAM", "lambda": "Lambda", "logs": "Logs",
        "organizations": "Organizations", "s3": "S3", "sns": "SNS",
    ]

    /// The IAM actions a set of checks needs, plus what every run needs, sorted and unique.
    public static func iamActions(for checks: [Check]) -> [String] {
        let calls = checks.flatMap(\.calls) + APICall.runPrerequisites
        return Array(Set(calls.flatMap(\.iamActions))).sorted()
    }

    /// A least-privilege IAM policy document (pretty-printed JSON, stable bytes) for `checks`.
    public static func iamPolicyJSON(for checks: [Check]) -> String {
        let actions = iamActions(for: checks).map { "        \"\($0)\"" }.joined(separator: ",\n")
        return """
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "SopReadOnlyVerification",
                  "Effect": "Allow",
                  "Action": [
            \(actions)
                  ],
                  "Resource": "*"
                }
              ]
            }

            """
    }
}
