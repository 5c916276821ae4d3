import AWSClient

/// Reads the user-defined cost allocation tags and their status (payer account).
enum CostExplorerFetcher {
    static func costAllocationTags(_ context: FetchContext) async throws(FetchFailure) -> CostAllocationTags {
        let (pages, _) = try await context.jsonPages(
            .costExplorer, "ListCostAllocationTags", ["Type": "UserDefined"],
            region: "us-east-1")
        var statuses: [String: String] = [:]
        for tag in pages.flatMap({ $0["CostAllocationTags"]?.elements ?? [] }) {
            if let key = tag["TagKey"]?.string { statuses[key] = tag["Status"]?.string ?? "" }
        }
        return CostAllocationTags(statuses)
    }
}
