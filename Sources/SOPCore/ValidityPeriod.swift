import Foundation

/// How long an item's evidence stays current: a template item's `valid_for:` (`365d`, `12w`,
/// `6m`, `1y`).
///
/// Some evidence ages (a training record, an audit, a restore test): the period says when it
/// must be renewed. Months and years are calendar months and years in UTC, so `1y` from
/// 2026-02-28 ends on 2027-02-28 and `1m` from 2026-01-31 on 2026-02-28.
public struct ValidityPeriod: Sendable, Hashable, CustomStringConvertible {
    public enum Unit: String, Sendable, Hashable, CaseIterable {
        case days = "d"
        case weeks = "w"
        case months = "m"
        case years = "y"
    }

    public var count: Int
    public var unit: Unit

    public init(count: Int, unit: Unit) {
        self.count = count
        self.unit = unit
    }

    /// `365d` as written (normalised).
    public var description: String { "\(count)\(unit.rawValue)" }

    /// Parses `N(d|w|m|y)` with N from 1 to 9999; the error names the value.
    public static func parse(_ text: String) throws(MetadataValueError) -> ValidityPeriod {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        let unitText = trimmed.dropFirst(digits.count)
        guard !digits.isEmpty, digits.count <= 4, let count = Int(digits), count > 0,
            let unit = Unit(rawValue: String(unitText))
        else {
            throw MetadataValueError(
                "valid_for '\(text.prefix(60))' is not a period (a whole number from 1 to 9999 and d, w, m or y, like 365d)"
            )
        }
        return ValidityPeriod(count: count, unit: unit)
    }

    /// The instant the period ends when it starts at `date`.
    public func end(from date: Date) -> Date {
        var components = DateComponents()
        switch unit {
        case .days: components.day = count
        case .weeks: components.day = count * 7
        case .months: components.month = count
        case .years: components.year = count
        }
        return Self.calendar.date(byAdding: components, to: date) ?? date
    }

    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}
