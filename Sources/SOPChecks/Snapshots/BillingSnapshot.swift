public struct BudgetNotification: Sendable, Equatable, Codable {
    public var notificationType: String
    public var threshold: Double
    /// Subscriber addresses; a failure when they could not be read (moto does not implement the call).
    public var subscribers: Fetched<[String]>

    public init(notificationType: String = "ACTUAL", threshold: Double = 80, subscribers: Fetched<[String]>) {
        self.notificationType = notificationType
        self.threshold = threshold
        self.subscribers = subscribers
    }
}

public struct Budget: Sendable, Equatable, Codable {
    public var name: String
    public var budgetType: String
    public var notifications: [BudgetNotification]

    public init(name: String, budgetType: String = "COST", notifications: [BudgetNotification] = []) {
        self.name = name
        self.budgetType = budgetType
        self.notifications = notifications
    }
}

/// A CloudWatch metric alarm (billing alarms live in us-east-1 only).
public struct MetricAlarm: Sendable, Equatable, Codable {
    public var name: String
    public var namespace: String
    public var metricName: String
    public var actionsEnabled: Bool
    public var alarmActions: [String]

    public init(
        name: String, namespace: String = "AWS/EC2", metricName: String = "CPUUtilization",
        actionsEnabled: Bool = true, alarmActions: [String] = []
    ) {
        self.name = name
        self.namespace = namespace
        self.metricName = metricName
        self.actionsEnabled = actionsEnabled
        self.alarmActions = alarmActions
    }

    public var isBillingAlarm: Bool { namespace == "AWS/Billing" && metricName == "EstimatedCharges" }
    public var isActionable: Bool { actionsEnabled && !alarmActions.isEmpty }
}

/// `ce:ListCostAllocationTags` entries: tag key → status (`Active`, `Inactive`).
public struct CostAllocationTags: Sendable, Equatable, Codable {
    public var statuses: [String: String]

    public init(_ statuses: [String: String]) { self.statuses = statuses }
}
