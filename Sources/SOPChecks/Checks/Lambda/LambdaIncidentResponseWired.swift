extension Check {
    /// Incident response is automated: a Lambda function is invoked by SNS or EventBridge.
    static let lambdaIncidentResponseWired = Check(
        id: "lambda_incident_response_wired",
        title: "Incident-response Lambda wired to alerts",
        items: ["incident.lambda"],
        scope: .global,
        needs: [.lambdaFunctions, .snsTopics, .eventRules],
        criterion: "In some verified region, a Lambda function's resource policy lets `sns.amazonaws.com` or "
            + "`events.amazonaws.com` invoke it, and an SNS subscription (protocol lambda) or an EventBridge rule targets it.",
        examples: [
            CheckExample(
                "function subscribed to the alert topic", .pass,
                snapshot: Snapshot {
                    $0.lambdaFunctions = .value([
                        LambdaFunction(name: "isolate", invokePrincipals: .value(["sns.amazonaws.com"]))
                    ])
                    $0.snsTopics = .value(
                        SNSTopics(
                            topics: [SNSTopics.securityTopic],
                            subscriptions: [
                                SNSSubscription(
                                    arn: SNSTopics.securityTopic + ":l1", topicArn: SNSTopics.securityTopic,
                                    protocol: "lambda",
                                    endpoint: "arn:aws:lambda:us-east-1:123456789012:function:isolate")
                            ]))
                    $0.eventRules = .value([])
                }),
            CheckExample(
                "function nobody may invoke", .fail,
                resources: ["arn:aws:lambda:us-east-1:123456789012:function:isolate"],
                snapshot: Snapshot {
                    $0.lambdaFunctions = .value([LambdaFunction(name: "isolate")])
                    $0.snsTopics = .value(SNSTopics())
                    $0.eventRules = .value([])
                }),
            CheckExample(
                "no functions", .fail,
                snapshot: Snapshot {
                    $0.lambdaFunctions = .value([])
                    $0.snsTopics = .value(SNSTopics())
                    $0.eventRules = .value([])
                }),
        ]
    ) { input throws(FetchFailure) in
        var failures = input.acrossRegions(\.lambdaFunctions, "lambda:ListFunctions").failures
        var candidates: [String] = []
        for region in input.regional.keys.sorted() {
            guard let snapshot = input.regional[region], let functions = snapshot.lambdaFunctions.value else {
                continue
            }
            let subscribed = Set(
                (snapshot.snsTopics.value?.subscriptions ?? []).filter { $0.protocol == "lambda" }.map(\.endpoint))
            let ruleTargets = Set(
                (snapshot.eventRules.value ?? []).filter { $0.state == "ENABLED" }.flatMap { $0.targets.value ?? [] })
            for function in functions {
                candidates.append(function.arn)
                guard let principals = function.invokePrincipals.value else {
                    if let f = function.invokePrincipals.failure { failures.append((region, f)) }
                    continue
                }
                let bySNS = principals.contains("sns.amazonaws.com") && subscribed.contains(function.arn)
                let byRule = principals.contains("events.amazonaws.com") && ruleTargets.contains(function.arn)
                if bySNS || byRule {
                    return .pass(
                        "\(function.name) is invoked by \(bySNS ? "an SNS subscription" : "an EventBridge rule")")
                }
            }
            for (name, fetched) in [
                ("sns:ListSubscriptions", snapshot.snsTopics.failure),
                ("events:ListRules", snapshot.eventRules.failure),
            ] {
                if let f = fetched {
                    failures.append((region, f))
                    _ = name
                }
            }
        }
        return input.noneFound(
            candidates.isEmpty ? "no Lambda function" : "no Lambda function is invoked by SNS or EventBridge",
            failures: failures, resources: candidates)
    }
}
