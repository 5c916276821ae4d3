import Foundation
import SOPCore
import Testing

@testable import SOPStore

/// A version that brings back a retired id restores that item with its history (issue 11,
/// class 10b): the dry run and the real upgrade agree, and nothing hits a unique constraint.
@Suite struct RestoredItemTests {
    func version(_ v: String, _ items: [Item]) -> Template {
        Template(
            id: "back", version: SemanticVersion(v) ?? SemanticVersion(0, 0, 0), title: "Back", roles: [],
            releaseNotes: nil, parameters: [],
            sections: [Section(number: "1", title: "Only", level: 2, position: .start)],
            items: items + [Item(id: "keep", section: "1", title: "Kept", evidence: [.note])], path: "", sha256: v,
            body: "")
    }

    @Test func aRetiredIdThatComesBackIsRestoredWithItsEvidence() throws {
        let test = try TestStore()
        let gone = Item(id: "gone", section: "1", title: "Gone for a while", evidence: [.note])
        let v1 = version("1.0.0", [gone])
        let v2 = version("1.1.0", [])
        let v3 = version("1.2.0", [gone])
        try test.store.createCustomer(
            NewCustomer(slug: "acme", name: "Acme", email: "a@acme.example"), template: v1, by: "dana")
        try test.store.addEvidence(customer: "acme", item: "gone", content: .note("seen on a call"), by: "dana")
        try test.store.mark(customer: "acme", item: "gone", status: .done, by: "dana")
        try test.store.upgrade(customer: "acme", to: v2, by: "dana")
        #expect(!(try test.store.customerReport(slug: "acme")).items.contains { $0.id == "gone" })
        let dry = try test.store.upgrade(customer: "acme", to: v3, by: "dana", dryRun: true)
        #expect(dry.changed.contains { $0.id == "gone" && $0.statusBefore == "archived" })
        let real = try test.store.upgrade(customer: "acme", to: v3, by: "dana")
        #expect(real == dry, "the dry run said what the upgrade did")
        let item = try #require(try test.store.customerReport(slug: "acme").items.first { $0.id == "gone" })
        #expect(item.status == .done, "its evidence is still there, so it is still done")
        #expect(item.evidence.contains { $0.text == "seen on a call" })
        #expect(try test.store.verifyAudit().problems.isEmpty)
    }

    /// A rename that keeps the requirements keeps a forced decision (issue 11, class 10c).
    @Test func anItemForcedDoneStaysDoneThroughARenameThatKeepsItsRequirements() throws {
        let test = try TestStore()
        let old = Item(id: "old-name", section: "1", title: "Old name", evidence: [.file])
        var renamed = Item(id: "new-name", section: "1", title: "New name", evidence: [.file])
        renamed.replaces = ["old-name"]
        try test.store.createCustomer(
            NewCustomer(slug: "acme", name: "Acme", email: "a@acme.example"), template: version("1.0.0", [old]),
            by: "dana")
        try test.store.mark(
            customer: "acme", item: "old-name", status: .done, reason: "paper copy seen on site", force: true,
            by: "dana")
        try test.store.upgrade(customer: "acme", to: version("1.1.0", [renamed]), by: "dana")
        let item = try #require(try test.store.customerReport(slug: "acme").items.first { $0.id == "new-name" })
        #expect(item.status == .done)
        #expect(item.reason == "paper copy seen on site")
        #expect(try test.store.verifyAudit().problems.isEmpty)
    }

    /// An item kept by id that now `replaces` a retired one takes its history, as the diff says
    /// (issue 11, class 10a).
    @Test func anExistingItemThatNowReplacesARetiredOneTakesItsHistory() throws {
        let test = try TestStore()
        let a = Item(id: "a", section: "1", title: "A", evidence: [.note])
        let b = Item(id: "b", section: "1", title: "B", evidence: [.note])
        var b2 = b
        b2.replaces = ["a"]
        try test.store.createCustomer(
            NewCustomer(slug: "acme", name: "Acme", email: "a@acme.example"), template: version("1.0.0", [a, b]),
            by: "dana")
        try test.store.addEvidence(customer: "acme", item: "a", content: .note("a was done on site"), by: "dana")
        try test.store.mark(customer: "acme", item: "a", status: .done, by: "dana")
        let v2 = version("1.1.0", [b2])
        let diff = TemplateDiff(from: version("1.0.0", [a, b]), to: v2)
        #expect(!diff.renderText().isEmpty)
        let plan = try test.store.upgrade(customer: "acme", to: v2, by: "dana")
        #expect(plan.inherited.contains { $0.id == "b" && $0.inheritsFrom == ["a"] && $0.evidenceCarried == 1 })
        let item = try #require(try test.store.customerReport(slug: "acme").items.first { $0.id == "b" })
        #expect(item.status == .done, "b was untouched: it takes a's status")
        #expect(item.evidence.contains { $0.text == "a was done on site" })
        #expect(!(try test.store.customerReport(slug: "acme")).items.contains { $0.id == "a" })
        #expect(try test.store.verifyAudit().problems.isEmpty)
    }
}
