import AWSClient

/// One read-only AWS API operation a check relies on.
///
/// The IAM actions come from the client's allowlist (`OperationAllowlist.readOnly`), the
/// same table that lets the call through at run time, so `sop iam-policy` cannot drift
/// from what `sop verify` sends (`cloudwatch:`, `tag:`, S3's `GetEncryptionConfiguration`,
/// Budgets' `ViewBudget`).
public struct APICall: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var service: AWSService
    public var operation: String

    public init(_ service: AWSService, _ operation: String) {
        self.service = service
        self.operation = operation
    }

    /// `service:Operation` with botocore's client name, e.g. `cloudwatch:DescribeAlarms`.
    public var description: String { "\(service.clientName):\(operation)" }

    /// The IAM actions that authorise the call (empty only if the call is not allowlisted,
    /// which the catalog test rules out).
    public var iamActions: [String] {
        OperationAllowlist.readOnly.operation(service, operation)?.iamActions ?? []
    }

    public var isAllowlisted: Bool { OperationAllowlist.readOnly.allows(service, operation) }

    public static func < (lhs: APICall, rhs: APICall) -> Bool { lhs.description < rhs.description }
}

extension APICall {
    static func iam(_ op: String) -> APICall { APICall(.iam, op) }
    static func organizations(_ op: String) -> APICall { APICall(.organizations, op) }
    static func budgets(_ op: String) -> APICall { APICall(.budgets, op) }
    static func cloudwatch(_ op: String) -> APICall { APICall(.cloudwatch, op) }
    static func cloudtrail(_ op: String) -> APICall { APICall(.cloudtrail, op) }
    static func config(_ op: String) -> APICall { APICall(.config, op) }
    static func guardduty(_ op: String) -> APICall { APICall(.guardduty, op) }
    static func events(_ op: String) -> APICall { APICall(.events, op) }
    static func sns(_ op: String) -> APICall { APICall(.sns, op) }
    static func ec2(_ op: String) -> APICall { APICall(.ec2, op) }
    static func logs(_ op: String) -> APICall { APICall(.logs, op) }
    static func ce(_ op: String) -> APICall { APICall(.costExplorer, op) }
    static func backup(_ op: String) -> APICall { APICall(.backup, op) }
    static func lambda(_ op: String) -> APICall { APICall(.lambda, op) }
    static func account(_ op: String) -> APICall { APICall(.account, op) }
    static func s3(_ op: String) -> APICall { APICall(.s3, op) }
    static func s3control(_ op: String) -> APICall { APICall(.s3control, op) }
    static func sts(_ op: String) -> APICall { APICall(.sts, op) }

    /// Calls every verification run makes, whatever checks it runs.
    public static let runPrerequisites: [APICall] = [sts("GetCallerIdentity"), ec2("DescribeRegions")]
}
