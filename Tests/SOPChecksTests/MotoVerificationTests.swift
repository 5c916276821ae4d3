import Foundation
import SOPChecks
import Testing

/// Verifies a compliant and a noncompliant account built in a real moto_server.
@Suite(.serialized) struct MotoVerificationTests {
    /// Checks the emulator cannot represent (Documentation/aws-checks.md §1): they must say `error`, never `pass`.
    static let emulatorGaps: Set<String> = [
        "iam_root_mfa_enabled", "iam_root_access_keys_absent", "ce_cost_allocation_tags_active",
        "backup_plan_with_selection",
    ]

    static func describe(_ run: VerifierRun) -> String {
        run.results.map { "\($0.check)@\($0.region)=\($0.outcome.rawValue): \($0.summary)" }.joined(separator: "\n")
    }

    @Test func compliantAccountPassesEveryRepresentableCheck() async throws {
        let run = try await MotoAccounts.verify(profile: "compliant", account: MotoAccounts.compliantAccount)
        #expect(run.accountId == MotoAccounts.compliantAccount)
        for result in run.results {
            if Self.emulatorGaps.contains(result.check) {
                #expect(
                    result.outcome == .error,
                    "\(result.check)@\(result.region): \(result.outcome.rawValue) \(result.summary)")
            } else if result.check == "ec2_networkacl_custom_restrictive" && result.region == "eu-west-1" {
                #expect(result.outcome == .notApplicable, "\(result.summary)")
            } else {
                #expect(
                    result.outcome == .pass,
                    "\(result.check)@\(result.region): \(result.outcome.rawValue) \(result.summary)")
            }
        }
        let regional = CheckCatalog.all.filter { $0.scope == .regional }.count
        #expect(run.results.count == CheckCatalog.all.count + regional * (MotoAccounts.regions.count - 1))
        #expect(run.criticalPathDepth >= 2)
        #expect(run.calls.contains { $0.call == "guardduty:GetDetector" && $0.depth == 2 })
    }

    @Test func noncompliantAccountReportsEachViolation() async throws {
        let state = try await MotoAccounts.shared.value
        let built = state.noncompliant
        let run = try await MotoAccounts.verify(profile: "noncompliant", account: MotoAccounts.noncompliantAccount)
        func result(_ check: String, _ region: String = "global") -> CheckRunResult? {
            run.results.first { $0.check == check && $0.region == region }
        }
        func expectFail(
            _ check: String, _ region: String = "global", naming resource: String? = nil,
            sourceLocation: SourceLocation = #_sourceLocation
        ) {
            guard let r = result(check, region) else {
                Issue.record("no result for \(check)@\(region)", sourceLocation: sourceLocation)
                return
            }
            #expect(
                r.outcome == .fail, "\(check)@\(region): \(r.outcome.rawValue) \(r.summary)",
                sourceLocation: sourceLocation)
            if let resource {
                #expect(
                    r.resources.contains(resource), "\(check)@\(region) names \(r.resources), not \(resource)",
                    sourceLocation: sourceLocation)
            }
        }
        // Every deliberate violation the fixture lists is reported by its check.
        for check in (built.violations ?? [:]).keys {
            let scope = CheckCatalog.check(check)?.scope
            #expect(scope != nil, "fixture names unknown check \(check)")
            let results = run.results.filter { $0.check == check }
            #expect(results.contains { $0.outcome == .fail }, "\(check) did not fail: \(results.map(\.summary))")
        }
        expectFail("iam_password_policy_strong", naming: "account-password-policy")
        expectFail("iam_user_console_mfa_enabled", naming: built.bob)
        expectFail("iam_groups_required_with_members", naming: "group/ReadOnly")
        expectFail("iam_groups_required_with_members", naming: built.carol)
        expectFail("iam_billing_access_assigned")
        expectFail("organizations_all_features_enabled")
        expectFail("organizations_required_ous_populated", naming: "Testing")
        expectFail("organizations_scps_attached")
        expectFail("organizations_tag_policy_attached")
        expectFail("budgets_billing_alerts_configured")
        expectFail("cloudtrail_multi_region_logging", naming: built.trail_arn)
        expectFail("cloudtrail_logs_encrypted_bucket", naming: built.trail_bucket)
        expectFail("config_recorder_all_resources", "us-east-1", naming: "default")
        expectFail("config_recorder_all_resources", "eu-west-1", naming: "eu-west-1")
        expectFail("config_rule_encrypted_volumes", "us-east-1")
        expectFail("config_rule_required_tags", "eu-west-1")
        expectFail("guardduty_detector_enabled", "us-east-1", naming: built.detector)
        expectFail("guardduty_detector_enabled", "eu-west-1", naming: "eu-west-1")
        expectFail("guardduty_findings_notified", "us-east-1")
        expectFail("ec2_vpc_environments_segmented", naming: built.vpcs?["Production"])
        expectFail("ec2_vpc_environments_segmented", naming: "Testing")
        expectFail("ec2_securitygroup_admin_ports_restricted", "us-east-1", naming: built.open_sg)
        expectFail("ec2_networkacl_custom_restrictive", "us-east-1", naming: built.default_nacl_subnets?.first)
        expectFail("cloudwatch_dashboards_present")
        expectFail("cloudwatch_alarms_actionable", naming: "us-east-1/cpu-high")
        expectFail("logs_retention_configured", "us-east-1", naming: "/app/debug")
        expectFail("backup_plan_with_selection")
        expectFail("lambda_incident_response_wired", naming: built.function)
        expectFail("sns_alert_topic_subscribed", naming: built.unsubscribed_topic)
        expectFail("account_alternate_contacts_set", naming: "SECURITY")
        expectFail("s3_account_public_access_blocked", naming: MotoAccounts.noncompliantAccount)
        expectFail("ec2_ebs_encryption_by_default", "us-east-1", naming: built.unencrypted_volume)
        // Emulator gaps stay errors, never passes.
        for check in ["iam_root_mfa_enabled", "iam_root_access_keys_absent", "ce_cost_allocation_tags_active"] {
            #expect(result(check)?.outcome == .error, "\(check): \(result(check)?.summary ?? "missing")")
        }
    }

    @Test func trimmedRunFetchesOnlyWhatItNeeds() async throws {
        let state = try await MotoAccounts.shared.value
        let verifier = Verifier(client: try MotoAccounts.client(profile: "noncompliant", state: state))
        let run = await verifier.run(
            checks: [try #require(CheckCatalog.check("iam_password_policy_strong"))],
            accountId: MotoAccounts.noncompliantAccount, regions: MotoAccounts.regions, parameters: [:])
        #expect(run.calls.map(\.call) == ["iam:GetAccountPasswordPolicy"])
        #expect(run.results.map(\.outcome) == [.fail])
    }

    @Test func identityAndRegions() async throws {
        let state = try await MotoAccounts.shared.value
        let verifier = Verifier(client: try MotoAccounts.client(profile: "compliant", state: state))
        let identity = try await verifier.callerIdentity()
        #expect(identity.account == MotoAccounts.compliantAccount)
        #expect(identity.arn.hasSuffix("user/auditor"))
        let regions = try await verifier.enabledRegions()
        #expect(regions.contains("us-east-1") && regions.contains("eu-west-1"))
        #expect(regions.count < 38, "not-opted-in regions must be skipped")
    }

    @Test func deniedCallsBecomeErrorsForTheirChecksOnly() async throws {
        let state = try await MotoAccounts.shared.value
        // A key that does not exist in moto maps to the empty default account; with a refusing
        // allowlist for one operation, only the checks needing it turn into `error`.
        var configuration = try MotoAccounts.client(profile: "compliant", state: state).configuration
        configuration.allowlist = OperationAllowlistWithout("GetAccountPasswordPolicy").allowlist
        let verifier = Verifier(client: AWSClientFacade.make(configuration))
        let run = await verifier.run(
            checks: [
                try #require(CheckCatalog.check("iam_password_policy_strong")),
                try #require(CheckCatalog.check("iam_user_console_mfa_enabled")),
            ],
            accountId: MotoAccounts.compliantAccount, regions: ["us-east-1"], parameters: [:])
        let byCheck = Dictionary(uniqueKeysWithValues: run.results.map { ($0.check, $0) })
        #expect(byCheck["iam_password_policy_strong"]?.outcome == .error)
        #expect(byCheck["iam_password_policy_strong"]?.summary.contains("OperationNotAllowed") == true)
        #expect(byCheck["iam_user_console_mfa_enabled"]?.outcome == .pass)
    }
}
