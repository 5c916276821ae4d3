import Foundation
import TestSupport
import Testing

/// Waivers and the regression gate end to end: `sop` against accounts in a real moto_server.
@Suite(.serialized) struct GovernanceVerifyTests {
    /// A moto server of its own (the gate breaks an account, and other suites switch signature
    /// checking on theirs): a compliant account (profile `gate`) and a noncompliant one.
    static let accounts = Task<VerifyAccounts.State, Error> {
        try await VerifyAccounts.start([
            ("compliant", "333333333333", "gate"), ("noncompliant", "222222222222", "noncompliant"),
        ])
    }

    /// Runs boto3 code against one account of this suite's server.
    static func python(_ code: String, account: String) async throws {
        try await accounts.value.python(code, account: account)
    }

    func customer(profile: String, template: String = "aws-account@1.0.0", slug: String = "acme") async throws -> (
        TrackerFixture, [String: String]
    ) {
        let state = try await Self.accounts.value
        let tracker = TrackerFixture()
        let created = try tracker.sop([
            "new", slug, "--name", "Acme Corp", "--email", "aws-root@acme.example",
            "--regions", "us-east-1,eu-west-1", "--aws-profile", profile, "--template", template,
        ])
        #expect(created.status == 0, "sop new: \(created.stderr)")
        return (tracker, state.environment)
    }

    @Test func aWaivedFailureStaysAFailButNoLongerFailsTheRun() async throws {
        let (t, aws) = try await customer(profile: "noncompliant")
        let checks = ["--checks", "iam_password_policy_strong", "--regions", "us-east-1"]
        #expect(try t.sop(["verify", "acme"] + checks, environment: aws).status == 1)
        let asked = try t.sop([
            "waive", "acme", "iam_password_policy_strong", "--reason", "legacy SSO cut-over in April",
            "--expires", "2026-04-30", "--by", "dana",
        ])
        #expect(asked.status == 0, "\(asked.stderr)")
        #expect(asked.stdout.hasPrefix("W-1 acme iam_password_policy_strong: requested by dana until 2026-04-30"))
        // Requested only: nothing is waived yet.
        #expect(try t.sop(["verify", "acme"] + checks, environment: aws).status == 1)
        let own = try t.sop(["waiver", "approve", "acme", "W-1", "--role", "Security Lead", "--by", "dana"])
        #expect(own.status == 2)
        #expect(own.stderr.contains("dana asked for W-1 and may not approve it too"), "\(own.stderr)")
        let wrongRole = try t.sop(["waiver", "approve", "acme", "W-1", "--role", "Project Manager", "--by", "priya"])
        #expect(wrongRole.status == 2)
        #expect(wrongRole.stderr.contains("role 'Project Manager' may not decide waivers"), "\(wrongRole.stderr)")
        let approved = try t.sop(["waiver", "approve", "acme", "W-1", "--role", "Security Lead", "--by", "priya"])
        #expect(approved.status == 0, "\(approved.stderr)")

        let table = try t.sop(["verify", "acme"] + checks, environment: aws)
        #expect(table.status == 0, "a waived failure alone exits 0: \(table.stdout)")
        #expect(table.stdout.contains("fail (waived W-1)"), "\(table.stdout)")
        #expect(table.stdout.contains("0 pass, 1 fail, 0 error (1 fail waived)"), "\(table.stdout)")
        #expect(
            table.stdout.contains(
                "waived: iam_password_policy_strong@global under W-1, approved by priya, until 2026-04-30"))
        let json = try t.sop(["verify", "acme", "--json"] + checks, environment: aws)
        #expect(json.status == 0)
        let results = t.json(json)["results"] as? [[String: Any]] ?? []
        let result = try #require(results.first)
        #expect(result["outcome"] as? String == "fail", "never reported as pass")
        let waiver = try #require(result["waiver"] as? [String: String])
        #expect(waiver == ["id": "W-1", "until": "2026-04-30", "by": "priya"])
        let observed = try #require(result["observed"] as? [String: String])
        #expect(observed["password minimum length"] == "8")
        #expect(t.json(json)["waived"] as? [String] == ["iam_password_policy_strong@global"])

        let status = t.json(try t.sop(["status", "acme", "--json"]))
        let shown = (status["waivers"] as? [[String: Any]])?.first
        #expect(shown?["current_state"] as? String == "approved" && shown?["id"] as? String == "W-1")

        // After its last day the waiver is expired (an audit event) and the failure counts again.
        t.now = "2026-05-01T09:00:00Z"
        let before = (t.json(try t.sop(["status", "acme", "--json"]))["waivers"] as? [[String: Any]])?.first
        #expect(before?["current_state"] as? String == "expired", "expired in every view before it is recorded")
        #expect(before?["recorded_state"] as? String == "approved")
        #expect(try t.sop(["verify", "acme"] + checks, environment: aws).status == 1)
        let list = try t.sop(["waiver", "list", "acme", "--json"])
        let waivers = (try? JSONSerialization.jsonObject(with: list.stdoutData)) as? [[String: Any]] ?? []
        #expect(waivers.first?["state"] as? String == "expired")
        #expect(try t.sop(["log", "acme"]).stdout.contains("waiver.expire"))
        #expect(try t.sop(["audit", "verify"]).status == 0)
    }

    @Test func badWaiverInputIsOneLineExitTwoAndChangesNothing() async throws {
        let (t, _) = try await customer(profile: "noncompliant")
        let before = try t.sop(["log", "acme"]).stdout
        let attempts: [([String], String)] = [
            (["waive", "acme", "no.such.item", "--reason", "r", "--expires", "2026-04-30"], "unknown item or check"),
            (["waive", "acme", "root.mfa", "--reason", "r", "--expires", "2026-02-30"], "is not a date"),
            (["waive", "acme", "root.mfa", "--reason", "r", "--expires", "2026-03-01"], "is in the past"),
            (["waive", "acme", "root.mfa", "--reason", " ", "--expires", "2026-04-30"], "needs a reason"),
            (["waive", "acme", "root.mfa@us-east-x", "--reason", "r", "--expires", "2026-04-30"], "not an AWS region"),
            (["waiver", "approve", "acme", "W-7", "--role", "Security Lead", "--by", "priya"], "unknown waiver 'W-7'"),
            (["waiver", "approve", "acme", "--role", "x", "--by", "priya", "W-1"], "unknown waiver 'W-1'"),
            (["baseline", "set", "acme"], "no sign-off yet"),
            (["baseline", "set", "acme", "--run", "V9"], "unknown verification run 'V9'"),
            (["verify", "acme", "--gate"], "has no baseline"),
            (
                ["verify", "acme", "--gate", "--checks", "iam_password_policy_strong"],
                "cannot be combined with --checks"
            ),
        ]
        for (arguments, message) in attempts {
            let result = try t.sop(arguments)
            #expect(result.status == 2, "\(arguments): \(result.stdout) \(result.stderr)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result.stderr)")
        }
        #expect(try t.sop(["log", "acme"]).stdout == before, "nothing was recorded")
    }

    @Test func theGateNamesEachRegressionWithWhatWasObservedBeforeAndNow() async throws {
        let (t, aws) = try await customer(profile: "gate")
        #expect(try t.sop(["verify", "acme"], environment: aws).status == 3, "the compliant account: emulator gaps")
        // Section 5 signed off after the verification, as in `make demo`.
        try t.sop(["evidence", "add", "acme", "iam.group-permissions", "--note", "managed policies only"])
        try t.sop(["mark", "acme", "iam.group-permissions", "done"])
        let signed = try t.sop(["signoff", "acme", "5", "--role", "Security Lead", "--by", "priya"])
        #expect(signed.status == 0, "\(signed.stderr)")
        let baseline = try t.sop(["baseline", "set", "acme"])
        #expect(baseline.status == 0, "\(baseline.stderr)")
        #expect(baseline.stdout.hasPrefix("acme: baseline is V1 "), "\(baseline.stdout)")
        let unchanged = try t.sop(["verify", "acme", "--gate"], environment: aws)
        #expect(unchanged.status == 0, "nothing changed yet: \(unchanged.stdout) \(unchanged.stderr)")

        try await Self.python(
            """
            client("iam").update_account_password_policy(MinimumPasswordLength=8, RequireSymbols=True, RequireNumbers=True,
                RequireUppercaseCharacters=True, RequireLowercaseCharacters=True, MaxPasswordAge=90, PasswordReusePrevention=24)
            ec2 = client("ec2")
            vpc = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
            sg = ec2.create_security_group(GroupName="gate-ssh", Description="ssh", VpcId=vpc)["GroupId"]
            ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[{
                "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
            print(sg)
            """, account: "333333333333")
        let gate = try t.sop(["verify", "acme", "--gate"], environment: aws)
        #expect(gate.status == 1, "\(gate.stdout) \(gate.stderr)")
        #expect(gate.stdout.contains("gate against V1: FAILED (2 regressed"), "\(gate.stdout)")
        #expect(gate.stdout.contains("regressed: iam_password_policy_strong@global (pass → fail)"))
        #expect(gate.stdout.contains("password minimum length 16 → 8"), "\(gate.stdout)")
        #expect(gate.stdout.contains("regressed: ec2_securitygroup_admin_ports_restricted@us-east-1 (pass → fail)"))
        let opened = gate.stdout.split(separator: "\n").first { $0.contains(" opens none → 22 to 0.0.0.0/0 (new)") }
        #expect(opened?.trimmingCharacters(in: .whitespaces).hasPrefix("sg-") == true, "\(gate.stdout)")

        let json = t.json(try t.sop(["verify", "acme", "--gate", "--json"], environment: aws))
        let report = try #require(json["gate"] as? [String: Any])
        #expect(report["baseline"] as? String == "V1")
        #expect(report["passed"] as? Bool == false)
        let regressions = report["regressions"] as? [[String: Any]] ?? []
        #expect(
            Set(regressions.compactMap { $0["check"] as? String })
                == ["iam_password_policy_strong", "ec2_securitygroup_admin_ports_restricted"])
        let results = json["results"] as? [[String: Any]] ?? []
        let policy = results.first { $0["check"] as? String == "iam_password_policy_strong" }
        #expect((policy?["observed"] as? [String: String])?["password minimum length"] == "8")

        // The site shows the latest run's regressions against the accepted one.
        let site = t.directory.path("site")
        let built = try t.sop(["site", "build", "--out", site.path])
        #expect(built.status == 0, "\(built.stderr)")
        let page = try String(contentsOf: site.appendingPathComponent("customers/acme.html"), encoding: .utf8)
        #expect(page.contains("Regressions against the accepted run V1"), "\(page.prefix(300))")
        #expect(page.contains("password minimum length 16 → 8"))

        // The nightly run over several customers: one regressed (acme), one failing but without
        // a baseline (globex), one whose credentials are missing (initech), one without AWS access
        // configured (hooli). Two at a time; initech's failure stops nobody.
        for (slug, profile) in [("globex", "noncompliant"), ("initech", "no-such-profile")] {
            let created = try t.sop([
                "new", slug, "--name", slug, "--email", "root@\(slug).example", "--regions", "us-east-1",
                "--aws-profile", profile,
            ])
            #expect(created.status == 0, "\(created.stderr)")
        }
        try t.sop(["new", "hooli", "--name", "Hooli", "--email", "root@hooli.example"])
        let night = try t.sop(["verify", "--all", "--max-customers", "2"], environment: aws)
        #expect(night.status == 1, "acme regressed: \(night.stdout) \(night.stderr)")
        let lines = night.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 5, "\(night.stdout)")
        let acmeLine = lines.first { $0.hasPrefix("acme ") } ?? ""
        #expect(acmeLine.contains("2 regressed against V1"), "\(acmeLine)")
        #expect(acmeLine.contains("iam_password_policy_strong@global"), "\(acmeLine)")
        let globexLine = lines.first { $0.hasPrefix("globex ") } ?? ""
        #expect(globexLine.contains("no baseline"), "\(globexLine)")
        #expect(globexLine.range(of: #"^globex +V\d+, \d+ new failing"#, options: .regularExpression) != nil)
        #expect(lines.first { $0.hasPrefix("initech ") }?.contains("error: ") == true, "\(night.stdout)")
        #expect(lines.first { $0.hasPrefix("hooli ") }?.contains("skipped: no AWS profile or role") == true)
        #expect(lines.last == "4 customers: 1 regressed, 1 could not be verified, 1 skipped", "\(night.stdout)")
        let nightJSON = t.json(try t.sop(["verify", "--all", "--json"], environment: aws))
        #expect(nightJSON["regressed"] as? Bool == true)
        let rows = nightJSON["customers"] as? [[String: Any]] ?? []
        #expect(rows.map { $0["customer"] as? String ?? "" } == ["acme", "globex", "hooli", "initech"])
        #expect(rows.first { $0["customer"] as? String == "initech" }?["failure"] is String)
        #expect(try t.sop(["verify", "--all", "--gate"], environment: aws).status == 1)
        #expect(try t.sop(["verify", "acme", "--all"]).status == 2)
        #expect(try t.sop(["verify"]).status == 2)

        // Put the account back for any later run of this suite.
        try await Self.python(
            """
            client("iam").update_account_password_policy(MinimumPasswordLength=16, RequireSymbols=True, RequireNumbers=True,
                RequireUppercaseCharacters=True, RequireLowercaseCharacters=True, MaxPasswordAge=90, PasswordReusePrevention=24)
            ec2 = client("ec2")
            for g in ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": ["gate-ssh"]}])["SecurityGroups"]:
                ec2.delete_security_group(GroupId=g["GroupId"])
            """, account: "333333333333")
    }
}
