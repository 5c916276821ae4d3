import AWSClient

/// Reads the region's SNS topics and subscriptions: two listings, no call per topic.
enum SNSFetcher {
    /// Topics and all subscriptions of the region: two listings, no call per topic.
    static func topics(_ region: String, _ context: FetchContext) async throws(FetchFailure) -> SNSTopics {
        async let topics = fetched { () async throws(FetchFailure) in
            try await context.queryPages(.sns, "ListTopics", region: region).0
        }
        async let subscriptions = fetched { () async throws(FetchFailure) in
            try await context.queryPages(.sns, "ListSubscriptions", region: region).0
        }
        let (t, s) = await (topics, subscriptions)
        return SNSTopics(
            topics: try t.get().flatMap { $0.list("Topics") }.compactMap { $0.string("TopicArn") },
            subscriptions: try s.get().flatMap { $0.list("Subscriptions") }.map {
                SNSSubscription(
                    arn: $0.string("SubscriptionArn") ?? "", topicArn: $0.string("TopicArn") ?? "",
                    protocol: $0.string("Protocol") ?? "", endpoint: $0.string("Endpoint") ?? "")
            })
    }
}
