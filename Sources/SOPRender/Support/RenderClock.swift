import Foundation
import SOPCore

/// "Now" for rendered documents, injectable so golden files stay byte-identical.
///
/// `SOP_NOW` (ISO-8601, e.g. `2026-05-04T09:00:00Z` or `2026-05-04`) overrides the
/// system clock; an unparsable value is an error rather than silently "now".
public enum RenderClock {
    public static func now(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Date {
        guard let text = environment["SOP_NOW"], !text.isEmpty else { return Date() }
        guard let date = RenderDate.parse(text) else {
            throw RenderError(
                "SOP_NOW '\(UserText.line(text).prefix(60))' is not an ISO-8601 date (use 2026-05-04T09:00:00Z)")
        }
        return date
    }
}

/// Date formats used in every output: UTC, so a packet reads the same everywhere.
public enum RenderDate {
    // Both cut the stored form `2026-05-04T09:00:00Z` (Timestamps formats it by arithmetic):
    // pages show thousands of dates, and Calendar plus String(format:) cost microseconds each.

    /// `2026-05-04`
    public static func day(_ date: Date) -> String {
        String(Timestamps.string(date).prefix(10))
    }

    /// `2026-05-04 09:00 UTC`
    public static func minute(_ date: Date) -> String {
        let stamp = Timestamps.string(date).utf8
        return String(decoding: stamp.prefix(10), as: UTF8.self) + " "
            + String(decoding: stamp.dropFirst(11).prefix(5), as: UTF8.self) + " UTC"
    }

    public static func parse(_ text: String) -> Date? {
        let full = ISO8601DateFormatter()
        if let d = full.date(from: text) { return d }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = fractional.date(from: text) { return d }
        let dayOnly = ISO8601DateFormatter()
        dayOnly.formatOptions = [.withFullDate]
        return dayOnly.date(from: text)
    }
}

/// A rendering or publishing failure, reported to the user as one line.
public struct RenderError: Error, Sendable, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description.replacingOccurrences(of: "\n", with: " ") }
}
