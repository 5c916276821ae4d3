import Foundation

/// Where a request goes and how it is scoped for signing.
public struct Endpoint: Sendable, Equatable {
    /// Scheme, host, port and any base path; the operation's path is appended to it.
    public var url: URL
    /// The credential-scope region (`us-east-1` for global services).
    public var signingRegion: String
    public var signingName: String
    /// True when the URL came from `AWS_ENDPOINT_URL*` or the profile: then S3 is addressed
    /// path-style and S3 Control gets no `{AccountId}.` host prefix (Documentation/aws-checks.md §3.5).
    public var isOverride: Bool
}

/// Resolves endpoints as the AWS CLI does: `AWS_ENDPOINT_URL_<SERVICE>`, then `AWS_ENDPOINT_URL`,
/// then the profile's `[services]` section and `endpoint_url`, else the AWS default host.
/// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true` turns every override off.
public struct EndpointResolver: Sendable, Equatable {
    /// Per-service overrides (win over `globalOverride`).
    public var serviceOverrides: [AWSService: URL]
    /// One URL for every service (`AWS_ENDPOINT_URL`, e.g. a moto_server).
    public var globalOverride: URL?

    public init(serviceOverrides: [AWSService: URL] = [:], globalOverride: URL? = nil) {
        self.serviceOverrides = serviceOverrides
        self.globalOverride = globalOverride
    }

    /// Reads the overrides from environment variables and, below them, the profile's settings.
    public init(
        environment: [String: String], profile: SharedConfig.Profile? = nil,
        servicesSection: [String: [String: String]] = [:]
    ) {
        self.init()
        let ignore =
            (environment["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"]
            ?? profile?["ignore_configured_endpoint_urls"])?.lowercased() == "true"
        guard !ignore else { return }
        // botocore's order: service env var > AWS_ENDPOINT_URL > service entry in the profile's
        // `[services]` section > the profile's `endpoint_url`.
        let environmentGlobal = environment["AWS_ENDPOINT_URL"].flatMap(Self.url)
        for service in AWSService.allCases {
            if let url = environment[service.endpointEnvironmentVariable].flatMap(Self.url) {
                serviceOverrides[service] = url
            } else if environmentGlobal == nil,
                let url = servicesSection[service.configSectionKey]?["endpoint_url"].flatMap(Self.url)
            {
                serviceOverrides[service] = url
            }
        }
        globalOverride = environmentGlobal ?? profile?["endpoint_url"].flatMap(Self.url)
    }

    private static func url(_ text: String) -> URL? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, let url = URL(string: trimmed), url.scheme != nil, url.host != nil else { return nil }
        return url
    }

    /// The endpoint for `service` in `region`. `accountID` is needed only for S3 Control's host.
    public func endpoint(for service: AWSService, region: String, accountID: String? = nil) -> Endpoint {
        let signingRegion = service.isGlobal ? "us-east-1" : region
        if let url = serviceOverrides[service] ?? globalOverride {
            return Endpoint(url: url, signingRegion: signingRegion, signingName: service.signingName, isOverride: true)
        }
        let suffix = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        let host: String
        switch service {
        case .iam: host = "iam.amazonaws.com"
        case .budgets: host = "budgets.amazonaws.com"
        case .organizations, .costExplorer, .account: host = "\(service.endpointPrefix).us-east-1.amazonaws.com"
        case .s3 where region == "us-east-1": host = "s3.amazonaws.com"
        case .s3control:
            let prefix = accountID.map { "\($0)." } ?? ""
            host = "\(prefix)s3-control.\(region).\(suffix)"
        default: host = "\(service.endpointPrefix).\(region).\(suffix)"
        }
        let url = URL(string: "https://\(host)") ?? URL(fileURLWithPath: "/")
        return Endpoint(url: url, signingRegion: signingRegion, signingName: service.signingName, isOverride: false)
    }
}
