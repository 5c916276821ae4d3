import Foundation

/// Text forms of instants and calendar days, as the database stores them.
///
/// Instants are ISO-8601 in UTC to the second (`2026-03-02T09:00:00Z`), days are
/// `YYYY-MM-DD`; both sort correctly as text, which the SQL relies on.
public enum Timestamps {
    /// `2026-03-02T09:00:00Z`.
    public static func string(_ date: Date) -> String {
        let c = utcCalendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year ?? 0, c.month ?? 0, c.day ?? 0,
                      c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }

    /// The calendar day of an instant in UTC, `2026-03-02`.
    public static func day(_ date: Date) -> String { String(string(date).prefix(10)) }

    /// Parses `2026-03-02T09:00:00Z`, with fractional seconds or a numeric offset, or a bare day.
    public static func parseInstant(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let day = parseDay(trimmed) { return day }
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        if let date = plain.date(from: trimmed) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: trimmed)
    }

    /// Parses a strict `YYYY-MM-DD` that names a real day (no `2026-02-30`).
    public static func parseDay(_ text: String) -> Date? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), (1...31).contains(d)
        else { return nil }
        var components = DateComponents()
        components.year = y
        components.month = m
        components.day = d
        guard let date = utcCalendar.date(from: components),
              utcCalendar.component(.day, from: date) == d, utcCalendar.component(.month, from: date) == m
        else { return nil }
        return date
    }

    /// Checks a user-given day and returns it normalised, or throws a one-line error naming it.
    public static func validatedDay(_ text: String, option: String) throws(StoreError) -> String {
        guard parseDay(text) != nil else {
            throw .badInput("\(option): '\(text)' is not a date (expected YYYY-MM-DD)")
        }
        return text
    }

    static let utcCalendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        return calendar
    }()
}
