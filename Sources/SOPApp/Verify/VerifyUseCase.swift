import Foundation
import SOPChecks
import SOPCore
import SOPStore

/// What `sop verify` asks for.
public struct VerifyRequest: Sendable {
    public var slug: String
    /// `--regions` values split at commas: empty, `["all"]` or region names.
    public var regions: [String]
    /// `--checks` ids; empty means every check of the customer's applicable items.
    public var checks: [String]
    public var by: String?
    public var maxRequests: Int

    public init(
        slug: String, regions: [String] = [], checks: [String] = [], by: String? = nil,
        maxRequests: Int = Verifier.defaultMaxConcurrentRequests
    ) {
        self.slug = slug
        self.regions = regions
        self.checks = checks
        self.by = by
        self.maxRequests = maxRequests
    }

    public static var defaultMaxRequests: Int { Verifier.defaultMaxConcurrentRequests }
}

/// A finished verification: every result, what changed since the last run, and the verdict
/// that decides the exit code.
public struct VerifyResult: Sendable {
    public var report: VerifyReport
    public var notes: [String]
    /// Item id → new status, for automated items the run moved to done or failed.
    public var itemTransitions: [(item: String, status: String)]
    /// The checks' one-line tally ("21 pass, 3 fail, 2 error").
    public var countsLine: String
    /// `fail` beats `error` beats `pass`: 1 on any failure, else 3 on any error, else 0.
    public var verdict: Verdict
}

extension SOPApplication {
    /// `sop verify`: checks the request, runs the customer's automated checks against their AWS
    /// account (read-only), records each result as evidence, and reports what changed.
    ///
    /// Bad input (an unknown check or region, a customer that does not exist, an edited pinned
    /// template) throws before any request is sent.
    public func verify(_ request: VerifyRequest) async throws -> VerifyResult {
        if let unknown = VerificationPlan.unknownIds(request.checks).first {
            throw AppError.badInput(
                "unknown check '\(unknown)'; `sop verify` knows: \(CheckCatalog.ids.joined(separator: ", "))")
        }
        let regionRequest = try RegionRequest(request.regions)
        guard request.maxRequests > 0 else { throw AppError.badInput("--max-requests must be at least 1") }
        let tracker = try Tracker.open(context)
        let session = try VerifySession.prepare(tracker: tracker, slug: request.slug, maxRequests: request.maxRequests)
        // The first calls go out now; the template is parsed while they are on the wire.
        let started = session.start(regions: regionRequest)
        let plan: VerificationPlan
        do {
            plan = try session.plan(only: request.checks.isEmpty ? nil : request.checks)
        } catch {
            started.cancel()
            tracker.store.close()
            throw error
        }
        // Parameter defaults come from the template; parsing it overlaps the fetches, and so
        // does moving the tracker's write-ahead log into the database.
        let parsing = session.parseTemplate()
        let checkpoint = onThread { [store = tracker.store] in store.checkpointWriteAheadLog() }
        let overrides = session.customer.parameters
        let outcome = await session.verify(
            started, plan: plan,
            parameters: .fetching {
                ((try? await parsing.value.get())?.parameterValues(overrides: overrides) ?? [:], 0)
            })
        // A template that no longer parses is bad input: nothing is recorded.
        if case .failure(let failure) = await parsing.value {
            tracker.store.close()
            throw failure
        }
        await checkpoint.value
        let actor = try context.actor(request.by)
        let recorded = try tracker.run { store in
            try store.recordCheckResults(customer: request.slug, run: outcome.record, by: actor)
        }
        let run = outcome.run
        return VerifyResult(
            report: VerifyReport(customer: request.slug, outcome: outcome, recorded: recorded),
            notes: outcome.notes,
            itemTransitions: recorded.itemTransitions.sorted { $0.key < $1.key }.map { ($0.key, $0.value.rawValue) },
            countsLine: run.countsLine,
            verdict: .combining(
                failed: run.results.contains { $0.outcome == .fail },
                undecided: run.results.contains { $0.outcome == .error }))
    }
}
