import Foundation

/// Everything a client needs: where to send, how to sign, how hard to try.
public struct AWSClientConfiguration: Sendable {
    /// The default region for regional services (callers can pass another per call).
    public var region: String
    public var credentials: any CredentialsProvider
    public var endpoints: EndpointResolver
    public var retry: RetryPolicy
    /// The deadline for one attempt (connect + response), enforced even if the transport ignores it.
    public var timeout: Duration
    public var transport: any HTTPTransport
    public var allowlist: OperationAllowlist
    /// Shared by every copy of the client; see `AWSClient.recording(into:)` for a separate log.
    public var metrics: CallMetrics

    public init(
        region: String = "us-east-1", credentials: any CredentialsProvider,
        endpoints: EndpointResolver = EndpointResolver(), retry: RetryPolicy = .standard,
        timeout: Duration = .seconds(30), transport: any HTTPTransport = URLSessionTransport(),
        allowlist: OperationAllowlist = .readOnly, metrics: CallMetrics = CallMetrics()
    ) {
        self.region = region
        self.credentials = credentials
        self.endpoints = endpoints
        self.retry = retry
        self.timeout = timeout
        self.transport = transport
        self.allowlist = allowlist
        self.metrics = metrics
    }
}

/// What the caller (the `sop` customer record, or command-line flags) asks for. Every field is
/// optional; unset fields fall back to the environment and `~/.aws` as the AWS CLI does.
public struct AWSSettings: Sendable, Equatable, Codable {
    /// A named profile (like `--profile`): environment keys are then ignored.
    public var profile: String?
    public var region: String?
    /// A role to assume on top of the base credentials (the customer's audit role).
    public var roleARN: String?
    public var externalID: String?
    public var roleSessionName: String?

    public init(
        profile: String? = nil, region: String? = nil, roleARN: String? = nil, externalID: String? = nil,
        roleSessionName: String? = nil
    ) {
        self.profile = profile
        self.region = region
        self.roleARN = roleARN
        self.externalID = externalID
        self.roleSessionName = roleSessionName
    }
}

extension AWSClientConfiguration {
    /// Resolves region, endpoints and credentials the way the AWS CLI does.
    ///
    /// - Region: `settings.region`, `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`, else `us-east-1`.
    /// - Profile: `settings.profile` (explicit: environment keys are skipped), else `AWS_PROFILE`,
    ///   `AWS_DEFAULT_PROFILE`, else `default`.
    /// - Credentials: env keys (unless a profile was given explicitly), then the profile
    ///   (static keys, `role_arn` + `source_profile`/`credential_source`, `credential_process`);
    ///   then, if `settings.roleARN` is set, STS AssumeRole into it with `settings.externalID`.
    /// - Endpoints: `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, the profile's `services`
    ///   section and `endpoint_url`.
    ///
    /// Throws `AWSError` (`.configuration`) for malformed files, unknown profiles, loops.
    /// No network call is made here; credentials are fetched on first use.
    public static func resolve(
        _ settings: AWSSettings = AWSSettings(), environment: AWSEnvironment = .current,
        transport: any HTTPTransport = URLSessionTransport(), retry: RetryPolicy = .standard,
        timeout: Duration = .seconds(30), allowlist: OperationAllowlist = .readOnly,
        metrics: CallMetrics = CallMetrics()
    ) throws -> AWSClientConfiguration {
        let shared = try SharedConfig.load(environment)
        let explicitProfile = settings.profile.flatMap { $0.isEmpty ? nil : $0 }
        let namedProfile =
            explicitProfile ?? environment.value("AWS_PROFILE") ?? environment.value("AWS_DEFAULT_PROFILE")
        let profileName = namedProfile ?? "default"
        let profile = shared.profiles[profileName]
        if namedProfile != nil, profile == nil {
            throw AWSError.configuration(
                "profile \(profileName) not found in \(environment.configFile.path) "
                    + "or \(environment.credentialsFile.path)")
        }
        let region =
            settings.region.flatMap { $0.isEmpty ? nil : $0 } ?? environment.value("AWS_REGION")
            ?? environment.value("AWS_DEFAULT_REGION") ?? profile?["region"] ?? "us-east-1"
        let endpoints = EndpointResolver(
            environment: environment.variables, profile: profile,
            servicesSection: shared.servicesSection(for: profile))
        var configuration = AWSClientConfiguration(
            region: region, credentials: StaticCredentialsProvider(Credentials(accessKeyId: "", secretAccessKey: "")),
            endpoints: endpoints, retry: retry, timeout: timeout, transport: transport, allowlist: allowlist,
            metrics: metrics)

        let resolver = ProfileResolver(config: shared, environment: environment, base: configuration)
        var providers: [any CredentialsProvider] = []
        if explicitProfile == nil { providers.append(EnvironmentCredentialsProvider(environment: environment)) }
        if profile != nil {
            providers.append(try resolver.provider(for: profileName))
        } else if explicitProfile == nil {
            providers.append(
                MissingCredentialsProvider(
                    reason:
                        "no [default] profile in \(environment.configFile.path) or \(environment.credentialsFile.path)")
            )
        }
        var credentials: any CredentialsProvider =
            providers.count == 1 ? providers[0] : ChainCredentialsProvider(providers)
        if let roleARN = settings.roleARN.flatMap({ $0.isEmpty ? nil : $0 }) {
            credentials = AssumeRoleCredentialsProvider(
                roleARN: roleARN, externalID: settings.externalID.flatMap { $0.isEmpty ? nil : $0 },
                sessionName: settings.roleSessionName ?? "sop-verify", source: credentials, base: configuration)
        }
        configuration.credentials = credentials
        return configuration
    }
}

/// A chain member that always says why there are no credentials.
struct MissingCredentialsProvider: CredentialsProvider {
    var reason: String
    var source: String { "shared config" }
    func credentials() async throws -> Credentials { throw AWSError.credentials(reason) }
}
