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

/// One verification, in the order that keeps the network busy:
///
/// 1. ``prepare(context:slug:maxRequests:)`` reads the customer and their checklist (two small
///    queries) and resolves their AWS settings: no AWS call yet.
/// 2. ``start(regions:)`` sends `sts:GetCallerIdentity` and, when needed, `ec2:DescribeRegions`.
/// 3. ``plan(global:only:)`` checks the pinned template file's SHA-256 and builds the check plan
///    from the checklist while those two are on the wire; ``parseTemplate(global:)`` parses the
///    template (for its parameter defaults) on its own thread while the fetches run.
/// 4. ``verify(_:plan:parameters:progress:)`` starts every fetch as soon as what it needs is in
///    (most need neither the account id nor the region list), then judges.
struct VerifySession {
    var customer: CustomerInfo
    var checklist: [VerificationSubject.Item]
    var client: AWSClient
    var verifier: Verifier

    struct Outcome {
        var run: SOPChecks.VerificationRun
        var plan: VerificationPlan
        /// The run as the tracker stores it.
        var record: SOPStore.VerificationRun
        var notes: [String]
    }

    /// The calls every verification starts with, in flight.
    struct Started {
        var startedAt: Date
        var request: VerifyRegions
        var identity: Task<Result<(identity: (account: String, arn: String), depth: Int), FetchFailure>, Never>
        /// nil when the regions are known without asking.
        var enabledRegions: Task<Result<(regions: [String], depth: Int), FetchFailure>, Never>?

        func cancel() {
            identity.cancel()
            enabledRegions?.cancel()
        }
    }

    static func prepare(context: TrackerContext, slug: String, maxRequests: Int) throws -> VerifySession {
        let subject = try TrackerContext.mapped { try context.store.verificationSubject(customer: slug) }
        let customer = subject.customer
        let settings = AWSSettings(profile: customer.awsProfile, roleARN: customer.roleArn, externalID: customer.externalId)
        let configuration: AWSClientConfiguration
        do {
            // As many connections per host as requests in flight: with an endpoint override (an
            // emulator, a proxy) every service is one host.
            configuration = try AWSClientConfiguration.resolve(
                settings, transport: HTTPTransports.standard(maxConnectionsPerHost: maxRequests))
        } catch {
            throw CommandFailure("AWS settings for \(slug): \(error)")
        }
        let client = AWSClient(configuration)
        return VerifySession(customer: customer, checklist: subject.items, client: client,
                             verifier: Verifier(client: client, maxConcurrentRequests: maxRequests))
    }

    /// Sends the identity call and, when the regions are not given, the region listing.
    func start(regions request: VerifyRegions) -> Started {
        let started = Date()
        let verifier = self.verifier
        let home = client.region
        let needsEnabledRegions: Bool
        switch request {
        case .list: needsEnabledRegions = false
        case .allEnabled: needsEnabledRegions = true
        case .customerOrEnabled: needsEnabledRegions = customer.regions.isEmpty
        }
        // Identity and the region list do not depend on each other: ask both at once.
        let identity = Task {
            await attempt { () async throws(FetchFailure) in try await verifier.callerIdentityWithDepth(region: home) }
        }
        let enabled = needsEnabledRegions
            ? Task {
                await attempt { () async throws(FetchFailure) in try await verifier.enabledRegionsWithDepth(region: home) }
            }
            : nil
        return Started(startedAt: started, request: request, identity: identity, enabledRegions: enabled)
    }

    /// The checks to run on the customer's applicable items, from the checklist the tracker holds
    /// (the template's items as pinned). The pinned file must still hash to the pin; it is read
    /// and hashed here, not parsed.
    func plan(global: GlobalOptions, only: [String]?) throws -> VerificationPlan {
        let pin = customer.template
        let reference = "\(pin.id)@\(pin.version)"
        let entry: TemplateLibrary.Entry
        do {
            entry = try global.templateLibrary().entry(for: reference)
        } catch {
            throw CommandFailure(error.description)
        }
        let data: Data
        do {
            data = try Data(contentsOf: entry.url)
        } catch {
            throw CommandFailure("cannot load template \(reference): \(error)")
        }
        let sha256 = ContentHash.sha256Hex(data)
        guard sha256 == pin.sha256 else {
            throw CommandFailure("template \(reference) at \(entry.url.path) was edited after \(customer.slug) was pinned to it "
                + "(sha256 \(sha256.prefix(12)) ≠ pinned \(pin.sha256.prefix(12))); "
                + "a changed template needs a new version number", code: 2)
        }
        do {
            return try VerificationPlan(
                items: checklist.map { VerificationPlan.ChecklistItem(id: $0.id, section: $0.section, checks: $0.checks) },
                templateReference: reference, applicableItems: Set(checklist.filter(\.applies).map(\.id)), only: only)
        } catch {
            throw CommandFailure(error.description)
        }
    }

    /// Parses the pinned template on a thread of its own (not one of the few that run the
    /// fetches), for its parameter defaults.
    func parseTemplate(global: GlobalOptions) -> Task<Result<Template, CommandFailure>, Never> {
        let customer = self.customer
        return onThread {
            do {
                return .success(try TrackerContext.pinnedTemplate(for: customer, global: global))
            } catch let failure as CommandFailure {
                return .failure(failure)
            } catch {
                return .failure(CommandFailure("cannot load template: \(error)"))
            }
        }
    }

    /// Fetches and judges. Never throws: what cannot be reached becomes `error` results.
    func verify(_ started: Started, plan: VerificationPlan, parameters: Prerequisite<[String: ParameterValue]>,
                progress: VerifyProgress?) async -> Outcome {
        let home = client.region
        let identity = started.identity
        let account = Prerequisite<String>.fetching {
            switch await identity.value {
            case .success(let value): return (value.identity.account, value.depth)
            case .failure: return ("", 1)
            }
        }
        let regionSource: Prerequisite<[String]>
        switch (started.request, started.enabledRegions) {
        case (.list(let regions), _): regionSource = .known(regions)
        case (_, let enabled?):
            regionSource = .fetching {
                switch await enabled.value {
                case .success(let value): return (value.regions, value.depth)
                case .failure: return ([home], 1)
                }
            }
        case (_, nil): regionSource = .known(customer.regions.isEmpty ? [home] : customer.regions)
        }
        var callback: (@Sendable (Int, Int) -> Void)?
        if let progress { callback = { done, total in progress.update(done, total) } }
        let verifier = self.verifier
        let checks = plan.checks
        let running = Task {
            await verifier.run(checks: checks, account: account, regions: regionSource, parameters: parameters,
                               progress: callback)
        }
        var notes: [String] = []
        if case .failure(let error) = await identity.value {
            // Nothing can be verified without an identity: stop, and every check reports why.
            running.cancel()
            _ = await running.value
            progress?.finish()
            let regions: [String]
            switch (started.request, started.enabledRegions) {
            case (.list(let list), _): regions = list
            case (_, let enabled?): regions = (try? await enabled.value.get().regions).flatMap { $0.isEmpty ? nil : $0 } ?? [home]
            case (_, nil): regions = customer.regions.isEmpty ? [home] : customer.regions
            }
            var run = SOPChecks.VerificationRun(accountId: "", regions: regions, startedAt: started.startedAt,
                                                finishedAt: Date(), results: [], calls: verifier.calls)
            run.results = plan.entries.flatMap { entry in
                (entry.check.scope == .global ? ["global"] : regions).map { region in
                    CheckRunResult(check: entry.check.id, items: entry.items, region: region, outcome: .error,
                                   summary: "could not be verified: \(error.description)", resources: [])
                }
            }
            return outcome(run, plan: plan, notes: ["cannot identify the AWS account: \(error.description)"])
        }
        var run = await running.value
        progress?.finish()
        if case .failure(let error)? = await started.enabledRegions?.value {
            notes.append("cannot list enabled regions (\(error.description)); verifying \(home) only")
        }
        run.startedAt = started.startedAt
        // Record results on the customer's applicable items only.
        let itemsByCheck = Dictionary(plan.entries.map { ($0.check.id, $0.items) }, uniquingKeysWith: { a, _ in a })
        run.results = run.results.map { var r = $0; r.items = itemsByCheck[r.check] ?? r.items; return r }
        return outcome(run, plan: plan, notes: notes)
    }

    func outcome(_ run: SOPChecks.VerificationRun, plan: VerificationPlan, notes: [String]) -> Outcome {
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

/// Runs blocking work (parsing, SQLite) on a thread of its own, so that it does not hold one of
/// the few threads that run the fetch tasks; the task finishes with its result.
func onThread<T: Sendable>(_ work: @escaping @Sendable () -> T) -> Task<T, Never> {
    Task {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: work()) }.start()
        }
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
