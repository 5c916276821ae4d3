import Foundation
import TestSupport
import Testing

@testable import AWSClient

/// The credential and region chain with temporary `~/.aws` files (no process environment is touched).
@Suite struct CredentialsChainTests {
    let home = TemporaryDirectory("aws-home")

    func environment(_ variables: [String: String] = [:]) -> AWSEnvironment {
        AWSEnvironment(variables: variables, homeDirectory: home.url)
    }

    func resolve(_ settings: AWSSettings = AWSSettings(), _ variables: [String: String] = [:]) throws
        -> AWSClientConfiguration
    {
        try AWSClientConfiguration.resolve(settings, environment: environment(variables))
    }

    func writeFiles(config: String = "", credentials: String = "") throws {
        try home.write(".aws/config", config)
        try home.write(".aws/credentials", credentials)
    }

    @Test func environmentKeysWinOverAWSProfile() async throws {
        try writeFiles(credentials: "[dev]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = profile-secret\n")
        let configuration = try resolve(
            AWSSettings(),
            [
                "AWS_PROFILE": "dev", "AWS_ACCESS_KEY_ID": "AKIDENV",
                "AWS_SECRET_ACCESS_KEY": "env-secret", "AWS_SESSION_TOKEN": "tok",
            ])
        let credentials = try await configuration.credentials.credentials()
        #expect(credentials.accessKeyId == "AKIDENV")
        #expect(credentials.sessionToken == "tok")
    }

    @Test func explicitProfileSkipsEnvironmentKeys() async throws {
        try writeFiles(credentials: "[dev]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = profile-secret\n")
        let configuration = try resolve(
            AWSSettings(profile: "dev"),
            [
                "AWS_ACCESS_KEY_ID": "AKIDENV",
                "AWS_SECRET_ACCESS_KEY": "env-secret",
            ])
        #expect(try await configuration.credentials.credentials().accessKeyId == "AKIDPROFILE")
    }

    @Test func defaultProfileAndMerging() async throws {
        try writeFiles(
            config: """
                [default]
                region = eu-central-1
                # a comment
                [profile ops]
                region = ap-southeast-2
                aws_access_key_id = AKIDCONFIG
                aws_secret_access_key = config-secret
                """,
            credentials: """
                [default]
                aws_access_key_id=AKIDDEFAULT
                aws_secret_access_key=default-secret
                [ops]
                aws_access_key_id = AKIDCREDS
                """)
        let configuration = try resolve()
        #expect(configuration.region == "eu-central-1")
        #expect(try await configuration.credentials.credentials().accessKeyId == "AKIDDEFAULT")
        let ops = try resolve(AWSSettings(profile: "ops"))
        #expect(ops.region == "ap-southeast-2")
        let credentials = try await ops.credentials.credentials()
        #expect(credentials.accessKeyId == "AKIDCREDS")  // the credentials file wins per key
        #expect(credentials.secretAccessKey == "config-secret")
    }

    @Test func regionPrecedence() throws {
        try writeFiles(
            config: "[default]\nregion = eu-west-3\n",
            credentials: "[default]\naws_access_key_id=A\naws_secret_access_key=B\n")
        #expect(try resolve(AWSSettings(region: "sa-east-1"), ["AWS_REGION": "eu-west-1"]).region == "sa-east-1")
        #expect(
            try resolve(AWSSettings(), ["AWS_REGION": "eu-west-1", "AWS_DEFAULT_REGION": "eu-west-2"]).region
                == "eu-west-1")
        #expect(try resolve(AWSSettings(), ["AWS_DEFAULT_REGION": "eu-west-2"]).region == "eu-west-2")
        #expect(try resolve().region == "eu-west-3")
        try writeFiles()
        #expect(try resolve().region == "us-east-1")
    }

    @Test func fileLocationVariablesAreRespected() async throws {
        let other = TemporaryDirectory("aws-other")
        let credentialsFile = try other.write(
            "creds.ini", "[default]\naws_access_key_id = AKIDMOVED\naws_secret_access_key = s\n")
        let configFile = try other.write("conf.ini", "[default]\nregion = us-west-1\n")
        let configuration = try resolve(
            AWSSettings(),
            [
                "AWS_SHARED_CREDENTIALS_FILE": credentialsFile.path,
                "AWS_CONFIG_FILE": configFile.path,
            ])
        #expect(configuration.region == "us-west-1")
        #expect(try await configuration.credentials.credentials().accessKeyId == "AKIDMOVED")
    }

    @Test func unknownProfileIsAConfigurationError() throws {
        try writeFiles()
        for settings in [AWSSettings(profile: "nope")] {
            let error = try #require(throws: AWSError.self) { try resolve(settings) }
            #expect(error.kind == .configuration)
            #expect(error.message.contains("nope"))
        }
        let viaEnv = try #require(throws: AWSError.self) { try resolve(AWSSettings(), ["AWS_PROFILE": "ghost"]) }
        #expect(viaEnv.message.contains("ghost"))
    }

    @Test func noCredentialsAnywhere() async throws {
        try writeFiles()
        let configuration = try resolve()
        let error = try #require(await awsError { try await configuration.credentials.credentials() })
        #expect(error.kind == .credentials)
    }

    @Test func malformedFileNamesLineButNotContent() throws {
        try writeFiles(credentials: "[default]\naws_secret_access_key_without_separator SUPERSECRET\n")
        let error = try #require(throws: AWSError.self) { try resolve() }
        #expect(error.kind == .configuration)
        #expect(error.message.contains("credentials:2"))
        #expect(!error.message.contains("SUPERSECRET"))
    }

    @Test func sourceProfileLoopsAreReported() throws {
        try writeFiles(
            config: """
                [profile a]
                role_arn = arn:aws:iam::111111111111:role/a
                source_profile = b
                [profile b]
                role_arn = arn:aws:iam::111111111111:role/b
                source_profile = a
                """)
        let error = try #require(throws: AWSError.self) { try resolve(AWSSettings(profile: "a")) }
        #expect(error.kind == .configuration)
        #expect(error.message.contains("loop"))
    }

    @Test func roleWithoutSourceIsReported() throws {
        try writeFiles(config: "[profile r]\nrole_arn = arn:aws:iam::111111111111:role/r\n")
        let error = try #require(throws: AWSError.self) { try resolve(AWSSettings(profile: "r")) }
        #expect(error.message.contains("source_profile"))
    }

    @Test func credentialProcessIsRunAndParsed() async throws {
        let script = try home.write(
            "bin/creds.sh",
            """
            #!/bin/sh
            echo '{"Version": 1, "AccessKeyId": "AKIDPROCESS", "SecretAccessKey": "process-secret", "SessionToken": "process-token", "Expiration": "2099-01-01T00:00:00Z"}'
            """)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        try writeFiles(config: "[profile proc]\ncredential_process = \(script.path) --flag\n")
        let configuration = try resolve(AWSSettings(profile: "proc"))
        let credentials = try await configuration.credentials.credentials()
        #expect(credentials.accessKeyId == "AKIDPROCESS")
        #expect(credentials.sessionToken == "process-token")
        #expect(credentials.expiration == ISO8601.parse("2099-01-01T00:00:00Z"))
        #expect(configuration.credentials.source.contains("credential_process"))
    }

    @Test func credentialProcessFailuresHideOutput() async throws {
        let failing = try home.write("bin/fail.sh", "#!/bin/sh\necho 'SECRET-OUTPUT'\necho 'SECRET-ERR' >&2\nexit 3\n")
        let garbage = try home.write("bin/garbage.sh", "#!/bin/sh\necho 'SECRET-NOT-JSON'\n")
        for file in [failing, garbage] {
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file.path)
        }
        try writeFiles(
            config:
                "[profile fail]\ncredential_process = \(failing.path)\n[profile garbage]\ncredential_process = \(garbage.path)\n"
        )
        let failed = try #require(
            await awsError { try await resolve(AWSSettings(profile: "fail")).credentials.credentials() })
        #expect(failed.kind == .credentials)
        #expect(failed.message.contains("status 3"))
        #expect(!failed.description.contains("SECRET"))
        let notJSON = try #require(
            await awsError { try await resolve(AWSSettings(profile: "garbage")).credentials.credentials() })
        #expect(notJSON.kind == .credentials)
        #expect(!notJSON.description.contains("SECRET"))
    }

    @Test func ssoAndMFAProfilesAreRefusedClearly() throws {
        try writeFiles(
            config: """
                [profile sso]
                sso_session = corp
                [profile mfa]
                role_arn = arn:aws:iam::111111111111:role/r
                source_profile = base
                mfa_serial = arn:aws:iam::111111111111:mfa/me
                [profile base]
                aws_access_key_id = A
                aws_secret_access_key = B
                """)
        #expect(throws: AWSError.self) { try resolve(AWSSettings(profile: "sso")) }
        #expect(throws: AWSError.self) { try resolve(AWSSettings(profile: "mfa")) }
    }

    @Test func sharedConfigParsesNestedSectionsAndColons() throws {
        let sections = try SharedConfig.parse(
            """
            [profile x]
            s3 =
              addressing_style = path
            region: eu-west-1
            endpoint_url = http://127.0.0.1:5000
            [services local]
            cloudwatch_logs =
              endpoint_url = http://logs:1
            """, file: "config")
        #expect(sections.count == 2)
        #expect(sections.first?.values["region"] == "eu-west-1")
        #expect(sections.first?.values["endpoint_url"] == "http://127.0.0.1:5000")
        #expect(sections.first?.nested["s3"]?["addressing_style"] == "path")
        #expect(sections.last?.nested["cloudwatch_logs"]?["endpoint_url"] == "http://logs:1")
    }

    @Test func endpointOverrideComesFromEnvironmentAndProfile() throws {
        try writeFiles(
            config: "[default]\nendpoint_url = http://from-profile:9\n",
            credentials: "[default]\naws_access_key_id=A\naws_secret_access_key=B\n")
        let fromProfile = try resolve()
        #expect(
            fromProfile.endpoints.endpoint(for: .iam, region: "us-east-1").url.absoluteString == "http://from-profile:9"
        )
        let fromEnv = try resolve(
            AWSSettings(), ["AWS_ENDPOINT_URL_IAM": "http://iam-env:1", "AWS_ENDPOINT_URL": "http://all:2"])
        #expect(fromEnv.endpoints.endpoint(for: .iam, region: "us-east-1").url.absoluteString == "http://iam-env:1")
        #expect(fromEnv.endpoints.endpoint(for: .sts, region: "us-east-1").url.absoluteString == "http://all:2")
    }
}
