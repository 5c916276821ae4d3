import ArgumentParser
import SOPApp

/// `sop mark`: moves an item through todo → in-progress → done (or blocked, n/a).
struct MarkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mark",
        abstract: "Change an item's state.",
        discussion: """
            STATE is todo, in-progress, done, blocked or n/a. blocked and n/a need --reason. done is refused \
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
        let status = try global.app.mark(slug: slug, item: item, state: state, reason: reason, force: force, by: by)
        print("\(slug) \(item): \(status.rawValue)")
    }
}

extension MarkCommand: Exemplified {
    static let examples = [
        "sop mark acme prep.root-email done",
        "sop mark acme prep.billing-info blocked --reason \"waiting for the card\"",
        "sop mark acme root.mfa done --force --reason \"hardware MFA seen on a call\"",
    ]
}
