import AWSClient
import Foundation
import SOPChecks
import SOPCore
import TestSupport

/// One moto_server holding two accounts built by `Tests/Fixtures/aws/build_account.py`:
/// a compliant one and a noncompliant one, each with its own `auditor` key in a
/// shared-credentials file (profiles `compliant` and `noncompliant`).
enum MotoAccounts {
    static let compliantAccount = "111111111111"
    static let noncompliantAccount = "222222222222"
    static let regions = ["us-east-1", "eu-west-1"]

    /// What the fixture script reports (ids of the resources tests assert on).
    struct Built: Decodable, Sendable {
        var account: String
        var vpcs: [String: String]?
        var bob: String?
        var carol: String?
        var trail_bucket: String?
        var trail_arn: String?
        var detector: String?
        var unsubscribed_topic: String?
        var open_sg: String?
        var unencrypted_volume: String?
        var function: String?
        var default_nacl_subnets: [String]?
        var violations: [String: String]?
    }

    struct State: Sendable {
        let server: MotoServer
        let directory: URL
        let credentialsFile: URL
        let compliant: Built
        let noncompliant: Built
    }

    static let script = Paths.repositoryRoot.appendingPathComponent("Tests/Fixtures/aws/build_account.py")

    static let shared = Task<State, Error> {
        let server = try await MotoServer.start()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sop-checks-moto-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let credentials = directory.appendingPathComponent("credentials")
        async let compliant = build(server, kind: "compliant", account: compliantAccount, credentials: credentials)
        async let noncompliant = build(
            server, kind: "noncompliant", account: noncompliantAccount, credentials: credentials)
        let (c, n) = try await (compliant, noncompliant)
        return State(server: server, directory: directory, credentialsFile: credentials, compliant: c, noncompliant: n)
    }

    /// Runs the fixture script; each kind appends its own profile to the credentials file.
    static func build(_ server: MotoServer, kind: String, account: String, credentials: URL) async throws -> Built {
        let python = URL(fileURLWithPath: "/usr/bin/env")
        let result = try runProcess(
            python,
            [
                "python3", script.path, "--endpoint", server.endpoint.absoluteString, "--kind", kind, "--account",
                account,
                "--regions", regions.joined(separator: ","),
                "--credentials-file", credentials.path + "-" + kind, "--profile", kind,
            ], environment: server.clientEnvironment())
        guard result.status == 0 else {
            throw MotoServer.Failure("\(kind) fixture failed: \(result.stderr.suffix(2000))")
        }
        let built = try JSONDecoder().decode(Built.self, from: result.stdoutData)
        // Merge into the one shared-credentials file the CLI reads.
        let part = try String(contentsOf: URL(fileURLWithPath: credentials.path + "-" + kind), encoding: .utf8)
        try await CredentialsFileLock.shared.append(part, to: credentials)
        return built
    }

    /// A client for one profile of the fixture credentials file, talking to moto.
    static func client(profile: String, state: State) throws -> AWSClient {
        let environment = AWSEnvironment(variables: environment(state), homeDirectory: state.directory)
        let configuration = try AWSClientConfiguration.resolve(
            AWSSettings(profile: profile), environment: environment,
            retry: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(50)),
            timeout: .seconds(30))
        return AWSClient(configuration)
    }

    /// Environment for the `sop` binary: the fixture credentials, moto's endpoint, no other AWS settings.
    static func environment(_ state: State) -> [String: String] {
        [
            "AWS_SHARED_CREDENTIALS_FILE": state.credentialsFile.path,
            "AWS_CONFIG_FILE": state.directory.appendingPathComponent("config").path,
            "AWS_ENDPOINT_URL": state.server.endpoint.absoluteString,
        ]
    }

    /// Runs every check of the catalog against one account with the 1.1.0 template's defaults.
    static func verify(profile: String, account: String) async throws -> VerifierRun {
        let state = try await shared.value
        let verifier = Verifier(client: try client(profile: profile, state: state))
        let template = try ShippedTemplates.all().first { $0.version == SemanticVersion(1, 1, 0) }
        return await verifier.run(
            checks: CheckCatalog.all, accountId: account, regions: regions,
            parameters: template?.parameterValues() ?? [:])
    }
}

/// Serialises appends to the shared credentials file from concurrent fixture builds.
actor CredentialsFileLock {
    static let shared = CredentialsFileLock()

    func append(_ text: String, to file: URL) throws {
        let existing = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        try Data((existing + text).utf8).write(to: file)
    }
}
