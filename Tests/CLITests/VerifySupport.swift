import Foundation
import TestSupport

/// A moto_server with the compliant and noncompliant fixture accounts
/// (`Tests/Fixtures/aws/build_account.py`), and the environment that points `sop` at it.
enum VerifyAccounts {
    struct State: Sendable {
        let server: MotoServer
        let directory: URL
        var credentialsFile: URL { directory.appendingPathComponent("credentials") }

        /// AWS settings for the `sop` binary: fixture keys, moto's endpoint, nothing from the developer's machine.
        var environment: [String: String] {
            [
                "AWS_SHARED_CREDENTIALS_FILE": credentialsFile.path,
                "AWS_CONFIG_FILE": directory.appendingPathComponent("config").path,
                "AWS_ENDPOINT_URL": server.endpoint.absoluteString,
            ]
        }
    }

    static let script = Paths.repositoryRoot.appendingPathComponent("Tests/Fixtures/aws/build_account.py")

    static let shared = Task<State, Error> {
        try await start([("compliant", "111111111111", "compliant"), ("noncompliant", "222222222222", "noncompliant")])
    }

    /// A moto_server of its own with each `(kind, account, profile)` built in it by the fixture script.
    static func start(_ accounts: [(kind: String, account: String, profile: String)]) async throws -> State {
        let server = try await MotoServer.start()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sop-verify-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let state = State(server: server, directory: directory)
        for (kind, account, profile) in accounts {
            let result = try runProcess(
                URL(fileURLWithPath: "/usr/bin/env"),
                [
                    "python3", script.path, "--endpoint", server.endpoint.absoluteString, "--kind", kind, "--account",
                    account,
                    "--regions", "us-east-1,eu-west-1", "--credentials-file", state.credentialsFile.path, "--profile",
                    profile,
                ], environment: server.clientEnvironment())
            guard result.status == 0 else {
                throw MotoServer.Failure("\(kind) fixture failed: \(result.stderr.suffix(2000))")
            }
        }
        return state
    }

    /// Runs boto3 code against one fixture account of the shared server (to change it between
    /// two verifications).
    static func python(_ code: String, account: String) async throws {
        try await shared.value.python(code, account: account)
    }
}

extension VerifyAccounts.State {
    /// Runs boto3 code against one account of this server.
    func python(_ code: String, account: String) throws {
        let script = """
            import boto3
            def client(name, region="us-east-1"):
                c = boto3.client(name, region_name=region)
                c.meta.events.register("before-sign.*.*", lambda request, **_: request.headers.__setitem__("x-moto-account-id", "\(account)"))
                return c
            \(code)
            """
        let result = try server.runPython(script)
        guard result.status == 0 else { throw MotoServer.Failure("boto3: \(result.stderr.suffix(2000))") }
    }
}
