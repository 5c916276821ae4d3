import Foundation

/// The wire protocol a service speaks (from botocore's service models).
public enum WireProtocol: String, Sendable {
    /// `Action=…&Version=…` form POST, XML response (IAM, STS, SNS).
    case query
    /// Query request, EC2-style XML response (no `<…Result>` wrapper, lists in `<item>`).
    case ec2
    /// JSON 1.0 / 1.1 RPC with `X-Amz-Target`.
    case json
    /// REST with JSON bodies (GuardDuty, Backup, Lambda, Account).
    case restJSON
    /// REST with XML bodies (S3, S3 Control).
    case restXML
}

/// The services the read-only client talks to, with what signing and routing need.
///
/// Values come from botocore 1.43's `service-2.json` metadata (Documentation/aws-checks.md §2).
public enum AWSService: String, Sendable, CaseIterable, Hashable, Codable {
    case iam, sts, organizations, budgets
    case costExplorer = "ce"
    case account
    case cloudwatch, logs, cloudtrail, config, guardduty, events, sns, ec2
    case s3, s3control, backup, lambda
    case tagging = "resourcegroupstaggingapi"
    case kms

    /// botocore's client name (`boto3.client(name)`), also the raw value.
    public var clientName: String { rawValue }

    /// The model's `serviceId`; the endpoint override variable is derived from it.
    public var serviceId: String {
        switch self {
        case .iam: "IAM"
        case .sts: "STS"
        case .organizations: "Organizations"
        case .budgets: "Budgets"
        case .costExplorer: "Cost Explorer"
        case .account: "Account"
        case .cloudwatch: "CloudWatch"
        case .logs: "CloudWatch Logs"
        case .cloudtrail: "CloudTrail"
        case .config: "Config Service"
        case .guardduty: "GuardDuty"
        case .events: "EventBridge"
        case .sns: "SNS"
        case .ec2: "EC2"
        case .s3: "S3"
        case .s3control: "S3 Control"
        case .backup: "Backup"
        case .lambda: "Lambda"
        case .tagging: "Resource Groups Tagging API"
        case .kms: "KMS"
        }
    }

    /// `AWS_ENDPOINT_URL_<SERVICE>`: the serviceId upper-cased, spaces and hyphens as `_`
    /// (botocore's `ConfiguredEndpointProvider`), e.g. `AWS_ENDPOINT_URL_CLOUDWATCH_LOGS`.
    public var endpointEnvironmentVariable: String {
        "AWS_ENDPOINT_URL_"
            + serviceId.uppercased().replacingOccurrences(of: " ", with: "_")
            .replacingOccurrences(of: "-", with: "_")
    }

    /// The key in a `[services x]` config section: the serviceId lower-cased with `_`.
    public var configSectionKey: String {
        serviceId.lowercased().replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: "-", with: "_")
    }

    public var wireProtocol: WireProtocol {
        switch self {
        case .iam, .sts, .sns: .query
        case .ec2: .ec2
        case .organizations, .budgets, .costExplorer, .cloudwatch, .logs, .cloudtrail, .config, .events,
            .tagging, .kms:
            .json
        case .account, .guardduty, .backup, .lambda: .restJSON
        case .s3, .s3control: .restXML
        }
    }

    /// The credential-scope service. moto routes on it (Documentation/aws-checks.md §3.1).
    public var signingName: String {
        switch self {
        case .cloudwatch: "monitoring"
        case .tagging: "tagging"
        case .s3control: "s3"
        case .costExplorer: "ce"
        default: rawValue
        }
    }

    /// The first label of the default host name.
    public var endpointPrefix: String {
        switch self {
        case .cloudwatch: "monitoring"
        case .tagging: "tagging"
        case .s3control: "s3-control"
        default: rawValue
        }
    }

    /// The prefix IAM uses for this service's actions (`cloudwatch:DescribeAlarms`, `tag:GetResources`).
    public var iamPrefix: String {
        switch self {
        case .tagging: "tag"
        case .s3control: "s3"
        default: rawValue
        }
    }

    /// `Version=` for query / EC2 services.
    public var apiVersion: String {
        switch self {
        case .iam: "2010-05-08"
        case .sts: "2011-06-15"
        case .sns: "2010-03-31"
        case .ec2: "2016-11-15"
        case .organizations: "2016-11-28"
        case .budgets: "2016-10-20"
        case .costExplorer: "2017-10-25"
        case .account: "2021-02-01"
        case .cloudwatch: "2010-08-01"
        case .logs: "2014-03-28"
        case .cloudtrail: "2013-11-01"
        case .config: "2014-11-12"
        case .guardduty: "2017-11-28"
        case .events: "2015-10-07"
        case .s3: "2006-03-01"
        case .s3control: "2018-08-20"
        case .backup: "2018-11-15"
        case .lambda: "2015-03-31"
        case .tagging: "2017-01-26"
        case .kms: "2014-11-01"
        }
    }

    /// `X-Amz-Target` prefix for JSON services.
    public var targetPrefix: String? {
        switch self {
        case .organizations: "AWSOrganizationsV20161128"
        case .budgets: "AWSBudgetServiceGateway"
        case .costExplorer: "AWSInsightsIndexService"
        case .cloudwatch: "GraniteServiceVersion20100801"
        case .logs: "Logs_20140328"
        case .cloudtrail: "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101"
        case .config: "StarlingDoveService"
        case .events: "AWSEvents"
        case .tagging: "ResourceGroupsTaggingAPI_20170126"
        case .kms: "TrentService"
        default: nil
        }
    }

    /// `1.0` or `1.1` for JSON services (CloudWatch is JSON 1.0; botocore 1.43 sends that too).
    public var jsonVersion: String {
        self == .cloudwatch ? "1.0" : "1.1"
    }

    /// Global services: one endpoint, credential scope `us-east-1`, whatever region is asked for.
    public var isGlobal: Bool {
        switch self {
        case .iam, .organizations, .budgets, .costExplorer, .account: true
        default: false
        }
    }
}
