import ArgumentParser
import Foundation
import SOPCore
import SOPStore

/// `sop upgrade`: moves a customer in flight to a newer SOP revision, deliberately.
struct UpgradeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upgrade",
        abstract: "Move a customer to a newer version of its template, keeping evidence and sign-offs.",
        discussion: """
            Items keep their state, evidence and sign-offs by id; retired items are archived with their history;
            items that replace old ones inherit their history; new items start as todo (or n/a by condition);
            items whose requirements changed get their sign-offs marked stale. --dry-run prints the plan and
            changes nothing. Downgrades are refused.
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The customer.") var slug: String
    @Option(help: "The version to move to (e.g. 1.1.0).") var to: String
    @Flag(help: "Print the plan; write nothing.") var dryRun = false
    @Flag(help: "Print JSON.") var json = false
    @Option(help: "Who (default: $SOP_USER, else $USER).") var by: String?

    func run() async throws {
        let context = try TrackerContext.open(global)
        let plan = try context.run { store in
            let customer = try store.customer(slug)
            let prefix = "\(customer.template.id)@"
            let version = to.hasPrefix(prefix) ? String(to.dropFirst(prefix.count)) : to
            guard SemanticVersion(version) != nil else {
                throw CommandFailure("--to: '\(to)' is not a version (like 1.1.0)")
            }
            let template = try TrackerContext.template(prefix + version, global: global)
            // Versions in between, so `replaces` chains resolve across a jump of several versions.
            let current = SemanticVersion(customer.template.version)
            let intermediates = try global.templateLibrary().entries()
                .filter { entry in
                    guard let current, entry.id == customer.template.id else { return false }
                    return entry.version > current && entry.version < template.version
                }
                .map { try TrackerContext.template($0.reference, global: global) }
            return try store.upgrade(customer: slug, to: template, through: intermediates, by: context.actor(by), dryRun: dryRun)
        }
        if json {
            TrackerJSON.print(plan)
        } else {
            print(plan.renderText(dryRun: dryRun), terminator: "")
        }
    }
}
