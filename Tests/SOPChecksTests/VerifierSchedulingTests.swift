import AWSClient
import Foundation
import SOPCore
import Testing

@testable import SOPChecks

/// How the runner schedules fetches: each waits only for what it needs (the account id, the
/// region list), the trace's depths say what actually waited for what, and long chains go
/// first when the in-flight bound is reached.
@Suite(.serialized) struct VerifierSchedulingTests {
    /// Against real moto: fetches that need neither the account id nor the region list do not
    /// wait for the identity call, those that do are traced below it, and the results are those
    /// of a run that waited for everything.
    @Test func fetchesWaitOnlyForWhatTheyNeed() async throws {
        let state = try await MotoAccounts.shared.value
        let verifier = Verifier(client: try MotoAccounts.client(profile: "compliant", state: state))
        let template = try #require(try ShippedTemplates.all().first { $0.version == SemanticVersion(1, 1, 0) })
        let account = Prerequisite<String>.fetching {
            let identity = try? await verifier.callerIdentityWithDepth()
            return (identity?.identity.account ?? "", identity?.depth ?? 1)
        }
        let run = await verifier.run(
            checks: CheckCatalog.all, account: account, regions: .known(MotoAccounts.regions),
            parameters: .known(template.parameterValues()))
        #expect(run.accountId == MotoAccounts.compliantAccount)

        let calls = run.calls
        func depth(_ call: String) -> Int? { calls.first { $0.call == call }?.depth }
        #expect(depth("sts:GetCallerIdentity") == 1)
        #expect(depth("iam:GetAccountSummary") == 1, "IAM needs no account id: it did not wait")
        #expect(depth("ec2:DescribeVpcs") == 1)
        #expect(depth("budgets:DescribeBudgets") == 2, "Budgets names the account: it waited for the identity")
        #expect(depth("s3control:GetPublicAccessBlock") == 2)
        #expect(run.criticalPathDepth == calls.map(\.depth).max())
        // Honest depths: a call at depth d started after some call at depth d - 1 had ended.
        for call in calls where call.depth > 1 {
            #expect(
                calls.contains {
                    $0.depth == call.depth - 1
                        && $0.startedAt.addingTimeInterval($0.duration) <= call.startedAt.addingTimeInterval(0.002)
                },
                "\(call.call) at depth \(call.depth) waited for nothing at depth \(call.depth - 1)")
        }
        #expect(calls.allSatisfy { $0.attempts >= 1 && $0.call == "\($0.service):\($0.operation)" })
        #expect(calls.filter { $0.errorCode == nil }.allSatisfy { $0.status.map { (200..<300).contains($0) } ?? false })

        // Same judgements as the run that asked for the identity first and waited.
        let waited = try await MotoAccounts.verify(profile: "compliant", account: MotoAccounts.compliantAccount)
        func outcomes(_ run: VerifierRun) -> [String: CheckOutcome] {
            Dictionary(run.results.map { ("\($0.check)@\($0.region)", $0.outcome) }, uniquingKeysWith: { a, _ in a })
        }
        #expect(outcomes(run) == outcomes(waited))
    }

    /// A failed identity leaves the account empty: the fetches that need it send nothing.
    @Test func noAccountNoAccountCalls() async throws {
        let state = try await MotoAccounts.shared.value
        let verifier = Verifier(client: try MotoAccounts.client(profile: "compliant", state: state))
        let checks = CheckCatalog.all.filter {
            $0.id == "s3_account_public_access_blocked" || $0.id == "iam_password_policy_strong"
        }
        let run = await verifier.run(
            checks: checks, account: .known(""), regions: .known(["us-east-1"]),
            parameters: .known([:]))
        #expect(!run.calls.contains { $0.service == "s3control" })
        #expect(run.calls.contains { $0.call == "iam:GetAccountPasswordPolicy" })
        #expect(run.results.first { $0.check == "s3_account_public_access_blocked" }?.outcome == .error)
    }

    /// With every slot taken, the waiter with the longest chain behind it goes next, then the
    /// others first come, first served.
    @Test func limiterServesLongerChainsFirst() async throws {
        let limiter = RequestLimiter(maxInFlight: 1)
        await limiter.acquire()
        let order = Order()
        var waiters: [Task<Void, Never>] = []
        for (name, followUps) in [("leaf-1", 0), ("chain-1", 1), ("leaf-2", 0), ("chain-2", 2), ("chain-3", 1)] {
            waiters.append(
                Task {
                    await limiter.acquire(followUps: followUps)
                    order.append(name)
                    await limiter.release()
                })
            // Let each waiter queue before the next (arrival order matters within a level).
            try await Task.sleep(for: .milliseconds(20))
        }
        await limiter.release()
        for waiter in waiters { await waiter.value }
        #expect(order.names == ["chain-2", "chain-1", "chain-3", "leaf-1", "leaf-2"])
    }

    /// The plan from a customer's checklist (as the tracker holds it) is the plan from the template.
    @Test func planFromChecklistEqualsPlanFromTemplate() throws {
        for template in try ShippedTemplates.all() {
            let items = template.items.map {
                VerificationPlan.ChecklistItem(id: $0.id, section: $0.section, checks: $0.checks)
            }
            let applicable = Set(template.items.map(\.id).enumerated().filter { $0.offset % 3 != 0 }.map(\.element))
            let fromTemplate = try VerificationPlan(template: template, applicableItems: applicable)
            let fromChecklist = try VerificationPlan(
                items: items, templateReference: template.reference,
                applicableItems: applicable)
            #expect(fromChecklist.entries.map(\.check.id) == fromTemplate.entries.map(\.check.id))
            #expect(fromChecklist.entries.map(\.items) == fromTemplate.entries.map(\.items))
            #expect(fromChecklist.entries.map(\.sections) == fromTemplate.entries.map(\.sections))
        }
    }
}

private final class Order: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func append(_ name: String) {
        lock.lock()
        list.append(name)
        lock.unlock()
    }
    var names: [String] {
        lock.lock()
        defer { lock.unlock() }
        return list
    }
}
