import ArgumentParser

// Placeholder: replaced by the issue that delivers `sop handover`.
struct HandoverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "handover", abstract: "Write a handover packet.")

    func run() async throws {
        throw CommandFailure("'sop handover' is not implemented yet", code: 2)
    }
}
