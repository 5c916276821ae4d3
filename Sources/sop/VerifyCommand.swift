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

            Exit status: 0 all pass, 1 any fail, 3 errors (could not verify) but no fail, 2 bad usage. With \
            --gate: 1 on a regression, else 0.
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The customer.") var slug: String
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
}

extension VerifyCommand: Exemplified {
    static let examples = [
        "sop verify acme --checks iam_password_policy_strong --regions us-east-1",
        "sop verify acme --regions all --json > acme-verify.json",
        "sop verify acme --gate",
    ]
}
