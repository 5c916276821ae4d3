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

    /// The default for requests in flight. A 24-region run sends ~540 regional calls as soon as
    /// the region list is in; measured through a 50 ms proxy on 2 cores, 128 in flight left
    /// them in five waves, while beyond ~192 the client's CPU, not the bound, set the pace, and
    /// each extra request in flight costs ~20 kB of memory (peak RSS 57.6 MB at 192).
    public static let defaultMaxConcurrentRequests = 192

    public init(client: AWSClient, maxConcurrentRequests: Int = Verifier.defaultMaxConcurrentRequests) {
        self.client = client
        self.maxConcurrentRequests = maxConcurrentRequests
        self.limiter = RequestLimiter(maxInFlight: maxConcurrentRequests)
    }

    /// Who the credentials are: account id and ARN (`sts:GetCallerIdentity`).
    public func callerIdentity(region: String = "us-east-1") async throws(FetchFailure) -> (
        account: String, arn: String
    ) {
        try await callerIdentityWithDepth(region: region).identity
    }

    /// The caller identity and the depth of the call that read it.
    public func callerIdentityWithDepth(region: String = "us-east-1") async throws(FetchFailure)
        -> (identity: (account: String, arn: String), depth: Int)
    {
        let (result, depth) = try await context(accountId: "", primaryRegion: region)
            .query(.sts, "GetCallerIdentity", region: region, followUps: 3)
        guard let account = result.string("Account"), !account.isEmpty else {
            throw FetchFailure(
                code: "InvalidResponse", message: "no Account in the answer", operation: "sts:GetCallerIdentity")
        }
        return ((account, result.string("Arn") ?? ""), depth)
    }

    /// The regions enabled for the account (`ec2:DescribeRegions`, skipping `not-opted-in`).
    public func enabledRegions(region: String = "us-east-1") async throws(FetchFailure) -> [String] {
        try await enabledRegionsWithDepth(region: region).regions
    }

    /// The enabled regions and the depth of the call that listed them.
    public func enabledRegionsWithDepth(region: String = "us-east-1") async throws(FetchFailure)
        -> (regions: [String], depth: Int)
    {
        let (result, depth) = try await context(accountId: "", primaryRegion: region)
            .query(.ec2, "DescribeRegions", ["AllRegions": "false"], region: region, followUps: 2)
        let regions = result.list("regionInfo").filter { $0.string("optInStatus") != "not-opted-in" }
            .compactMap { $0.string("regionName") }.sorted()
        return (regions, depth)
    }

    func context(accountId: String, primaryRegion: String, baseDepth: Int = 0) -> FetchContext {
        var context = FetchContext(
            client: client, trace: trace, limiter: limiter, accountId: accountId,
            primaryRegion: primaryRegion)
        context.baseDepth = baseDepth
        return context
    }

    /// Every call made so far by this verifier (identity and region listing included), by start time.
    public var calls: [TracedCall] { trace.all.sorted { $0.startedAt < $1.startedAt } }

    /// Fetches and judges. `parameters` are the template's values with the customer's
    /// overrides; `progress` is told (done, total) as fetches finish.
    ///
    /// Calls already traced by this verifier (the caller identity, the region list) count as
    /// prerequisites of every fetch: each fetch chain starts one level below them.
    public func run(
        checks: [Check], accountId: String, regions: [String], parameters: [String: ParameterValue],
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) async -> VerifierRun {
        await run(
            checks: checks, account: .known(accountId), regions: .known(regions), parameters: .known(parameters),
            waitedFor: trace.criticalPathDepth, progress: progress)
    }

    /// Fetches and judges while the account id and the region list may still be arriving.
    ///
    /// Each fetch waits only for what it needs: Budgets and S3 Control for the account id,
    /// regional fetches and CloudTrail (read in the primary region) for the region list;
    /// everything else starts at once. A fetch's calls are traced one level below the
    /// prerequisite calls it waited for, so `criticalPathDepth` is the longest chain that
    /// actually ran. An empty account id (the identity call failed) skips the fetches that
    /// need it; an empty region list means the client's region.
    ///
    /// `parameters` (the template's values with the customer's overrides) are needed only to
    /// judge, after every fetch: they may still be being read too.
    public func run(
        checks: [Check], account: Prerequisite<String>, regions regionSource: Prerequisite<[String]>,
        parameters: Prerequisite<[String: ParameterValue]>,
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) async -> VerifierRun {
        await run(
            checks: checks, account: account, regions: regionSource, parameters: parameters, waitedFor: 0,
            progress: progress)
    }

    /// `waitedFor`: the depth of calls every fetch waited for before it started.
    func run(
        checks: [Check], account: Prerequisite<String>, regions regionSource: Prerequisite<[String]>,
        parameters parameterSource: Prerequisite<[String: ParameterValue]>, waitedFor floor: Int,
        progress: (@Sendable (Int, Int) -> Void)?
    ) async -> VerifierRun {
        let started = Date()
        let fallbackRegion = client.region
        let needed = Set(checks.flatMap(\.needs))
        var globalUnits: [(group: FetchGroup, keys: Set<DataKey>)] = []
        var regionalUnits: [(group: FetchGroup, keys: Set<DataKey>)] = []
        for group in FetchGroup.allCases {
            let keys = group.keys.intersection(needed)
            let global = keys.filter { $0.scope == .global }
            let regional = keys.filter { $0.scope == .regional }
            if !global.isEmpty { globalUnits.append((group, global)) }
            if !regional.isEmpty { regionalUnits.append((group, regional)) }
        }
        let counter = ProgressCounter(progress)
        let knownRegions = regionSource.known
        let regionCount = knownRegions.map { Self.orFallback($0.value, fallbackRegion).count } ?? 1
        counter.add(globalUnits.count + regionalUnits.count * regionCount)

        let answers = await withTaskGroup(of: (region: String?, keys: Set<DataKey>, answers: Snapshot).self) { group in
            for unit in globalUnits {
                group.addTask {
                    var baseDepth = floor
                    var accountId = ""
                    var primary = fallbackRegion
                    if unit.group.needsAccountId {
                        let (value, depth) = await account.value
                        guard !value.isEmpty else { return (nil, [], Snapshot()) }
                        accountId = value
                        baseDepth = max(baseDepth, depth)
                    }
                    if unit.group.needsPrimaryRegion {
                        let (value, depth) = await regionSource.value
                        primary = Self.orFallback(value, fallbackRegion)[0]
                        baseDepth = max(baseDepth, depth)
                    } else if let known = knownRegions {
                        primary = Self.orFallback(known.value, fallbackRegion)[0]
                    }
                    let context = self.context(accountId: accountId, primaryRegion: primary, baseDepth: baseDepth)
                    return (nil, unit.keys, await unit.group.fetch(unit.keys, region: primary, context: context))
                }
            }
            // Regional fetches start as soon as the region list is in (at once when it was given).
            let (listed, regionDepth) = await regionSource.value
            let regions = Self.orFallback(listed, fallbackRegion)
            if knownRegions == nil { counter.add(regionalUnits.count * (regions.count - 1)) }
            let primary = regions[0]
            for unit in regionalUnits {
                for region in regions {
                    group.addTask {
                        let context = self.context(
                            accountId: "", primaryRegion: primary,
                            baseDepth: max(floor, regionDepth))
                        return (region, unit.keys, await unit.group.fetch(unit.keys, region: region, context: context))
                    }
                }
            }
            var collected: [(region: String?, keys: Set<DataKey>, answers: Snapshot)] = []
            for await entry in group {
                collected.append(entry)
                counter.finishOne()
            }
            return collected
        }
        let (accountId, _) = await account.value
        let regions = Self.orFallback(await regionSource.value.value, fallbackRegion)
        var global = Snapshot()
        var regional: [String: Snapshot] = [:]
        for region in regions { regional[region] = Snapshot() }
        for entry in answers {
            if let region = entry.region {
                DataKey.merge(entry.keys, from: entry.answers, into: &regional[region, default: Snapshot()])
            } else {
                DataKey.merge(entry.keys, from: entry.answers, into: &global)
            }
        }
        let merged = regional.mapValues { global.overlaying(regional: $0) }
        let parameters = await parameterSource.value.value
        let results = Self.judge(
            checks: checks, global: global, regional: merged, regions: regions,
            accountId: accountId, parameters: parameters)
        return VerifierRun(
            accountId: accountId, regions: regions, startedAt: started, finishedAt: Date(),
            results: results, calls: calls)
    }

    static func orFallback(_ regions: [String], _ fallback: String) -> [String] {
        regions.isEmpty ? [fallback] : regions
    }

    /// Judges every check on fetched snapshots: once for account-wide checks, once per region otherwise.
    public static func judge(
        checks: [Check], global: Snapshot, regional: [String: Snapshot], regions: [String],
        accountId: String, parameters: [String: ParameterValue]
    ) -> [CheckRunResult] {
        var results: [CheckRunResult] = []
        for check in checks {
            let resolved = check.resolvedParameters(parameters)
            let scopes: [String?] = check.scope == .global ? [nil] : regions.map { $0 }
            for region in scopes {
                let snapshot = region.flatMap { regional[$0] } ?? global
                let input = CheckInput(
                    snapshot: snapshot, regional: regional, region: region, accountId: accountId,
                    parameters: resolved)
                let result = check.evaluate(input)
                results.append(
                    CheckRunResult(
                        check: check.id, items: check.items, region: region ?? "global",
                        outcome: result.outcome, summary: result.summary, resources: result.resources,
                        observed: result.observed))
            }
        }
        return results
    }
}

/// A value a run needs that may still be arriving (the account id, the region list), with the
/// depth of the call that produced it (0 when it was known up front).
public struct Prerequisite<Value: Sendable>: Sendable {
    /// Set when the value was known up front (no waiting, and the run can size itself at once).
    let known: (value: Value, depth: Int)?
    private let task: Task<(value: Value, depth: Int), Never>?

    private init(known: (value: Value, depth: Int)?, task: Task<(value: Value, depth: Int), Never>?) {
        self.known = known
        self.task = task
    }

    /// A value already known; `depth` is that of the calls it came from (0: none).
    public static func known(_ value: Value, depth: Int = 0) -> Prerequisite {
        Prerequisite(known: (value, depth), task: nil)
    }

    /// A value being fetched; `body` returns it with the depth of the call that fetched it.
    public static func fetching(_ body: @escaping @Sendable () async -> (value: Value, depth: Int)) -> Prerequisite {
        Prerequisite(known: nil, task: Task { await body() })
    }

    /// The value and its depth, once in.
    public var value: (value: Value, depth: Int) {
        get async {
            if let known { return known }
            return await task!.value
        }
    }
}

/// Reports (done, total) as fetch units finish; the total grows when the region list arrives.
private final class ProgressCounter: @unchecked Sendable {
    private let lock = NSLock()
    private let report: (@Sendable (Int, Int) -> Void)?
    private var done = 0
    private var total = 0

    init(_ report: (@Sendable (Int, Int) -> Void)?) { self.report = report }

    func add(_ units: Int) {
        lock.lock()
        total += units
        let (d, t) = (done, total)
        lock.unlock()
        report?(d, t)
    }

    func finishOne() {
        lock.lock()
        done += 1
        let (d, t) = (done, total)
        lock.unlock()
        report?(d, t)
    }
}
