import Foundation
import Testing
@testable import SOPStore

@Suite struct TimestampsTests {
    @Test(arguments: ["2026-02-30", "2026-13-01", "2026-1-01", "26-01-01", "2026/01/01", "tomorrow", "", "2026-01-01T"])
    func badDaysAreRefused(text: String) {
        #expect(Timestamps.parseDay(text) == nil)
        #expect(throws: StoreError.self) { try Timestamps.validatedDay(text, option: "--due") }
    }

    @Test func daysAndInstantsRoundTrip() throws {
        #expect(Timestamps.parseDay("2028-02-29") != nil)
        let instant = try #require(Timestamps.parseInstant("2026-03-02T09:00:00Z"))
        #expect(Timestamps.string(instant) == "2026-03-02T09:00:00Z")
        #expect(Timestamps.day(instant) == "2026-03-02")
        #expect(Timestamps.parseInstant("2026-03-02T10:00:00+01:00") == instant)
        #expect(Timestamps.parseInstant("2026-03-02T09:00:00.250Z") != nil)
        #expect(Timestamps.string(try #require(Timestamps.parseInstant("2026-03-02"))) == "2026-03-02T00:00:00Z")
    }

    @Test func statusesParseAsUsersTypeThem() {
        #expect(ItemStatus(userText: "n/a") == .notApplicable)
        #expect(ItemStatus(userText: "NA") == .notApplicable)
        #expect(ItemStatus(userText: "in-progress") == .inProgress)
        #expect(ItemStatus(userText: "finished") == nil)
        #expect(EvidenceInfo.number(from: "E12") == 12 && EvidenceInfo.number(from: "12") == 12)
        #expect(EvidenceInfo.number(from: "E") == nil && EvidenceInfo.number(from: "E-1") == nil && EvidenceInfo.number(from: "E0") == nil)
    }
}
