import AWSClient

/// Reads budgets with their notifications and each notification's subscribers.
enum BudgetsFetcher {
    static func budgets(_ context: FetchContext) async throws(FetchFailure) -> [Budget] {
        let account: JSONValue = .string(context.accountId)
        let listed: ([JSONValue], Int)
        do {
            listed = try await context.jsonPages(
                .budgets, "DescribeBudgets", ["AccountId": account], region: "us-east-1",
                followUps: 2)
        } catch  where error.isNotFound {
            return []
        }
        let entries = listed.0.flatMap { $0["Budgets"]?.elements ?? [] }
        return try await concurrently(entries) { entry throws(FetchFailure) in
            let name = entry["BudgetName"]?.string ?? ""
            let (pages, depth) = try await context.jsonPages(
                .budgets, "DescribeNotificationsForBudget",
                ["AccountId": account, "BudgetName": .string(name)],
                region: "us-east-1", after: listed.1, followUps: 1)
            let notifications = pages.flatMap { $0["Notifications"]?.elements ?? [] }
            let withSubscribers = try await concurrently(notifications) { notification throws(FetchFailure) in
                let subscribers = await fetched { () async throws(FetchFailure) -> [String] in
                    let (pages, _) = try await context.jsonPages(
                        .budgets, "DescribeSubscribersForNotification",
                        ["AccountId": account, "BudgetName": .string(name), "Notification": notification],
                        region: "us-east-1", after: depth)
                    return pages.flatMap { $0["Subscribers"]?.elements ?? [] }.compactMap { $0["Address"]?.string }
                }
                return BudgetNotification(
                    notificationType: notification["NotificationType"]?.string ?? "",
                    threshold: notification["Threshold"]?.double ?? 0, subscribers: subscribers)
            }
            return Budget(name: name, budgetType: entry["BudgetType"]?.string ?? "", notifications: withSubscribers)
        }
    }
}
