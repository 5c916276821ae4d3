import ArgumentParser
import Foundation
import SOPApp

/// `sop digest --markdown`: the agenda as a short post for chat or e-mail.
struct DigestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest",
        abstract: "Print this week's agenda as a short Markdown post.",
        discussion: """
            The entries of `sop agenda` (same window, same order), as a heading per day and a bullet per entry, \
            ready to paste into chat or an e-mail.
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("Only customers NAME owns and items assigned to NAME.", valueName: "name"))
    var owner: String?
    @Option(help: "Days in the window, today included (1-366).") var days = 7
    @Flag(help: "Markdown (the one format so far; required, so a later format cannot change what scripts get).")
    var markdown = false

    func validate() throws {
        guard markdown else { throw ValidationError("say --markdown (the digest's one format)") }
    }

    func run() async throws {
        let agenda = try global.app.agenda(AgendaRequest(owner: owner, days: days))
        Swift.print(agenda.markdown(), terminator: "")
    }
}

extension DigestCommand: Exemplified {
    static let examples = [
        "sop digest --markdown",
        "sop digest --owner dana --markdown",
    ]
}
