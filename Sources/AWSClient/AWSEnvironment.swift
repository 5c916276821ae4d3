import Foundation

/// The process environment the client reads its settings from: environment variables and the
/// home directory. Tests pass their own value instead of mutating the real environment.
public struct AWSEnvironment: Sendable {
    public var variables: [String: String]
    public var homeDirectory: URL

    public init(variables: [String: String], homeDirectory: URL) {
        self.variables = variables
        self.homeDirectory = homeDirectory
    }

    /// The running process's environment and `$HOME`.
    public static var current: AWSEnvironment {
        let variables = ProcessInfo.processInfo.environment
        let home =
            variables["HOME"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser
        return AWSEnvironment(variables: variables, homeDirectory: home)
    }

    /// `AWS_SHARED_CREDENTIALS_FILE` or `~/.aws/credentials`.
    public var credentialsFile: URL {
        path(variables["AWS_SHARED_CREDENTIALS_FILE"]) ?? homeDirectory.appendingPathComponent(".aws/credentials")
    }

    /// `AWS_CONFIG_FILE` or `~/.aws/config`.
    public var configFile: URL {
        path(variables["AWS_CONFIG_FILE"]) ?? homeDirectory.appendingPathComponent(".aws/config")
    }

    /// A non-empty variable, trimmed (the CLI ignores empty ones).
    public func value(_ name: String) -> String? {
        guard let value = variables[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
            return nil
        }
        return value
    }

    private func path(_ raw: String?) -> URL? {
        guard let raw, !raw.isEmpty else { return nil }
        if raw == "~" { return homeDirectory }
        if raw.hasPrefix("~/") { return homeDirectory.appendingPathComponent(String(raw.dropFirst(2))) }
        return URL(fileURLWithPath: raw)
    }
}
