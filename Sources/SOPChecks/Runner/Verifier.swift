import AWSClient
import Foundation
import SOPCore

/// Runs checks against an AWS account: fetches the data the checks need (each fetcher
/// once for the account or once per region, all concurrently, with a bounded number of
/// requests in flight), then judges every check on the snapshots.
public struct Verifier: Sendable {
    public let client: AWSClient
    /// Requests in flight at once, across all fetchers.
    public var maxConcurrentRequests: Int
    let trace = CallTrace()
    let limiter: RequestLimiter

    public init(client: AWSClient, maxConcurrentRequests: Int = 16) {
        self.client = client
        self.maxConcurrentRequests = maxConcurrentRequests
        self.limiter = RequestLimiter(maxInFlight: maxConcurrentRequests)
    }

    /// Who the credentials are: account id and ARN (`sts:GetCallerIdentity`).
    public func callerIdentity(region: String = "us-east-1") async throws(FetchFailure) -> (account: String, arn: String) {
        let (result, _) = try await context(accountId: "", primaryRegion: region)
            .query(.sts, "GetCallerIdentity", region: region)
        guard let account = result.string("Account"), !account.isEmpty else {
            throw FetchFailure(code: "InvalidResponse", message: "no Account in the answer", operation: "sts:GetCallerIdentity")
        }
        return (account, result.string("Arn") ?? "")
    }

    /// The regions enabled for the account (`ec2:DescribeRegions`, skipping `not-opted-in`).
    public func enabledRegions(region: String = "us-east-1") async throws(FetchFailure) -> [String] {
        let (result, _) = try await context(accountId: "", primaryRegion: region)
            .query(.ec2, "DescribeRegions", ["AllRegions": "false"], region: region)
        return result.list("regionInfo").filter { $0.string("optInStatus") != "not-opted-in" }
            .compactMap { $0.string("regionName") }.sorted()
    }

    func context(accountId: String, primaryRegion: String) -> FetchContext {
        FetchContext(client: client, trace: trace, limiter: limiter, accountId: accountId, primaryRegion: primaryRegion)
    }

    /// Fetches and judges. `parameters` are the template's values with the customer's
    /// overrides; `progress` is told (done, total) as fetches finish.
    public func run(checks: [Check], accountId: String, regions: [String], parameters: [String: ParameterValue],
                    progress: (@Sendable (Int, Int) -> Void)? = nil) async -> VerificationRun {
        let started = Date()
        let regions = regions.isEmpty ? [client.region] : regions
        let primary = regions.first ?? "us-east-1"
        let context = {
            var context = self.context(accountId: accountId, primaryRegion: primary)
            context.baseDepth = trace.criticalPathDepth
            return context
        }()
        let needed = Set(checks.flatMap(\.needs))
        var units: [(group: FetchGroup, keys: Set<DataKey>, region: String?)] = []
        for group in FetchGroup.allCases {
            let keys = group.keys.intersection(needed)
            let global = keys.filter { $0.scope == .global }
            let regional = keys.filter { $0.scope == .regional }
            if !global.isEmpty { units.append((group, global, nil)) }
            if !regional.isEmpty {
                for region in regions { units.append((group, regional, region)) }
            }
        }
        let total = units.count
        progress?(0, total)
        let fetchedPatches = await withTaskGroup(of: (String?, [SnapshotPatch]).self) { group in
            for unit in units {
                group.addTask {
                    (unit.region, await unit.group.fetch(unit.keys, region: unit.region ?? primary, context: context))
                }
            }
            var collected: [(String?, [SnapshotPatch])] = []
            for await entry in group {
                collected.append(entry)
                progress?(collected.count, total)
            }
            return collected
        }
        var global = Snapshot()
        var regional: [String: Snapshot] = [:]
        for region in regions { regional[region] = Snapshot() }
        for (region, patches) in fetchedPatches {
            for patch in patches {
                if let region { patch(&regional[region, default: Snapshot()]) } else { patch(&global) }
            }
        }
        let merged = regional.mapValues { global.overlaying(regional: $0) }
        let results = Self.judge(checks: checks, global: global, regional: merged, regions: regions,
                                 accountId: accountId, parameters: parameters)
        return VerificationRun(accountId: accountId, regions: regions, startedAt: started, finishedAt: Date(),
                               results: results, calls: trace.all.sorted { $0.startedAt < $1.startedAt })
    }

    /// Judges every check on fetched snapshots: once for account-wide checks, once per region otherwise.
    public static func judge(checks: [Check], global: Snapshot, regional: [String: Snapshot], regions: [String],
                             accountId: String, parameters: [String: ParameterValue]) -> [CheckRunResult] {
        var results: [CheckRunResult] = []
        for check in checks {
            let resolved = check.resolvedParameters(parameters)
            let scopes: [String?] = check.scope == .global ? [nil] : regions.map { $0 }
            for region in scopes {
                let snapshot = region.flatMap { regional[$0] } ?? global
                let input = CheckInput(snapshot: snapshot, regional: regional, region: region, accountId: accountId,
                                       parameters: resolved)
                let result = check.evaluate(input)
                results.append(CheckRunResult(check: check.id, items: check.items, region: region ?? "global",
                                              outcome: result.outcome, summary: result.summary, resources: result.resources))
            }
        }
        return results
    }
}
