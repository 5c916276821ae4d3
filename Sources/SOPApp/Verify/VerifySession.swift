import AWSClient
import Foundation
import SOPChecks
import SOPCore
import SOPStore

/// One verification, in the order that keeps the network busy:
///
/// 1. ``prepare(tracker:slug:maxRequests:)`` reads the customer and their checklist (two small
///    queries) and resolves their AWS settings: no AWS call yet.
/// 2. ``start(regions:)`` sends `sts:GetCallerIdentity` and, when the region plan needs it,
///    `ec2:DescribeRegions`.
/// 3. ``plan(only:)`` checks the pinned template file's SHA-256 and builds the check plan from
///    the checklist while those two are on the wire; ``parseTemplate()`` parses the template (for
///    its parameter defaults) on its own thread while the fetches run.
/// 4. ``verify(_:plan:parameters:)`` starts every fetch as soon as what it needs is in (most
///    need neither the account id nor the region list), then judges.
struct VerifySession {
    var context: AppContext
    var customer: CustomerInfo
    var checklist: [VerificationSubject.Item]
    var client: AWSClient
    var verifier: Verifier

    struct Outcome {
        var run: VerifierRun
        var plan: VerificationPlan
        /// The run as the tracker stores it.
        var record: SOPStore.VerificationRun
        var notes: [String]
    }

    /// The calls every verification starts with, in flight.
    struct Started {
        var startedAt: Date
        var regions: RegionPlan
        var identity: Task<Result<(identity: (account: String, arn: String), depth: Int), FetchFailure>, Never>
        /// nil when the regions are known without asking.
        var enabledRegions: Task<Result<(regions: [String], depth: Int), FetchFailure>, Never>?

        func cancel() {
            identity.cancel()
            enabledRegions?.cancel()
        }
    }

    static func prepare(tracker: Tracker, slug: String, maxRequests: Int) throws -> VerifySession {
        let subject = try tracker.mapped { try tracker.store.verificationSubject(customer: slug) }
        let customer = subject.customer
        // A template without checks (an offboarding SOP) has nothing to verify: say so before any
        // AWS setting is read or request sent.
        guard subject.items.contains(where: { !$0.checks.isEmpty }) else {
            throw AppError.badInput(
                "\(slug) is on \(customer.template.id)@\(customer.template.version), which has no automated checks: nothing to verify"
            )
        }
        let settings = AWSSettings(
            profile: customer.awsProfile, roleARN: customer.roleArn, externalID: customer.externalId)
        let configuration: AWSClientConfiguration
        do {
            // As many connections per host as requests in flight: with an endpoint override (an
            // emulator, a proxy) every service is one host.
            configuration = try AWSClientConfiguration.resolve(
                settings, environment: tracker.context.awsEnvironment, transport: tracker.context.transport(maxRequests)
            )
        } catch {
            throw AppError.badInput("AWS settings for \(slug): \(error)")
        }
        let client = AWSClient(configuration)
        return VerifySession(
            context: tracker.context, customer: customer, checklist: subject.items, client: client,
            verifier: Verifier(client: client, maxConcurrentRequests: maxRequests))
    }

    /// Sends the identity call and, when the region plan needs it, the region listing.
    func start(regions request: RegionRequest) -> Started {
        let started = Date()
        let verifier = self.verifier
        let home = client.region
        let regions = RegionPlan(request, customerRegions: customer.regions)
        // Identity and the region list do not depend on each other: ask both at once.
        let identity = Task {
            await attempt { () async throws(FetchFailure) in try await verifier.callerIdentityWithDepth(region: home) }
        }
        let enabled =
            regions.needsEnabledRegions
            ? Task {
                await attempt { () async throws(FetchFailure) in
                    try await verifier.enabledRegionsWithDepth(region: home)
                }
            }
            : nil
        return Started(startedAt: started, regions: regions, identity: identity, enabledRegions: enabled)
    }

    /// The checks to run on the customer's applicable items, from the checklist the tracker holds
    /// (the template's items as pinned). The pinned file must still hash to the pin; it is read
    /// and hashed here, not parsed.
    func plan(only: [String]?) throws -> VerificationPlan {
        let pin = customer.template
        let reference = "\(pin.id)@\(pin.version)"
        let entry: TemplateLibrary.Entry
        do {
            entry = try context.templateLibrary.entry(for: reference)
        } catch {
            throw AppError.badInput(error.description)
        }
        if let problem = FileKind.problemReading(entry.url.path, directoryNoun: "a template file") {
            throw AppError.badInput("template \(reference) at \(entry.url.path): \(problem)")
        }
        let data: Data
        do {
            data = try Data(contentsOf: entry.url)
        } catch {
            throw AppError.badInput("cannot load template \(reference): \(error)")
        }
        try PinCheck.require(sha256: ContentHash.sha256Hex(data), path: entry.url.path, pin: pin, slug: customer.slug)
        do {
            return try VerificationPlan(
                items: checklist.map {
                    VerificationPlan.ChecklistItem(id: $0.id, section: $0.section, checks: $0.checks)
                },
                templateReference: reference, applicableItems: Set(checklist.filter(\.applies).map(\.id)), only: only)
        } catch {
            throw AppError.badInput(error.description)
        }
    }

    /// Parses the pinned template on a thread of its own (not one of the few that run the
    /// fetches), for its parameter defaults.
    func parseTemplate() -> Task<Result<Template, AppError>, Never> {
        let customer = self.customer
        let context = self.context
        return onThread {
            do {
                return .success(try context.pinnedTemplate(for: customer))
            } catch let failure as AppError {
                return .failure(failure)
            } catch {
                return .failure(AppError.badInput("cannot load template: \(error)"))
            }
        }
    }

    /// Fetches and judges. Never throws: what cannot be reached becomes `error` results.
    func verify(_ started: Started, plan: VerificationPlan, parameters: Prerequisite<[String: ParameterValue]>)
        async -> Outcome
    {
        let home = client.region
        let identity = started.identity
        let account = Prerequisite<String>.fetching {
            switch await identity.value {
            case .success(let value): return (value.identity.account, value.depth)
            case .failure: return ("", 1)
            }
        }
        let regionSource: Prerequisite<[String]>
        if let enabled = started.enabledRegions {
            let regions = started.regions
            regionSource = .fetching {
                switch await enabled.value {
                case .success(let value): return (regions.regions(enabled: value.regions, home: home), value.depth)
                case .failure: return ([home], 1)
                }
            }
        } else {
            regionSource = .known(started.regions.regions(enabled: nil, home: home))
        }
        let output = context.output
        let verifier = self.verifier
        let checks = plan.checks
        let running = Task {
            await verifier.run(
                checks: checks, account: account, regions: regionSource, parameters: parameters,
                progress: { done, total in output.progress(done, of: total) })
        }
        if case .failure(let error) = await identity.value {
            // Nothing can be verified without an identity: stop, and every check reports why.
            running.cancel()
            _ = await running.value
            output.progressFinished()
            let listed = try? await started.enabledRegions?.value.get().regions
            let regions = started.regions.regions(enabled: listed, home: home)
            var run = VerifierRun(
                accountId: "", regions: regions, startedAt: started.startedAt,
                finishedAt: Date(), results: [], calls: verifier.calls)
            run.results = plan.entries.flatMap { entry in
                (entry.check.scope == .global ? ["global"] : regions).map { region in
                    CheckRunResult(
                        check: entry.check.id, items: entry.items, region: region, outcome: .error,
                        summary: "could not be verified: \(error.description)", resources: [])
                }
            }
            return outcome(run, plan: plan, notes: ["cannot identify the AWS account: \(error.description)"])
        }
        var run = await running.value
        output.progressFinished()
        var notes: [String] = []
        if case .failure(let error)? = await started.enabledRegions?.value {
            notes.append("cannot list enabled regions (\(error.description)); verifying \(home) only")
        }
        run.startedAt = started.startedAt
        // Record results on the customer's applicable items only.
        let itemsByCheck = Dictionary(plan.entries.map { ($0.check.id, $0.items) }, uniquingKeysWith: { a, _ in a })
        run.results = run.results.map {
            var r = $0
            r.items = itemsByCheck[r.check] ?? r.items
            return r
        }
        return outcome(run, plan: plan, notes: notes)
    }

    func outcome(_ run: VerifierRun, plan: VerificationPlan, notes: [String]) -> Outcome {
        let entries = Dictionary(plan.entries.map { ($0.check.id, $0) }, uniquingKeysWith: { a, _ in a })
        let records = run.results.map { result in
            let entry = entries[result.check]
            return CheckResultRecord(
                checkId: result.check, title: entry?.check.title, itemIds: result.items,
                sections: entry?.sections ?? [],
                region: result.region == "global" ? nil : result.region,
                outcome: result.outcome, summary: result.summary,
                resources: result.resources, calls: entry?.check.calls.map(\.description) ?? [],
                observed: result.observed.isEmpty ? nil : result.observed)
        }
        let record = SOPStore.VerificationRun(
            account: run.accountId.isEmpty ? nil : run.accountId, regions: run.regions,
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
