import AWSClient
import Foundation
import Testing

@testable import SOPChecks

/// Fetch-and-judge on recorded AWS responses, for what the emulator cannot represent:
/// the root user's row of the credential report, cost allocation tags, backup selections.
@Suite struct RecordedResponsesTests {
    /// Answers like AWS from canned bodies, keyed by operation; counts what it was asked.
    final class RecordedTransport: HTTPTransport, @unchecked Sendable {
        private let lock = NSLock()
        private var asked: [String] = []
        let answer: @Sendable (String, Int) -> HTTPResponse

        init(_ answer: @escaping @Sendable (_ operation: String, _ attempt: Int) -> HTTPResponse) {
            self.answer = answer
        }

        var operations: [String] { lock.withLock { asked } }

        func send(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse {
            let operation = Self.operation(request)
            let attempt = lock.withLock { () -> Int in
                asked.append(operation)
                return asked.filter { $0 == operation }.count
            }
            return answer(operation, attempt)
        }

        static func operation(_ request: HTTPRequest) -> String {
            if let target = request.headers["x-amz-target"], let dot = target.lastIndex(of: ".") {
                return String(target[target.index(after: dot)...])
            }
            let body = String(decoding: request.body, as: UTF8.self)
            if let range = body.range(of: "Action=") {
                return String(body[range.upperBound...].prefix { $0 != "&" })
            }
            let path = request.url.path
            if path.hasSuffix("/selections/") || path.hasSuffix("/selections") { return "ListBackupSelections" }
            if path == "/backup/plans/" || path == "/backup/plans" { return "ListBackupPlans" }
            if path.hasPrefix("/backup/plans/") { return "GetBackupPlan" }
            return path
        }
    }

    static func json(_ text: String) -> HTTPResponse { HTTPResponse(status: 200, body: Data(text.utf8)) }

    static func xml(_ action: String, _ inner: String) -> HTTPResponse {
        HTTPResponse(
            status: 200,
            body: Data(
                """
                <\(action)Response xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><\(action)Result>\(inner)</\(action)Result>
                <ResponseMetadata><RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId></ResponseMetadata></\(action)Response>
                """.utf8))
    }

    func run(_ ids: [String], transport: RecordedTransport) async throws -> [String: CheckRunResult] {
        let client = AWSClient(
            AWSClientConfiguration(
                region: "us-east-1",
                credentials: StaticCredentialsProvider(
                    Credentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "example")),
                endpoints: EndpointResolver(environment: ["AWS_ENDPOINT_URL": "http://recorded.invalid"]), retry: .none,
                transport: transport))
        let checks = try ids.map { try #require(CheckCatalog.check($0)) }
        let run = await Verifier(client: client).run(
            checks: checks, accountId: "123456789012", regions: ["us-east-1"],
            parameters: [:])
        return Dictionary(uniqueKeysWithValues: run.results.map { ($0.check, $0) })
    }

    @Test func rootUserFromARealCredentialReport() async throws {
        let csv = SnapshotModelTests.awsReport
        let transport = RecordedTransport { operation, attempt in
            switch operation {
            case "GetAccountSummary":
                return Self.xml(
                    "GetAccountSummary",
                    """
                    <SummaryMap><entry><key>AccountMFAEnabled</key><value>0</value></entry>
                    <entry><key>AccountAccessKeysPresent</key><value>0</value></entry><entry><key>Users</key><value>1</value></entry></SummaryMap>
                    """)
            case "GenerateCredentialReport":
                return Self.xml(
                    "GenerateCredentialReport",
                    "<State>STARTED</State><Description>No report exists. Starting a new report generation task</Description>"
                )
            case "GetCredentialReport" where attempt == 1:
                // AWS is still building the report: the fetcher waits and asks again.
                return HTTPResponse(
                    status: 410,
                    body: Data(
                        """
                        <ErrorResponse><Error><Type>Sender</Type><Code>ReportInProgress</Code><Message>Report generation in progress</Message></Error><RequestId>1</RequestId></ErrorResponse>
                        """.utf8))
            case "GetCredentialReport":
                return Self.xml(
                    "GetCredentialReport",
                    "<Content>\(Data(csv.utf8).base64EncodedString())</Content><ReportFormat>text/csv</ReportFormat><GeneratedTime>2024-05-01T10:00:00Z</GeneratedTime>"
                )
            default:
                return HTTPResponse(status: 400, body: Data("unexpected \(operation)".utf8))
            }
        }
        let results = try await run(
            ["iam_root_mfa_enabled", "iam_root_access_keys_absent", "iam_user_console_mfa_enabled"],
            transport: transport)
        #expect(results["iam_root_mfa_enabled"]?.outcome == .pass, "\(results["iam_root_mfa_enabled"]?.summary ?? "")")
        #expect(results["iam_root_access_keys_absent"]?.outcome == .pass)
        #expect(results["iam_user_console_mfa_enabled"]?.outcome == .fail)
        #expect(results["iam_user_console_mfa_enabled"]?.resources == ["arn:aws:iam::123456789012:user/alice"])
        #expect(transport.operations.filter { $0 == "GetCredentialReport" }.count == 2)
        #expect(
            transport.operations.filter { $0 == "GenerateCredentialReport" }.count == 1,
            "one report shared by the checks")
    }

    @Test func costAllocationTagsFromCostExplorer() async throws {
        let transport = RecordedTransport { operation, _ in
            operation == "ListCostAllocationTags"
                ? Self.json(
                    #"{"CostAllocationTags":[{"TagKey":"Environment","Type":"UserDefined","Status":"Active","LastUpdatedDate":"2024-05-01T00:00:00Z"},{"TagKey":"Department","Type":"UserDefined","Status":"Active"},{"TagKey":"Project","Type":"UserDefined","Status":"Inactive"}]}"#
                )
                : HTTPResponse(status: 400)
        }
        let result = try #require(
            try await run(["ce_cost_allocation_tags_active"], transport: transport)["ce_cost_allocation_tags_active"])
        #expect(result.outcome == .fail)
        #expect(result.resources == ["Project"])
    }

    @Test func backupPlanWithSelections() async throws {
        let transport = RecordedTransport { operation, _ in
            switch operation {
            case "ListBackupPlans":
                return Self.json(
                    #"{"BackupPlansList":[{"BackupPlanArn":"arn:aws:backup:us-east-1:123456789012:backup-plan:p-1","BackupPlanId":"p-1","BackupPlanName":"daily","VersionId":"v1"}]}"#
                )
            case "GetBackupPlan":
                return Self.json(
                    #"{"BackupPlan":{"BackupPlanName":"daily","Rules":[{"RuleName":"daily","TargetBackupVaultName":"Default","ScheduleExpression":"cron(0 5 ? * * *)","Lifecycle":{"DeleteAfterDays":35},"RuleId":"r-1"}]},"BackupPlanId":"p-1"}"#
                )
            case "ListBackupSelections":
                return Self.json(
                    #"{"BackupSelectionsList":[{"SelectionId":"s-1","SelectionName":"ebs-volumes","BackupPlanId":"p-1","IamRoleArn":"arn:aws:iam::123456789012:role/backup"}]}"#
                )
            default:
                return HTTPResponse(status: 400)
            }
        }
        let result = try #require(
            try await run(["backup_plan_with_selection"], transport: transport)["backup_plan_with_selection"])
        #expect(result.outcome == .pass, "\(result.summary)")
        #expect(transport.operations.sorted() == ["GetBackupPlan", "ListBackupPlans", "ListBackupSelections"])
    }

    @Test func throttledPastRetriesIsAnError() async throws {
        let transport = RecordedTransport { _, _ in
            HTTPResponse(status: 400, body: Data(#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#.utf8))
        }
        let result = try #require(
            try await run(["ce_cost_allocation_tags_active"], transport: transport)["ce_cost_allocation_tags_active"])
        #expect(result.outcome == .error)
        #expect(result.summary.contains("ThrottlingException"))
    }
}
