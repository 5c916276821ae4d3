import Foundation
import TestSupport
import Testing

@testable import AWSClient

/// One moto_server for the suite: fixtures built (Fixtures/moto/account_fixture.py) in
/// `account`, a real IAM key minted there, then signature enforcement switched ON
/// (Documentation/aws-checks.md §5), so every call below is signature-checked by moto.
enum MotoFixture {
    static let account = "222233334444"

    struct State: Sendable {
        let server: MotoServer
        let key: MotoServer.AccessKey
        let summary: [String: String]
    }

    static let shared = Task<State, Error> {
        let server = try await MotoServer.start()
        let key = try server.createAccessKey(account: account, userName: "sop-auditor")
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/moto/account_fixture.py")
        let result = try server.runPython(try String(contentsOf: script, encoding: .utf8), arguments: [account])
        let line = result.stdout.split(separator: "\n").last.map(String.init) ?? "{}"
        let summary = (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String]) ?? [:]
        try await server.setSignatureEnforcement(true)
        return State(server: server, key: key, summary: summary)
    }

    static func client(
        secret: String? = nil, accessKeyId: String? = nil, retry: RetryPolicy = .standard,
        transport: any HTTPTransport = URLSessionTransport(), region: String = "us-east-1"
    )
        async throws -> AWSClient
    {
        let state = try await shared.value
        let credentials = Credentials(
            accessKeyId: accessKeyId ?? state.key.accessKeyId,
            secretAccessKey: secret ?? state.key.secretAccessKey)
        return AWSClient(
            AWSClientConfiguration(
                region: region, credentials: StaticCredentialsProvider(credentials),
                endpoints: EndpointResolver(environment: ["AWS_ENDPOINT_URL": state.server.endpoint.absoluteString]),
                retry: retry, timeout: .seconds(30), transport: transport))
    }
}

@Suite(.serialized) struct MotoEndToEndTests {
    @Test func stsCallerIdentity() async throws {
        let client = try await MotoFixture.client()
        let identity = try await client.query(.sts, "GetCallerIdentity")
        #expect(identity.string("Account") == MotoFixture.account)
        #expect(identity.string("Arn")?.hasSuffix("user/sop-auditor") == true)
    }

    @Test func iamQueryWithMarkerPagination() async throws {
        let client = try await MotoFixture.client()
        // moto ignores MaxItems on ListUsers but honours it on ListPolicies.
        let pages = try await client.queryPages(.iam, "ListPolicies", ["Scope": "Local", "MaxItems": "2"])
        let policies = pages.flatMap { $0.list("Policies") }.compactMap { $0.string("PolicyName") }
        #expect(pages.count == 3)
        #expect(policies.sorted() == (0..<5).map { "sop-policy-\($0)" })
        let users = try await client.queryPages(.iam, "ListUsers")
        let names = users.flatMap { $0.list("Users") }.compactMap { $0.string("UserName") }
        #expect(Set(names) == Set((0..<5).map { "page-user-\($0)" } + ["sop-auditor"]))
        let policy = try await client.query(.iam, "GetAccountPasswordPolicy")
        #expect(policy.at("PasswordPolicy", "MinimumPasswordLength")?.text == "14")
        let group = try await client.query(.iam, "GetGroup", ["GroupName": "Admins"])
        #expect(group.list("Users").compactMap { $0.string("UserName") } == ["page-user-0"])
        let missing = try #require(
            await awsError { try await client.query(.iam, "GetLoginProfile", ["UserName": "page-user-1"]) })
        #expect(missing.kind == .notFound)
        #expect(missing.code == "NoSuchEntity")
    }

    @Test func ec2Protocol() async throws {
        let client = try await MotoFixture.client()
        let state = try await MotoFixture.shared.value
        let vpcs = try await client.query(
            .ec2, "DescribeVpcs", ["Filter.1.Name": "cidr", "Filter.1.Value.1": "10.20.0.0/16"])
        let ids = vpcs.list("vpcSet").compactMap { $0.string("vpcId") }
        #expect(ids == [state.summary["vpc"]].compactMap { $0 })
        let regions = try await client.query(.ec2, "DescribeRegions")
        #expect(regions.list("regionInfo").count > 10)
        let ebs = try await client.query(.ec2, "GetEbsEncryptionByDefault")
        #expect(ebs.string("ebsEncryptionByDefault") == "false")
    }

    @Test func jsonProtocols() async throws {
        let client = try await MotoFixture.client()
        let organization = try await client.json(.organizations, "DescribeOrganization")
        #expect(organization["Organization"]?["FeatureSet"]?.string == "ALL")
        let roots = try await client.json(.organizations, "ListRoots")
        #expect(roots["Roots"]?[0]?["Id"]?.string?.hasPrefix("r-") == true)

        let pages = try await client.jsonPages(.logs, "DescribeLogGroups", ["limit": 3])
        let groups = pages.flatMap { $0["logGroups"]?.elements ?? [] }.compactMap { $0["logGroupName"]?.string }
        #expect(pages.count == 3)
        #expect(groups.count == 7)

        // CloudWatch over JSON 1.0, signing name `monitoring`.
        let alarms = try await client.json(.cloudwatch, "DescribeAlarms")
        #expect(alarms["MetricAlarms"]?.elements.compactMap { $0["AlarmName"]?.string } == ["billing"])

        let topics = try await client.queryPages(.sns, "ListTopics")
        #expect(topics.flatMap { $0.list("Topics") }.count == 3)
    }

    @Test func restJSONProtocols() async throws {
        let client = try await MotoFixture.client()
        let state = try await MotoFixture.shared.value
        let detectors = try await client.restJSONPages(.guardduty, "ListDetectors")
        let detectorIds = detectors.flatMap { $0["detectorIds"]?.elements ?? [] }.compactMap(\.string)
        #expect(detectorIds == [state.summary["detector"]].compactMap { $0 })
        let detector = try await client.restJSON(
            .guardduty, "GetDetector", path: ["DetectorId": detectorIds.first ?? "-"])
        #expect(detector["status"]?.string == "ENABLED")

        let plans = try await client.restJSON(.backup, "ListBackupPlans")
        #expect(plans["BackupPlansList"]?.elements.compactMap { $0["BackupPlanName"]?.string } == ["daily"])
        let plan = try await client.restJSON(
            .backup, "GetBackupPlan", path: ["BackupPlanId": state.summary["backupPlan"] ?? "-"])
        #expect(plan["BackupPlan"]?["Rules"]?[0]?["TargetBackupVaultName"]?.string == "sop-vault")
        let vaults = try await client.restJSONPages(.backup, "ListBackupVaults")
        #expect(vaults.flatMap { $0["BackupVaultList"]?.elements ?? [] }.count == 1)

        let functions = try await client.restJSONPages(.lambda, "ListFunctions")
        #expect(
            functions.flatMap { $0["Functions"]?.elements ?? [] }.compactMap { $0["FunctionName"]?.string } == [
                "responder"
            ])
        let noPolicy = try #require(
            await awsError {
                // By name: moto verifies signatures over the decoded path, so an ARN label (`:` → `%3A`,
                // signed double-encoded as AWS wants) fails moto's check although AWS accepts it.
                try await client.restJSON(.lambda, "GetPolicy", path: ["FunctionName": "responder"])
            })
        #expect(noPolicy.kind == .notFound)

        let contact = try await client.restJSON(
            .account, "GetAlternateContact", body: ["AlternateContactType": "SECURITY"])
        #expect(contact["AlternateContact"]?["EmailAddress"]?.string == "sec@example.com")
    }

    @Test func restXMLProtocols() async throws {
        let client = try await MotoFixture.client()
        let buckets = try await client.restXML(.s3, "ListBuckets")
        #expect(buckets.first("Buckets")?.all("Bucket").compactMap { $0.string("Name") } == ["sop-client-test"])
        let encryption = try await client.restXML(.s3, "GetBucketEncryption", path: ["Bucket": "sop-client-test"])
        #expect(encryption.first("SSEAlgorithm")?.text == "aws:kms")
        let noPolicy = try #require(
            await awsError {
                try await client.restRaw(.s3, "GetBucketPolicy", path: ["Bucket": "sop-client-test"]) { $0.text }
            })
        #expect(noPolicy.code == "NoSuchBucketPolicy")
        #expect(noPolicy.kind == .notFound)

        let block = try await client.restXML(.s3control, "GetPublicAccessBlock", accountID: MotoFixture.account)
        #expect(block.first("BlockPublicAcls")?.text == "true")
        #expect(block.first("RestrictPublicBuckets")?.text == "true")
    }

    @Test func notImplementedOperationsAreTypedAndNotRetried() async throws {
        let transport = CountingTransport()
        let client = try await MotoFixture.client(transport: transport)
        let config = try #require(await awsError { try await client.json(.config, "DescribeDeliveryChannelStatus") })
        #expect(config.kind == .notImplemented)
        let detectorId = try await MotoFixture.shared.value.summary["detector"] ?? "-"
        let destinations = try #require(
            await awsError {
                try await client.restJSON(.guardduty, "ListPublishingDestinations", path: ["DetectorId": detectorId])
            })
        #expect(destinations.kind == .notImplemented)
        #expect(transport.count == 2)
    }

    @Test func wrongSecretIsAnAuthFailureEverywhere() async throws {
        let client = try await MotoFixture.client(secret: "totally-wrong", retry: .none)
        let calls: [(String, () async throws -> Void)] = [
            ("sts", { _ = try await client.query(.sts, "GetCallerIdentity") }),
            ("iam", { _ = try await client.query(.iam, "ListUsers") }),
            ("sns", { _ = try await client.query(.sns, "ListTopics") }),
            ("ec2", { _ = try await client.query(.ec2, "DescribeVpcs") }),
            ("organizations", { _ = try await client.json(.organizations, "ListRoots") }),
            ("logs", { _ = try await client.json(.logs, "DescribeLogGroups") }),
            ("cloudwatch", { _ = try await client.json(.cloudwatch, "DescribeAlarms") }),
            ("guardduty", { _ = try await client.restJSON(.guardduty, "ListDetectors") }),
            ("backup", { _ = try await client.restJSON(.backup, "ListBackupPlans") }),
            ("lambda", { _ = try await client.restJSON(.lambda, "ListFunctions") }),
            (
                "account",
                {
                    _ = try await client.restJSON(
                        .account, "GetAlternateContact", body: ["AlternateContactType": "SECURITY"])
                }
            ),
            ("s3", { _ = try await client.restXML(.s3, "ListBuckets") }),
            (
                "s3control",
                { _ = try await client.restXML(.s3control, "GetPublicAccessBlock", accountID: MotoFixture.account) }
            ),
        ]
        for (name, call) in calls {
            let error = await awsError(call)
            #expect(error?.kind == .authFailure, "\(name): \(String(describing: error))")
            #expect(["SignatureDoesNotMatch", "AuthFailure"].contains(error?.code ?? ""), "\(name)")
        }
        let unknown = try await MotoFixture.client(secret: "x", accessKeyId: "AKIAUNKNOWNKEY000000", retry: .none)
        let error = await awsError { try await unknown.query(.iam, "ListUsers") }
        #expect(error?.kind == .authFailure)
    }

    @Test func assumeRoleThroughProfileSourceProfile() async throws {
        let state = try await MotoFixture.shared.value
        let home = TemporaryDirectory("aws-assume")
        try home.write(
            ".aws/credentials",
            """
            [base]
            aws_access_key_id = \(state.key.accessKeyId)
            aws_secret_access_key = \(state.key.secretAccessKey)
            """)
        try home.write(
            ".aws/config",
            """
            [profile audit]
            role_arn = arn:aws:iam::\(MotoFixture.account):role/sop-audit
            source_profile = base
            external_id = sop-external-123
            role_session_name = sop-e2e
            region = eu-west-1
            """)
        let environment = AWSEnvironment(
            variables: ["AWS_ENDPOINT_URL": state.server.endpoint.absoluteString],
            homeDirectory: home.url)
        let configuration = try AWSClientConfiguration.resolve(AWSSettings(profile: "audit"), environment: environment)
        #expect(configuration.region == "eu-west-1")
        let client = AWSClient(configuration)
        let identity = try await client.query(.sts, "GetCallerIdentity")
        #expect(identity.string("Arn")?.contains("assumed-role/sop-audit/sop-e2e") == true)
        #expect(identity.string("Account") == MotoFixture.account)
        // Cached: a second call does not assume the role again.
        _ = try await client.json(.logs, "DescribeLogGroups", region: "us-east-1")
        #expect(client.metrics.all.map(\.id) == ["sts:AssumeRole", "sts:GetCallerIdentity", "logs:DescribeLogGroups"])
        let assumeRequest = client.metrics.all.first
        #expect(assumeRequest?.region == "eu-west-1")
    }

    @Test func assumeRoleFromSettingsWithExternalID() async throws {
        let state = try await MotoFixture.shared.value
        let home = TemporaryDirectory("aws-settings")
        let environment = AWSEnvironment(
            variables: [
                "AWS_ENDPOINT_URL": state.server.endpoint.absoluteString,
                "AWS_ACCESS_KEY_ID": state.key.accessKeyId, "AWS_SECRET_ACCESS_KEY": state.key.secretAccessKey,
            ], homeDirectory: home.url)
        let configuration = try AWSClientConfiguration.resolve(
            AWSSettings(
                region: "us-east-1", roleARN: "arn:aws:iam::\(MotoFixture.account):role/sop-audit-external",
                externalID: "customer-ext-id"), environment: environment)
        let identity = try await AWSClient(configuration).query(.sts, "GetCallerIdentity")
        #expect(identity.string("Arn")?.contains("assumed-role/sop-audit-external/sop-verify") == true)
        let credentials = try await configuration.credentials.credentials()
        #expect(credentials.sessionToken != nil)
        #expect(credentials.expiration != nil)

        // The trust policy's external-id condition is enforced: a wrong id is refused.
        let wrongID = try AWSClientConfiguration.resolve(
            AWSSettings(roleARN: "arn:aws:iam::\(MotoFixture.account):role/sop-audit-external", externalID: "guess"),
            environment: environment, retry: .none)
        let refused = await awsError { try await AWSClient(wrongID).query(.sts, "GetCallerIdentity") }
        #expect(refused?.kind == .accessDenied)

        // A wrong base secret fails AssumeRole with an auth error, never success.
        let wrong = AWSEnvironment(
            variables: [
                "AWS_ENDPOINT_URL": state.server.endpoint.absoluteString,
                "AWS_ACCESS_KEY_ID": state.key.accessKeyId, "AWS_SECRET_ACCESS_KEY": "wrong",
            ], homeDirectory: home.url)
        let failing = try AWSClientConfiguration.resolve(
            AWSSettings(roleARN: "arn:aws:iam::\(MotoFixture.account):role/sop-audit"), environment: wrong, retry: .none
        )
        let error = await awsError { try await AWSClient(failing).query(.iam, "ListUsers") }
        #expect(error?.kind == .authFailure)
        #expect(error?.message.contains("AssumeRole") == true)
    }

    @Test func concurrentCallsShareOneClient() async throws {
        let client = try await MotoFixture.client()
        let metrics = CallMetrics()
        let recording = client.recording(into: metrics)
        let counts = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<16 {
                group.addTask {
                    switch i % 4 {
                    case 0: return try await recording.query(.iam, "ListUsers").list("Users").count
                    case 1:
                        return try await recording.json(.logs, "DescribeLogGroups")["logGroups"]?.elements.count ?? -1
                    case 2:
                        return try await recording.restJSON(.guardduty, "ListDetectors")["detectorIds"]?.elements.count
                            ?? -1
                    default: return try await recording.restXML(.s3, "ListBuckets").descendants("Bucket").count
                    }
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(counts.count == 16)
        #expect(!counts.contains(-1))
        #expect(metrics.requestCount == 16)
        #expect(
            metrics.operations == [
                "guardduty:ListDetectors", "iam:ListUsers", "logs:DescribeLogGroups", "s3:ListBuckets",
            ])
    }
}
