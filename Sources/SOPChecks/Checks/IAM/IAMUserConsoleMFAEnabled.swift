extension Check {
    /// Every IAM user who can sign in to the console has an MFA device.
    static let iamUserConsoleMFAEnabled = Check(
        id: "iam_user_console_mfa_enabled",
        title: "Console users have MFA",
        items: ["iam.user-mfa"],
        scope: .global,
        needs: [.iamCredentialReport],
        criterion: "Every credential-report user with `password_enabled = true` has `mfa_active = true`.",
        controls: ["CIS 1.10", "IAM.5"],
        examples: [
            CheckExample(
                "console users with MFA, API-only user without", .pass,
                snapshot: Snapshot {
                    $0.iamCredentialReport = .value(
                        CredentialReport(rows: [
                            CredentialReportRow(
                                user: "alice", arn: "arn:aws:iam::123456789012:user/alice", passwordEnabled: true,
                                mfaActive: true),
                            CredentialReportRow(
                                user: "ci", arn: "arn:aws:iam::123456789012:user/ci", passwordEnabled: false,
                                mfaActive: false),
                        ]))
                }),
            CheckExample(
                "console user without MFA", .fail, resources: ["arn:aws:iam::123456789012:user/bob"],
                snapshot: Snapshot {
                    $0.iamCredentialReport = .value(
                        CredentialReport(rows: [
                            CredentialReportRow(
                                user: "alice", arn: "arn:aws:iam::123456789012:user/alice", passwordEnabled: true,
                                mfaActive: true),
                            CredentialReportRow(
                                user: "bob", arn: "arn:aws:iam::123456789012:user/bob", passwordEnabled: true,
                                mfaActive: false),
                        ]))
                }),
            CheckExample(
                "report throttled", .error,
                snapshot: Snapshot {
                    $0.iamCredentialReport = .failed(
                        FetchFailure(code: "Throttling", message: "Rate exceeded", operation: "iam:GetCredentialReport")
                    )
                }),
        ]
    ) { input throws(FetchFailure) in
        let report = try input.snapshot.iamCredentialReport.get("iam:GetCredentialReport")
        let console = report.users.filter { $0.passwordEnabled == true }
        let offenders = console.filter { !$0.mfaActive }.map { $0.arn.isEmpty ? $0.user : $0.arn }
        return .failing(
            offenders, "\(offenders.count) of \(console.count) console users have no MFA",
            else: "all \(console.count) console users have MFA")
    }
}
