import ArgumentParser

// Placeholder: replaced by the issue that delivers `sop publish`.
struct PublishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "publish", abstract: "Publish a customer page to a wiki.")

    func run() async throws {
        throw CommandFailure("'sop publish' is not implemented yet", code: 2)
    }
}
