import ArgumentParser
import SOPApp
import SOPStore

/// `sop waive`: asks for a waiver of an item or a check until a date.
struct WaiveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "waive",
        abstract: "Ask for a waiver of an item or a check, with a reason, until a date.",
        discussion: """
            The waiver covers nothing until someone else approves it (`sop waiver approve`) as a role the \
            template names for the item's sign-off. While approved and unexpired, a failing check it covers \
            still reports fail, marked waived; verify's exit code ignores it. The expiry date is inclusive (UTC).
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The customer.") var slug: String
    @Argument(
        help: ArgumentHelp("An item id or a check id, optionally in one region.", valueName: "item-or-check[@region]"))
    var target: String
    @Option(help: "Why the exception is acceptable.") var reason: String
    @Option(help: ArgumentHelp("The last day the waiver covers.", valueName: "YYYY-MM-DD")) var expires: String
    @Option(help: ArgumentHelp("Only failures naming these resources (repeatable).", valueName: "id"))
    var resource: [String] = []
    @Option(help: "Who asks (default: $SOP_USER, else $USER).") var by: String?

    func run() async throws {
        let waiver = try global.app.requestWaiver(
            WaiverRequest(customer: slug, target: target, reason: reason, expires: expires, resources: resource), by: by
        )
        print("\(waiver.id) \(slug) \(waiver.scope): requested by \(waiver.requestedBy) until \(waiver.expires)")
    }
}

extension WaiveCommand: Exemplified {
    static let examples = [
        "sop waive acme net.admin-ports@eu-west-1 --reason bastion --expires 2026-09-30",
        "sop waive acme training.security --reason 'in May' --expires 2026-05-31",
    ]
}

/// `sop waiver`: decides and lists waivers.
struct WaiverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "waiver",
        abstract: "Approve, reject, revoke or list waivers.",
        discussion: """
            States: requested → approved | rejected; approved → revoked | expired. Whoever decides must not be \
            who asked, and must hold a role the template names for the item's sign-off.
            """,
        subcommands: [Approve.self, Reject.self, Revoke.self, List.self])

    struct Decision: ParsableArguments {
        @Argument(help: "The customer.") var slug: String
        @Argument(help: ArgumentHelp("The waiver.", valueName: "W-ID")) var id: String
        @Option(help: "The role deciding, as the template names it.") var role: String?
        @Option(help: "A note.") var note: String?
        @Option(help: "Who decides (default: $SOP_USER, else $USER).") var by: String?

        func decide(_ decision: WaiverInfo.Decision, _ global: GlobalOptions) throws {
            let waiver = try global.app.decideWaiver(
                slug: slug, id: id, decision: decision, role: role, note: note, by: by)
            let who = waiver.decidedRole.map { "\(by ?? waiver.decidedBy ?? "") as \($0)" } ?? (by ?? "")
            print("\(waiver.id) \(slug) \(waiver.scope): \(waiver.recordedState.rawValue) by \(who)")
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "approve", abstract: "Approve a waiver.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var decision: Decision
        func run() async throws { try decision.decide(.approve, global) }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reject", abstract: "Reject a waiver.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var decision: Decision
        func run() async throws { try decision.decide(.reject, global) }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke", abstract: "Revoke an approved waiver before it expires.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var decision: Decision
        func run() async throws { try decision.decide(.revoke, global) }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List waivers, with the state in force today.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Only this customer.") var slug: String?
        @Flag(help: "Print JSON (the documented contract).") var json = false

        func run() async throws {
            let list = try global.app.waivers(slug: slug)
            if json {
                Swift.print(list.json)
                return
            }
            if list.waivers.isEmpty {
                print("no waivers")
                return
            }
            var table = TextTable(
                columns: ["ID", "CUSTOMER", "TARGET", "STATE", "UNTIL", "ASKED BY", "DECIDED BY", "REASON"])
            for waiver in list.waivers {
                table.append([
                    waiver.id, waiver.customer, waiver.scope, waiver.state(today: list.today).rawValue,
                    waiver.expires, waiver.requestedBy,
                    waiver.decidedBy.map { by in waiver.decidedRole.map { "\(by) (\($0))" } ?? by } ?? "",
                    waiver.reason,
                ])
            }
            print(table.render(), terminator: "")
        }
    }
}

extension WaiverCommand: Exemplified {
    static let examples = [
        "sop waiver approve acme W-1 --role 'Security Lead' --by priya",
        "sop waiver list acme --json",
    ]
}

extension WaiverCommand.Approve: Exemplified {
    static let examples = [
        "sop waiver approve acme W-1 --role 'Security Lead' --by priya",
        "sop waiver approve acme W-2 --role 'Project Manager' --note agreed --by pat",
    ]
}

extension WaiverCommand.Reject: Exemplified {
    static let examples = [
        "sop waiver reject acme W-1 --role 'Security Lead' --by priya",
        "sop waiver reject acme W-2 --role 'Security Lead' --note 'fix it' --by priya",
    ]
}

extension WaiverCommand.Revoke: Exemplified {
    static let examples = [
        "sop waiver revoke acme W-1 --by priya",
        "sop waiver revoke acme W-1 --note 'the bastion is gone' --by priya",
    ]
}

extension WaiverCommand.List: Exemplified {
    static let examples = ["sop waiver list", "sop waiver list acme --json"]
}

/// `sop baseline set`: the accepted verification run `sop verify --gate` compares with.
struct BaselineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline", abstract: "Set the accepted verification run of a customer.",
        subcommands: [SetBaseline.self], defaultSubcommand: SetBaseline.self)

    struct SetBaseline: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Mark a verification run as the accepted state (`sop verify --gate` compares with it).",
            discussion: "Without --run: the run in force at the customer's latest sign-off.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The customer.") var slug: String
        @Option(help: ArgumentHelp("The accepted run.", valueName: "V-ID")) var run: String?
        @Option(help: "Who accepts (default: $SOP_USER, else $USER).") var by: String?

        func run() async throws {
            let baseline = try global.app.setBaseline(slug: slug, run: run, by: by)
            print(
                "\(slug): baseline is \(baseline.run.id) (\(baseline.run.passed) pass, \(baseline.run.failed) fail, "
                    + "recorded \(baseline.run.recordedAt))")
        }
    }
}

extension BaselineCommand: Exemplified {
    static let examples = ["sop baseline set acme", "sop baseline set acme --run V12"]
}

extension BaselineCommand.SetBaseline: Exemplified {
    static let examples = ["sop baseline set acme", "sop baseline set acme --run V12 --by priya"]
}
