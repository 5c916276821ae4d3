import Testing

@testable import SOPCore

@Suite struct SemanticVersionTests {
    @Test func parsesAndOrders() throws {
        let versions = ["1.0.0", "1.1.0", "1.0.1", "2.0.0-rc.1", "2.0.0", "1.10.0"].compactMap(SemanticVersion.init)
        #expect(versions.count == 6)
        #expect(versions.sorted().map(\.description) == ["1.0.0", "1.0.1", "1.1.0", "1.10.0", "2.0.0-rc.1", "2.0.0"])
    }

    @Test(arguments: ["1", "1.0", "1.0.0.0", "v1.0.0", "01.0.0", "1.0.0-", "a.b.c", "1.0.-1", "99999999999.0.0"])
    func rejects(_ text: String) {
        #expect(SemanticVersion(text) == nil)
    }
}
