import AWSClient

/// Reads what tells people about spend: budgets with their notifications and subscribers,
/// metric alarms in us-east-1 (where the billing metric lives), and cost allocation tags.
enum BillingFetcher {
    static let keys: Set<DataKey> = [.budgets, .billingAlarms, .costAllocationTags]

    static func fetch(_ keys: Set<DataKey>, region _: String, context: FetchContext) async -> [SnapshotPatch] {
        async let budgetsValue: Fetched<[Budget]>? = keys.contains(.budgets)
            ? fetched { () async throws(FetchFailure) in try await budgets(context) } : nil
        async let alarms: Fetched<[MetricAlarm]>? = keys.contains(.billingAlarms)
            ? fetched { () async throws(FetchFailure) in try await CloudWatchFetcher.alarms(region: "us-east-1", context) } : nil
        async let tags: Fetched<CostAllocationTags>? = keys.contains(.costAllocationTags)
            ? fetched { () async throws(FetchFailure) in try await costAllocationTags(context) } : nil
        var patches: [SnapshotPatch] = []
        if let budgets = await budgetsValue { patches.append { $0.budgets = budgets } }
        if let alarms = await alarms { patches.append { $0.billingAlarms = alarms } }
        if let tags = await tags { patches.append { $0.costAllocationTags = tags } }
        return patches
    }

    static func budgets(_ context: FetchContext) async throws(FetchFailure) -> [Budget] {
        let account: JSONValue = .string(context.accountId)
        let listed: ([JSONValue], Int)
        do {
            listed = try await context.jsonPages(.budgets, "DescribeBudgets", ["AccountId": account], region: "us-east-1")
        } catch where error.isNotFound {
            return []
        }
        let entries = listed.0.flatMap { $0["Budgets"]?.elements ?? [] }
        return try await concurrently(entries) { entry throws(FetchFailure) in
            let name = entry["BudgetName"]?.string ?? ""
            let (pages, depth) = try await context.jsonPages(.budgets, "DescribeNotificationsForBudget",
                                                             ["AccountId": account, "BudgetName": .string(name)],
                                                             region: "us-east-1", after: listed.1)
            let notifications = pages.flatMap { $0["Notifications"]?.elements ?? [] }
            let withSubscribers = try await concurrently(notifications) { notification throws(FetchFailure) in
                let subscribers = await fetched { () async throws(FetchFailure) -> [String] in
                    let (pages, _) = try await context.jsonPages(
                        .budgets, "DescribeSubscribersForNotification",
                        ["AccountId": account, "BudgetName": .string(name), "Notification": notification],
                        region: "us-east-1", after: depth)
                    return pages.flatMap { $0["Subscribers"]?.elements ?? [] }.compactMap { $0["Address"]?.string }
                }
                return BudgetNotification(notificationType: notification["NotificationType"]?.string ?? "",
                                          threshold: notification["Threshold"]?.double ?? 0, subscribers: subscribers)
            }
            return Budget(name: name, budgetType: entry["BudgetType"]?.string ?? "", notifications: withSubscribers)
        }
    }

    static func costAllocationTags(_ context: FetchContext) async throws(FetchFailure) -> CostAllocationTags {
        let (pages, _) = try await context.jsonPages(.costExplorer, "ListCostAllocationTags", ["Type": "UserDefined"],
                                                     region: "us-east-1")
        var statuses: [String: String] = [:]
        for tag in pages.flatMap({ $0["CostAllocationTags"]?.elements ?? [] }) {
            if let key = tag["TagKey"]?.string { statuses[key] = tag["Status"]?.string ?? "" }
        }
        return CostAllocationTags(statuses)
    }
}
