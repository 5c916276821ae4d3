import AWSClient

/// The client's allowlist minus one operation, to make that call fail the way a missing
/// IAM permission would, without a request being sent.
struct OperationAllowlistWithout {
    let allowlist: OperationAllowlist

    init(_ operation: String) {
        allowlist = OperationAllowlist(OperationAllowlist.readOnly.all.filter { $0.name != operation })
    }
}

enum AWSClientFacade {
    static func make(_ configuration: AWSClientConfiguration) -> AWSClient { AWSClient(configuration) }
}
