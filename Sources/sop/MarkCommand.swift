import ArgumentParser
import SOPStore

/// `sop mark`: moves an item through todo → in-progress → done (or blocked, n/a).
struct MarkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mark",
        abstract: "Change an item's state.",
        discussion: """
            STATE is todo, in-progress, done, blocked or n/a. blocked and n/a need --reason. done is refused
            while required evidence or a `depends` item is missing; --force --reason overrides (recorded).
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The customer.") var slug: String
    @Argument(help: "The item id.") var item: String
    @Argument(help: "todo | in-progress | done | blocked | n/a") var state: String
    @Option(help: "Why (required for blocked, n/a and --force).") var reason: String?
    @Option(help: "Who (default: $SOP_USER, else $USER).") var by: String?
    @Flag(help: "Mark done although evidence or dependencies are missing (needs --reason).") var force = false

    func run() async throws {
        guard let status = ItemStatus(userText: state), ItemStatus.markable.contains(status) else {
            throw CommandFailure("'\(state)' is not a state (use todo, in-progress, done, blocked or n/a)")
        }
        let context = try TrackerContext.open(global)
        let actor = context.actor(by)
        try context.run { try $0.mark(customer: slug, item: item, status: status, reason: reason, force: force, by: actor) }
        print("\(slug) \(item): \(status.rawValue)")
    }
}
