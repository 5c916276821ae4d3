/// Runs `body` for every element concurrently (the request limiter bounds what is in
/// flight) and returns the results in input order; the first failure wins.
func concurrently<Element: Sendable, Result: Sendable>(
    _ elements: [Element], _ body: @escaping @Sendable (Element) async throws(FetchFailure) -> Result
) async throws(FetchFailure) -> [Result] {
    let outcomes = await withTaskGroup(of: (Int, Fetched<Result>).self) { group in
        for (index, element) in elements.enumerated() {
            group.addTask { (index, await fetched { () async throws(FetchFailure) in try await body(element) }) }
        }
        var outcomes = [Fetched<Result>](repeating: .notFetched, count: elements.count)
        for await (index, outcome) in group { outcomes[index] = outcome }
        return outcomes
    }
    var results: [Result] = []
    for outcome in outcomes { results.append(try outcome.get()) }
    return results
}
