extension Check {
    /// The root user signs in with MFA.
    ///
    /// `AccountMFAEnabled = 1` is authoritative. A 0 is confirmed against the credential
    /// report's `<root_account>` row; a report without that row (AWS always has one; the
    /// moto emulator never does) leaves the question open, so the result is `error`.
    static let iamRootMFAEnabled = Check(
        id: "iam_root_mfa_enabled",
        title: "Root user has MFA",
        items: ["root.mfa"],
        scope: .global,
        needs: [.iamAccountSummary, .iamCredentialReport],
        criterion: "`AccountMFAEnabled` is 1, or the credential report's `<root_account>` row has `mfa_active = true`.",
        controls: ["CIS 1.5", "IAM.9"],
        notes: "The physical (hardware) device cannot be seen through the API; record where it is kept as a note. "
            + "Without a `<root_account>` row in the credential report the result is `error` (moto has none and hard-codes AccountMFAEnabled = 0).",
        examples: [
            CheckExample(
                "summary says MFA is on", .pass,
                snapshot: Snapshot {
                    $0.iamAccountSummary = .value(IAMAccountSummary(accountMFAEnabled: 1, accountAccessKeysPresent: 0))
                    $0.iamCredentialReport = .value(CredentialReport(rows: [.root(mfa: true)]))
                }),
            CheckExample(
                "root row without MFA", .fail, resources: ["arn:aws:iam::123456789012:root"],
                snapshot: Snapshot {
                    $0.iamAccountSummary = .value(IAMAccountSummary(accountMFAEnabled: 0, accountAccessKeysPresent: 0))
                    $0.iamCredentialReport = .value(CredentialReport(rows: [.root(mfa: false)]))
                }),
            CheckExample(
                "emulator: no root row, summary 0", .error,
                snapshot: Snapshot {
                    $0.iamAccountSummary = .value(IAMAccountSummary(accountMFAEnabled: 0, accountAccessKeysPresent: 0))
                    $0.iamCredentialReport = .value(
                        CredentialReport(rows: [
                            CredentialReportRow(user: "alice", passwordEnabled: true, mfaActive: true)
                        ]))
                }),
            CheckExample(
                "access denied", .error,
                snapshot: Snapshot {
                    $0.iamAccountSummary = .failed(
                        FetchFailure(code: "AccessDenied", message: "", operation: "iam:GetAccountSummary"))
                }),
        ]
    ) { input throws(FetchFailure) in
        let summary = try input.snapshot.iamAccountSummary.get("iam:GetAccountSummary")
        if summary.accountMFAEnabled == 1 {
            return CheckResult.pass("root user has MFA (AccountMFAEnabled = 1)").observing(["root MFA": "on"])
        }
        let report = try input.snapshot.iamCredentialReport.get("iam:GetCredentialReport")
        guard let root = report.root else {
            return .error(
                "root MFA cannot be determined: AccountMFAEnabled is \(summary.accountMFAEnabled.map(String.init) ?? "missing") "
                    + "and the credential report has no <root_account> row")
        }
        let result: CheckResult =
            root.mfaActive
            ? .pass("root user has MFA (credential report)")
            : .fail("root user has no MFA device", resources: [root.arn.isEmpty ? root.user : root.arn])
        return result.observing(["root MFA": root.mfaActive ? "on" : "off"])
    }
}

extension CredentialReportRow {
    /// A `<root_account>` row, for examples.
    static func root(mfa: Bool, keys: Bool = false) -> CredentialReportRow {
        CredentialReportRow(
            user: rootUserName, arn: "arn:aws:iam::123456789012:root", passwordEnabled: nil,
            mfaActive: mfa, accessKey1Active: keys, accessKey2Active: false)
    }
}
