import ArgumentParser
import Foundation
import SOPApp
import SOPCore

/// `sop status [SLUG]`: one customer's progress, or the portfolio of all customers.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show where customers stand.",
        discussion: """
            Without a slug: the portfolio, one row per customer, most urgent (blocked, overdue, failing) first. \
            With a slug: progress per section, blocked and overdue items, failing checks, missing evidence, \
            stale sign-offs and next actions. Bars and colour on a terminal unless NO_COLOR is set.
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "A customer; omit for the portfolio.") var slug: String?
    @Flag(help: "Print JSON (the documented contract).") var json = false

    func run() async throws {
        let app = global.app
        let fancy = Terminal.stdoutIsTTY
        let color = Terminal.colorEnabled
        if let slug {
            let report = try app.customerStatus(slug: slug)
            if json {
                TrackerJSON.print(report)
            } else {
                print(TrackerStatusText.customer(report, fancy: fancy, color: color))
            }
        } else {
            let rows = try app.portfolio()
            if json {
                TrackerJSON.print(["customers": rows])
            } else {
                print(TrackerStatusText.portfolio(rows, fancy: fancy, color: color))
            }
        }
    }
}

extension StatusCommand: Exemplified {
    static let examples = [
        "sop status",
        "sop status acme",
        "sop status acme --json",
    ]
}
