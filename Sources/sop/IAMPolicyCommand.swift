import ArgumentParser
import SOPApp

/// `sop iam-policy SLUG`: the least-privilege IAM policy for the customer's audit role.
struct IAMPolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "iam-policy",
        abstract: "Print the audit role's least-privilege IAM policy.",
        discussion: """
            Exactly the read-only actions the checks of the customer's pinned template call, plus \
            sts:GetCallerIdentity and ec2:DescribeRegions; sorted, so the output is stable.
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The customer.") var slug: String

    func run() async throws {
        Swift.print(try global.app.iamPolicy(slug: slug), terminator: "")
    }
}

extension IAMPolicyCommand: Exemplified {
    static let examples = [
        "sop iam-policy acme",
        "sop iam-policy acme > sop-audit-policy.json",
    ]
}
