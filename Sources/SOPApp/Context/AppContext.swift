import AWSClient
import Foundation
import SOPCore
import SOPStore

/// Everything a use case may touch of the outside world, injected by the front end.
///
/// The CLI builds it from the process (``AppContext/live(database:templates:)``); tests build
/// one with a fixed clock, their own environment, a recording output and a test transport,
/// and drive the use cases in-process (in the manner of swiftly's core context).
public struct AppContext: Sendable {
    /// Environment variables the use cases read (`SOP_DB`, `SOP_NOW`, `SOP_USER`, AWS settings…).
    public var environment: [String: String]
    /// `--db`, when given (else `$SOP_DB`, else the default path).
    public var database: String?
    /// `--templates` folders, searched before `$SOP_TEMPLATES` and the shipped templates.
    public var templateFolders: [String]
    /// Where warnings and progress go (the CLI: stderr).
    public var output: any AppOutput
    /// The HTTP transport AWS calls use, by the number of connections per host it may open.
    public var transport: @Sendable (_ maxConnectionsPerHost: Int) -> any HTTPTransport
    /// How error messages name the inputs (the CLI: by its options).
    public var inputNaming: InputNaming = .commandLineOptions
    /// A tracker the front end keeps open for its lifetime (`sop serve`): use cases run on it
    /// and leave it open, instead of opening and closing the database for each call.
    public var openTracker: Store?

    public init(
        environment: [String: String], database: String? = nil, templateFolders: [String] = [],
        output: any AppOutput = SilentOutput(),
        transport: @escaping @Sendable (Int) -> any HTTPTransport
    ) {
        self.environment = environment
        self.database = database
        self.templateFolders = templateFolders
        self.output = output
        self.transport = transport
    }

    /// The process's own context: its environment, the standard transport (libcurl, or URLSession
    /// with `SOP_HTTP_TRANSPORT=urlsession`) and the given output.
    public static func live(database: String?, templates: [String], output: any AppOutput) -> AppContext {
        let environment = ProcessInfo.processInfo.environment
        return AppContext(
            environment: environment, database: database, templateFolders: templates, output: output,
            transport: { HTTPTransports.standard(maxConnectionsPerHost: $0, environment: environment) })
    }

    /// The clock: `SOP_NOW` (ISO-8601 or YYYY-MM-DD) pins "now" for tests and demos.
    public func clock() throws -> @Sendable () -> Date {
        guard let text = environment["SOP_NOW"], !text.isEmpty else { return { Date() } }
        guard let fixed = Timestamps.parseInstant(text) else {
            throw AppError.badInput("SOP_NOW: '\(text)' is not an ISO-8601 time (like 2026-03-02T09:00:00Z)")
        }
        return { fixed }
    }

    /// "Now" as the clock says.
    public func now() throws -> Date { try clock()() }

    /// `--by`, else `$SOP_USER`, else `$USER`, else "unknown". A name given explicitly must
    /// name someone (`--by ""` is refused, never recorded as nobody), and no name is recorded
    /// that looks like a secret (an access key pasted as `--by`). `option` is how the front end
    /// calls the input in the message.
    public func actor(_ by: String?, option: String = "--by") throws -> String {
        if let by, by.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw AppError.badInput("\(option) must name someone")
        }
        for candidate in [by, environment["SOP_USER"], environment["USER"]] {
            if let name = candidate?.trimmingCharacters(in: .whitespaces), !name.isEmpty {
                if let finding = SecretScanner.scan(name).first {
                    throw AppError(
                        .badInput,
                        "refused: \(option) contains what looks like \(finding.kind.rawValue); "
                            + "secrets and card data are never stored")
                }
                return name
            }
        }
        return "unknown"
    }

    /// The database named by `--db`, else `$SOP_DB`, else the default path.
    public var databasePath: String {
        if let database, !database.isEmpty { return database }
        if let db = environment["SOP_DB"], !db.isEmpty { return db }
        return Store.defaultPath(environment: environment)
    }
}

/// Where use cases send what is not their result: warnings and progress.
public protocol AppOutput: Sendable {
    /// One line the user should see although the use case went on (a skipped template, a file a
    /// wiki refused).
    func warning(_ line: String)
    /// Verification progress: `done` of `total` fetches answered.
    func progress(_ done: Int, of total: Int)
    /// The progress display is no longer needed.
    func progressFinished()
}

extension AppOutput {
    public func progress(_ done: Int, of total: Int) {}
    public func progressFinished() {}
}

/// Output that drops everything (the default in tests that do not look at it).
public struct SilentOutput: AppOutput {
    public init() {}
    public func warning(_ line: String) {}
}

extension AppContext {
    /// Opens the tracker the context names, to keep it open as ``openTracker`` (the caller
    /// closes it at the end).
    public func openStore() throws -> Store { try Tracker.open(self).store }

    /// The AWS client's view of the environment: the context's variables and `$HOME`.
    var awsEnvironment: AWSEnvironment {
        let home =
            environment["HOME"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser
        return AWSEnvironment(variables: environment, homeDirectory: home)
    }
}
