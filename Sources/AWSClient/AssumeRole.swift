import Foundation

/// Temporary credentials from `sts:AssumeRole` (query protocol), signed with `source`'s
/// credentials. Cached until 5 minutes before they expire; concurrent callers share one call.
public final class AssumeRoleCredentialsProvider: CredentialsProvider {
    public let roleARN: String
    public let externalID: String?
    public let sessionName: String
    public let durationSeconds: Int?
    private let cache: CachingCredentialsProvider

    /// - Parameter base: transport, endpoints, region, retries and metrics for the STS call
    ///   (its `credentials` are replaced by `source`).
    public init(
        roleARN: String, externalID: String?, sessionName: String, durationSeconds: Int? = nil,
        source: any CredentialsProvider, base: AWSClientConfiguration
    ) {
        self.roleARN = roleARN
        self.externalID = externalID
        self.sessionName = sessionName
        self.durationSeconds = durationSeconds
        var stsConfiguration = base
        stsConfiguration.credentials = source
        cache = CachingCredentialsProvider(
            AssumeRoleCall(
                roleARN: roleARN, externalID: externalID, sessionName: sessionName, durationSeconds: durationSeconds,
                client: AWSClient(stsConfiguration), sourceDescription: source.source))
    }

    public var source: String { cache.source }

    public func credentials() async throws -> Credentials { try await cache.credentials() }
}

/// The uncached STS call.
private struct AssumeRoleCall: CredentialsProvider {
    var roleARN: String
    var externalID: String?
    var sessionName: String
    var durationSeconds: Int?
    var client: AWSClient
    var sourceDescription: String

    var source: String { "assume role \(roleARN) via \(sourceDescription)" }

    func credentials() async throws -> Credentials {
        var parameters = ["RoleArn": roleARN, "RoleSessionName": sessionName]
        if let externalID { parameters["ExternalId"] = externalID }
        if let durationSeconds { parameters["DurationSeconds"] = String(durationSeconds) }
        let result: XMLNode
        do {
            result = try await client.query(.sts, "AssumeRole", parameters)
        } catch let error as AWSError {
            var wrapped = error
            wrapped.message = "AssumeRole into \(roleARN) failed: \(error.message)"
            throw wrapped
        }
        guard let node = result.first("Credentials"),
            let key = node.string("AccessKeyId"), let secret = node.string("SecretAccessKey")
        else {
            throw AWSError.credentials("AssumeRole into \(roleARN) returned no credentials")
        }
        return Credentials(
            accessKeyId: key, secretAccessKey: secret, sessionToken: node.string("SessionToken"),
            expiration: node.string("Expiration").flatMap(ISO8601.parse))
    }
}

/// Builds the credentials provider for a named profile, following `source_profile` chains.
struct ProfileResolver {
    var config: SharedConfig
    var environment: AWSEnvironment
    var base: AWSClientConfiguration

    func provider(for name: String) throws -> any CredentialsProvider {
        try provider(for: name, visited: [])
    }

    private func provider(for name: String, visited: [String]) throws -> any CredentialsProvider {
        guard let profile = config.profiles[name] else {
            let from = visited.last.map { " (source_profile of \($0))" } ?? ""
            throw AWSError.configuration(
                "profile \(name)\(from) not found in \(environment.configFile.path) "
                    + "or \(environment.credentialsFile.path)")
        }
        if let roleARN = profile["role_arn"] {
            if profile["mfa_serial"] != nil {
                throw AWSError.configuration(
                    "profile \(name): mfa_serial needs an interactive MFA code, which sop cannot ask for")
            }
            let source: any CredentialsProvider
            if let sourceName = profile["source_profile"] {
                if sourceName == name, let keys = staticCredentials(profile) {
                    source = StaticCredentialsProvider(keys, source: "profile \(name)")
                } else if visited.contains(sourceName) || sourceName == name {
                    throw AWSError.configuration(
                        "profile \(name): source_profile loop "
                            + (visited + [name, sourceName]).joined(separator: " → "))
                } else if let sourceProfile = config.profiles[sourceName], let keys = staticCredentials(sourceProfile) {
                    source = StaticCredentialsProvider(keys, source: "profile \(sourceName)")
                } else {
                    source = try provider(for: sourceName, visited: visited + [name])
                }
            } else if let credentialSource = profile["credential_source"] {
                guard credentialSource == "Environment" else {
                    throw AWSError.configuration(
                        "profile \(name): credential_source \(credentialSource) is not supported "
                            + "(only Environment)")
                }
                source = EnvironmentCredentialsProvider(environment: environment)
            } else {
                throw AWSError.configuration("profile \(name): role_arn needs source_profile or credential_source")
            }
            var duration: Int?
            if let text = profile["duration_seconds"] {
                guard let value = Int(text) else {
                    throw AWSError.configuration("profile \(name): duration_seconds \(text) is not a number")
                }
                duration = value
            }
            var stsBase = base
            if let region = profile["region"], environment.value("AWS_REGION") == nil,
                environment.value("AWS_DEFAULT_REGION") == nil
            {
                stsBase.region = region
            }
            return AssumeRoleCredentialsProvider(
                roleARN: roleARN, externalID: profile["external_id"],
                sessionName: profile["role_session_name"] ?? "sop-\(Int(Date().timeIntervalSince1970))",
                durationSeconds: duration, source: source, base: stsBase)
        }
        if let keys = staticCredentials(profile) {
            return StaticCredentialsProvider(keys, source: "profile \(name)")
        }
        if let command = profile["credential_process"] {
            return CachingCredentialsProvider(ProcessCredentialsProvider(command: command, profile: name))
        }
        if profile["sso_session"] != nil || profile["sso_start_url"] != nil {
            throw AWSError.configuration(
                "profile \(name) uses IAM Identity Center (SSO), which sop does not support; "
                    + "use credential_process or a role")
        }
        return MissingCredentialsProvider(
            reason: "profile \(name) has no credentials "
                + "(aws_access_key_id, role_arn or credential_process)")
    }

    private func staticCredentials(_ profile: SharedConfig.Profile) -> Credentials? {
        guard let key = profile["aws_access_key_id"], let secret = profile["aws_secret_access_key"] else { return nil }
        return Credentials(accessKeyId: key, secretAccessKey: secret, sessionToken: profile["aws_session_token"])
    }
}
