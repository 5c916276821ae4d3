import ArgumentParser

// Placeholder: replaced by the issue that delivers `sop upgrade`.
struct UpgradeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "upgrade", abstract: "Move a customer to a newer template version.")

    func run() async throws {
        throw CommandFailure("'sop upgrade' is not implemented yet", code: 2)
    }
}
