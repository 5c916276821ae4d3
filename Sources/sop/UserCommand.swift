import ArgumentParser
import Foundation
import SOPApp

/// `sop user`: the team accounts that sign in to `sop serve`.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Add, disable and list the accounts that sign in to sop serve.",
        discussion: """
            An account holds template roles (a Security Lead signs Security Lead sign-offs) or Viewer, \
            which only reads. The password is asked for at a prompt or read from an environment variable, \
            never from an argument, and only its bcrypt hash is stored.
            """,
        subcommands: [Add.self, Disable.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Add an account.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The account's name (what the audit trail records).") var name: String
        @Option(name: .long, parsing: .upToNextOption, help: "Roles it holds, as templates name them, or Viewer.")
        var role: [String] = []
        @Option(help: ArgumentHelp("Read the password from this environment variable.", valueName: "VAR"))
        var passwordEnv: String?
        @Flag(help: "No password: the account signs in only through --auth-proxy-header.") var noPassword = false
        @Option(help: "Who adds it (default: $SOP_USER, else $USER).") var by: String?

        func run() async throws {
            let password: String?
            if noPassword {
                guard passwordEnv == nil else { throw ValidationError("give either --password-env or --no-password") }
                password = nil
            } else if let passwordEnv {
                guard let value = ProcessInfo.processInfo.environment[passwordEnv], !value.isEmpty else {
                    throw CommandFailure("--password-env: $\(passwordEnv) is not set")
                }
                password = value
            } else {
                password = try PasswordPrompt.read(for: name)
            }
            let user = try global.app.addUser(name: name, roles: role, password: password, by: by)
            print("user \(user.name) added (\(user.roles.joined(separator: ", ")))")
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "disable", abstract: "Disable an account (it is kept, it can no longer sign in).")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The account's name.") var name: String
        @Option(help: "Who disables it (default: $SOP_USER, else $USER).") var by: String?

        func run() async throws {
            try global.app.disableUser(name: name, by: by)
            print("user \(name) disabled")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the accounts.")

        @OptionGroup var global: GlobalOptions
        @Flag(help: "JSON output.") var json = false

        func run() async throws {
            let users = try global.app.users()
            if json {
                TrackerJSON.print(
                    users.map {
                        UserRow(
                            name: $0.name, roles: $0.roles, password: $0.passwordHash != nil,
                            createdAt: $0.createdAt, createdBy: $0.createdBy, disabledAt: $0.disabledAt)
                    })
                return
            }
            for user in users {
                let state = user.isDisabled ? "disabled" : "enabled"
                print("\(user.name)\t\(user.roles.joined(separator: ", "))\t\(state)")
            }
        }
    }
}

/// One account in `sop user list --json` (never its hash).
struct UserRow: Encodable {
    var name: String
    var roles: [String]
    var password: Bool
    var createdAt: String
    var createdBy: String
    var disabledAt: String?
}

/// Reads a password at the terminal without echo, twice; refuses when there is no terminal.
enum PasswordPrompt {
    static func read(for name: String) throws -> String {
        guard isatty(STDIN_FILENO) != 0 else {
            throw CommandFailure("no terminal to ask for the password on; give --password-env VAR")
        }
        guard let first = getpass("Password for \(name): ").map({ String(cString: $0) }),
            let second = getpass("Again: ").map({ String(cString: $0) })
        else { throw CommandFailure("no password given") }
        guard first == second else { throw CommandFailure("the two passwords differ") }
        return first
    }
}

extension UserCommand: Exemplified {
    static let examples = [
        "sop user add priya --role \"Security Lead\" --password-env PRIYA_PW",
        "sop user disable priya",
    ]
}

extension UserCommand.Add: Exemplified {
    static let examples = [
        "sop user add priya --role \"Security Lead\" --password-env PRIYA_PW",
        "sop user add sam --role Viewer",
    ]
}

extension UserCommand.Disable: Exemplified {
    static let examples = ["sop user disable priya", "sop user disable sam --by alex"]
}

extension UserCommand.List: Exemplified {
    static let examples = ["sop user list", "sop user list --json"]
}

/// `sop token create`: a bearer token for scripts that call `sop serve`.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Create bearer tokens for scripts.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Create a token for an account; it is printed once and stored only as a hash.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The account the token acts as.") var name: String
        @Option(help: "How long it is valid: 30d, 12h (at most 366d).") var expires: String = "30d"
        @Option(help: "Who creates it (default: $SOP_USER, else $USER).") var by: String?

        func run() async throws {
            let created = try global.app.createToken(user: name, expires: expires, by: by)
            print(created.secret)
            FileHandle.standardError.write(
                Data("token \(created.token.id) for \(name), valid until \(created.token.expiresAt)\n".utf8))
        }
    }
}

extension TokenCommand: Exemplified {
    static let examples = ["sop token create ci-bot --expires 30d", "sop token create priya --expires 12h"]
}

extension TokenCommand.Create: Exemplified {
    static let examples = ["sop token create ci-bot --expires 30d", "sop token create priya --expires 12h"]
}

/// `sop invite`: a one-time link to the customer portal.
struct InviteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invite",
        abstract: "Print a one-time sign-in link to a customer's portal.",
        discussion: """
            The customer's stakeholder sees only their own customer-audience view, uploads evidence for \
            the items their role owns and gives or refuses their role's sign-offs.
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The customer.") var slug: String
    @Option(help: "The role, as the customer's template names it.") var role: String
    @Option(help: "Whom the link is for.") var email: String
    @Option(help: "How long the link is valid: 14d, 12h (at most 366d).") var expires: String = "14d"
    @Option(help: "The address people reach sop serve at.") var baseUrl: String = "http://127.0.0.1:8080"
    @Option(help: "Who invites (default: $SOP_USER, else $USER).") var by: String?

    func run() async throws {
        let created = try global.app.invite(
            slug: slug, role: role, email: email, expires: expires, baseURL: baseUrl, by: by)
        print(created.link)
        FileHandle.standardError.write(
            Data(
                "invitation \(created.invitation.id) for \(email) as \(created.invitation.role), valid until \(created.invitation.expiresAt)\n"
                    .utf8))
    }
}

extension InviteCommand: Exemplified {
    static let examples = [
        "sop invite acme --role \"Customer Stakeholder\" --email jo@acme.example",
        "sop invite acme --role \"Customer Stakeholder\" --email jo@acme.ex --expires 3d",
    ]
}
