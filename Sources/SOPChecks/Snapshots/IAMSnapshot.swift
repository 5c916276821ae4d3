/// `iam:GetAccountSummary` values the root checks read (AWS returns 0 or 1).
public struct IAMAccountSummary: Sendable, Equatable, Codable {
    public var accountMFAEnabled: Int?
    public var accountAccessKeysPresent: Int?

    public init(accountMFAEnabled: Int?, accountAccessKeysPresent: Int?) {
        self.accountMFAEnabled = accountMFAEnabled
        self.accountAccessKeysPresent = accountAccessKeysPresent
    }
}

/// One row of the IAM credential report (a CSV); `<root_account>` is the root user.
public struct CredentialReportRow: Sendable, Equatable, Codable {
    public var user: String
    public var arn: String
    /// nil for the root user, whose column says `not_supported`.
    public var passwordEnabled: Bool?
    public var mfaActive: Bool
    public var accessKey1Active: Bool
    public var accessKey2Active: Bool

    public init(
        user: String, arn: String = "", passwordEnabled: Bool?, mfaActive: Bool,
        accessKey1Active: Bool = false, accessKey2Active: Bool = false
    ) {
        self.user = user
        self.arn = arn
        self.passwordEnabled = passwordEnabled
        self.mfaActive = mfaActive
        self.accessKey1Active = accessKey1Active
        self.accessKey2Active = accessKey2Active
    }

    public static let rootUserName = "<root_account>"
    public var isRoot: Bool { user == Self.rootUserName }
}

public struct CredentialReport: Sendable, Equatable, Codable {
    public var rows: [CredentialReportRow]

    public init(rows: [CredentialReportRow]) { self.rows = rows }

    public var root: CredentialReportRow? { rows.first(where: \.isRoot) }
    public var users: [CredentialReportRow] { rows.filter { !$0.isRoot } }

    /// Parses the report's CSV (no quoted fields occur in it); unknown columns are ignored.
    public init(csv: String) throws(FetchFailure) {
        var lines = csv.split(whereSeparator: \.isNewline).map(String.init)
        guard !lines.isEmpty else {
            throw FetchFailure(
                code: "MalformedCredentialReport", message: "empty report", operation: "iam:GetCredentialReport")
        }
        let header = lines.removeFirst().split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        func column(_ name: String) -> Int? { header.firstIndex(of: name) }
        guard let userIndex = column("user") else {
            throw FetchFailure(
                code: "MalformedCredentialReport", message: "no 'user' column", operation: "iam:GetCredentialReport")
        }
        func field(_ fields: [String], _ name: String) -> String? {
            guard let i = column(name), i < fields.count else { return nil }
            return fields[i]
        }
        rows = lines.compactMap { line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard userIndex < fields.count else { return nil }
            let password = field(fields, "password_enabled")
            return CredentialReportRow(
                user: fields[userIndex],
                arn: field(fields, "arn") ?? "",
                passwordEnabled: password == "true" ? true : (password == "false" ? false : nil),
                mfaActive: field(fields, "mfa_active") == "true",
                accessKey1Active: field(fields, "access_key_1_active") == "true",
                accessKey2Active: field(fields, "access_key_2_active") == "true")
        }
    }
}

/// The account password policy; absent (`NoSuchEntity`) is modelled as nil by the fetcher.
public struct IAMPasswordPolicy: Sendable, Equatable, Codable {
    public var minimumPasswordLength: Int?
    public var requireSymbols: Bool
    public var requireNumbers: Bool
    public var requireUppercaseCharacters: Bool
    public var requireLowercaseCharacters: Bool
    /// 0 or nil: passwords never expire.
    public var maxPasswordAge: Int?
    /// nil: reuse is not prevented.
    public var passwordReusePrevention: Int?

    public init(
        minimumPasswordLength: Int?, requireSymbols: Bool, requireNumbers: Bool,
        requireUppercaseCharacters: Bool, requireLowercaseCharacters: Bool,
        maxPasswordAge: Int?, passwordReusePrevention: Int?
    ) {
        self.minimumPasswordLength = minimumPasswordLength
        self.requireSymbols = requireSymbols
        self.requireNumbers = requireNumbers
        self.requireUppercaseCharacters = requireUppercaseCharacters
        self.requireLowercaseCharacters = requireLowercaseCharacters
        self.maxPasswordAge = maxPasswordAge
        self.passwordReusePrevention = passwordReusePrevention
    }
}

/// An inline policy with its (URL-decoded) JSON document.
public struct IAMInlinePolicy: Sendable, Equatable, Codable {
    public var name: String
    public var document: String

    public init(name: String, document: String) {
        self.name = name
        self.document = document
    }
}

public struct IAMUserDetail: Sendable, Equatable, Codable {
    public var name: String
    public var arn: String
    public var groups: [String]
    public var attachedPolicyArns: [String]
    public var inlinePolicies: [IAMInlinePolicy]

    public init(
        name: String, arn: String = "", groups: [String] = [], attachedPolicyArns: [String] = [],
        inlinePolicies: [IAMInlinePolicy] = []
    ) {
        self.name = name
        self.arn = arn.isEmpty ? "arn:aws:iam::123456789012:user/\(name)" : arn
        self.groups = groups
        self.attachedPolicyArns = attachedPolicyArns
        self.inlinePolicies = inlinePolicies
    }
}

public struct IAMGroupDetail: Sendable, Equatable, Codable {
    public var name: String
    public var arn: String
    public var attachedPolicyArns: [String]
    public var inlinePolicies: [IAMInlinePolicy]

    public init(
        name: String, arn: String = "", attachedPolicyArns: [String] = [], inlinePolicies: [IAMInlinePolicy] = []
    ) {
        self.name = name
        self.arn = arn.isEmpty ? "arn:aws:iam::123456789012:group/\(name)" : arn
        self.attachedPolicyArns = attachedPolicyArns
        self.inlinePolicies = inlinePolicies
    }
}

/// A customer managed policy and its default version's document.
public struct IAMManagedPolicy: Sendable, Equatable, Codable {
    public var arn: String
    public var document: String

    public init(arn: String, document: String) {
        self.arn = arn
        self.document = document
    }

    public var name: String { String(arn.split(separator: "/").last ?? Substring(arn)) }
}

/// Users, groups and customer policies from `iam:GetAccountAuthorizationDetails`.
public struct IAMAuthorizationDetails: Sendable, Equatable, Codable {
    public var users: [IAMUserDetail]
    public var groups: [IAMGroupDetail]
    public var policies: [IAMManagedPolicy]

    public init(users: [IAMUserDetail] = [], groups: [IAMGroupDetail] = [], policies: [IAMManagedPolicy] = []) {
        self.users = users
        self.groups = groups
        self.policies = policies
    }

    public func members(of group: String) -> [IAMUserDetail] { users.filter { $0.groups.contains(group) } }
}
