import ArgumentParser

// Placeholder: replaced by the issue that delivers `sop verify`.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "verify", abstract: "Verify automatable items against AWS.")

    func run() async throws {
        throw CommandFailure("'sop verify' is not implemented yet", code: 2)
    }
}
