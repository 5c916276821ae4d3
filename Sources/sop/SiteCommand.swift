import ArgumentParser

// Placeholder: replaced by the issue that delivers `sop site`.
struct SiteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "site", abstract: "Build the internal wiki site.")

    func run() async throws {
        throw CommandFailure("'sop site' is not implemented yet", code: 2)
    }
}
