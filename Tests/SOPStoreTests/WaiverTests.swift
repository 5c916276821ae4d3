import Foundation
import SOPCore
import TestSupport
import Testing

@testable import SOPStore

/// Waivers: the state machine, separation of duties, fail-closed dates and expiry on an
/// injected clock, each change an audit event the chain verifies.
@Suite struct WaiverTests {
    static let checks: Set<String> = ["iam_root_mfa_enabled", "iam_password_policy_strong"]

    func request(
        _ store: Store, _ target: String = "root-mfa", expires: String = "2026-03-31", resources: [String] = [],
        by: String = "dana"
    ) throws -> WaiverInfo {
        try store.requestWaiver(
            WaiverRequest(
                customer: "acme", target: target, reason: "key on order", expires: expires, resources: resources),
            checks: Self.checks, by: by)
    }

    /// The same tracker with the clock at `now` (a later day).
    func reopened(_ test: TestStore, at now: String) throws -> Store {
        let date = try #require(Timestamps.parseInstant(now))
        switch TrackerLocation(test.trackerLocation) {
        case .server(let connection): return try Store.open(server: connection, now: { date })
        case .file(let path): return try Store.open(path: path, now: { date })
        }
    }

    @Test func requestedThenApprovedByAnotherRoleHolderThenRevoked() throws {
        let test = try TestStore.withAcme()
        let store = test.store
        let waiver = try request(store)
        #expect(waiver.id == "W-1")
        #expect(waiver.recordedState == .requested)
        #expect(waiver.state(today: "2026-03-02") == .requested)
        let approved = try store.decideWaiver(
            customer: "acme", id: "W-1", decision: .approve, role: "security lead", note: "ok", by: "pat")
        #expect(approved.recordedState == .approved)
        #expect(approved.decidedRole == "Security Lead", "the template's spelling of the role")
        #expect(approved.decidedBy == "pat")
        let revoked = try store.decideWaiver(
            customer: "acme", id: "1", decision: .revoke, role: nil, note: "fixed", by: "pat")
        #expect(revoked.recordedState == .revoked)
        #expect(try store.waivers(customer: "acme").map(\.recordedState) == [.revoked])
        let actions = try store.log(customer: "acme").map(\.action).filter { $0.hasPrefix("waiver.") }
        #expect(actions == ["waiver.request", "waiver.approve", "waiver.revoke"])
        #expect(try store.verifyAudit().problems == [])
    }

    @Test func theRequesterMayNotDecideAndOnlyTheTemplatesRolesMay() throws {
        let test = try TestStore.withAcme()
        let store = test.store
        _ = try request(store, by: "dana")
        let before = try store.log(customer: "acme").count
        #expect(throws: StoreError.self) {
            try store.decideWaiver(
                customer: "acme", id: "W-1", decision: .approve, role: "Security Lead", note: nil, by: "Dana")
        }
        // Section 3 (root-mfa's) is signed off by the Security Lead only.
        #expect(throws: StoreError.self) {
            try store.decideWaiver(
                customer: "acme", id: "W-1", decision: .approve, role: "Project Manager", note: nil, by: "pat")
        }
        #expect(throws: StoreError.self) {
            try store.decideWaiver(customer: "acme", id: "W-1", decision: .approve, role: nil, note: nil, by: "pat")
        }
        // password-policy (section 5) names no sign-off role: nobody may approve its waiver.
        _ = try request(store, "password-policy")
        #expect(throws: StoreError.self) {
            try store.decideWaiver(
                customer: "acme", id: "W-2", decision: .approve, role: "Security Lead", note: nil, by: "pat")
        }
        #expect(try store.log(customer: "acme").count == before + 1, "only the second request was recorded")
    }

    @Test func decisionsFollowTheStateMachine() throws {
        let test = try TestStore.withAcme()
        let store = test.store
        _ = try request(store)
        try store.decideWaiver(
            customer: "acme", id: "W-1", decision: .reject, role: "Security Lead", note: nil, by: "pat")
        for decision in WaiverInfo.Decision.allCases {
            #expect(throws: StoreError.self, "\(decision) after reject") {
                try store.decideWaiver(
                    customer: "acme", id: "W-1", decision: decision, role: "Security Lead", note: nil, by: "pat")
            }
        }
        _ = try request(store)
        #expect(throws: StoreError.self, "a requested waiver cannot be revoked") {
            try store.decideWaiver(customer: "acme", id: "W-2", decision: .revoke, role: nil, note: nil, by: "pat")
        }
        for bad in ["W-9", "X-1", "W-", "", "W-1e3", "-1"] {
            #expect(throws: StoreError.self, "\(bad)") {
                try store.decideWaiver(
                    customer: "acme", id: bad, decision: .approve, role: "Security Lead", note: nil, by: "pat")
            }
        }
        // Every transition of the table, and nothing else.
        for state in WaiverInfo.State.allCases {
            for decision in WaiverInfo.Decision.allCases {
                let expected: WaiverInfo.State? =
                    switch (decision, state) {
                    case (.approve, .requested): .approved
                    case (.reject, .requested): .rejected
                    case (.revoke, .approved): .revoked
                    default: nil
                    }
                #expect(decision.next(from: state) == expected)
            }
        }
    }

    @Test func datesFailClosed() throws {
        let test = try TestStore.withAcme()
        let store = test.store
        for bad in ["2026-02-30", "2026-13-01", "26-03-31", "2026-3-31", "tomorrow", "2026-03-31T00:00:00Z", ""] {
            #expect(throws: StoreError.self, "\(bad)") { try request(store, expires: bad) }
        }
        #expect(throws: StoreError.self, "yesterday") { try request(store, expires: "2026-03-01") }
        #expect(throws: StoreError.self, "unknown target") { try request(store, "no-such-item") }
        #expect(throws: StoreError.self, "a secret in the reason") {
            try store.requestWaiver(
                WaiverRequest(
                    customer: "acme", target: "root-mfa", reason: "key AKIAIOSFODNN7EXAMPLE", expires: "2026-03-31"),
                checks: Self.checks, by: "dana")
        }
        #expect(try store.waivers(customer: "acme").isEmpty)
        #expect(try request(store, expires: "2026-03-02").expires == "2026-03-02", "today is allowed: inclusive")
    }

    @Test func anApprovedWaiverExpiresAfterItsLastDayAndTheExpiryIsAnEvent() throws {
        let test = try TestStore.withAcme()
        _ = try request(test.store, expires: "2026-03-31")
        try test.store.decideWaiver(
            customer: "acme", id: "W-1", decision: .approve, role: "Security Lead", note: nil, by: "pat")
        let lastDay = try reopened(test, at: "2026-03-31T23:59:59Z")
        #expect(try lastDay.recordExpiredWaivers().isEmpty, "the expiry date is inclusive")
        let waiver = try #require(try lastDay.waivers(customer: "acme").first)
        #expect(waiver.state(today: "2026-03-31") == .approved)
        #expect(waiver.state(today: "2026-04-01") == .expired, "expired in every view before it is recorded")
        lastDay.close()

        let dayAfter = try reopened(test, at: "2026-04-01T00:00:00Z")
        let expired = try dayAfter.recordExpiredWaivers()
        #expect(expired.map(\.id) == ["W-1"])
        #expect(try dayAfter.recordExpiredWaivers().isEmpty, "recorded once")
        let event = try #require(try dayAfter.log(customer: "acme").last)
        #expect(event.action == "waiver.expire")
        #expect(event.actor == "sop")
        #expect(try dayAfter.waivers(customer: "acme").first?.recordedState == .expired)
        #expect(throws: StoreError.self, "an expired waiver cannot be revoked") {
            try dayAfter.decideWaiver(
                customer: "acme", id: "W-1", decision: .revoke, role: nil, note: nil, by: "pat")
        }
        #expect(try dayAfter.verifyAudit().problems == [])
        dayAfter.close()
    }

    @Test func aWaiverCoversOnlyWhatItNames() {
        let waiver = WaiverInfo(
            id: "W-1", customer: "acme", target: "ec2_sg", targetKind: "check", region: "eu-west-1",
            resources: ["sg-1", "sg-2"], reason: "r", expires: "2026-03-31", recordedState: .approved,
            requestedBy: "dana", requestedAt: "")
        func covers(
            _ resources: [String] = ["sg-1"], check: String = "ec2_sg", region: String? = "eu-west-1",
            today: String = "2026-03-02", items: [String] = ["net.sg"]
        ) -> Bool {
            waiver.covers(check: check, items: items, region: region, resources: resources, today: today)
        }
        #expect(covers())
        #expect(covers(["sg-1", "sg-2"]))
        #expect(!covers(["sg-1", "sg-3"]), "a resource the waiver does not list")
        #expect(!covers([]), "a failure naming no resource, for a waiver of particular resources")
        #expect(!covers(region: "us-east-1"))
        #expect(!covers(region: nil))
        #expect(!covers(check: "other_check"))
        #expect(covers(today: "2026-03-31"))
        #expect(!covers(today: "2026-04-01"))
        var item = waiver
        item.targetKind = "item"
        item.target = "net.sg"
        item.region = nil
        item.resources = []
        #expect(item.covers(check: "any", items: ["net.sg"], region: nil, resources: [], today: "2026-03-02"))
        #expect(!item.covers(check: "any", items: ["other"], region: nil, resources: [], today: "2026-03-02"))
        for state in [WaiverInfo.State.requested, .rejected, .revoked, .expired] {
            item.recordedState = state
            #expect(!item.covers(check: "any", items: ["net.sg"], region: nil, resources: [], today: "2026-03-02"))
        }
    }

    @Test func aBaselineIsTheRunAtTheLatestSignoffOrTheOneNamed() throws {
        let test = try TestStore.withAcme()
        let store = test.store
        #expect(throws: StoreError.self, "no sign-off and no run named") {
            try store.setBaseline(customer: "acme", run: nil, by: "pat")
        }
        let run = VerificationRun(
            account: "123456789012", regions: ["eu-west-1"], startedAt: Date(), finishedAt: Date(), callsMade: 1,
            results: [
                CheckResultRecord(checkId: "iam_root_mfa_enabled", itemIds: ["root-mfa"], outcome: .pass, summary: "on")
            ])
        try store.recordCheckResults(customer: "acme", run: run, by: "sam")
        try store.addEvidence(
            customer: "acme", item: "order-form", content: .file(name: "o.pdf", data: Data([1])), by: "dana")
        try store.mark(customer: "acme", item: "order-form", status: .done, by: "dana")
        try store.signoff(customer: "acme", target: "order-form", role: "Project Manager", by: "pat")
        #expect(try store.setBaseline(customer: "acme", run: nil, by: "pat").run.id == "V1")
        try store.recordCheckResults(customer: "acme", run: run, by: "sam")
        #expect(try store.setBaseline(customer: "acme", run: "V2", by: "pat").run.id == "V2")
        #expect(try store.baseline(customer: "acme")?.run.id == "V2")
        for bad in ["V9", "2x", "", "V-"] {
            #expect(throws: StoreError.self, "\(bad)") { try store.setBaseline(customer: "acme", run: bad, by: "pat") }
        }
        #expect(try store.log(customer: "acme").filter { $0.action == "baseline.set" }.count == 2)
        #expect(try store.verifyAudit().problems == [])
    }
}
