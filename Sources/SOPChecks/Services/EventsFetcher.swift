import AWSClient

/// Reads the region's EventBridge rules (default bus) with their targets.
enum EventsFetcher {
    static func rules(_ region: String, _ context: FetchContext) async throws(FetchFailure) -> [EventRule] {
        let (pages, depth) = try await context.jsonPages(.events, "ListRules", region: region, followUps: 1)
        let rules = pages.flatMap { $0["Rules"]?.elements ?? [] }
        return try await concurrently(rules) { rule throws(FetchFailure) in
            let name = rule["Name"]?.string ?? ""
            let targets = await fetched { () async throws(FetchFailure) -> [String] in
                let (pages, _) = try await context.jsonPages(
                    .events, "ListTargetsByRule", ["Rule": .string(name)],
                    region: region, after: depth)
                return pages.flatMap { $0["Targets"]?.elements ?? [] }.compactMap { $0["Arn"]?.string }
            }
            return EventRule(
                name: name, state: rule["State"]?.string ?? "", eventPattern: rule["EventPattern"]?.string,
                targets: targets)
        }
    }
}
