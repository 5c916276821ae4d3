import Foundation
import GRDB
import SOPCore
import TestSupport
import Testing

@testable import SOPStore

@Suite struct CustomerTests {
    @Test func createPinsTemplateAndRecordsConditionalItemsNotApplicable() throws {
        let test = try TestStore.withAcme()
        let report = try test.store.customerReport(slug: "acme")
        #expect(
            report.template
                == TemplatePin(
                    id: "aws-account", version: "1.0.0", sha256: String(repeating: "a", count: 64),
                    title: "AWS account"))
        #expect(report.items.count == 6)
        let baa = try #require(report.items.first { $0.id == "hipaa-baa" })
        #expect(baa.status == .notApplicable)
        #expect(baa.reason == "applies only when compliance has hipaa")
        #expect(report.summary.total == 6 && report.summary.notApplicable == 1 && report.summary.todo == 5)
        #expect(report.nextActions.first == "root-email")
        #expect(!report.nextActions.contains("root-mfa"))  // depends on root-email
    }

    @Test func hipaaCustomerGetsHipaaItems() throws {
        let test = try TestStore.withAcme(compliance: ["HIPAA"])
        let report = try test.store.customerReport(slug: "acme")
        #expect(report.items.first { $0.id == "hipaa-baa" }?.status == .todo)
        #expect(report.customer.compliance == ["hipaa"])
    }

    @Test func badCustomerInputIsRefused() throws {
        let test = try TestStore.withAcme()
        let template = sampleTemplate()
        let cases: [NewCustomer] = [
            NewCustomer(slug: "acme", name: "Again", email: "a@b.example"),
            NewCustomer(slug: "Bad Slug", name: "X", email: "a@b.example"),
            NewCustomer(slug: "x", name: "X", email: "not-an-email"),
            NewCustomer(slug: "x", name: "X", email: "a@b.example", due: "2026-02-30"),
            NewCustomer(slug: "x", name: "X", email: "a@b.example", regions: ["europe"]),
            NewCustomer(
                slug: "x", name: "X", email: "a@b.example", awsProfile: "p", roleArn: "arn:aws:iam::123456789012:role/R"
            ),
            NewCustomer(slug: "x", name: "X", email: "a@b.example", externalId: "abc"),
            NewCustomer(slug: "x", name: "X", email: "a@b.example", parameters: ["nope=1"]),
            NewCustomer(slug: "x", name: "X", email: "a@b.example", parameters: ["password_min_length=many"]),
            NewCustomer(slug: "x", name: "X 4111 1111 1111 1111", email: "a@b.example"),
            NewCustomer(slug: "x", name: "X", email: "a@b.example", address: "Main St, card 4111111111111111"),
        ]
        for new in cases {
            #expect(throws: StoreError.self) { try test.store.createCustomer(new, template: template, by: "dana") }
        }
        #expect(try test.store.customers().map(\.slug) == ["acme"])
        #expect(try test.store.log(customer: "acme").count == 1)
    }

    @Test func parametersAreTypedByTheirDefaults() throws {
        let test = try TestStore()
        let info = try test.store.createCustomer(
            NewCustomer(
                slug: "globex", name: "Globex", email: "root@globex.example",
                roleArn: "arn:aws:iam::123456789012:role/SOPAudit",
                externalId: "ext-1", parameters: ["password_min_length=16"]),
            template: sampleTemplate(), by: "dana")
        #expect(info.parameters["password_min_length"] == .integer(16))
        #expect(info.roleArn == "arn:aws:iam::123456789012:role/SOPAudit")
    }

    @Test func refusesFilesThatAreNotSOPDatabases() throws {
        let directory = TemporaryDirectory("sop-store")
        let garbage = try directory.write("garbage.sqlite", String(repeating: "not a database ", count: 100))
        #expect(throws: StoreError.self) { try Store.open(path: garbage.path) }
        let other = directory.path("other.sqlite").path
        try DatabaseQueue(path: other).write { try $0.execute(sql: "CREATE TABLE notes (body TEXT)") }
        #expect(throws: StoreError.self) { try Store.open(path: other) }
        #expect(throws: StoreError.self) { try Store.open(path: directory.url.path) }
    }

    @Test func defaultPathFollowsXDG() {
        #expect(Store.defaultPath(environment: ["XDG_DATA_HOME": "/x"]) == "/x/sop/sop.sqlite")
        #expect(Store.defaultPath(environment: ["HOME": "/home/d"]) == "/home/d/.local/share/sop/sop.sqlite")
    }
}

@Suite struct ItemWorkflowTests {
    @Test func doneNeedsEvidenceAndDependencies() throws {
        let test = try TestStore.withAcme()
        let store = test.store
        #expect(throws: StoreError.self) {
            try store.mark(customer: "acme", item: "root-email", status: .done, by: "dana")
        }
        try store.addEvidence(
            customer: "acme", item: "root-email", content: .note("root is aws-root@acme.example"), by: "dana")
        try store.mark(customer: "acme", item: "root-email", status: .done, by: "dana")

        do {
            try store.mark(customer: "acme", item: "root-vault", status: .done, by: "dana")
            Issue.record("done without evidence accepted")
        } catch let error as StoreError {
            #expect(error.message.contains("note"))
            #expect(error.message.contains("check"))
        }
        try store.mark(
            customer: "acme", item: "root-vault", status: .done, reason: "checked by hand", force: true, by: "dana")
        let event = try #require(try store.log(customer: "acme").last)
        #expect(event.after.contains("forced_over"))
        let report = try store.customerReport(slug: "acme")
        #expect(report.items.first { $0.id == "root-vault" }?.missingEvidence == ["note", "check (run 'sop verify')"])
    }

    @Test func blockedAndNotApplicableNeedReasons() throws {
        let test = try TestStore.withAcme()
        #expect(throws: StoreError.self) {
            try test.store.mark(customer: "acme", item: "root-email", status: .blocked, by: "d")
        }
        #expect(throws: StoreError.self) {
            try test.store.mark(customer: "acme", item: "root-email", status: .notApplicable, by: "d")
        }
        #expect(throws: StoreError.self) {
            try test.store.mark(customer: "acme", item: "root-email", status: .failed, by: "d")
        }
        #expect(throws: StoreError.self) {
            try test.store.mark(customer: "nope", item: "root-email", status: .todo, by: "d")
        }
        #expect(throws: StoreError.self) { try test.store.mark(customer: "acme", item: "nope", status: .todo, by: "d") }
        try test.store.mark(
            customer: "acme", item: "root-email", status: .blocked, reason: "waiting for customer", by: "d")
        #expect(try test.store.portfolio().first?.blocked == 1)
    }

    @Test func assignWithDueMakesOverdue() throws {
        let test = try TestStore.withAcme()
        try test.store.assign(customer: "acme", item: "order-form", to: "sam", due: "2026-03-01", by: "dana")
        #expect(throws: StoreError.self) {
            try test.store.assign(customer: "acme", item: "order-form", to: "sam", due: "03/01/2026", by: "d")
        }
        let report = try test.store.customerReport(slug: "acme")
        let item = try #require(report.items.first { $0.id == "order-form" })
        #expect(item.assignee == "sam" && item.due == "2026-03-01" && item.overdue)
        #expect(try test.store.portfolio().first?.overdue == 1)
    }
}

@Suite struct EvidenceTests {
    @Test func filesAreDeduplicatedAndReadBackExactly() throws {
        let test = try TestStore.withAcme()
        let bytes = Data((0..<4096).map { UInt8($0 % 251) })
        let a = try test.store.addEvidence(
            customer: "acme", item: "order-form", content: .file(name: "order.pdf", data: bytes), by: "dana")
        let b = try test.store.addEvidence(
            customer: "acme", item: "root-email", content: .file(name: "copy.pdf", data: bytes), by: "dana")
        #expect(a.id == "E1" && b.id == "E2")
        #expect(a.sha256 == b.sha256 && a.mediaType == "application/pdf" && a.size == 4096)
        let blobs = try test.store.read { try $0.integer("SELECT COUNT(*) FROM blob", []) }
        #expect(blobs == 1)
        let (info, data) = try test.store.evidenceContent(customer: "acme", evidence: "e1")
        #expect(data == bytes && info.fileName == "order.pdf")
    }

    @Test func secretsAndBadInputAreRefused() throws {
        let test = try TestStore.withAcme()
        let store = test.store
        let bad: [EvidenceContent] = [
            .note("card 4111 1111 1111 1111"), .note("   "), .link("not a url"), .link("https://u:pw@host.example/x"),
            .file(
                name: "creds.txt",
                data: Data("[default]\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n".utf8)),
        ]
        for content in bad {
            #expect(throws: StoreError.self) {
                try store.addEvidence(customer: "acme", item: "root-email", content: content, by: "d")
            }
        }
        #expect(throws: StoreError.self) {
            try store.addEvidence(
                customer: "acme", item: "root-email", content: .note("ok"), by: "d", expires: "tomorrow")
        }
        #expect(try store.evidence(customer: "acme").isEmpty)
    }

    @Test func sizeCapIsEnforced() throws {
        let test = try TestStore(maxEvidenceBytes: 100)
        try test.store.createCustomer(
            NewCustomer(slug: "acme", name: "Acme", email: "r@acme.example"), template: sampleTemplate(), by: "d")
        do {
            try test.store.addEvidence(
                customer: "acme", item: "order-form", content: .file(name: "big.bin", data: Data(count: 101)), by: "d")
            Issue.record("oversized file accepted")
        } catch let error as StoreError {
            #expect(error.message.contains("larger than the evidence limit"))
        }
        let file = test.directory.path("big.bin")
        try Data(count: 200).write(to: file)
        #expect(throws: StoreError.self) { try EvidenceFile.load(path: file.path, maxBytes: 100) }
        #expect(throws: StoreError.self) { try EvidenceFile.load(path: test.directory.url.path, maxBytes: 100) }
        #expect(throws: StoreError.self) {
            try EvidenceFile.load(path: test.directory.path("missing").path, maxBytes: 100)
        }
    }

    @Test func retractKeepsTheRow() throws {
        let test = try TestStore.withAcme()
        let e = try test.store.addEvidence(
            customer: "acme", item: "root-email", content: .note("root@acme"), by: "dana")
        #expect(throws: StoreError.self) {
            try test.store.retractEvidence(customer: "acme", evidence: e.id, reason: " ", by: "d")
        }
        try test.store.retractEvidence(customer: "acme", evidence: e.id, reason: "wrong address", by: "dana")
        #expect(throws: StoreError.self) {
            try test.store.retractEvidence(customer: "acme", evidence: e.id, reason: "again", by: "d")
        }
        let rows = try test.store.evidence(customer: "acme")
        #expect(rows.count == 1 && rows[0].retractedReason == "wrong address")
        #expect(throws: StoreError.self) {
            try test.store.mark(customer: "acme", item: "root-email", status: .done, by: "d")
        }
    }
}

@Suite struct SignoffTests {
    @Test func signoffGoesStaleWhenEvidenceChanges() throws {
        let test = try TestStore.withAcme()
        let store = test.store
        try store.addEvidence(customer: "acme", item: "root-vault", content: .note("in the vault"), by: "sam")
        #expect(throws: StoreError.self) {
            try store.signoff(customer: "acme", target: "3", role: "Project Manager", by: "dana")
        }
        #expect(throws: StoreError.self) {
            try store.signoff(customer: "acme", target: "5", role: "Security Lead", by: "priya")
        }
        #expect(throws: StoreError.self) {
            try store.signoff(customer: "acme", target: "99", role: "Security Lead", by: "priya")
        }
        // Not while its items are open; once they are done, yes.
        #expect(throws: StoreError.self) {
            try store.signoff(customer: "acme", target: "3", role: "security lead", by: "priya")
        }
        try settle(store, section: "3")
        let s = try store.signoff(customer: "acme", target: "3", role: "security lead", by: "priya")
        #expect(s.role == "Security Lead" && s.state == .valid)
        #expect(try store.customerReport(slug: "acme").signoffs.first?.state == .valid)

        try store.addEvidence(customer: "acme", item: "root-mfa", content: .note("screenshot taken"), by: "sam")
        #expect(try store.customerReport(slug: "acme").signoffs.first?.state == .stale)
        try store.signoff(customer: "acme", target: "3", role: "Security Lead", by: "priya")
        #expect(try store.customerReport(slug: "acme").signoffs.first?.state == .valid)

        try store.revokeSignoff(customer: "acme", target: "3", role: "Security Lead", reason: "re-check", by: "priya")
        let states = try store.customerReport(slug: "acme").signoffs.map(\.state)
        #expect(states.first == .revoked)
    }

    @Test func itemSignoffAppearsOnItem() throws {
        let test = try TestStore.withAcme()
        var item = try #require(try test.store.customerReport(slug: "acme").items.first { $0.id == "order-form" })
        #expect(item.signoffs.map(\.state) == [.missing])
        #expect(throws: StoreError.self) {
            try test.store.signoff(customer: "acme", target: "order-form", role: "Project Manager", by: "dana")
        }
        try test.store.mark(customer: "acme", item: "order-form", status: .inProgress, by: "dana")
        try test.store.signoff(customer: "acme", target: "order-form", role: "Project Manager", by: "dana", note: "ok")
        item = try #require(try test.store.customerReport(slug: "acme").items.first { $0.id == "order-form" })
        #expect(item.signoffs.map(\.state) == [.valid])
        // Reopened, the work it approved is no longer there: the sign-off no longer stands.
        try test.store.mark(customer: "acme", item: "order-form", status: .todo, by: "dana")
        item = try #require(try test.store.customerReport(slug: "acme").items.first { $0.id == "order-form" })
        #expect(item.signoffs.map(\.state) == [.stale])
    }

    @Test func aSectionSignoffNoLongerStandsWhenAnItemIsReopened() throws {
        let test = try TestStore.withAcme()
        try settle(test.store, section: "3")
        try test.store.signoff(customer: "acme", target: "3", role: "Security Lead", by: "priya")
        #expect(try test.store.customerReport(slug: "acme").signoffs.first?.state == .valid)
        try test.store.mark(customer: "acme", item: "root-mfa", status: .todo, by: "dana")
        #expect(try test.store.customerReport(slug: "acme").signoffs.first?.state == .stale)
        let error = #expect(throws: StoreError.self) {
            try test.store.signoff(customer: "acme", target: "3", role: "Security Lead", by: "priya")
        }
        #expect(error?.message == "cannot sign off section 3 yet: 1 item(s) not done (root-mfa todo)")
    }
}
