import Foundation
import SOPCore
import Testing

@testable import SOPStore

/// The hand-written fast paths agree with Foundation's ISO-8601 formatter.
@Suite struct TimestampsTests {
    @Test func formatAndParseRoundTripAgainstFoundation() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        for seconds in stride(from: -2_208_988_800.0, through: 4_102_444_800.0, by: 7_777_777.7) {
            let date = Date(timeIntervalSince1970: seconds.rounded(.down))
            let text = Timestamps.string(date)
            #expect(text == formatter.string(from: date))
            #expect(Timestamps.parseInstant(text) == date)
        }
    }

    @Test func rejectsImpossibleStoredTimes() {
        for text in ["2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:00:00X"] {
            #expect(Timestamps.parseStored(text) == nil, "\(text)")
        }
        #expect(Timestamps.parseInstant("2024-02-29T12:30:45Z") != nil)
        #expect(Timestamps.parseInstant("2026-03-02T09:00:00.5Z") != nil, "fractional seconds still parse")
    }
}
