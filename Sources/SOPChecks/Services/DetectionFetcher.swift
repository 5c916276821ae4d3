import AWSClient
import Foundation

/// Reads one region's detection and alerting wiring: GuardDuty detectors, EventBridge
/// rules with their targets, SNS topics and subscriptions, Lambda functions with the
/// principals allowed to invoke them.
enum DetectionFetcher {
    static let keys: Set<DataKey> = [.guardDutyDetectors, .eventRules, .snsTopics, .lambdaFunctions]

    static func fetch(_ keys: Set<DataKey>, region: String, context: FetchContext) async -> [SnapshotPatch] {
        async let detectorsValue: Fetched<[GuardDutyDetector]>? = keys.contains(.guardDutyDetectors)
            ? fetched { () async throws(FetchFailure) in try await detectors(region, context) } : nil
        async let rulesValue: Fetched<[EventRule]>? = keys.contains(.eventRules)
            ? fetched { () async throws(FetchFailure) in try await rules(region, context) } : nil
        async let topicsValue: Fetched<SNSTopics>? = keys.contains(.snsTopics)
            ? fetched { () async throws(FetchFailure) in try await topics(region, context) } : nil
        async let functionsValue: Fetched<[LambdaFunction]>? = keys.contains(.lambdaFunctions)
            ? fetched { () async throws(FetchFailure) in try await functions(region, context) } : nil
        var patches: [SnapshotPatch] = []
        if let detectors = await detectorsValue { patches.append { $0.guardDutyDetectors = detectors } }
        if let rules = await rulesValue { patches.append { $0.eventRules = rules } }
        if let topics = await topicsValue { patches.append { $0.snsTopics = topics } }
        if let functions = await functionsValue { patches.append { $0.lambdaFunctions = functions } }
        return patches
    }

    static func detectors(_ region: String, _ context: FetchContext) async throws(FetchFailure) -> [GuardDutyDetector] {
        let (pages, depth) = try await context.restJSONPages(.guardduty, "ListDetectors", region: region)
        let ids = pages.flatMap { $0["detectorIds"]?.elements ?? [] }.compactMap(\.string)
        return try await concurrently(ids) { id throws(FetchFailure) in
            let (detector, _) = try await context.restJSON(.guardduty, "GetDetector", path: ["DetectorId": id],
                                                           region: region, after: depth)
            return GuardDutyDetector(id: id, status: detector["status"]?.string ?? detector["Status"]?.string ?? "")
        }
    }

    static func rules(_ region: String, _ context: FetchContext) async throws(FetchFailure) -> [EventRule] {
        let (pages, depth) = try await context.jsonPages(.events, "ListRules", region: region)
        let rules = pages.flatMap { $0["Rules"]?.elements ?? [] }
        return try await concurrently(rules) { rule throws(FetchFailure) in
            let name = rule["Name"]?.string ?? ""
            let targets = await fetched { () async throws(FetchFailure) -> [String] in
                let (pages, _) = try await context.jsonPages(.events, "ListTargetsByRule", ["Rule": .string(name)],
                                                             region: region, after: depth)
                return pages.flatMap { $0["Targets"]?.elements ?? [] }.compactMap { $0["Arn"]?.string }
            }
            return EventRule(name: name, state: rule["State"]?.string ?? "", eventPattern: rule["EventPattern"]?.string,
                             targets: targets)
        }
    }

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
                SNSSubscription(arn: $0.string("SubscriptionArn") ?? "", topicArn: $0.string("TopicArn") ?? "",
                                protocol: $0.string("Protocol") ?? "", endpoint: $0.string("Endpoint") ?? "")
            })
    }

    static func functions(_ region: String, _ context: FetchContext) async throws(FetchFailure) -> [LambdaFunction] {
        let (pages, depth) = try await context.restJSONPages(.lambda, "ListFunctions", region: region)
        let functions = pages.flatMap { $0["Functions"]?.elements ?? [] }
        return try await concurrently(functions) { function throws(FetchFailure) in
            let name = function["FunctionName"]?.string ?? ""
            let principals = await fetched { () async throws(FetchFailure) -> [String] in
                try await recovering([], when: \.isNotFound) { () async throws(FetchFailure) -> [String] in
                    let (result, _) = try await context.restJSON(.lambda, "GetPolicy", path: ["FunctionName": name],
                                                                 region: region, after: depth)
                    return servicePrincipals(policy: result["Policy"]?.string ?? "")
                }
            }
            return LambdaFunction(name: name, arn: function["FunctionArn"]?.string ?? "", invokePrincipals: principals)
        }
    }

    /// The `Principal.Service` values of a resource policy's Allow statements.
    static func servicePrincipals(policy: String) -> [String] {
        guard let document = try? JSONValue.parse(Data(policy.utf8)) else { return [] }
        let statements = document["Statement"]?.array ?? (document["Statement"].map { [$0] } ?? [])
        return statements.filter { $0["Effect"]?.string == "Allow" }.flatMap { statement -> [String] in
            let service = statement["Principal"]?["Service"]
            if let one = service?.string { return [one] }
            return service?.elements.compactMap(\.string) ?? []
        }
    }
}
