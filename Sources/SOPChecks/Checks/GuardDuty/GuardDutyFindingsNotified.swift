extension Check {
    /// GuardDuty findings reach a person: an EventBridge rule sends them to an SNS topic
    /// with a confirmed subscription.
    static let guarddutyFindingsNotified = Check(
        id: "guardduty_findings_notified",
        title: "GuardDuty findings notified",
        items: ["guardduty.findings"],
        scope: .regional,
        needs: [.eventRules, .snsTopics],
        criterion:
            "An ENABLED EventBridge rule whose pattern has source `aws.guardduty` targets an SNS topic that has ≥ 1 confirmed subscription.",
        notes:
            "moto confirms email subscriptions at once; on AWS they stay PendingConfirmation until the recipient confirms.",
        examples: [
            CheckExample(
                "rule to subscribed topic", .pass,
                snapshot: Snapshot {
                    $0.eventRules = .value([.guardDutyToSecurity])
                    $0.snsTopics = .value(.securitySubscribed)
                }),
            CheckExample(
                "subscription pending", .fail, resources: ["arn:aws:sns:us-east-1:123456789012:security"],
                snapshot: Snapshot {
                    $0.eventRules = .value([.guardDutyToSecurity])
                    $0.snsTopics = .value(
                        SNSTopics(
                            topics: [SNSTopics.securityTopic],
                            subscriptions: [
                                SNSSubscription(arn: "PendingConfirmation", topicArn: SNSTopics.securityTopic)
                            ]))
                }),
            CheckExample(
                "rule disabled", .fail,
                snapshot: Snapshot {
                    var rule = EventRule.guardDutyToSecurity
                    rule.state = "DISABLED"
                    $0.eventRules = .value([rule])
                    $0.snsTopics = .value(.securitySubscribed)
                }),
            CheckExample(
                "targets unreadable", .error,
                snapshot: Snapshot {
                    $0.eventRules = .value([
                        EventRule(
                            name: "gd", eventPattern: #"{"source":["aws.guardduty"]}"#,
                            targets: .failed(
                                FetchFailure(
                                    code: "AccessDeniedException", message: "", operation: "events:ListTargetsByRule")))
                    ])
                    $0.snsTopics = .value(.securitySubscribed)
                }),
        ]
    ) { input throws(FetchFailure) in
        let rules = try input.snapshot.eventRules.get("events:ListRules")
        let topics = try input.snapshot.snsTopics.get("sns:ListTopics")
        let region = input.region ?? "global"
        let guardDutyRules = rules.filter { $0.state == "ENABLED" && $0.matchesSource("aws.guardduty") }
        guard !guardDutyRules.isEmpty else {
            return .fail("no enabled EventBridge rule for aws.guardduty findings in \(region)", resources: [region])
        }
        var unsubscribed: [String] = []
        var unreadable: FetchFailure?
        for rule in guardDutyRules {
            switch rule.targets {
            case .value(let targets):
                for topic in targets where topic.hasPrefix("arn:aws:sns:") {
                    if !topics.confirmedSubscriptions(of: topic).isEmpty {
                        return .pass("rule \(rule.name) sends findings to \(topic)")
                    }
                    unsubscribed.append(topic)
                }
            case .failed(let f): unreadable = unreadable ?? f
            case .notFetched: unreadable = unreadable ?? .notFetched("events:ListTargetsByRule")
            }
        }
        if let unreadable { return .error("rule targets could not be read: \(unreadable.description)") }
        return unsubscribed.isEmpty
            ? .fail("GuardDuty rules do not target an SNS topic", resources: guardDutyRules.map(\.name))
            : .fail("GuardDuty findings go to topics without a confirmed subscription", resources: unsubscribed)
    }
}

extension EventRule {
    static let guardDutyToSecurity = EventRule(
        name: "guardduty-findings", eventPattern: #"{"source":["aws.guardduty"],"detail-type":["GuardDuty Finding"]}"#,
        targets: .value([SNSTopics.securityTopic]))
}

extension SNSTopics {
    static let securityTopic = "arn:aws:sns:us-east-1:123456789012:security"
    static let securitySubscribed = SNSTopics(
        topics: [securityTopic],
        subscriptions: [
            SNSSubscription(arn: securityTopic + ":0b1c", topicArn: securityTopic)
        ])
}
