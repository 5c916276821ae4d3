import ArgumentParser

// Placeholder: replaced by the issue that delivers `sop iam-policy`.
struct IAMPolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "iam-policy", abstract: "Print the audit role's least-privilege policy.")

    func run() async throws {
        throw CommandFailure("'sop iam-policy' is not implemented yet", code: 2)
    }
}
