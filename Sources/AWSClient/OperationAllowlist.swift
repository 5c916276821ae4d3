import Foundation

/// How a REST operation is sent: fixed by the allowlist, so a caller cannot pair a read
/// operation's name with a write method or path.
public struct RESTRoute: Sendable, Hashable {
    public var method: String
    /// Path template with `{Name}` placeholders, e.g. `/detector/{DetectorId}`.
    public var path: String
    /// A fixed S3 sub-resource query key such as `encryption` (sent as `?encryption`).
    public var subresource: String?

    public init(_ method: String, _ path: String, subresource: String? = nil) {
        self.method = method
        self.path = path
        self.subresource = subresource
    }
}

/// One operation the client may send, and the IAM action(s) that authorise it.
public struct AllowedOperation: Sendable, Hashable {
    public var service: AWSService
    public var name: String
    /// IAM action names (IAM prefix, not signing name): `cloudwatch:DescribeAlarms`,
    /// `budgets:ViewBudget` for DescribeBudgets, `s3:GetEncryptionConfiguration` for GetBucketEncryption.
    public var iamActions: [String]
    /// For REST services only.
    public var route: RESTRoute?
    /// Why a non-obvious entry is here.
    public var note: String?

    /// `service:Operation` with botocore's client name, e.g. `iam:ListUsers`.
    public var id: String { "\(service.clientName):\(name)" }

    /// The action name moto's IAM-auth mode checks: it uses the signing name as the prefix
    /// (`monitoring:DescribeAlarms`, `tagging:GetResources`, Documentation/aws-checks.md §5). For least-privilege
    /// test users in moto only; real AWS policies use `iamActions`.
    public var motoAction: String { "\(service.signingName):\(name)" }

    public init(service: AWSService, name: String, iamActions: [String], route: RESTRoute? = nil, note: String? = nil) {
        self.service = service
        self.name = name
        self.iamActions = iamActions
        self.route = route
        self.note = note
    }
}

/// The read operations the client may send. Anything else is refused with
/// `AWSError.operationNotAllowed` before credentials are fetched or a byte is sent.
///
/// The list is Documentation/aws-checks.md rows 0–22 and x1–x3, plus `sts:AssumeRole` (to enter the
/// customer's audit role) and `ec2:DescribeRegions` (to find the enabled regions).
/// `iam:GenerateCredentialReport` changes state (it starts a report job) but writes nothing a
/// customer owns and is the only way to get a fresh credential report: it is allowed on purpose.
public struct OperationAllowlist: Sendable {
    public private(set) var operations: [String: AllowedOperation]

    public init(_ operations: [AllowedOperation]) {
        self.operations = Dictionary(operations.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The entry for `service:name`, or nil when the operation is not allowed.
    public func operation(_ service: AWSService, _ name: String) -> AllowedOperation? {
        operations["\(service.clientName):\(name)"]
    }

    public func allows(_ service: AWSService, _ name: String) -> Bool { operation(service, name) != nil }

    /// Every entry, sorted by id.
    public var all: [AllowedOperation] { operations.values.sorted { $0.id < $1.id } }

    /// The sorted, de-duplicated IAM actions for a set of operations (for a least-privilege policy).
    /// Throws `operationNotAllowed` for an operation that is not on the list.
    public func iamActions(for calls: [(AWSService, String)]) throws -> [String] {
        var actions = Set<String>()
        for (service, name) in calls {
            guard let entry = operation(service, name) else { throw AWSError.operationNotAllowed(service, name) }
            actions.formUnion(entry.iamActions)
        }
        return actions.sorted()
    }

    /// A least-privilege IAM policy document (pretty JSON) allowing exactly `actions`.
    public static func policyDocument(actions: [String]) -> String {
        let document: JSONValue = [
            "Version": "2012-10-17",
            "Statement": [
                [
                    "Sid": "SopReadOnlyAudit", "Effect": "Allow",
                    "Action": .array(Set(actions).sorted().map { .string($0) }), "Resource": "*",
                ]
            ],
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(document)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// The client's default list.
    public static let readOnly = OperationAllowlist(ReadOnlyOperations.all)
}

/// The concrete entries of `OperationAllowlist.readOnly`.
enum ReadOnlyOperations {
    static func same(_ service: AWSService, _ names: [String]) -> [AllowedOperation] {
        names.map { AllowedOperation(service: service, name: $0, iamActions: ["\(service.iamPrefix):\($0)"]) }
    }

    static func op(
        _ service: AWSService, _ name: String, iam: [String]? = nil, route: RESTRoute? = nil,
        note: String? = nil
    ) -> AllowedOperation {
        AllowedOperation(
            service: service, name: name, iamActions: iam ?? ["\(service.iamPrefix):\(name)"],
            route: route, note: note)
    }

    static let all: [AllowedOperation] =
        same(.sts, ["GetCallerIdentity"])
        + [
            op(
                .sts, "AssumeRole",
                note: "enters the customer's audit role; needs sts:AssumeRole on the caller, not the audit role")
        ]
        + same(
            .iam,
            [
                "GetAccountSummary", "GetCredentialReport", "ListVirtualMFADevices", "ListGroups", "GetGroup",
                "ListAttachedGroupPolicies", "ListGroupPolicies", "GetGroupPolicy", "ListUsers", "ListGroupsForUser",
                "ListAttachedUserPolicies", "ListUserPolicies", "GetUserPolicy", "GetAccountAuthorizationDetails",
                "GetLoginProfile", "ListMFADevices", "GetPolicy", "GetPolicyVersion", "GetAccountPasswordPolicy",
                "ListEntitiesForPolicy", "ListPolicies", "ListRoles", "ListAccessKeys", "ListAccountAliases",
            ])
        + [
            op(
                .iam, "GenerateCredentialReport",
                note:
                    "starts a credential-report job: changes no customer resource, and is the only way to get a current report"
            )
        ]
        + same(
            .organizations,
            [
                "DescribeOrganization", "ListRoots", "ListOrganizationalUnitsForParent", "ListChildren",
                "ListAccountsForParent", "ListAccounts", "ListPolicies", "ListPoliciesForTarget",
                "ListTargetsForPolicy", "DescribePolicy", "DescribeEffectivePolicy",
                "DescribeOrganizationalUnit", "DescribeAccount",
            ])
        + ["DescribeBudgets", "DescribeNotificationsForBudget", "DescribeSubscribersForNotification"].map {
            op(.budgets, $0, iam: ["budgets:ViewBudget"], note: "Budgets authorises every read with budgets:ViewBudget")
        }
        + same(.costExplorer, ["ListCostAllocationTags"])
        + [
            op(
                .account, "GetAlternateContact", route: RESTRoute("POST", "/getAlternateContact"),
                note: "a read sent as POST, as the Account API defines it")
        ]
        + same(
            .cloudwatch, ["DescribeAlarms", "DescribeAlarmsForMetric", "ListDashboards", "GetDashboard", "ListMetrics"])
        + same(.logs, ["DescribeLogGroups", "DescribeMetricFilters"])
        + same(.cloudtrail, ["DescribeTrails", "GetTrailStatus", "GetEventSelectors"])
        + same(
            .config,
            [
                "DescribeConfigurationRecorders", "DescribeConfigurationRecorderStatus", "DescribeDeliveryChannels",
                "DescribeDeliveryChannelStatus", "DescribeConfigRules", "DescribeComplianceByConfigRule",
            ])
        + [
            op(.guardduty, "ListDetectors", route: RESTRoute("GET", "/detector")),
            op(.guardduty, "GetDetector", route: RESTRoute("GET", "/detector/{DetectorId}")),
            op(
                .guardduty, "ListPublishingDestinations",
                route: RESTRoute("GET", "/detector/{DetectorId}/publishingDestination")),
        ]
        + same(.events, ["ListRules", "ListTargetsByRule", "DescribeRule"])
        + same(.sns, ["ListTopics", "GetTopicAttributes", "ListSubscriptions", "ListSubscriptionsByTopic"])
        + same(
            .ec2,
            [
                "DescribeRegions", "DescribeVpcs", "DescribeSubnets", "DescribeRouteTables", "DescribeInternetGateways",
                "DescribeNatGateways", "DescribeSecurityGroups", "DescribeSecurityGroupRules", "DescribeNetworkAcls",
                "GetEbsEncryptionByDefault", "GetEbsDefaultKmsKeyId", "DescribeVolumes",
            ])
        + [
            op(.s3, "ListBuckets", iam: ["s3:ListAllMyBuckets"], route: RESTRoute("GET", "/")),
            op(.s3, "GetBucketLocation", route: RESTRoute("GET", "/{Bucket}", subresource: "location")),
            op(
                .s3, "GetBucketEncryption", iam: ["s3:GetEncryptionConfiguration"],
                route: RESTRoute("GET", "/{Bucket}", subresource: "encryption")),
            op(
                .s3, "GetPublicAccessBlock", iam: ["s3:GetBucketPublicAccessBlock"],
                route: RESTRoute("GET", "/{Bucket}", subresource: "publicAccessBlock")),
            op(.s3, "GetBucketPolicy", route: RESTRoute("GET", "/{Bucket}", subresource: "policy")),
            op(.s3, "GetBucketPolicyStatus", route: RESTRoute("GET", "/{Bucket}", subresource: "policyStatus")),
            op(.s3, "GetBucketVersioning", route: RESTRoute("GET", "/{Bucket}", subresource: "versioning")),
            op(.s3, "GetBucketLogging", route: RESTRoute("GET", "/{Bucket}", subresource: "logging")),
            op(.s3, "GetBucketTagging", route: RESTRoute("GET", "/{Bucket}", subresource: "tagging")),
            op(
                .s3control, "GetPublicAccessBlock", iam: ["s3:GetAccountPublicAccessBlock"],
                route: RESTRoute("GET", "/v20180820/configuration/publicAccessBlock")),
            op(.backup, "ListBackupPlans", route: RESTRoute("GET", "/backup/plans/")),
            op(.backup, "GetBackupPlan", route: RESTRoute("GET", "/backup/plans/{BackupPlanId}/")),
            op(.backup, "ListBackupSelections", route: RESTRoute("GET", "/backup/plans/{BackupPlanId}/selections/")),
            op(
                .backup, "GetBackupSelection",
                route: RESTRoute("GET", "/backup/plans/{BackupPlanId}/selections/{SelectionId}")),
            op(.backup, "ListBackupVaults", route: RESTRoute("GET", "/backup-vaults/")),
            op(.backup, "DescribeBackupVault", route: RESTRoute("GET", "/backup-vaults/{BackupVaultName}")),
            op(.lambda, "ListFunctions", route: RESTRoute("GET", "/2015-03-31/functions")),
            op(.lambda, "GetPolicy", route: RESTRoute("GET", "/2015-03-31/functions/{FunctionName}/policy")),
        ]
        + same(.tagging, ["GetResources", "GetComplianceSummary", "GetTagKeys", "GetTagValues"])
        + same(.kms, ["ListKeys", "ListAliases", "DescribeKey", "GetKeyRotationStatus"])
}
