import ArgumentParser
import SOPApp

/// `sop audit verify`: proves nobody edited the database behind the tool's back.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Verify the audit trail.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Recompute the audit chain and every evidence hash.",
            discussion:
                "Rebuilds every tracked row from the trail and compares it with the tables. Exit 0 when intact; "
                + "exit 1 naming every event inserted, changed or deleted and every row and column that differs.")

        @OptionGroup var global: GlobalOptions
        @Option(
            name: .customLong("head"),
            help: ArgumentHelp(
                "A head recorded earlier (a packet's \"Audit trail\" row): the trail must still hold it.",
                valueName: "EVENTS:HASH"))
        var earlierHead: String?
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let (report, verdict) = try global.app.verifyAudit(earlierHead: earlierHead)
            if json {
                TrackerJSON.print(report)
            } else if report.isIntact {
                print("audit trail intact: \(report.events) events, \(report.blobs) blobs, head \(report.head.line)")
            } else {
                for problem in report.problems { print(problem) }
                Terminal.standardError("sop: error: audit trail broken: \(report.problems.count) problem(s)")
            }
            try CommandFailure.unless(verdict)
        }
    }
}

extension AuditCommand: Exemplified {
    static let examples = [
        "sop audit verify",
        "sop audit verify --db /srv/sop/sop.sqlite --json",
    ]
}

extension AuditCommand.Verify: Exemplified {
    static let examples = [
        "sop audit verify",
        "sop audit verify --db /srv/sop/sop.sqlite --json",
        "sop audit verify --head \"$HEAD_FROM_PACKET\"",
    ]
}
