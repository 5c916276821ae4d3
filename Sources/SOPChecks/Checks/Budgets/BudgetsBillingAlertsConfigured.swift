extension Check {
    /// Someone is told when spend crosses a threshold: a budget notification with a
    /// subscriber, or an actionable CloudWatch alarm on the billing metric.
    static let budgetsBillingAlertsConfigured = Check(
        id: "budgets_billing_alerts_configured",
        title: "Billing alerts configured",
        items: ["billing.alerts"],
        scope: .global,
        needs: [.budgets, .billingAlarms],
        criterion: "≥ 1 COST budget with a notification that has ≥ 1 subscriber, or a metric alarm in us-east-1 on "
            + "`AWS/Billing` `EstimatedCharges` with actions enabled and ≥ 1 alarm action.",
        notes: "moto does not implement `DescribeSubscribersForNotification`; there a budget alone cannot be confirmed "
            + "and the billing alarm decides.",
        examples: [
            CheckExample(
                "budget with subscriber", .pass,
                snapshot: Snapshot {
                    $0.budgets = .value([
                        Budget(
                            name: "monthly",
                            notifications: [BudgetNotification(subscribers: .value(["billing@example.com"]))])
                    ])
                    $0.billingAlarms = .value([])
                }),
            CheckExample(
                "billing alarm, subscribers unreadable", .pass,
                snapshot: Snapshot {
                    $0.budgets = .value([
                        Budget(
                            name: "monthly", notifications: [BudgetNotification(subscribers: .failed(.notImplemented))])
                    ])
                    $0.billingAlarms = .value([.billing])
                }),
            CheckExample(
                "budget without notification, no alarm", .fail, resources: ["monthly"],
                snapshot: Snapshot {
                    $0.budgets = .value([Budget(name: "monthly")])
                    $0.billingAlarms = .value([
                        MetricAlarm(name: "cpu", alarmActions: ["arn:aws:sns:us-east-1:123456789012:ops"])
                    ])
                }),
            CheckExample(
                "subscribers unreadable and no alarm", .error,
                snapshot: Snapshot {
                    $0.budgets = .value([
                        Budget(
                            name: "monthly", notifications: [BudgetNotification(subscribers: .failed(.notImplemented))])
                    ])
                    $0.billingAlarms = .value([])
                }),
        ]
    ) { input throws(FetchFailure) in
        let budgets = input.snapshot.budgets
        let alarms = input.snapshot.billingAlarms
        if let billing = alarms.value?.filter({ $0.isBillingAlarm && $0.isActionable }), let first = billing.first {
            return .pass("billing alarm \(first.name) notifies \(first.alarmActions.count) target(s)")
        }
        var unreadable: FetchFailure?
        for budget in budgets.value ?? [] where budget.budgetType == "COST" {
            for notification in budget.notifications {
                switch notification.subscribers {
                case .value(let subscribers) where !subscribers.isEmpty:
                    return .pass("budget \(budget.name) notifies \(subscribers.count) subscriber(s)")
                case .failed(let failure): unreadable = unreadable ?? failure
                default: break
                }
            }
        }
        if let failure = budgets.failure ?? alarms.failure ?? unreadable {
            return .error("billing alerts could not be confirmed: \(failure.description)")
        }
        if budgets.value == nil { _ = try budgets.get("budgets:DescribeBudgets") }
        if alarms.value == nil { _ = try alarms.get("cloudwatch:DescribeAlarms") }
        let names = (budgets.value ?? []).map(\.name)
        return .fail(
            names.isEmpty
                ? "no budget and no billing alarm" : "no budget notifies anyone and no billing alarm has actions",
            resources: names)
    }
}

extension FetchFailure {
    static let notImplemented = FetchFailure(
        code: "NotImplemented", message: "the endpoint does not implement the operation",
        operation: "budgets:DescribeSubscribersForNotification")
}

extension MetricAlarm {
    static let billing = MetricAlarm(
        name: "billing-over-100", namespace: "AWS/Billing", metricName: "EstimatedCharges",
        alarmActions: ["arn:aws:sns:us-east-1:123456789012:billing"])
}
