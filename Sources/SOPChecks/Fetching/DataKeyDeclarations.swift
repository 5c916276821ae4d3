extension DataKey {
    /// The one place a piece of fetched data is declared: its scope, its calls, the fetch group
    /// that gathers it, the ``Snapshot`` field it lands in, and (unless its group fetches it
    /// jointly) the fetcher function that reads it. Group membership, merging and the regional
    /// overlay are derived from these entries, and `FetchedDataTests` fetches every group
    /// to prove each key lands in its field.
    ///
    /// To add a piece of data: add a case to ``DataKey``, a `Fetched<…>` field to ``Snapshot``,
    /// a fetcher function in `Services/<Service>Fetcher.swift` (its model in `Snapshots/`), and
    /// an entry here naming all of them (the switch does not compile until it has one). A new
    /// group also needs a ``FetchGroup`` case. Every call must be on the client's allowlist.
    func declare() -> DataDeclaration {
        switch self {
        // IAM: account-wide, read in us-east-1.
        case .iamAccountSummary:
            .key(
                .global, group: .iam, calls: [.iam("GetAccountSummary")],
                field: \.iamAccountSummary
            ) { _, c throws(FetchFailure) in
                try await IAMFetcher.summary(c)
            }
        case .iamCredentialReport:
            .key(
                .global, group: .iam, calls: [.iam("GenerateCredentialReport"), .iam("GetCredentialReport")],
                field: \.iamCredentialReport
            ) { _, c throws(FetchFailure) in
                try await IAMFetcher.credentialReport(c)
            }
        case .iamPasswordPolicy:
            .key(
                .global, group: .iam, calls: [.iam("GetAccountPasswordPolicy")],
                field: \.iamPasswordPolicy
            ) { _, c throws(FetchFailure) in
                try await IAMFetcher.passwordPolicy(c)
            }
        case .iamAuthorizationDetails:
            .key(
                .global, group: .iam, calls: [.iam("GetAccountAuthorizationDetails")],
                field: \.iamAuthorizationDetails
            ) { _, c throws(FetchFailure) in
                try await IAMFetcher.authorizationDetails(c)
            }

        // Organizations: the three share ListRoots, so OrganizationsFetcher reads them together.
        case .organization:
            .key(
                .global, group: .organizations, calls: [.organizations("DescribeOrganization")],
                field: \.organization)
        case .organizationUnits:
            .key(
                .global, group: .organizations,
                calls: [
                    .organizations("ListRoots"), .organizations("ListOrganizationalUnitsForParent"),
                    .organizations("ListAccountsForParent"),
                ],
                field: \.organizationUnits)
        case .organizationPolicies:
            .key(
                .global, group: .organizations,
                calls: [
                    .organizations("ListRoots"), .organizations("ListPolicies"),
                    .organizations("ListTargetsForPolicy"),
                ],
                field: \.organizationPolicies)

        // Billing and account settings.
        case .budgets:
            .key(
                .global, group: .budgets,
                calls: [
                    .budgets("DescribeBudgets"), .budgets("DescribeNotificationsForBudget"),
                    .budgets("DescribeSubscribersForNotification"),
                ],
                field: \.budgets
            ) { _, c throws(FetchFailure) in
                try await BudgetsFetcher.budgets(c)
            }
        case .billingAlarms:
            // The billing metric lives in us-east-1, whatever regions are verified.
            .key(
                .global, group: .cloudWatch, calls: [.cloudwatch("DescribeAlarms")],
                field: \.billingAlarms
            ) { _, c throws(FetchFailure) in
                try await CloudWatchFetcher.alarms(region: "us-east-1", c)
            }
        case .costAllocationTags:
            .key(
                .global, group: .costExplorer, calls: [.ce("ListCostAllocationTags")],
                field: \.costAllocationTags
            ) { _, c throws(FetchFailure) in
                try await CostExplorerFetcher.costAllocationTags(c)
            }
        case .alternateContacts:
            .key(
                .global, group: .account, calls: [.account("GetAlternateContact")],
                field: \.alternateContacts
            ) { _, c throws(FetchFailure) in
                try await AccountFetcher.alternateContacts(c)
            }
        case .s3AccountPublicAccessBlock:
            .key(
                .global, group: .s3Control, calls: [.s3control("GetPublicAccessBlock")],
                field: \.s3AccountPublicAccessBlock
            ) { _, c throws(FetchFailure) in
                try await S3ControlFetcher.accountPublicAccessBlock(c)
            }

        // CloudTrail: both share DescribeTrails, so CloudTrailFetcher reads them together.
        case .trails:
            .key(
                .global, group: .cloudTrail,
                calls: [
                    .cloudtrail("DescribeTrails"), .cloudtrail("GetTrailStatus"),
                    .cloudtrail("GetEventSelectors"),
                ],
                field: \.trails)
        case .trailBuckets:
            .key(
                .global, group: .cloudTrail,
                calls: [.cloudtrail("DescribeTrails"), .s3("GetBucketEncryption"), .s3("GetPublicAccessBlock")],
                field: \.trailBuckets)

        // Regional: fetched once in each verified region.
        case .configRecorders:
            .key(
                .regional, group: .config,
                calls: [
                    .config("DescribeConfigurationRecorders"), .config("DescribeConfigurationRecorderStatus"),
                    .config("DescribeDeliveryChannels"),
                ],
                field: \.configRecorders
            ) { region, c throws(FetchFailure) in
                try await ConfigFetcher.setup(region, c)
            }
        case .configRules:
            .key(
                .regional, group: .config, calls: [.config("DescribeConfigRules")],
                field: \.configRules
            ) { region, c throws(FetchFailure) in
                try await ConfigFetcher.rules(region, c)
            }
        case .guardDutyDetectors:
            .key(
                .regional, group: .guardDuty, calls: [.guardduty("ListDetectors"), .guardduty("GetDetector")],
                field: \.guardDutyDetectors
            ) { region, c throws(FetchFailure) in
                try await GuardDutyFetcher.detectors(region, c)
            }
        case .eventRules:
            .key(
                .regional, group: .events, calls: [.events("ListRules"), .events("ListTargetsByRule")],
                field: \.eventRules
            ) { region, c throws(FetchFailure) in
                try await EventsFetcher.rules(region, c)
            }
        case .snsTopics:
            .key(
                .regional, group: .sns, calls: [.sns("ListTopics"), .sns("ListSubscriptions")],
                field: \.snsTopics
            ) { region, c throws(FetchFailure) in
                try await SNSFetcher.topics(region, c)
            }
        case .vpcNetwork:
            .key(
                .regional, group: .ec2,
                calls: [
                    .ec2("DescribeVpcs"), .ec2("DescribeSubnets"), .ec2("DescribeRouteTables"),
                    .ec2("DescribeInternetGateways"), .ec2("DescribeNatGateways"),
                ],
                field: \.vpcNetwork
            ) { region, c throws(FetchFailure) in
                try await EC2Fetcher.network(region, c)
            }
        case .securityGroups:
            .key(
                .regional, group: .ec2, calls: [.ec2("DescribeSecurityGroups")],
                field: \.securityGroups
            ) { region, c throws(FetchFailure) in
                try await EC2Fetcher.securityGroups(region, c)
            }
        case .networkAcls:
            .key(
                .regional, group: .ec2, calls: [.ec2("DescribeNetworkAcls")],
                field: \.networkAcls
            ) { region, c throws(FetchFailure) in
                try await EC2Fetcher.networkAcls(region, c)
            }
        case .ebsEncryption:
            .key(
                .regional, group: .ec2, calls: [.ec2("GetEbsEncryptionByDefault"), .ec2("DescribeVolumes")],
                field: \.ebsEncryption
            ) { region, c throws(FetchFailure) in
                try await EC2Fetcher.ebs(region, c)
            }
        case .dashboards:
            .key(
                .regional, group: .cloudWatch, calls: [.cloudwatch("ListDashboards")],
                field: \.dashboards
            ) { region, c throws(FetchFailure) in
                try await CloudWatchFetcher.dashboards(region: region, c)
            }
        case .alarms:
            .key(
                .regional, group: .cloudWatch, calls: [.cloudwatch("DescribeAlarms")],
                field: \.alarms
            ) { region, c throws(FetchFailure) in
                try await CloudWatchFetcher.alarms(region: region, c)
            }
        case .logGroups:
            .key(
                .regional, group: .logs, calls: [.logs("DescribeLogGroups")],
                field: \.logGroups
            ) { region, c throws(FetchFailure) in
                try await LogsFetcher.logGroups(region, c)
            }
        case .backupPlans:
            .key(
                .regional, group: .backup,
                calls: [.backup("ListBackupPlans"), .backup("GetBackupPlan"), .backup("ListBackupSelections")],
                field: \.backupPlans
            ) { region, c throws(FetchFailure) in
                try await BackupFetcher.backupPlans(region, c)
            }
        case .lambdaFunctions:
            .key(
                .regional, group: .lambda, calls: [.lambda("ListFunctions"), .lambda("GetPolicy")],
                field: \.lambdaFunctions
            ) { region, c throws(FetchFailure) in
                try await LambdaFetcher.functions(region, c)
            }
        }
    }
}
