import Foundation

/// `credential_process`: runs the configured command and reads its JSON
/// (`{"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken"?, "Expiration"?}`).
///
/// The command's output holds secrets: it is never logged or put into an error message.
/// Errors name the profile and the exit status only.
public struct ProcessCredentialsProvider: CredentialsProvider {
    public let command: String
    public let profile: String
    public let timeout: Duration

    public init(command: String, profile: String, timeout: Duration = .seconds(60)) {
        self.command = command
        self.profile = profile
        self.timeout = timeout
    }

    public var source: String { "credential_process of profile \(profile)" }

    public func credentials() async throws -> Credentials {
        let output = try await run()
        guard let json = try? JSONValue.parse(output) else {
            throw AWSError.credentials("credential_process of profile \(profile) did not print JSON")
        }
        if let version = json["Version"]?.int, version != 1 {
            throw AWSError.credentials("credential_process of profile \(profile): unsupported Version \(version)")
        }
        guard let key = json["AccessKeyId"]?.string, !key.isEmpty,
            let secret = json["SecretAccessKey"]?.string, !secret.isEmpty
        else {
            throw AWSError.credentials(
                "credential_process of profile \(profile): AccessKeyId or SecretAccessKey missing")
        }
        var expiration: Date?
        if let text = json["Expiration"]?.string {
            guard let date = ISO8601.parse(text) else {
                throw AWSError.credentials("credential_process of profile \(profile): Expiration is not ISO 8601")
            }
            expiration = date
        }
        return Credentials(
            accessKeyId: key, secretAccessKey: secret, sessionToken: json["SessionToken"]?.string,
            expiration: expiration)
    }

    /// Runs the command through `/bin/sh -c` (the CLI splits it shell-style; the shell does the same)
    /// without blocking a cooperative thread.
    private func run() async throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let profile = self.profile
        let result: (Int32, Data)
        do {
            result = try await withDeadline(timeout) {
                try await withCheckedThrowingContinuation { continuation in
                    DispatchQueue.global().async {
                        do {
                            try process.run()
                        } catch {
                            continuation.resume(
                                throwing: AWSError.credentials(
                                    "credential_process of profile \(profile) could not be started"))
                            return
                        }
                        let data = stdout.fileHandleForReading.readDataToEndOfFile()
                        process.waitUntilExit()
                        continuation.resume(returning: (process.terminationStatus, data))
                    }
                }
            }
        } catch is DeadlineExceeded {
            // SIGKILL: a blocked SIGTERM (inherited signal mask) must not leave the helper running.
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            throw AWSError.credentials("credential_process of profile \(profile) timed out after \(timeout)")
        }
        guard result.0 == 0 else {
            throw AWSError.credentials("credential_process of profile \(profile) exited with status \(result.0)")
        }
        return result.1
    }
}

/// ISO 8601 timestamps as AWS writes them (with or without fractional seconds).
enum ISO8601 {
    static func parse(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }
}
