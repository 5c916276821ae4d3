import AWSClient
import Foundation

/// Reads IAM's account-wide data: summary, credential report, password policy, and users,
/// groups and customer policies in one paginated `GetAccountAuthorizationDetails`.
enum IAMFetcher {
    static func summary(_ context: FetchContext) async throws(FetchFailure) -> IAMAccountSummary {
        let (result, _) = try await context.query(.iam, "GetAccountSummary", region: "us-east-1")
        var map: [String: Int] = [:]
        for entry in result["SummaryMap"]?.all("entry") ?? [] {
            if let key = entry.string("key"), let value = entry.int("value") { map[key] = value }
        }
        return IAMAccountSummary(
            accountMFAEnabled: map["AccountMFAEnabled"], accountAccessKeysPresent: map["AccountAccessKeysPresent"])
    }

    /// Generates the report, then reads it, waiting while AWS is still building it.
    static func credentialReport(_ context: FetchContext) async throws(FetchFailure) -> CredentialReport {
        var (_, depth) = try await context.query(.iam, "GenerateCredentialReport", region: "us-east-1", followUps: 1)
        var attempt = 0
        while true {
            attempt += 1
            do throws(FetchFailure) {
                let (result, _) = try await context.query(
                    .iam, "GetCredentialReport", region: "us-east-1", after: depth)
                guard let content = result.string("Content"),
                    let data = Data(base64Encoded: content, options: .ignoreUnknownCharacters)
                else {
                    throw FetchFailure(
                        code: "MalformedCredentialReport", message: "no readable Content",
                        operation: "iam:GetCredentialReport")
                }
                return try CredentialReport(csv: String(decoding: data, as: UTF8.self))
            } catch
                where (error.code == "ReportInProgress" || error.code == "ReportNotPresent")
                && attempt < context.credentialReportAttempts
            {
                depth += 1
                try? await Task.sleep(for: .milliseconds(500))
            }
        }
    }

    static func passwordPolicy(_ context: FetchContext) async throws(FetchFailure) -> IAMPasswordPolicy? {
        do {
            let (result, _) = try await context.query(.iam, "GetAccountPasswordPolicy", region: "us-east-1")
            guard let policy = result["PasswordPolicy"] else { return nil }
            return IAMPasswordPolicy(
                minimumPasswordLength: policy.int("MinimumPasswordLength"),
                requireSymbols: policy.bool("RequireSymbols") ?? false,
                requireNumbers: policy.bool("RequireNumbers") ?? false,
                requireUppercaseCharacters: policy.bool("RequireUppercaseCharacters") ?? false,
                requireLowercaseCharacters: policy.bool("RequireLowercaseCharacters") ?? false,
                maxPasswordAge: policy.int("MaxPasswordAge"),
                passwordReusePrevention: policy.int("PasswordReusePrevention"))
        } catch  where error.isNotFound {
            return nil
        }
    }

    static func authorizationDetails(_ context: FetchContext) async throws(FetchFailure) -> IAMAuthorizationDetails {
        let (pages, _) = try await context.queryPages(
            .iam, "GetAccountAuthorizationDetails",
            ["Filter.member.1": "User", "Filter.member.2": "Group", "Filter.member.3": "LocalManagedPolicy"],
            region: "us-east-1")
        var details = IAMAuthorizationDetails()
        for page in pages {
            for user in page.list("UserDetailList") {
                details.users.append(
                    IAMUserDetail(
                        name: user.string("UserName") ?? "",
                        arn: user.string("Arn") ?? "",
                        groups: user["GroupList"]?.children.map(\.text) ?? [],
                        attachedPolicyArns: user.list("AttachedManagedPolicies").compactMap { $0.string("PolicyArn") },
                        inlinePolicies: inlinePolicies(user.list("UserPolicyList"))))
            }
            for group in page.list("GroupDetailList") {
                details.groups.append(
                    IAMGroupDetail(
                        name: group.string("GroupName") ?? "",
                        arn: group.string("Arn") ?? "",
                        attachedPolicyArns: group.list("AttachedManagedPolicies").compactMap { $0.string("PolicyArn") },
                        inlinePolicies: inlinePolicies(group.list("GroupPolicyList"))))
            }
            for policy in page.list("Policies") {
                let versions = policy.list("PolicyVersionList")
                let current = versions.first { $0.bool("IsDefaultVersion") == true } ?? versions.first
                details.policies.append(
                    IAMManagedPolicy(
                        arn: policy.string("Arn") ?? "",
                        document: current?.string("Document") ?? ""))
            }
        }
        return details
    }

    private static func inlinePolicies(_ nodes: [XMLNode]) -> [IAMInlinePolicy] {
        nodes.map { IAMInlinePolicy(name: $0.string("PolicyName") ?? "", document: $0.string("PolicyDocument") ?? "") }
    }
}
