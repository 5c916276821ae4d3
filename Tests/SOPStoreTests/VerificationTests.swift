import Foundation
import SOPCore
import Testing

@testable import SOPStore

@Suite struct VerificationTests {
    func run(_ results: [CheckResultRecord]) -> VerificationRun {
        VerificationRun(
            account: "123456789012", regions: ["eu-west-1"], startedAt: Date(timeIntervalSince1970: 1_772_000_000),
            finishedAt: Date(timeIntervalSince1970: 1_772_000_005), callsMade: 7, results: results)
    }

    @Test func resultsMoveAutomatedItemsAndReportChanges() throws {
        let test = try TestStore.withAcme()
        let store = test.store
        let first = try store.recordCheckResults(
            customer: "acme",
            run: run([
                CheckResultRecord(
                    checkId: "iam_root_mfa_enabled", itemIds: ["root-mfa"], outcome: .pass, summary: "root has MFA",
                    calls: ["iam:GetAccountSummary"]),
                CheckResultRecord(
                    checkId: "iam_password_policy_strong", itemIds: ["password-policy"], outcome: .fail,
                    summary: "reuse prevention is 12, needs 24", resources: ["arn:aws:iam::123456789012:root"]),
                CheckResultRecord(
                    checkId: "iam_root_access_keys_absent", itemIds: ["root-vault", "ghost"], outcome: .pass,
                    summary: "none"),
            ]), by: "sam")
        #expect(first.itemTransitions == ["root-mfa": .done, "password-policy": .failed])
        #expect(first.unknownItems == ["ghost"])
        #expect(first.changes.newFailures.map(\.checkId) == ["iam_password_policy_strong"])
        #expect(!first.changes.hasBaseline)

        var report = try store.customerReport(slug: "acme")
        #expect(report.items.first { $0.id == "root-vault" }?.status == .todo)  // manual evidence still needed
        #expect(report.items.first { $0.id == "root-vault" }?.checkOutcomes.first?.outcome == .pass)
        #expect(report.summary.failed == 1 && report.summary.done == 1)
        #expect(try store.portfolio().first?.failing == 1)
        #expect(report.items.first { $0.id == "root-mfa" }?.evidence.first?.kind == "check")

        let second = try store.recordCheckResults(
            customer: "acme",
            run: run([
                CheckResultRecord(
                    checkId: "iam_password_policy_strong", itemIds: ["password-policy"], outcome: .pass, summary: "ok"),
                CheckResultRecord(
                    checkId: "iam_root_mfa_enabled", itemIds: ["root-mfa"], outcome: .error, summary: "AccessDenied"),
            ]), by: "sam")
        #expect(second.changes.fixed.map(\.checkId) == ["iam_password_policy_strong"])
        #expect(second.changes.newFailures.isEmpty)
        #expect(second.itemTransitions == ["password-policy": .done])
        report = try store.customerReport(slug: "acme")
        #expect(report.items.first { $0.id == "root-mfa" }?.status == .done)  // an error never undoes nor proves
        #expect(report.verificationHistory.count == 2)
        let last = try #require(try store.lastVerification(customer: "acme"))
        #expect(last.id == "V2" && last.errors == 1 && last.run.results.count == 2)
        #expect(last.run.changes(since: try store.verificationHistory(customer: "acme")[1].run).fixed.count == 1)
        #expect(try store.verifyAudit().isIntact)
    }

    @Test func reRunWithSameOutcomeKeepsSignoffValid() throws {
        let test = try TestStore.withAcme()
        let results = [
            CheckResultRecord(checkId: "iam_root_mfa_enabled", itemIds: ["root-mfa"], outcome: .pass, summary: "ok")
        ]
        try test.store.recordCheckResults(customer: "acme", run: run(results), by: "sam")
        try settle(test.store, section: "3")
        try test.store.signoff(customer: "acme", target: "3", role: "Security Lead", by: "priya")
        try test.store.recordCheckResults(customer: "acme", run: run(results), by: "sam")
        #expect(try test.store.customerReport(slug: "acme").signoffs.first?.state == .valid)
        var failing = results
        failing[0].outcome = .fail
        try test.store.recordCheckResults(customer: "acme", run: run(failing), by: "sam")
        #expect(try test.store.customerReport(slug: "acme").signoffs.first?.state == .stale)
    }
}
