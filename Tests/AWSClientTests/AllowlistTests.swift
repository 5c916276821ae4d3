import Foundation
import TestSupport
import Testing

@testable import AWSClient

/// Read-only by construction: a write is refused before credentials are read or a byte is sent.
@Suite(.serialized) struct AllowlistTests {
    @Test func nonAllowlistedOperationsSendNothing() async throws {
        let server = try await FaultServer.start()
        defer { server.stop() }
        let transport = CountingTransport()
        let credentials = CountingCredentials()
        // One attempt and a generous timeout: on a loaded CI machine a retry after a slow answer
        // would send the allowed read twice and blur what this test counts.
        let client = AWSClient(
            testConfiguration(
                endpoint: server.endpoint(.ok), credentials: credentials,
                transport: transport, retry: RetryPolicy(maxAttempts: 1),
                timeout: .seconds(120)))
        let attempts: [() async throws -> Void] = [
            { _ = try await client.query(.iam, "CreateUser", ["UserName": "mallory"]) },
            { _ = try await client.query(.ec2, "RunInstances") },
            { _ = try await client.query(.sns, "Publish") },
            { _ = try await client.json(.organizations, "CreateOrganization") },
            { _ = try await client.json(.logs, "DeleteLogGroup", ["logGroupName": "x"]) },
            { _ = try await client.restJSON(.guardduty, "CreateDetector") },
            { _ = try await client.restXML(.s3, "PutBucketPolicy", path: ["Bucket": "b"]) },
            { _ = try await client.queryPages(.iam, "DeleteUser") },
        ]
        for attempt in attempts {
            let error = try #require(await awsError(attempt))
            #expect(error.kind == .operationNotAllowed)
            #expect(error.code == "OperationNotAllowed")
        }
        #expect(transport.count == 0)
        #expect(credentials.count == 0)
        #expect(client.metrics.requestCount == 0)
        #expect(try await server.total() == 0)

        // The same client does send an allowed read.
        _ = try await client.query(.iam, "ListUsers")
        #expect(transport.count == 1)
        #expect(try await server.count(.ok) == 1)
    }

    @Test func allowlistCoversTheCatalogOperations() throws {
        let list = OperationAllowlist.readOnly
        for (service, name) in [
            (AWSService.sts, "GetCallerIdentity"), (.sts, "AssumeRole"), (.ec2, "DescribeRegions"),
            (.iam, "GenerateCredentialReport"), (.iam, "GetCredentialReport"),
            (.cloudwatch, "DescribeAlarms"), (.s3control, "GetPublicAccessBlock"),
            (.account, "GetAlternateContact"), (.tagging, "GetResources"),
            (.costExplorer, "ListCostAllocationTags"), (.backup, "ListBackupSelections"),
        ] {
            #expect(list.allows(service, name), "\(service.clientName):\(name)")
        }
        #expect(!list.allows(.iam, "CreateUser"))
        #expect(!list.allows(.iam, "CreateAccessKey"))
        // Every operation is a read (or the documented exceptions).
        for entry in list.all {
            let readVerb = ["Describe", "List", "Get"].contains { entry.name.hasPrefix($0) }
            #expect(readVerb || ["AssumeRole", "GenerateCredentialReport"].contains(entry.name), "\(entry.id)")
            if let route = entry.route {
                #expect(route.method == "GET" || entry.id == "account:GetAlternateContact", "\(entry.id)")
            }
            if entry.service.wireProtocol == .restJSON || entry.service.wireProtocol == .restXML {
                #expect(entry.route != nil, "\(entry.id) needs a route")
            }
        }
    }

    @Test func iamActionsUseIAMPrefixes() throws {
        let list = OperationAllowlist.readOnly
        let actions = try list.iamActions(for: [
            (.cloudwatch, "DescribeAlarms"), (.tagging, "GetResources"),
            (.budgets, "DescribeBudgets"), (.budgets, "DescribeNotificationsForBudget"),
            (.s3, "GetBucketEncryption"), (.s3control, "GetPublicAccessBlock"),
            (.s3, "ListBuckets"), (.iam, "ListUsers"),
        ])
        #expect(
            actions == [
                "budgets:ViewBudget", "cloudwatch:DescribeAlarms", "iam:ListUsers",
                "s3:GetAccountPublicAccessBlock", "s3:GetEncryptionConfiguration", "s3:ListAllMyBuckets",
                "tag:GetResources",
            ])
        #expect(throws: AWSError.self) { try list.iamActions(for: [(.iam, "CreateUser")]) }
    }
}

@Suite struct PolicyDocumentTests {
    @Test func policyDocumentListsExactlyTheActions() throws {
        let text = OperationAllowlist.policyDocument(actions: [
            "iam:ListUsers", "cloudwatch:DescribeAlarms", "iam:ListUsers",
        ])
        let json = try JSONValue.parse(Data(text.utf8))
        #expect(json["Version"]?.string == "2012-10-17")
        #expect(
            json["Statement"]?[0]?["Action"]?.elements.compactMap(\.string) == [
                "cloudwatch:DescribeAlarms", "iam:ListUsers",
            ])
        #expect(json["Statement"]?[0]?["Effect"]?.string == "Allow")
        #expect(
            OperationAllowlist.readOnly.operation(.cloudwatch, "DescribeAlarms")?.motoAction
                == "monitoring:DescribeAlarms")
    }
}
