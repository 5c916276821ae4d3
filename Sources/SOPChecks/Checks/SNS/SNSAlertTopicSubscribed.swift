extension Check {
    /// Alerts have somewhere to go: topics exist and each has a confirmed subscriber.
    static let snsAlertTopicSubscribed = Check(
        id: "sns_alert_topic_subscribed",
        title: "Alert topics have confirmed subscribers",
        items: ["incident.sns"],
        scope: .global,
        needs: [.snsTopics],
        criterion: "≥ 1 SNS topic exists in the verified regions, and every topic has ≥ 1 confirmed subscription.",
        notes: "moto confirms email subscriptions at once; on AWS they stay PendingConfirmation until confirmed.",
        examples: [
            CheckExample("subscribed topic", .pass, snapshot: Snapshot { $0.snsTopics = .value(.securitySubscribed) }),
            CheckExample(
                "topic with only a pending subscription", .fail, resources: ["arn:aws:sns:us-east-1:123456789012:ops"],
                snapshot: Snapshot {
                    let ops = "arn:aws:sns:us-east-1:123456789012:ops"
                    var topics = SNSTopics.securitySubscribed
                    topics.topics.append(ops)
                    topics.subscriptions.append(SNSSubscription(arn: "PendingConfirmation", topicArn: ops))
                    $0.snsTopics = .value(topics)
                }),
            CheckExample("no topics", .fail, snapshot: Snapshot { $0.snsTopics = .value(SNSTopics()) }),
        ]
    ) { input throws(FetchFailure) in
        let (found, failures) = input.acrossRegions(\.snsTopics, "sns:ListTopics")
        let topics = found.flatMap { entry in entry.value.topics.map { (topic: $0, snapshot: entry.value) } }
        if topics.isEmpty { return input.noneFound("no SNS topic", failures: failures) }
        let silent = topics.filter { $0.snapshot.confirmedSubscriptions(of: $0.topic).isEmpty }.map(\.topic).sorted()
        if !silent.isEmpty {
            return .fail("\(silent.count) of \(topics.count) topics have no confirmed subscription", resources: silent)
        }
        if let failure = failures.first {
            return .error("topics in \(failure.region) could not be read: \(failure.failure.description)")
        }
        return .pass("\(topics.count) topics, all with confirmed subscriptions")
    }
}
