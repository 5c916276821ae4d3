import Foundation
import Testing

@testable import SOPChecks

/// Parsing and rule logic under the checks, on recorded AWS shapes.
@Suite struct SnapshotModelTests {
    /// A real AWS credential report header with a root row (recorded shape; moto has no root row).
    static let awsReport = """
        user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated
        <root_account>,arn:aws:iam::123456789012:root,2020-01-01T00:00:00+00:00,not_supported,2024-05-01T10:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
        alice,arn:aws:iam::123456789012:user/alice,2021-01-01T00:00:00+00:00,true,2024-05-01T10:00:00+00:00,2021-01-01T00:00:00+00:00,N/A,false,true,2021-01-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
        """

    @Test func credentialReportWithRootRow() throws {
        let report = try CredentialReport(csv: Self.awsReport)
        #expect(report.rows.count == 2)
        let root = try #require(report.root)
        #expect(root.mfaActive && root.passwordEnabled == nil && !root.accessKey1Active)
        #expect(report.users.map(\.user) == ["alice"])
        #expect(report.users.first?.passwordEnabled == true)
        // Root MFA on a recorded AWS report: the summary says 0 (stale), the row says MFA: pass.
        let input = CheckInput(
            snapshot: Snapshot {
                $0.iamAccountSummary = .value(IAMAccountSummary(accountMFAEnabled: 0, accountAccessKeysPresent: 0))
                $0.iamCredentialReport = .value(report)
            }, regional: [:], region: nil, accountId: "123456789012", parameters: [:])
        #expect(Check.iamRootMFAEnabled.evaluate(input).outcome == .pass)
        #expect(Check.iamRootAccessKeysAbsent.evaluate(input).outcome == .pass)
        #expect(Check.iamUserConsoleMFAEnabled.evaluate(input).resources == ["arn:aws:iam::123456789012:user/alice"])
    }

    @Test func credentialReportRejectsGarbage() {
        #expect(throws: FetchFailure.self) { try CredentialReport(csv: "") }
        #expect(throws: FetchFailure.self) { try CredentialReport(csv: "name,arn\nx,y") }
    }

    @Test func policyDocumentsURLEncodedOrPlain() {
        let plain = #"{"Statement":[{"Effect":"Allow","Action":"aws-portal:ViewBilling","Resource":"*"}]}"#
        let encoded = plain.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        #expect(PolicyDocument.allowsBilling(plain))
        #expect(PolicyDocument.allowsBilling(encoded))
        #expect(!PolicyDocument.allowsBilling(#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#))
        #expect(!PolicyDocument.allowsBilling(#"{"Statement":[{"Effect":"Deny","Action":"ce:*","Resource":"*"}]}"#))
        #expect(!PolicyDocument.allowsBilling("not json"))
    }

    @Test func networkACLFirstMatchWins() {
        let acl = NetworkACL(
            id: "acl", vpcId: "vpc",
            entries: [
                NetworkACLEntry(ruleNumber: 200, allow: true, protocol: "6", cidr: "0.0.0.0/0", from: 0, to: 65535),
                NetworkACLEntry(ruleNumber: 100, allow: false, protocol: "6", cidr: "0.0.0.0/0", from: 22, to: 22),
                NetworkACLEntry(ruleNumber: 50, egress: true, allow: true, protocol: "-1", cidr: "0.0.0.0/0"),
            ])
        #expect(!acl.allowsFromAnywhere(port: 22))
        #expect(acl.allowsFromAnywhere(port: 3389))
        #expect(!NetworkACL(id: "empty", vpcId: "vpc").allowsFromAnywhere(port: 22))
    }

    @Test func ingressRuleRanges() {
        #expect(IngressRule("tcp", from: 0, to: 65535, source: "0.0.0.0/0").covers(port: 3389))
        #expect(!IngressRule("tcp", from: 443, to: 443, source: "0.0.0.0/0").covers(port: 22))
        #expect(IngressRule("-1", from: nil, to: nil, source: "::/0").covers(port: 22))
        #expect(!IngressRule("icmp", from: -1, to: -1, source: "0.0.0.0/0").covers(port: 22))
        #expect(!IngressRule("tcp", from: 22, to: 22, source: "10.0.0.0/8").isFromAnywhere)
    }

    @Test func missingDataIsAnErrorNeverAPass() {
        for check in CheckCatalog.all {
            let input = CheckInput(
                snapshot: Snapshot(), regional: ["us-east-1": Snapshot()],
                region: check.scope == .regional ? "us-east-1" : nil,
                accountId: "123456789012", parameters: check.resolvedParameters([:]))
            #expect(check.evaluate(input).outcome == .error, "\(check.id) does not report error on missing data")
        }
    }

    @Test func badParameterIsAnError() {
        let input = CheckInput(
            snapshot: Snapshot { $0.iamPasswordPolicy = .value(.strong) }, regional: [:], region: nil,
            accountId: "123456789012", parameters: ["password_min_length": .string("long")])
        let result = Check.iamPasswordPolicyStrong.evaluate(input)
        #expect(result.outcome == .error)
        #expect(result.summary.contains("password_min_length"))
    }

    @Test func snapshotRoundTripsThroughJSON() throws {
        let snapshot = Snapshot {
            $0.budgets = .value([
                Budget(name: "b", notifications: [BudgetNotification(subscribers: .failed(.notImplemented))])
            ])
            $0.iamPasswordPolicy = .value(nil)
        }
        let data = try JSONEncoder().encode(snapshot)
        #expect(try JSONDecoder().decode(Snapshot.self, from: data) == snapshot)
    }
}
