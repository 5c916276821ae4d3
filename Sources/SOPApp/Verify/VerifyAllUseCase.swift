import Foundation
import SOPCore
import SOPJSON
import SOPStore

/// What `sop verify --all` asks for.
public struct VerifyAllRequest: Sendable {
    /// Customers verified at once (each with up to `maxRequests` requests in flight).
    public var maxCustomers: Int
    public var maxRequests: Int
    /// `--gate`: a customer without a baseline is an error rather than compared with nothing.
    public var gate: Bool
    public var by: String?

    public init(
        maxCustomers: Int = 4, maxRequests: Int = VerifyRequest.defaultMaxRequests, gate: Bool = false,
        by: String? = nil
    ) {
        self.maxCustomers = maxCustomers
        self.maxRequests = maxRequests
        self.gate = gate
        self.by = by
    }
}

/// One customer's night: what changed since its last run and against its baseline.
public struct CustomerVerification: Sendable {
    public var customer: String
    /// The recorded run (`V7`), nil when the customer was skipped or could not be verified.
    public var run: String?
    public var newFailures: [String]
    public var fixed: [String]
    /// Checks that regressed against the baseline (none without one).
    public var regressions: [String]
    public var baseline: String?
    /// Checks that could not be verified.
    public var errors: Int
    /// Why the customer could not be verified at all (no credentials, access denied, …).
    public var failure: String?
    /// Why the customer was not verified (no AWS access configured).
    public var skipped: String?
}

/// Every customer's line, in slug order, and the verdict of the night.
public struct VerifyAllResult: Sendable {
    public var customers: [CustomerVerification]

    /// 1 when any customer regressed against its baseline; else 3 when any customer could not be
    /// verified at all; else 0. Failing checks alone do not fail the night: they are each
    /// customer's own (and `sop agenda` lists them).
    public var verdict: Verdict {
        if customers.contains(where: { !$0.regressions.isEmpty }) { return .notOK }
        if customers.contains(where: { $0.failure != nil }) { return .undecided }
        return .ok
    }

    /// The documented shape of `sop verify --all --json`: `{"customers": [{"customer", "run",
    /// "new_failures", "fixed", "regressions", "baseline", "errors", "failure", "skipped"}],
    /// "regressed": bool}`.
    public var json: String {
        func optional(_ text: String?) -> PrettyJSON.Value { text.map { .string($0) } ?? .null }
        return PrettyJSON.render(
            .object([
                (
                    "customers",
                    .array(
                        customers.map { line in
                            .object([
                                ("baseline", optional(line.baseline)), ("customer", .string(line.customer)),
                                ("errors", .int(line.errors)), ("failure", optional(line.failure)),
                                ("fixed", .strings(line.fixed)), ("new_failures", .strings(line.newFailures)),
                                ("regressions", .strings(line.regressions)), ("run", optional(line.run)),
                                ("skipped", optional(line.skipped)),
                            ])
                        })
                ),
                ("regressed", .bool(verdict == .notOK)),
            ]))
    }
}

extension SOPApplication {
    /// `sop verify --all`: re-verifies every customer with AWS access configured (a profile or a
    /// role), `maxCustomers` at a time. One customer's failure (no credentials, access denied,
    /// throttling) is that customer's line and never stops the others.
    public func verifyAll(_ request: VerifyAllRequest) async throws -> VerifyAllResult {
        guard request.maxCustomers > 0 else { throw AppError.badInput("--max-customers must be at least 1") }
        guard request.maxRequests > 0 else { throw AppError.badInput("--max-requests must be at least 1") }
        let customers = try Tracker.with(context) { try $0.customers() }
        var lines: [CustomerVerification] = []
        var pending: [CustomerInfo] = []
        for customer in customers {
            if customer.awsProfile == nil && customer.roleArn == nil {
                lines.append(
                    CustomerVerification(
                        customer: customer.slug, run: nil, newFailures: [], fixed: [], regressions: [],
                        baseline: nil, errors: 0, failure: nil, skipped: "no AWS profile or role configured"))
            } else {
                pending.append(customer)
            }
        }
        let app = self
        await withTaskGroup(of: CustomerVerification.self) { group in
            var next = pending.makeIterator()
            func startNext() -> Bool {
                guard let customer = next.next() else { return false }
                group.addTask { await app.verifyOne(customer.slug, request) }
                return true
            }
            for _ in 0..<request.maxCustomers where !startNext() { break }
            while let line = await group.next() {
                lines.append(line)
                _ = startNext()
            }
        }
        return VerifyAllResult(customers: lines.sorted { $0.customer < $1.customer })
    }

    private func verifyOne(_ slug: String, _ request: VerifyAllRequest) async -> CustomerVerification {
        var line = CustomerVerification(
            customer: slug, run: nil, newFailures: [], fixed: [], regressions: [], baseline: nil, errors: 0,
            failure: nil, skipped: nil)
        do {
            let hasBaseline = try Tracker.with(context) { try $0.baseline(customer: slug) } != nil
            if request.gate && !hasBaseline {
                line.failure = "no baseline (sop baseline set \(slug))"
                return line
            }
            let result = try await verify(
                VerifyRequest(slug: slug, by: request.by, maxRequests: request.maxRequests, gate: hasBaseline))
            let report = result.report
            line.run = report.run
            line.newFailures = report.changes.newFailures
            line.fixed = report.changes.fixed
            line.regressions = report.gate?.regressions.map(\.key) ?? []
            line.baseline = report.gate?.baseline
            line.errors = report.counts[CheckOutcome.error.rawValue] ?? 0
            // Every check an error: the account was not reached (credentials, access, network).
            if !report.results.isEmpty, line.errors == report.results.count {
                line.failure =
                    report.results.first.map { "could not verify: \($0.summary)" } ?? "could not verify"
            }
        } catch {
            line.failure = (error as? AppError)?.message ?? "\(error)"
        }
        return line
    }
}
