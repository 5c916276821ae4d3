public struct LogGroup: Sendable, Equatable, Codable {
    public var name: String
    /// nil: events never expire.
    public var retentionInDays: Int?

    public init(name: String, retentionInDays: Int?) {
        self.name = name
        self.retentionInDays = retentionInDays
    }
}

public struct BackupRule: Sendable, Equatable, Codable {
    public var name: String
    public var scheduleExpression: String?
    /// True when the rule deletes or transitions recovery points (a retention policy).
    public var hasLifecycle: Bool

    public init(name: String, scheduleExpression: String? = "cron(0 5 ? * * *)", hasLifecycle: Bool = true) {
        self.name = name
        self.scheduleExpression = scheduleExpression
        self.hasLifecycle = hasLifecycle
    }
}

public struct BackupPlan: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    public var rules: Fetched<[BackupRule]>
    /// Names of the plan's resource selections (moto does not implement the call).
    public var selections: Fetched<[String]>

    public init(id: String, name: String, rules: Fetched<[BackupRule]>, selections: Fetched<[String]>) {
        self.id = id
        self.name = name
        self.rules = rules
        self.selections = selections
    }
}

/// `account:GetAlternateContact` per type (`SECURITY`, `BILLING`, `OPERATIONS`): true when set.
public struct AlternateContacts: Sendable, Equatable, Codable {
    public var configured: [String: Bool]

    public init(_ configured: [String: Bool]) { self.configured = configured }

    public static let types = ["BILLING", "OPERATIONS", "SECURITY"]
}
