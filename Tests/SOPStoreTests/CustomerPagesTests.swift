import Foundation
import SOPCore
import TestSupport
import Testing

@testable import SOPStore

/// The batch read the site builds from gives each customer exactly the page the one-customer
/// read gives (on both engines): the same rows, in the same order, with nothing of one
/// customer leaking into another's page.
@Suite struct CustomerPagesTests {
    /// Three customers with different histories: evidence (one retracted), a forced mark, a
    /// section sign-off, two verification runs, and one customer left untouched.
    func portfolio() throws -> TestStore {
        let test = try TestStore.withAcme()
        let store = test.store
        for (slug, name) in [("globex", "Globex"), ("initech", "Initech")] {
            try store.createCustomer(
                NewCustomer(slug: slug, name: name, email: "root@\(slug).example", regions: ["eu-west-1"]),
                template: sampleTemplate(), by: "dana")
        }
        try store.addEvidence(customer: "acme", item: "root-email", content: .note("aws-root@acme"), by: "dana")
        let wrong = try store.addEvidence(customer: "acme", item: "root-vault", content: .note("typo"), by: "dana")
        try store.retractEvidence(customer: "acme", evidence: wrong.id, reason: "wrong vault", by: "dana")
        try store.mark(customer: "acme", item: "root-email", status: .done, by: "dana")
        try store.mark(
            customer: "globex", item: "root-vault", status: .done, reason: "checked by hand", force: true, by: "sam")
        try settle(store, section: "3", slug: "globex")
        try store.signoff(customer: "globex", target: "3", role: "Security Lead", by: "priya")
        for outcome in [CheckOutcome.fail, .pass] {
            try store.recordCheckResults(
                customer: "globex",
                run: VerificationRun(
                    account: "123456789012", regions: ["eu-west-1"],
                    startedAt: Date(timeIntervalSince1970: 1_772_000_000),
                    finishedAt: Date(timeIntervalSince1970: 1_772_000_005), callsMade: 3,
                    results: [
                        CheckResultRecord(
                            checkId: "iam_password_policy_strong", itemIds: ["password-policy"], outcome: outcome,
                            summary: "minimum length 16")
                    ]), by: "sam")
        }
        return test
    }

    @Test func batchGivesEachCustomerItsOwnPage() throws {
        let test = try portfolio()
        let slugs = ["initech", "acme", "globex"]
        let batch = try test.store.customerPages(slugs: slugs, activityLimit: 100)
        #expect(batch.map(\.report.customer.slug) == slugs)
        for page in batch {
            let single = try test.store.customerPage(slug: page.report.customer.slug, activityLimit: 100)
            #expect(page.report == single.report)
            #expect(page.log == single.log)
            #expect(page.forced == single.forced)
        }
        let globex = try #require(batch.last)
        #expect(globex.forced.contains("root-vault"))
        #expect(globex.report.verificationHistory.count == 2)
        #expect(globex.report.signoffs.contains { $0.by == "priya" })
        #expect(batch[0].log.allSatisfy { $0.customer == "initech" } && batch[0].forced.isEmpty)
        #expect(batch[1].report.items.first { $0.id == "root-vault" }?.evidence.count == 1)
    }

    @Test func activityLimitHoldsPerCustomer() throws {
        let test = try portfolio()
        let batch = try test.store.customerPages(slugs: ["acme", "globex", "initech"], activityLimit: 2)
        for page in batch {
            let all = try test.store.log(customer: page.report.customer.slug)
            #expect(page.log == Array(all.suffix(2)))
        }
        #expect(try test.store.customerPages(slugs: ["acme"], activityLimit: 0).first?.log == [])
        #expect(try test.store.customerPages(slugs: [], activityLimit: 5).isEmpty)
    }

    @Test func unknownCustomerInABatchIsTheSameError() throws {
        let test = try portfolio()
        do {
            _ = try test.store.customerPages(slugs: ["acme", "nobody"], activityLimit: 10)
            Issue.record("a batch with an unknown customer was read")
        } catch let error as StoreError {
            #expect(error.message == "unknown customer 'nobody' (see 'sop customers')")
        }
    }

    /// On a server, reads that find the connection busy run on extra connections (at most one
    /// per core, kept for later reads), and each sees the same committed state; a closed store
    /// drops them.
    @Test func concurrentReadsOnAServerShareAFewConnections() throws {
        let test = try TestStore.withAcme(postgreSQL: true)
        let expected = try test.store.customerPage(slug: "acme", activityLimit: 10).report
        let mismatches = Counter()
        DispatchQueue.concurrentPerform(iterations: 64) { _ in
            let page = try? test.store.customerPages(slugs: ["acme"], activityLimit: 10).first
            if page?.report != expected { mismatches.add() }
        }
        #expect(mismatches.value == 0)
        let count = """
            SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
            """
        let open =
            Int(
                try TestEngine.psql(count, tracker: test.trackerLocation).trimmingCharacters(
                    in: .whitespacesAndNewlines)) ?? -1
        let cores = ProcessInfo.processInfo.activeProcessorCount
        // 64 reads on every core contend for the first connection: at least one more was opened.
        #expect(open >= min(2, cores) && open <= 1 + cores)
        test.store.close()
        #expect(throws: StoreError.self) { try test.store.customerPages(slugs: ["acme"], activityLimit: 10) }
    }
}

/// A thread-safe tally.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func add() { lock.withLock { count += 1 } }
}
