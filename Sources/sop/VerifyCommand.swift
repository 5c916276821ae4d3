import ArgumentParser
import Foundation
import SOPChecks
import SOPCore
import SOPStore

/// `sop verify SLUG`: runs the customer's automated checks against their AWS account
/// (read-only), records each result as evidence, and shows what changed since last time.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify automatable items against the customer's AWS account (read-only).",
        discussion: """
            Credentials: the customer's AWS profile or role (from `sop new`), else the default AWS chain;
            AWS_ENDPOINT_URL points at another endpoint (e.g. a local emulator). Regions: --regions, else the
            customer's regions, else every enabled region. Results are recorded as `check` evidence on the items.
            Requests go out through libcurl; SOP_HTTP_TRANSPORT=urlsession uses URLSession instead. --json adds
            `calls`: every request with its dependency depth and timing (`critical_path_depth` is the deepest).
            Exit status: 0 all pass, 1 any fail, 3 errors (could not verify) but no fail, 2 bad usage.
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The customer.") var slug: String
    @Option(help: ArgumentHelp("Regions to verify: 'all' (every enabled region) or a comma-separated list.",
                               valueName: "all|r1,r2")) var regions: [String] = []
    @Option(help: ArgumentHelp("Only these checks (comma-separated ids).", valueName: "id,…")) var checks: [String] = []
    @Flag(help: "Print the results as JSON (the documented contract).") var json = false
    @Option(help: "Who runs the verification (default: $SOP_USER, else $USER).") var by: String?
    @Option(name: .customLong("max-requests"), help: "AWS requests in flight at once (and connections per host).")
    var maxRequests = Verifier.defaultMaxConcurrentRequests

    func run() async throws {
        let requested = commaSeparated(checks)
        if let unknown = VerificationPlan.unknownIds(requested).first {
            throw CommandFailure("unknown check '\(unknown)'; `sop verify` knows: \(CheckCatalog.ids.joined(separator: ", "))")
        }
        let regionRequest = try VerifyRegions(commaSeparated(regions))
        guard maxRequests > 0 else { throw CommandFailure("--max-requests must be at least 1") }
        let context = try TrackerContext.open(global)
        let session = try VerifySession.prepare(context: context, slug: slug, maxRequests: maxRequests)
        // The first calls go out now; the template is parsed while they are on the wire.
        let started = session.start(regions: regionRequest)
        let plan: VerificationPlan
        do {
            plan = try session.plan(global: global, only: requested.isEmpty ? nil : requested)
        } catch {
            started.cancel()
            throw error
        }
        // Parameter defaults come from the template; parsing it overlaps the fetches, and so
        // does moving the tracker's write-ahead log into the database.
        let parsing = session.parseTemplate(global: global)
        let checkpoint = onThread { [store = context.store] in store.checkpointWriteAheadLog() }
        let overrides = session.customer.parameters
        let outcome = await session.verify(
            started, plan: plan,
            parameters: .fetching { ((try? await parsing.value.get())?.parameterValues(overrides: overrides) ?? [:], 0) },
            progress: VerifyProgress.forStandardError())
        // A template that no longer parses is bad input: nothing is recorded.
        if case .failure(let failure) = await parsing.value { throw failure }
        await checkpoint.value
        let recorded = try context.run { store in
            try store.recordCheckResults(customer: slug, run: outcome.record, by: context.actor(by))
        }
        if json {
            VerifyOutput.printJSON(customer: slug, outcome: outcome, recorded: recorded)
        } else {
            print(VerifyOutput.table(outcome: outcome, recorded: recorded, color: Terminal.colorEnabled), terminator: "")
        }
        let code = VerifyOutput.exitCode(outcome.run)
        if code != 0 { throw CommandFailure.silent(code) }
    }
}
