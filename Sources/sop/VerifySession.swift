import AWSClient
import Foundation
import SOPChecks
import SOPCore
import SOPStore

/// `--regions`: every enabled region, a list, or (empty) the customer's regions.
enum VerifyRegions {
    case customerOrEnabled
    case allEnabled
    case list([String])

    init(_ values: [String]) throws {
        if values.isEmpty {
            self = .customerOrEnabled
        } else if values == ["all"] {
            self = .allEnabled
        } else {
            for region in values where !Self.looksLikeRegion(region) {
                throw CommandFailure("--regions: '\(region)' is not a region name (like eu-west-1) or 'all'")
            }
            self = .list(values)
        }
    }

    static func looksLikeRegion(_ text: String) -> Bool {
        let parts = text.split(separator: "-")
        return parts.count >= 3 && text.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" }
    }
}

/// Everything a verification needs, prepared from the tracker before any AWS call.
struct VerifySession {
    var customer: CustomerInfo
    var template: Template
    var plan: VerificationPlan
    var parameters: [String: ParameterValue]
    var client: AWSClient

    struct Outcome {
        var run: SOPChecks.VerificationRun
        var plan: VerificationPlan
        /// The run as the tracker stores it.
        var record: SOPStore.VerificationRun
        var notes: [String]
    }

    static func prepare(context: TrackerContext, global: GlobalOptions, slug: String, only: [String]?) throws -> VerifySession {
        let report = try TrackerContext.mapped { try context.store.customerReport(slug: slug) }
        let customer = report.customer
        let template = try TrackerContext.pinnedTemplate(for: customer, global: global)
        let applicable = Set(report.items.filter { $0.status != .notApplicable }.map(\.id))
        let plan: VerificationPlan
        do {
            plan = try VerificationPlan(template: template, applicableItems: applicable, only: only)
        } catch {
            throw CommandFailure(error.description)
        }
        let settings = AWSSettings(profile: customer.awsProfile, roleARN: customer.roleArn, externalID: customer.externalId)
        let configuration: AWSClientConfiguration
        do {
            configuration = try AWSClientConfiguration.resolve(settings)
        } catch {
            throw CommandFailure("AWS settings for \(slug): \(error)")
        }
        return VerifySession(customer: customer, template: template, plan: plan,
                             parameters: template.parameterValues(overrides: customer.parameters),
                             client: AWSClient(configuration))
    }

    /// Resolves the account and regions, fetches, judges. Never throws: what cannot be
    /// reached becomes `error` results.
    func verify(regions request: VerifyRegions, maxRequests: Int, progress: VerifyProgress?) async -> Outcome {
        let started = Date()
        let verifier = Verifier(client: client, maxConcurrentRequests: maxRequests)
        var notes: [String] = []
        let needsEnabledRegions: Bool
        switch request {
        case .list: needsEnabledRegions = false
        case .allEnabled: needsEnabledRegions = true
        case .customerOrEnabled: needsEnabledRegions = customer.regions.isEmpty
        }
        // Identity and the region list do not depend on each other: ask both at once.
        let home = client.region
        async let identity = attempt { () async throws(FetchFailure) in try await verifier.callerIdentity(region: home) }
        async let enabledList = needsEnabledRegions
            ? attempt { () async throws(FetchFailure) in try await verifier.enabledRegions(region: home) } : nil
        let account: String
        switch await identity {
        case .success(let value): account = value.account
        case .failure(let error):
            // Nothing can be verified without an identity: every check reports why.
            let regions = Self.regions(request, customer: customer, enabled: nil, fallback: client.region)
            var run = SOPChecks.VerificationRun(accountId: "", regions: regions, startedAt: started, finishedAt: Date(),
                                                results: [], calls: [])
            run.results = plan.entries.flatMap { entry in
                (entry.check.scope == .global ? ["global"] : regions).map { region in
                    CheckRunResult(check: entry.check.id, items: entry.items, region: region, outcome: .error,
                                   summary: "could not be verified: \(error.description)", resources: [])
                }
            }
            _ = await enabledList
            return outcome(run, notes: ["cannot identify the AWS account: \(error.description)"])
        }
        var enabled: [String]?
        switch await enabledList {
        case .success(let regions)?: enabled = regions
        case .failure(let error)?: notes.append("cannot list enabled regions (\(error.description)); verifying \(home) only")
        case nil: break
        }
        let regions = Self.regions(request, customer: customer, enabled: enabled, fallback: client.region)
        var callback: (@Sendable (Int, Int) -> Void)?
        if let progress { callback = { done, total in progress.update(done, total) } }
        var run = await verifier.run(checks: plan.checks, accountId: account, regions: regions, parameters: parameters,
                                     progress: callback)
        progress?.finish()
        run.startedAt = started
        // Record results on the customer's applicable items only.
        let itemsByCheck = Dictionary(plan.entries.map { ($0.check.id, $0.items) }, uniquingKeysWith: { a, _ in a })
        run.results = run.results.map { var r = $0; r.items = itemsByCheck[r.check] ?? r.items; return r }
        return outcome(run, notes: notes)
    }

    static func regions(_ request: VerifyRegions, customer: CustomerInfo, enabled: [String]?, fallback: String) -> [String] {
        switch request {
        case .list(let regions): return regions
        case .allEnabled: return enabled ?? [fallback]
        case .customerOrEnabled: return customer.regions.isEmpty ? (enabled ?? [fallback]) : customer.regions
        }
    }

    func outcome(_ run: SOPChecks.VerificationRun, notes: [String]) -> Outcome {
        let entries = Dictionary(plan.entries.map { ($0.check.id, $0) }, uniquingKeysWith: { a, _ in a })
        let records = run.results.map { result in
            let entry = entries[result.check]
            return CheckResultRecord(
                checkId: result.check, title: entry?.check.title, itemIds: result.items, sections: entry?.sections ?? [],
                region: result.region == "global" ? nil : result.region,
                outcome: CheckOutcome(rawValue: result.outcome.rawValue) ?? .error, summary: result.summary,
                resources: result.resources, calls: entry?.check.calls.map(\.description) ?? [])
        }
        let record = SOPStore.VerificationRun(account: run.accountId.isEmpty ? nil : run.accountId, regions: run.regions,
                                              startedAt: run.startedAt, finishedAt: run.finishedAt,
                                              callsMade: run.calls.count, results: records)
        return Outcome(run: run, plan: plan, record: record, notes: notes)
    }
}

/// Runs a call and keeps its failure as a value.
private func attempt<T: Sendable>(_ body: () async throws(FetchFailure) -> T) async -> Result<T, FetchFailure> {
    do {
        return .success(try await body())
    } catch {
        return .failure(error)
    }
}
