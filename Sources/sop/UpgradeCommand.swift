import ArgumentParser
import Foundation
import SOPApp
import SOPCore

/// `sop upgrade`: moves a customer in flight to a newer SOP revision, deliberately.
struct UpgradeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upgrade",
        abstract: "Move a customer to a newer version of its template, keeping evidence and sign-offs.",
        discussion: """
            Items keep their state, evidence and sign-offs by id; retired items are archived with their history; \
            items that replace old ones inherit their history; new items start as todo (or n/a by condition); \
            items whose requirements changed get their sign-offs marked stale. --dry-run prints the plan and \
            changes nothing. Downgrades are refused.
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The customer.") var slug: String
    @Option(help: "The version to move to (e.g. 1.1.0).") var to: String
    @Flag(help: "Print the plan; write nothing.") var dryRun = false
    @Flag(help: "Print JSON.") var json = false
    @Option(help: "Who (default: $SOP_USER, else $USER).") var by: String?

    func run() async throws {
        let plan = try global.app.upgrade(slug: slug, to: to, dryRun: dryRun, by: by)
        if json {
            TrackerJSON.print(plan)
        } else {
            print(plan.renderText(dryRun: dryRun), terminator: "")
        }
    }
}

extension UpgradeCommand: Exemplified {
    static let examples = [
        "sop upgrade acme --to 1.1.0 --dry-run",
        "sop upgrade acme --to 1.1.0",
    ]
}
