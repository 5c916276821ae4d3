public struct GuardDutyDetector: Sendable, Equatable, Codable {
    public var id: String
    public var status: String

    public init(id: String, status: String = "ENABLED") {
        self.id = id
        self.status = status
    }
}

/// An EventBridge rule on the default bus with its targets' ARNs.
public struct EventRule: Sendable, Equatable, Codable {
    public var name: String
    public var state: String
    public var eventPattern: String?
    public var targets: Fetched<[String]>

    public init(name: String, state: String = "ENABLED", eventPattern: String?, targets: Fetched<[String]>) {
        self.name = name
        self.state = state
        self.eventPattern = eventPattern
        self.targets = targets
    }

    /// True when the pattern matches events from `source` (e.g. `aws.guardduty`).
    public func matchesSource(_ source: String) -> Bool {
        guard let eventPattern else { return false }
        return eventPattern.contains("\"\(source)\"")
    }
}

public struct SNSSubscription: Sendable, Equatable, Codable {
    public var arn: String
    public var topicArn: String
    public var `protocol`: String
    public var endpoint: String

    public init(arn: String, topicArn: String, protocol: String = "email", endpoint: String = "ops@example.com") {
        self.arn = arn
        self.topicArn = topicArn
        self.protocol = `protocol`
        self.endpoint = endpoint
    }

    /// AWS shows `PendingConfirmation` (or `Deleted`) instead of an ARN until confirmed.
    public var isConfirmed: Bool { arn.hasPrefix("arn:") }
}

public struct SNSTopics: Sendable, Equatable, Codable {
    public var topics: [String]
    public var subscriptions: [SNSSubscription]

    public init(topics: [String] = [], subscriptions: [SNSSubscription] = []) {
        self.topics = topics
        self.subscriptions = subscriptions
    }

    public func confirmedSubscriptions(of topic: String) -> [SNSSubscription] {
        subscriptions.filter { $0.topicArn == topic && $0.isConfirmed }
    }
}

/// A Lambda function and the service principals its resource policy lets invoke it.
public struct LambdaFunction: Sendable, Equatable, Codable {
    public var name: String
    public var arn: String
    /// Principals from `lambda:GetPolicy` (`sns.amazonaws.com`, `events.amazonaws.com`); empty without a policy.
    public var invokePrincipals: Fetched<[String]>

    public init(name: String, arn: String = "", invokePrincipals: Fetched<[String]> = .value([])) {
        self.name = name
        self.arn = arn.isEmpty ? "arn:aws:lambda:us-east-1:123456789012:function:\(name)" : arn
        self.invokePrincipals = invokePrincipals
    }
}
