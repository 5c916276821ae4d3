import ArgumentParser
import SOPApp

/// `sop signoff`: a role approves an item or a section, pinned to the evidence it saw.
struct SignoffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signoff",
        abstract: "Sign off an item or section.",
        discussion: """
            Only roles the template requires there are accepted. A sign-off records the SHA-256 of the \
            evidence set it approved; when that evidence changes it shows as stale and must be given again.
            """,
        subcommands: [Give.self, Revoke.self],
        defaultSubcommand: Give.self)

    struct Give: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "give", abstract: "Sign off an item or section (the default: `sop signoff SLUG TARGET …`).")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The customer.") var slug: String
        @Argument(help: "An item id or a section number such as 5 or 15.1.") var target: String
        @Option(help: "The role signing, as the template names it.") var role: String
        @Option(help: "Who signs.") var by: String
        @Option(help: "A note.") var note: String?

        func run() async throws {
            let info = try global.app.signoff(slug: slug, target: target, role: role, by: by, note: note)
            print(
                "\(info.id ?? "") \(info.targetKind) \(info.target) signed off by \(by) as \(info.role) "
                    + "(evidence \(info.evidenceHash?.prefix(12) ?? ""))")
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke", abstract: "Revoke a sign-off, with a reason.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The customer.") var slug: String
        @Argument(help: "An item id or a section number.") var target: String
        @Option(help: "The role whose sign-off is revoked.") var role: String
        @Option(help: "Why.") var reason: String
        @Option(help: "Who (default: $SOP_USER, else $USER).") var by: String?

        func run() async throws {
            try global.app.revokeSignoff(slug: slug, target: target, role: role, reason: reason, by: by)
            print("\(slug) \(target): sign-off by \(role) revoked")
        }
    }
}

extension SignoffCommand: Exemplified {
    static let examples = [
        "sop signoff acme 5 --role \"Security Lead\" --by priya",
        "sop signoff revoke acme 5 --role \"Security Lead\" --reason \"re-check IAM\"",
        "sop signoff revoke acme root.mfa --role \"Security Lead\" --reason \"new device\"",
    ]
}

extension SignoffCommand.Give: Exemplified {
    static let examples = [
        "sop signoff acme 5 --role \"Security Lead\" --by priya",
        "sop signoff give acme 15.1 --role \"Customer Stakeholder\" --by jo --note \"OK\"",
    ]
}

extension SignoffCommand.Revoke: Exemplified {
    static let examples = [
        "sop signoff revoke acme 5 --role \"Security Lead\" --reason \"re-check IAM\"",
        "sop signoff revoke acme root.mfa --role \"Security Lead\" --reason \"new device\"",
    ]
}
