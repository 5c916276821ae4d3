import Foundation
import SOPApp
import Testing

/// The portfolio `sop serve` shows: stale sign-off counts kept between builds are recounted
/// for exactly the customers that changed, and always equal a count made from scratch.
@Suite struct DashboardTests {
    @Test func keptStaleCountsFollowEveryChangeAndMatchAFullCount() throws {
        let fixture = try AppFixture()
        let app = fixture.app
        try fixture.customer("acme")
        try fixture.customer("globex")
        _ = try app.addEvidence(
            slug: "acme", item: "gov.access-control", input: .upload(name: "access.md", data: Data("admins\n".utf8)),
            by: nil, expires: nil, internal: false)
        _ = try app.mark(
            slug: "acme", item: "gov.access-control", state: "in-progress", reason: "test set-up", force: true, by: nil)
        _ = try app.signoff(
            slug: "acme", target: "gov.access-control", role: "Customer Stakeholder", by: "wile", note: nil)

        let counts = StaleSignoffCounts()
        func stale(_ rows: [DashboardRow]) -> [String: Int] {
            Dictionary(uniqueKeysWithValues: rows.map { ($0.slug, $0.staleSignoffs) })
        }
        #expect(stale(try app.dashboard(staleCounts: counts)) == ["acme": 0, "globex": 0])

        // New evidence moves the hash the sign-off pinned: stale at the next build.
        _ = try app.addEvidence(
            slug: "acme", item: "gov.access-control", input: .link("https://wiki.example/acme/access"), by: nil,
            expires: nil, internal: false)
        let kept = try app.dashboard(staleCounts: counts)
        #expect(stale(kept) == ["acme": 1, "globex": 0])
        #expect(kept.first { $0.slug == "acme" }?.status == "attention")
        #expect(kept == (try app.dashboard()), "the kept counts equal a count from scratch")

        // A customer created since is counted; a re-signed one is valid again.
        try fixture.customer("initech")
        _ = try app.signoff(
            slug: "acme", target: "gov.access-control", role: "Customer Stakeholder", by: "wile", note: nil)
        #expect(stale(try app.dashboard(staleCounts: counts)) == ["acme": 0, "globex": 0, "initech": 0])
        #expect(try app.dashboard(staleCounts: counts) == (try app.dashboard()))
    }

    @Test func theChangeCounterAndTheAccountComeFromOneRead() throws {
        let fixture = try AppFixture()
        let app = fixture.app
        try fixture.customer("acme")
        let start = try app.changeCounter()
        #expect(try app.changeCounter(member: "nobody") == (start, false))
        _ = try app.addUser(name: "priya", roles: ["Security Lead"], password: "correct horse battery", by: nil)
        #expect(try app.changeCounter(member: "priya") == (start + 1, true))
        try app.disableUser(name: "priya", by: nil)
        #expect(try app.changeCounter(member: "priya") == (start + 2, false))
    }
}
