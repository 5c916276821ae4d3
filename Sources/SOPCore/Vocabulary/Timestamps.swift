import Foundation
import SOPJSON

/// Text forms of instants and calendar days, as the database stores them.
///
/// Instants are ISO-8601 in UTC to the second (`2026-03-02T09:00:00Z`), days are
/// `YYYY-MM-DD`; both sort correctly as text, which the SQL relies on.
public enum Timestamps {
    /// `2026-03-02T09:00:00Z`: the canonical form's own date writer (civil-from-days arithmetic,
    /// because the renderer formats tens of thousands of these and Calendar/DateFormatter cost
    /// microseconds each), so what is stored and what is hashed cannot drift apart.
    public static func string(_ date: Date) -> String { ISO8601Seconds.string(date) }

    /// Days since 1970-01-01 → (year, month, day), proleptic Gregorian.
    public static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) { ISO8601Seconds.civil(fromDays: days) }

    /// (year, month, day) → days since 1970-01-01.
    public static func days(fromCivil y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The stored form `YYYY-MM-DDTHH:MM:SSZ`, parsed by hand (nil if it is not exactly that).
    public static func parseStored(_ text: String) -> Date? {
        let b = Array(text.utf8)
        guard b.count == 20, b[4] == 45, b[7] == 45, b[10] == 84, b[13] == 58, b[16] == 58, b[19] == 90 else {
            return nil
        }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for index in range {
                let digit = Int64(b[index]) - 48
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10), let h = number(11..<13),
            let mi = number(14..<16), let s = number(17..<19),
            (1...12).contains(m), (1...31).contains(d), h < 24, mi < 60, s < 61
        else { return nil }
        let days = days(fromCivil: y, m, d)
        guard civil(fromDays: days) == (y, m, d) else { return nil }  // no 2026-02-30
        return Date(timeIntervalSince1970: TimeInterval(days * 86_400 + h * 3600 + mi * 60 + s))
    }

    /// The calendar day of an instant in UTC, `2026-03-02`.
    public static func day(_ date: Date) -> String { String(string(date).prefix(10)) }

    /// Parses `2026-03-02T09:00:00Z`, with fractional seconds or a numeric offset, or a bare day.
    public static func parseInstant(_ text: String) -> Date? {
        if let stored = parseStored(text) { return stored }
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
    static let utcCalendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        return calendar
    }()
}
