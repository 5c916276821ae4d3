import Foundation
import Testing

@testable import AWSClient

@Suite struct EndpointTests {
    @Test func environmentVariableNamesFollowBotocore() {
        // Values checked against botocore 1.43's ConfiguredEndpointProvider.
        let expected: [AWSService: String] = [
            .iam: "AWS_ENDPOINT_URL_IAM", .costExplorer: "AWS_ENDPOINT_URL_COST_EXPLORER",
            .cloudwatch: "AWS_ENDPOINT_URL_CLOUDWATCH", .logs: "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS",
            .config: "AWS_ENDPOINT_URL_CONFIG_SERVICE", .events: "AWS_ENDPOINT_URL_EVENTBRIDGE",
            .s3control: "AWS_ENDPOINT_URL_S3_CONTROL", .tagging: "AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API",
            .s3: "AWS_ENDPOINT_URL_S3", .guardduty: "AWS_ENDPOINT_URL_GUARDDUTY",
        ]
        for (service, name) in expected { #expect(service.endpointEnvironmentVariable == name) }
    }

    @Test func defaultHostsAndScopes() {
        let resolver = EndpointResolver()
        let iam = resolver.endpoint(for: .iam, region: "eu-west-1")
        #expect(iam.url.absoluteString == "https://iam.amazonaws.com")
        #expect(iam.signingRegion == "us-east-1")
        #expect(
            resolver.endpoint(for: .organizations, region: "ap-southeast-2").url.host
                == "organizations.us-east-1.amazonaws.com")
        #expect(resolver.endpoint(for: .budgets, region: "eu-west-1").url.host == "budgets.amazonaws.com")
        #expect(resolver.endpoint(for: .costExplorer, region: "eu-west-1").signingName == "ce")
        let cw = resolver.endpoint(for: .cloudwatch, region: "eu-west-1")
        #expect(cw.url.host == "monitoring.eu-west-1.amazonaws.com")
        #expect(cw.signingName == "monitoring")
        #expect(cw.signingRegion == "eu-west-1")
        #expect(resolver.endpoint(for: .sts, region: "eu-west-1").url.host == "sts.eu-west-1.amazonaws.com")
        #expect(resolver.endpoint(for: .s3, region: "us-east-1").url.host == "s3.amazonaws.com")
        #expect(resolver.endpoint(for: .s3, region: "eu-west-1").url.host == "s3.eu-west-1.amazonaws.com")
        let control = resolver.endpoint(for: .s3control, region: "eu-west-1", accountID: "123456789012")
        #expect(control.url.host == "123456789012.s3-control.eu-west-1.amazonaws.com")
        #expect(control.signingName == "s3")
        #expect(resolver.endpoint(for: .tagging, region: "us-west-2").url.host == "tagging.us-west-2.amazonaws.com")
        #expect(resolver.endpoint(for: .tagging, region: "us-west-2").signingName == "tagging")
    }

    @Test func overridesFromEnvironment() throws {
        let resolver = EndpointResolver(environment: [
            "AWS_ENDPOINT_URL": "http://127.0.0.1:5000",
            "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS": "http://localhost:4566/",
        ])
        let logs = resolver.endpoint(for: .logs, region: "eu-west-1")
        #expect(logs.url.absoluteString == "http://localhost:4566/")
        #expect(logs.isOverride)
        #expect(logs.signingRegion == "eu-west-1")
        let iam = resolver.endpoint(for: .iam, region: "eu-west-1")
        #expect(iam.url.absoluteString == "http://127.0.0.1:5000")
        #expect(iam.signingRegion == "us-east-1")
        // S3 Control: no account prefix on an override host (Documentation/aws-checks.md §3.5).
        let control = resolver.endpoint(for: .s3control, region: "us-east-1", accountID: "123456789012")
        #expect(control.url.host == "127.0.0.1")

        let ignored = EndpointResolver(environment: [
            "AWS_ENDPOINT_URL": "http://127.0.0.1:5000",
            "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true",
        ])
        #expect(!ignored.endpoint(for: .iam, region: "us-east-1").isOverride)
        let blank = EndpointResolver(environment: ["AWS_ENDPOINT_URL": "  "])
        #expect(!blank.endpoint(for: .iam, region: "us-east-1").isOverride)
    }

    @Test func profileEndpointsRankBelowEnvironment() {
        let profile = SharedConfig.Profile(
            name: "p", values: ["endpoint_url": "http://profile:1", "services": "local"])
        let section = ["cloudwatch_logs": ["endpoint_url": "http://logs-from-config:2"]]
        let configOnly = EndpointResolver(environment: [:], profile: profile, servicesSection: section)
        #expect(configOnly.endpoint(for: .logs, region: "us-east-1").url.absoluteString == "http://logs-from-config:2")
        #expect(configOnly.endpoint(for: .iam, region: "us-east-1").url.absoluteString == "http://profile:1")
        let withEnv = EndpointResolver(
            environment: ["AWS_ENDPOINT_URL": "http://env:3"], profile: profile,
            servicesSection: section)
        #expect(withEnv.endpoint(for: .logs, region: "us-east-1").url.absoluteString == "http://env:3")
    }

    @Test func requestURLsKeepOverrideBasePathAndUseS3PathStyle() throws {
        let base = try #require(URL(string: "http://127.0.0.1:5000/prefix/"))
        let endpoint = Endpoint(url: base, signingRegion: "us-east-1", signingName: "s3", isOverride: true)
        let allowed = try #require(OperationAllowlist.readOnly.operation(.s3, "GetBucketEncryption"))
        let request = try AWSClient.restRequest(
            .s3, allowed, endpoint, path: ["Bucket": "my-bucket"], query: [:], body: nil)
        #expect(request.url.absoluteString == "http://127.0.0.1:5000/prefix/my-bucket?encryption")

        let aws = EndpointResolver().endpoint(for: .s3, region: "eu-west-1")
        let virtual = try AWSClient.restRequest(.s3, allowed, aws, path: ["Bucket": "my-bucket"], query: [:], body: nil)
        #expect(virtual.url.absoluteString == "https://my-bucket.s3.eu-west-1.amazonaws.com/?encryption")
        let dotted = try AWSClient.restRequest(.s3, allowed, aws, path: ["Bucket": "my.bucket"], query: [:], body: nil)
        #expect(dotted.url.absoluteString == "https://s3.eu-west-1.amazonaws.com/my.bucket?encryption")

        let lambda = try #require(OperationAllowlist.readOnly.operation(.lambda, "GetPolicy"))
        let arn = "arn:aws:lambda:us-east-1:123456789012:function:f"
        let policy = try AWSClient.restRequest(
            .lambda, lambda, EndpointResolver().endpoint(for: .lambda, region: "us-east-1"),
            path: ["FunctionName": arn], query: [:], body: nil)
        #expect(
            policy.url.absoluteString
                == "https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Af/policy"
        )
        #expect(throws: AWSError.self) {
            try AWSClient.restRequest(.lambda, lambda, endpoint, path: [:], query: [:], body: nil)
        }
    }
}

@Suite struct RegionValidationTests {
    @Test func badRegionsAreRefusedBeforeSending() async throws {
        let transport = CountingTransport()
        let endpoint = try #require(URL(string: "http://127.0.0.1:9"))
        let client = AWSClient(testConfiguration(endpoint: endpoint, transport: transport))
        for region in ["", "EU-WEST-1", "eu west 1", "eu-west-1.evil.com", "-x"] {
            let error = try #require(
                await awsError { try await client.json(.logs, "DescribeLogGroups", region: region) })
            #expect(error.kind == .configuration)
        }
        #expect(transport.count == 0)
        #expect(AWSClient.isValidRegion("us-gov-west-1"))
    }
}
