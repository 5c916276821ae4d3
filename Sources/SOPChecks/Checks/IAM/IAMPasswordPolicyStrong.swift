extension Check {
    /// The account password policy meets the template's thresholds.
    static let iamPasswordPolicyStrong = Check(
        id: "iam_password_policy_strong",
        title: "Strong IAM password policy",
        items: ["iam.password-policy"],
        scope: .global,
        needs: [.iamPasswordPolicy],
        criterion:
            "A password policy exists with length ≥ `password_min_length`, symbols, numbers, upper- and lower-case "
            + "letters required, 0 < max age ≤ `password_max_age_days`, reuse prevention ≥ `password_reuse_prevention`.",
        controls: ["CIS 1.8", "CIS 1.9", "IAM.7", "IAM.15", "IAM.16"],
        parameters: [
            CheckParameter("password_min_length", default: .integer(14), "minimum password length"),
            CheckParameter("password_max_age_days", default: .integer(90), "maximum password age in days"),
            CheckParameter(
                "password_reuse_prevention", default: .integer(24), "previous passwords that cannot be reused"),
        ],
        notes: "A max age or reuse prevention of 0 or missing counts as not set (moto reports 0 for an unset max age).",
        examples: [
            CheckExample("strong policy", .pass, snapshot: Snapshot { $0.iamPasswordPolicy = .value(.strong) }),
            CheckExample(
                "reuse 12 instead of 24", .fail, resources: ["account-password-policy"],
                snapshot: Snapshot {
                    var policy = IAMPasswordPolicy.strong
                    policy.passwordReusePrevention = 12
                    $0.iamPasswordPolicy = .value(policy)
                }),
            CheckExample(
                "customer override lowers the length", .pass, parameters: ["password_min_length": .integer(8)],
                snapshot: Snapshot {
                    var policy = IAMPasswordPolicy.strong
                    policy.minimumPasswordLength = 8
                    $0.iamPasswordPolicy = .value(policy)
                }),
            CheckExample("no policy", .fail, snapshot: Snapshot { $0.iamPasswordPolicy = .value(nil) }),
            CheckExample(
                "moto weak default", .fail,
                snapshot: Snapshot {
                    $0.iamPasswordPolicy = .value(
                        IAMPasswordPolicy(
                            minimumPasswordLength: 6, requireSymbols: false, requireNumbers: false,
                            requireUppercaseCharacters: false,
                            requireLowercaseCharacters: false, maxPasswordAge: 0, passwordReusePrevention: nil))
                }),
        ]
    ) { input throws(FetchFailure) in
        guard let policy = try input.snapshot.iamPasswordPolicy.get("iam:GetAccountPasswordPolicy") else {
            return .fail("no account password policy is set", resources: ["account-password-policy"])
                .observing(["password policy": "none"])
        }
        let minLength = try input.integer("password_min_length")
        let maxAge = try input.integer("password_max_age_days")
        let reuse = try input.integer("password_reuse_prevention")
        var problems: [String] = []
        let length = policy.minimumPasswordLength ?? 0
        if length < minLength { problems.append("minimum length \(length) < \(minLength)") }
        if !policy.requireSymbols { problems.append("symbols not required") }
        if !policy.requireNumbers { problems.append("numbers not required") }
        if !policy.requireUppercaseCharacters { problems.append("upper-case letters not required") }
        if !policy.requireLowercaseCharacters { problems.append("lower-case letters not required") }
        switch policy.maxPasswordAge ?? 0 {
        case 0: problems.append("passwords never expire (max \(maxAge) days)")
        case let age where age > maxAge: problems.append("max age \(age) > \(maxAge) days")
        default: break
        }
        let reused = policy.passwordReusePrevention ?? 0
        if reused < reuse { problems.append("reuse prevention \(reused) < \(reuse)") }
        func yes(_ flag: Bool) -> String { flag ? "required" : "not required" }
        let observed = [
            "password minimum length": "\(length)", "password symbols": yes(policy.requireSymbols),
            "password numbers": yes(policy.requireNumbers),
            "password upper-case letters": yes(policy.requireUppercaseCharacters),
            "password lower-case letters": yes(policy.requireLowercaseCharacters),
            "password max age days": "\(policy.maxPasswordAge ?? 0)", "password reuse prevention": "\(reused)",
        ]
        let result: CheckResult =
            problems.isEmpty
            ? .pass(
                "password policy meets the thresholds (length ≥ \(minLength), reuse ≥ \(reuse), max age ≤ \(maxAge))")
            : .fail(
                "password policy too weak: " + problems.joined(separator: "; "), resources: ["account-password-policy"])
        return result.observing(observed)
    }
}

extension IAMPasswordPolicy {
    static let strong = IAMPasswordPolicy(
        minimumPasswordLength: 14, requireSymbols: true, requireNumbers: true, requireUppercaseCharacters: true,
        requireLowercaseCharacters: true, maxPasswordAge: 90, passwordReusePrevention: 24)
}
