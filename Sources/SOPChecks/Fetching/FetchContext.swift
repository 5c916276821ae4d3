import AWSClient
import Foundation

/// A change a fetcher makes to a snapshot once its data is in.
typealias SnapshotPatch = @Sendable (inout Snapshot) -> Void

/// What fetchers share during one run: the client, the in-flight limit and the call trace.
///
/// Every call goes through here so it is limited, traced with its dependency depth, and
/// its failure becomes a ``FetchFailure`` carrying the AWS error code.
struct FetchContext: Sendable {
    let client: AWSClient
    let trace: CallTrace
    let limiter: RequestLimiter
    let accountId: String
    /// Where account-wide data that has a regional API (CloudTrail) is read.
    let primaryRegion: String
    /// Depth of the calls the run waited for before fetching (caller identity, regions).
    var baseDepth = 0
    /// How long to keep asking for a credential report that is still being generated.
    var credentialReportAttempts = 10

    /// Runs one call: waits for a slot, sends, records it at `after + 1` with its attempts and status.
    /// `followUps`: how many levels of calls wait for this answer (0 for the end of a chain);
    /// with the in-flight bound reached, longer chains go first.
    func call<T: Sendable>(
        _ service: AWSService, _ operation: String, region: String, after depth: Int,
        followUps: Int = 0,
        _ send: @Sendable (AWSClient) async throws -> T
    ) async throws(FetchFailure) -> (T, Int) {
        let depth = max(depth, baseDepth)
        let name = "\(service.clientName):\(operation)"
        await limiter.acquire(followUps: followUps)
        // A run given up (its identity failed) sends nothing more, and traces nothing it did not send.
        if Task.isCancelled {
            await limiter.release()
            throw FetchFailure(code: "Cancelled", message: "the verification was stopped", operation: name)
        }
        let started = Date()
        let clock = ContinuousClock.now
        let attempts = CallAttempts()
        let client = self.client
        let result: Result<T, FetchFailure> = await CallAttempts.$current.withValue(attempts) {
            do {
                return .success(try await send(client))
            } catch let error as AWSError {
                return .failure(FetchFailure(code: error.code, message: error.message, operation: name))
            } catch {
                return .failure(FetchFailure(code: "ClientError", message: "\(error)", operation: name))
            }
        }
        await limiter.release()
        let elapsed = ContinuousClock.now - clock
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        trace.record(
            TracedCall(
                service: service.clientName, operation: operation, region: region, depth: depth + 1,
                errorCode: result.failureCode, startedAt: started, duration: seconds,
                attempts: attempts.attempts, status: attempts.status))
        return (try result.get(), depth + 1)
    }

    func query(
        _ service: AWSService, _ action: String, _ parameters: [String: String] = [:], region: String,
        after depth: Int = 0, followUps: Int = 0
    ) async throws(FetchFailure) -> (XMLNode, Int) {
        try await call(service, action, region: region, after: depth, followUps: followUps) { client in
            try await client.query(service, action, parameters, region: region)
        }
    }

    /// Every page of a query/EC2 listing (each page one step deeper than the last).
    func queryPages(
        _ service: AWSService, _ action: String, _ parameters: [String: String] = [:], region: String,
        after depth: Int = 0, followUps: Int = 0
    ) async throws(FetchFailure) -> ([XMLNode], Int) {
        let token = PageToken.default(for: service)
        var parameters = parameters
        var pages: [XMLNode] = []
        var depth = depth
        var seen = Set<String>()
        while pages.count < 500 {
            let (page, next) = try await query(
                service, action, parameters, region: region, after: depth,
                followUps: followUps)
            pages.append(page)
            depth = next
            if page.first("IsTruncated")?.text.lowercased() == "false" { break }
            guard let marker = page.first(token.output)?.text, !marker.isEmpty, seen.insert(marker).inserted else {
                break
            }
            parameters[token.input] = marker
        }
        return (pages, depth)
    }

    func json(
        _ service: AWSService, _ operation: String, _ body: JSONValue = [:], region: String,
        after depth: Int = 0, followUps: Int = 0
    ) async throws(FetchFailure) -> (JSONValue, Int) {
        try await call(service, operation, region: region, after: depth, followUps: followUps) { client in
            try await client.json(service, operation, body, region: region)
        }
    }

    func jsonPages(
        _ service: AWSService, _ operation: String, _ body: [String: JSONValue] = [:], region: String,
        after depth: Int = 0, followUps: Int = 0, token: PageToken? = nil
    ) async throws(FetchFailure)
        -> ([JSONValue], Int)
    {
        let token = token ?? PageToken.default(for: service)
        var body = body
        var pages: [JSONValue] = []
        var depth = depth
        var seen = Set<String>()
        while pages.count < 500 {
            let (page, next) = try await json(
                service, operation, .object(body), region: region, after: depth,
                followUps: followUps)
            pages.append(page)
            depth = next
            guard let marker = page[token.output]?.string, !marker.isEmpty, seen.insert(marker).inserted else { break }
            body[token.input] = .string(marker)
        }
        return (pages, depth)
    }

    func restJSON(
        _ service: AWSService, _ operation: String, path: [String: String] = [:], query: [String: String] = [:],
        body: JSONValue? = nil, region: String, after depth: Int = 0,
        followUps: Int = 0
    ) async throws(FetchFailure) -> (JSONValue, Int) {
        try await call(service, operation, region: region, after: depth, followUps: followUps) { client in
            try await client.restJSON(service, operation, path: path, query: query, body: body, region: region)
        }
    }

    func restJSONPages(
        _ service: AWSService, _ operation: String, path: [String: String] = [:], region: String,
        after depth: Int = 0, followUps: Int = 0
    ) async throws(FetchFailure) -> ([JSONValue], Int) {
        let token = PageToken.default(for: service)
        var query: [String: String] = [:]
        var pages: [JSONValue] = []
        var depth = depth
        var seen = Set<String>()
        while pages.count < 500 {
            let (page, next) = try await restJSON(
                service, operation, path: path, query: query, region: region, after: depth,
                followUps: followUps)
            pages.append(page)
            depth = next
            let marker = page.object?.first { $0.key.lowercased() == token.output.lowercased() }?.value.string
            guard let marker, !marker.isEmpty, seen.insert(marker).inserted else { break }
            query[token.input] = marker
        }
        return (pages, depth)
    }

    func restXML(
        _ service: AWSService, _ operation: String, path: [String: String] = [:], region: String,
        accountID: String? = nil, after depth: Int = 0
    ) async throws(FetchFailure) -> (XMLNode, Int) {
        try await call(service, operation, region: region, after: depth) { client in
            try await client.restXML(service, operation, path: path, region: region, accountID: accountID)
        }
    }
}

extension Result where Failure == FetchFailure {
    var failureCode: String? {
        if case .failure(let f) = self { return f.code }
        return nil
    }
}

extension FetchFailure {
    /// The resource or configuration simply does not exist (a meaningful answer, not an error).
    var isNotFound: Bool {
        code.hasPrefix("NoSuch") || code.contains("NotFound")
    }
}

/// Runs a fetch and keeps its failure as data.
func fetched<T: Sendable>(_ body: () async throws(FetchFailure) -> T) async -> Fetched<T> {
    do {
        return .value(try await body())
    } catch {
        return .failed(error)
    }
}

/// Runs `body`; a failure `accept` recognises (a missing configuration, say) becomes `fallback`.
func recovering<T: Sendable>(
    _ fallback: T, when accept: (FetchFailure) -> Bool,
    _ body: () async throws(FetchFailure) -> T
) async throws(FetchFailure) -> T {
    do {
        return try await body()
    } catch {
        if accept(error) { return fallback }
        throw error
    }
}
