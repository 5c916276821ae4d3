extension Check {
    /// The root user has no access keys: nobody can script as root.
    ///
    /// `AccountAccessKeysPresent = 1` fails at once; a 0 is confirmed by the credential
    /// report's `<root_account>` row, and without that row the result is `error`.
    static let iamRootAccessKeysAbsent = Check(
        id: "iam_root_access_keys_absent",
        title: "Root user has no access keys",
        items: ["root.limit-access"],
        scope: .global,
        needs: [.iamAccountSummary, .iamCredentialReport],
        criterion: "`AccountAccessKeysPresent` is 0 and the `<root_account>` row shows neither access key active.",
        controls: ["CIS 1.4", "IAM.4"],
        notes:
            "moto hard-codes AccountAccessKeysPresent = 0 and has no root row, so against the emulator the result is `error`.",
        examples: [
            CheckExample(
                "no root keys", .pass,
                snapshot: Snapshot {
                    $0.iamAccountSummary = .value(IAMAccountSummary(accountMFAEnabled: 1, accountAccessKeysPresent: 0))
                    $0.iamCredentialReport = .value(CredentialReport(rows: [.root(mfa: true, keys: false)]))
                }),
            CheckExample(
                "summary reports root keys", .fail, resources: ["arn:aws:iam::123456789012:root"],
                snapshot: Snapshot {
                    $0.iamAccountSummary = .value(IAMAccountSummary(accountMFAEnabled: 1, accountAccessKeysPresent: 1))
                    $0.iamCredentialReport = .value(CredentialReport(rows: [.root(mfa: true, keys: true)]))
                }),
            CheckExample(
                "emulator: no root row", .error,
                snapshot: Snapshot {
                    $0.iamAccountSummary = .value(IAMAccountSummary(accountMFAEnabled: 0, accountAccessKeysPresent: 0))
                    $0.iamCredentialReport = .value(CredentialReport(rows: []))
                }),
        ]
    ) { input throws(FetchFailure) in
        let summary = try input.snapshot.iamAccountSummary.get("iam:GetAccountSummary")
        let rootArn = "arn:aws:iam::\(input.accountId):root"
        if summary.accountAccessKeysPresent == 1 {
            return .fail("the root user has access keys", resources: [rootArn])
        }
        let report = try input.snapshot.iamCredentialReport.get("iam:GetCredentialReport")
        guard let root = report.root else {
            return .error(
                "root access keys cannot be confirmed absent: the credential report has no <root_account> row")
        }
        if root.accessKey1Active || root.accessKey2Active {
            return .fail("the root user has an active access key", resources: [root.arn.isEmpty ? rootArn : root.arn])
        }
        return .pass("the root user has no access keys")
    }
}
