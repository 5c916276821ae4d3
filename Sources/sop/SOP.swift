import ArgumentParser
import Foundation
import SOPApp

/// The root command. Every subcommand is registered here, in one place.
@main
struct SOP: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sop",
        abstract: "Track, verify and hand over AWS account setups that follow a versioned SOP.",
        discussion: """
            Templates live in Templates/ (or --templates DIR / SOP_TEMPLATES); the tracker is one \
            SQLite file ($XDG_DATA_HOME/sop/sop.sqlite, --db PATH or SOP_DB).
            """,
        version: SOPVersion.current,
        subcommands: [
            TemplateCommand.self,
            NewCommand.self,
            CustomersCommand.self,
            StatusCommand.self,
            AgendaCommand.self,
            DigestCommand.self,
            MarkCommand.self,
            AssignCommand.self,
            EvidenceCommand.self,
            SignoffCommand.self,
            LogCommand.self,
            AuditCommand.self,
            BackupCommand.self,
            RestoreCommand.self,
            VerifyCommand.self,
            IAMPolicyCommand.self,
            HandoverCommand.self,
            SiteCommand.self,
            PublishCommand.self,
            UpgradeCommand.self,
            DatabaseCommand.self,
            ServeCommand.self,
            UserCommand.self,
            TokenCommand.self,
            InviteCommand.self,
            WaiveCommand.self,
            WaiverCommand.self,
            BaselineCommand.self,
        ]
    )

    /// Runs the command line with `sop`'s exit-code policy: bad usage and bad input exit 2
    /// with one line on stderr; a command may choose its own code with ``CommandFailure``.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var async = command as? AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
        } catch let error as AppError {
            // The one mapping from a use case's error to the exit code.
            if !error.message.isEmpty { Terminal.standardError("sop: error: \(error.message)") }
            Foundation.exit(error.verdict.exitCode)
        } catch let failure as CommandFailure {
            if !failure.message.isEmpty { Terminal.standardError("sop: error: \(failure.message)") }
            Foundation.exit(failure.code)
        } catch {
            let code = exitCode(for: error)
            if code == .success, HelpExamples.commandPath(ofHelp: fullMessage(for: error)) != nil {
                // `--help` and `sop help CMD`: the parser's text, then the command's examples.
                print(HelpExamples.append(to: fullMessage(for: error)), terminator: "")
                Foundation.exit(0)
            }
            if code == .success || code.rawValue == 1 && "\(error)".isEmpty {
                exit(withError: error)
            }
            if error is ExitCode { Foundation.exit(code.rawValue) }
            var message = fullMessage(for: error)
            if let kind = SOPApplication.secretKind(in: message) {
                // The parser quotes the argument it refused (`--note "-----BEGIN RSA PRIVATE KEY…"`
                // is read as an option): never print it.
                message =
                    "sop: error: an argument holds what looks like \(kind); it is not shown. "
                    + "A value that starts with '-' goes after '=' (--note=VALUE); secrets are never stored"
                Terminal.standardError(message)
                Foundation.exit(2)
            }
            if code.rawValue == ExitCode.validationFailure.rawValue {
                // Usage errors: the parser's one-line message plus the usage hint, exit 2.
                Terminal.standardError(message)
                Foundation.exit(2)
            }
            if message.contains("--help") || message.hasPrefix("OVERVIEW") || message.hasPrefix("USAGE") {
                print(HelpExamples.append(to: message))
                Foundation.exit(code.rawValue)
            }
            Terminal.standardError("sop: error: \(message)")
            Foundation.exit(code.rawValue == 0 ? 1 : code.rawValue)
        }
    }
}

enum SOPVersion {
    static let current = "0.1.0"
}

extension SOP: Exemplified {
    static let examples = [
        "sop new acme --name \"Acme Corp\" --email aws-root@acme.example",
        "sop status",
        "sop verify acme",
    ]
}
