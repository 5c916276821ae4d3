import ArgumentParser
import Foundation
import SOPApp

/// `sop verify SLUG`: runs the customer's automated checks against their AWS account
/// (read-only), records each result as evidence, and shows what changed since last time.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify automatable items against the customer's AWS account (read-only).",
        discussion: """
            Credentials: the customer's AWS profile or role (from `sop new`), else the default AWS chain; \
            AWS_ENDPOINT_URL points at another endpoint (e.g. a local emulator). Regions: --regions, else the \
            customer's regions, else every enabled region. Results are recorded as `check` evidence on the items.

            Requests go out through libcurl; SOP_HTTP_TRANSPORT=urlsession uses URLSession instead. --json adds \
            `calls`: every request with its dependency depth and timing (`critical_path_depth` is the deepest).

            A failure an approved waiver covers still reports fail, marked waived, and does not count for the \
            exit status. --gate compares the run with the customer's baseline (`sop baseline set`): it fails on \
            a check that went from pass to fail or that had a result and has none; new failures are listed.

            --all verifies every customer with an AWS profile or role, --max-customers at a time, one line \
            each (new failures, fixed, regressions against the baseline, errors); it exits 1 when any customer \
            regressed, else 3 when one could not be verified at all. Meant for a nightly cron job.

            Exit status: 0 all pass, 1 any fail, 3 errors (could not verify) but no fail, 2 bad usage. With \
            --gate: 1 on a regression, else 0.
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The customer (or --all).") var slug: String?
    @Flag(help: "Every customer with an AWS profile or role configured, one summary line each.") var all = false
    @Option(name: .customLong("max-customers"), help: "With --all: customers verified at once.")
    var maxCustomers = 4
    @Option(
        help: ArgumentHelp(
            "Regions to verify: 'all' (every enabled region) or a comma-separated list.",
            valueName: "all|r1,r2")) var regions: [String] = []
    @Option(help: ArgumentHelp("Only these checks (comma-separated ids).", valueName: "id,…")) var checks: [String] = []
    @Flag(help: "Print the results as JSON (the documented contract).") var json = false
    @Option(help: "Who runs the verification (default: $SOP_USER, else $USER).") var by: String?
    @Option(name: .customLong("max-requests"), help: "AWS requests in flight at once (and connections per host).")
    var maxRequests = VerifyRequest.defaultMaxRequests
    @Flag(help: "Compare with the baseline: exit 1 when a check regressed.") var gate = false

    func run() async throws {
        if all {
            guard slug == nil else { throw CommandFailure("name a customer or --all, not both") }
            try await runAll()
            return
        }
        guard let slug else { throw CommandFailure("name a customer, or --all for every customer") }
        let result = try await global.app.verify(
            VerifyRequest(
                slug: slug, regions: commaSeparated(regions), checks: commaSeparated(checks), by: by,
                maxRequests: maxRequests, gate: gate))
        if json {
            Swift.print(result.report.json)  // JSON: its writer escapes control characters
        } else {
            print(VerifyTable.render(result, color: Terminal.colorEnabled), terminator: "")
        }
        try CommandFailure.unless(result.verdict)
    }

    func runAll() async throws {
        let result = try await global.app.verifyAll(
            VerifyAllRequest(maxCustomers: maxCustomers, maxRequests: maxRequests, gate: gate, by: by))
        if json {
            Swift.print(result.json)
        } else {
            print(VerifyAllText.render(result), terminator: "")
        }
        try CommandFailure.unless(result.verdict)
    }
}

extension VerifyCommand: Exemplified {
    static let examples = [
        "sop verify acme --checks iam_password_policy_strong --regions us-east-1",
        "sop verify acme --regions all --json > acme-verify.json",
        "sop verify acme --gate",
    ]
}
