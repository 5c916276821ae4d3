import Foundation
import TestSupport
import Testing

/// `sop verify` and `sop iam-policy` end to end: a customer created with `sop new`,
/// verified against accounts built in a real moto_server.
@Suite(.serialized) struct VerifyTests {
    func fixture(profile: String, template: String = "aws-account@1.1.0") async throws -> (
        TrackerFixture, [String: String]
    ) {
        let state = try await VerifyAccounts.shared.value
        let tracker = TrackerFixture()
        let created = try tracker.sop([
            "new", "acme", "--name", "Acme Corp", "--email", "aws-root@acme.example",
            "--regions", "us-east-1,eu-west-1", "--aws-profile", profile, "--template", template,
        ])
        #expect(created.status == 0, "sop new: \(created.stderr)")
        return (tracker, state.environment)
    }

    @Test func jsonContractAndExitCodes() async throws {
        let (t, aws) = try await fixture(profile: "noncompliant")
        let r = try t.sop(["verify", "acme", "--json"], environment: aws)
        #expect(r.status == 1, "a failing check exits 1: \(r.stderr)")
        let json = t.json(r)
        #expect(json["customer"] as? String == "acme")
        #expect(json["account"] as? String == "222222222222")
        #expect(json["regions"] as? [String] == ["us-east-1", "eu-west-1"])
        #expect(json["started_at"] is String && json["finished_at"] is String)
        let results = try #require(json["results"] as? [[String: Any]])
        #expect(!results.isEmpty)
        for result in results {
            for key in ["check", "items", "sections", "region", "outcome", "summary", "resources"] {
                #expect(result[key] != nil, "result lacks \(key): \(result)")
            }
            #expect(["pass", "fail", "error", "not-applicable"].contains(result["outcome"] as? String ?? ""))
        }
        let password = try #require(results.first { $0["check"] as? String == "iam_password_policy_strong" })
        #expect(password["region"] as? String == "global")
        #expect(password["outcome"] as? String == "fail")
        #expect(password["items"] as? [String] == ["iam.password-policy"])
        #expect(password["sections"] as? [String] == ["5.2"])
        let sg = try #require(
            results.first {
                $0["check"] as? String == "ec2_securitygroup_admin_ports_restricted"
                    && $0["region"] as? String == "us-east-1"
            })
        #expect(sg["outcome"] as? String == "fail")
        #expect((sg["resources"] as? [String])?.first?.hasPrefix("sg-") == true)
        #expect(
            results.contains {
                $0["check"] as? String == "ce_cost_allocation_tags_active" && $0["outcome"] as? String == "error"
            })

        // Recorded as evidence: the failing automated item shows up as failed in status.
        let status = t.json(try t.sop(["status", "acme", "--json"]))
        let items = try #require(status["items"] as? [[String: Any]])
        let item = try #require(items.first { $0["id"] as? String == "iam.password-policy" })
        #expect((item["evidence"] as? [[String: Any]])?.contains { $0["kind"] as? String == "check" } == true)
    }

    /// `calls` in `--json`: every request of the run against a real moto, with its dependency
    /// depth and timing; `requests` counts them and `critical_path_depth` is their largest depth.
    @Test func jsonTracesEveryCall() async throws {
        let (t, aws) = try await fixture(profile: "compliant")
        let r = try t.sop(["verify", "acme", "--json"], environment: aws)
        #expect(r.status == 3, "\(r.stderr)")
        let json = t.json(r)
        let calls = try #require(json["calls"] as? [[String: Any]])
        #expect(calls.count == json["requests"] as? Int)
        #expect(calls.count > 50)
        for call in calls {
            #expect(
                Set(call.keys) == [
                    "service", "operation", "region", "depth", "started_ms", "duration_ms", "attempts",
                    "status",
                ], "\(call)")
            #expect(call["service"] is String && call["operation"] is String && call["region"] is String)
            #expect((call["depth"] as? Int ?? 0) >= 1)
            #expect((call["attempts"] as? Int ?? 0) >= 1)
            #expect((call["started_ms"] as? Double ?? -1) >= 0 && (call["duration_ms"] as? Double ?? -1) >= 0)
            #expect(call["status"] is Int || call["status"] is NSNull)
        }
        let depths = calls.compactMap { $0["depth"] as? Int }
        #expect(depths.max() == json["critical_path_depth"] as? Int)
        let starts = calls.compactMap { $0["started_ms"] as? Double }
        #expect(starts == starts.sorted(), "calls in start order")

        func named(_ name: String) -> [[String: Any]] {
            calls.filter { call in "\(call["service"] as? String ?? ""):\(call["operation"] as? String ?? "")" == name }
        }
        func depth(_ name: String) -> Int? { named(name).first?["depth"] as? Int }
        #expect(depth("sts:GetCallerIdentity") == 1)
        #expect(depth("iam:GetAccountSummary") == 1, "needs no account id: sent without waiting for the identity")
        #expect(depth("budgets:DescribeBudgets") == 2, "names the account: waits for the identity")
        #expect(depth("budgets:DescribeSubscribersForNotification") == 4)
        #expect(named("ec2:DescribeVpcs").count == 2, "once per region")
        #expect(named("sts:GetCallerIdentity").first?["status"] as? Int == 200)
        // The depths are the run's own: every call at depth d started after one at depth d - 1 ended.
        for call in calls {
            guard let d = call["depth"] as? Int, d > 1, let start = call["started_ms"] as? Double else { continue }
            #expect(
                calls.contains { other in
                    guard other["depth"] as? Int == d - 1, let s = other["started_ms"] as? Double,
                        let duration = other["duration_ms"] as? Double
                    else { return false }
                    return s + duration <= start + 1
                }, "\(call) waited for nothing at depth \(d - 1)")
        }
        // Existing keys are unchanged.
        for key in [
            "customer", "account", "regions", "started_at", "finished_at", "results", "counts", "changes", "requests",
            "critical_path_depth", "run",
        ] {
            #expect(json[key] != nil, "missing \(key)")
        }
    }

    @Test func tableAndSecondRunDiff() async throws {
        let (t, aws) = try await fixture(profile: "noncompliant")
        var r = try t.sop(
            ["verify", "acme", "--checks", "iam_password_policy_strong,s3_account_public_access_blocked"],
            environment: aws)
        #expect(r.status == 1)
        #expect(r.stdout.contains("CHECK"))
        #expect(r.stdout.contains("iam_password_policy_strong"))
        #expect(r.stdout.contains("0 pass, 2 fail, 0 error"), "\(r.stdout)")
        #expect(!r.stdout.contains("since last run"))
        #expect(!r.stderr.contains("verifying ["), "no progress bar when stderr is not a terminal")
        try await VerifyAccounts.python(
            """
            client("iam").update_account_password_policy(MinimumPasswordLength=16, RequireSymbols=True, RequireNumbers=True,
                RequireUppercaseCharacters=True, RequireLowercaseCharacters=True, MaxPasswordAge=90, PasswordReusePrevention=24)
            """, account: "222222222222")
        r = try t.sop(
            ["verify", "acme", "--checks", "iam_password_policy_strong,s3_account_public_access_blocked"],
            environment: aws)
        #expect(r.status == 1)
        #expect(r.stdout.contains("1 pass, 1 fail, 0 error"), "\(r.stdout)")
        #expect(r.stdout.contains("since last run: 1 fixed, 0 new"), "\(r.stdout)")
        // Put the weak policy back for the other tests.
        try await VerifyAccounts.python(
            """
            client("iam").update_account_password_policy(MinimumPasswordLength=8, RequireSymbols=False, RequireNumbers=True,
                RequireUppercaseCharacters=True, RequireLowercaseCharacters=True, MaxPasswordAge=90, PasswordReusePrevention=12)
            """, account: "222222222222")
    }

    @Test func compliantAccountExitsThreeForEmulatorGapsOnly() async throws {
        let (t, aws) = try await fixture(profile: "compliant")
        var r = try t.sop(["verify", "acme", "--json"], environment: aws)
        #expect(r.status == 3, "errors but no failure exit 3: \(r.stderr)")
        let results = t.json(r)["results"] as? [[String: Any]] ?? []
        let failing = results.filter { $0["outcome"] as? String == "fail" }
        #expect(failing.isEmpty, "\(failing)")
        let errors = Set(results.filter { $0["outcome"] as? String == "error" }.compactMap { $0["check"] as? String })
        #expect(
            errors == [
                "iam_root_mfa_enabled", "iam_root_access_keys_absent", "ce_cost_allocation_tags_active",
                "backup_plan_with_selection",
            ])
        r = try t.sop(
            ["verify", "acme", "--checks", "iam_password_policy_strong", "--regions", "us-east-1"], environment: aws)
        #expect(r.status == 0, "\(r.stdout) \(r.stderr)")
        #expect(r.stdout.contains("1 pass, 0 fail, 0 error"))
    }

    @Test func badUsageExitsTwo() async throws {
        let (t, aws) = try await fixture(profile: "compliant", template: "aws-account@1.0.0")
        var r = try t.sop(["verify", "acme", "--checks", "iam_password_policy_strong,no_such_check"], environment: aws)
        #expect(r.status == 2)
        #expect(r.stderr.contains("no_such_check"))
        r = try t.sop(["verify", "acme", "--checks", "s3_account_public_access_blocked"], environment: aws)
        #expect(r.status == 2, "a check the pinned template does not use")
        #expect(r.stderr.contains("aws-account@1.0.0"))
        r = try t.sop(["verify", "nobody"], environment: aws)
        #expect(r.status == 2)
        r = try t.sop(["verify", "acme", "--regions", "moon"], environment: aws)
        #expect(r.status == 2)
    }

    @Test func iamPolicyListsExactlyTheTemplatesActions() async throws {
        let (t, _) = try await fixture(profile: "compliant", template: "aws-account@1.0.0")
        let r = try t.sop(["iam-policy", "acme"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = t.json(r)
        let statement = try #require((json["Statement"] as? [[String: Any]])?.first)
        let actions = try #require(statement["Action"] as? [String])
        #expect(actions == actions.sorted())
        #expect(actions.contains("sts:GetCallerIdentity") && actions.contains("ec2:DescribeRegions"))
        #expect(actions.contains("iam:GetAccountAuthorizationDetails"), "1.0.0 checks IAM groups")
        #expect(!actions.contains("s3:GetAccountPublicAccessBlock"), "1.0.0 has no account-level S3 check")
        #expect(actions.contains("cloudwatch:DescribeAlarms") && !actions.contains { $0.hasPrefix("monitoring:") })
        #expect(try t.sop(["iam-policy", "acme"]).stdout == r.stdout, "stable output")
        #expect(try t.sop(["iam-policy", "nobody"]).status == 2)
    }

    @Test func wrongCredentialsAreErrorsNeverPasses() async throws {
        let state = try await VerifyAccounts.shared.value
        let (t, aws) = try await fixture(profile: "broken")
        let credentials = state.directory.appendingPathComponent("broken-credentials")
        try Data("[broken]\naws_access_key_id = AKIAEXAMPLEBROKEN000\naws_secret_access_key = not-the-secret\n".utf8)
            .write(to: credentials)
        try await state.server.setSignatureEnforcement(true)
        defer { Task { try? await state.server.setSignatureEnforcement(false) } }
        var environment = aws
        environment["AWS_SHARED_CREDENTIALS_FILE"] = credentials.path
        let r = try t.sop(["verify", "acme", "--json", "--regions", "us-east-1"], environment: environment)
        try await state.server.setSignatureEnforcement(false)
        #expect(r.status == 3, "\(r.stdout) \(r.stderr)")
        let results = t.json(r)["results"] as? [[String: Any]] ?? []
        #expect(!results.isEmpty)
        #expect(results.allSatisfy { $0["outcome"] as? String == "error" })
    }
}
