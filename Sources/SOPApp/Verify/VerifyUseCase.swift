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
    /// `--gate`: compare with the customer's baseline; the gate alone decides the exit code.
    public var gate: Bool

    public init(
        slug: String, regions: [String] = [], checks: [String] = [], by: String? = nil,
        maxRequests: Int = Verifier.defaultMaxConcurrentRequests, gate: Bool = false
    ) {
        self.gate = gate
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
    /// `fail` beats `error` beats `pass`: 1 on any failure no approved waiver covers, else 3 on
    /// any error, else 0. With `--gate`, the gate alone: 1 on a regression, else 0.
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
        if request.gate, !request.checks.isEmpty {
            throw AppError.badInput(
                "--gate compares a whole run with the baseline; it cannot be combined with --checks")
        }
        let tracker = try Tracker.open(context)
        // Without a baseline the gate cannot pass or fail: refused before any request is sent.
        if request.gate {
            do {
                guard try tracker.mapped({ try tracker.store.baseline(customer: request.slug) }) != nil else {
                    throw AppError.badInput(
                        "\(request.slug) has no baseline; accept a run first with `sop baseline set \(request.slug)`")
                }
            } catch {
                tracker.store.close()
                throw error
            }
        }
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
        let today = String(Timestamps.string(try context.now()).prefix(10))
        let (recorded, waivers, baseline) = try tracker.run { store in
            // Waivers past their last day are recorded as expired first: the run never counts one.
            try store.recordExpiredWaivers(customer: request.slug)
            let recorded = try store.recordCheckResults(customer: request.slug, run: outcome.record, by: actor)
            return (
                recorded, try store.waivers(customer: request.slug),
                request.gate ? try store.baseline(customer: request.slug)?.run : nil
            )
        }
        let run = outcome.run
        let report = VerifyReport(
            customer: request.slug, outcome: outcome, recorded: recorded, waivers: waivers, today: today,
            baseline: baseline)
        let verdict: Verdict =
            if let gate = report.gate {
                gate.passed ? .ok : .notOK
            } else {
                .combining(
                    failed: report.results.contains { $0.outcome == CheckOutcome.fail.rawValue && $0.waiver == nil },
                    undecided: run.results.contains { $0.outcome == .error })
            }
        return VerifyResult(
            report: report,
            notes: outcome.notes,
            itemTransitions: recorded.itemTransitions.sorted { $0.key < $1.key }.map { ($0.key, $0.value.rawValue) },
            countsLine: run.countsLine + (report.waived.isEmpty ? "" : " (\(report.waived.count) fail waived)"),
            verdict: verdict)
    }
}
