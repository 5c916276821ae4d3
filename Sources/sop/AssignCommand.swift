import ArgumentParser
import SOPApp

/// `sop assign`: gives an item to someone, optionally with a due date.
struct AssignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "assign", abstract: "Assign an item.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The customer.") var slug: String
    @Argument(help: "The item id.") var item: String
    @Option(help: "Who does it.") var to: String
    @Option(help: ArgumentHelp("Due date.", valueName: "YYYY-MM-DD")) var due: String?
    @Option(help: "Who assigns (default: $SOP_USER, else $USER).") var by: String?

    func run() async throws {
        try global.app.assign(slug: slug, item: item, to: to, due: due, by: by)
        print("\(slug) \(item): assigned to \(to)\(due.map { ", due \($0)" } ?? "")")
    }
}

extension AssignCommand: Exemplified {
    static let examples = [
        "sop assign acme root.mfa --to sam",
        "sop assign acme prep.billing-info --to dana --due 2026-12-18",
    ]
}
