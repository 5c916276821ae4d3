import ArgumentParser
import Foundation
import SOPApp

/// `sop agenda`: the project manager's week across every customer.
struct AgendaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agenda",
        abstract: "Show what needs attention this week, across every customer.",
        discussion: """
            Overdue items first, then day by day: items due, evidence and waivers expiring, stale sign-offs, \
            blocked items with their reason and failing checks. --owner keeps the customers NAME owns and the \
            items assigned to NAME. --ics writes the same entries as an iCalendar file (all-day events) that \
            calendar applications import. Overdue is red on a terminal unless NO_COLOR is set.
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("Only customers NAME owns and items assigned to NAME.", valueName: "name"))
    var owner: String?
    @Option(help: "Days in the window, today included (1-366).") var days = 7
    @Flag(help: "Print JSON (the documented contract).") var json = false
    @Option(help: ArgumentHelp("Also write the agenda as an iCalendar file.", valueName: "file")) var ics: String?

    func run() async throws {
        let app = global.app
        let agenda = try app.agenda(AgendaRequest(owner: owner, days: days))
        if let ics { try app.writeAgendaCalendar(agenda, to: ics) }
        if json {
            Swift.print(agenda.json())
        } else {
            print(agenda.text(color: Terminal.colorEnabled))
        }
    }
}

extension AgendaCommand: Exemplified {
    static let examples = [
        "sop agenda --owner dana --days 14",
        "sop agenda --json",
        "sop agenda --ics week.ics",
    ]
}
