import AWSClient

/// Reads the region's log groups and their retention.
enum LogsFetcher {
    static func logGroups(_ region: String, _ context: FetchContext) async throws(FetchFailure) -> [LogGroup] {
        let (pages, _) = try await context.jsonPages(.logs, "DescribeLogGroups", region: region)
        return pages.flatMap { $0["logGroups"]?.elements ?? [] }.map {
            LogGroup(name: $0["logGroupName"]?.string ?? "", retentionInDays: $0["retentionInDays"]?.int)
        }
    }
}
