/// Calendar-day and working-day arithmetic on days counted from 1970-01-01 (UTC).
///
/// A working day is Monday to Friday. There is no holiday calendar: a due date that falls on a
/// public holiday is the project manager's call, and a calendar per country would be a setting
/// nobody keeps current. Days are plain integers (``Timestamps/days(fromCivil:_:_:)``), so the
/// arithmetic is exact and needs no `Calendar` or time zone.
public enum WorkingDays {
    /// Monday = 0 … Sunday = 6. 1970-01-01 was a Thursday.
    public static func weekday(_ day: Int64) -> Int {
        Int(((day % 7) + 7 + 3) % 7)
    }

    public static func isWorkingDay(_ day: Int64) -> Bool { weekday(day) < 5 }

    /// The `count`-th working day after `day` (before it when `backwards`). From a Saturday,
    /// one working day later is Monday, as from the Friday before; zero working days from a
    /// weekend is the next Monday (or, backwards, the Friday before): a due date is always a
    /// working day.
    public static func adding(_ count: Int, to day: Int64, backwards: Bool = false) -> Int64 {
        let step: Int64 = backwards ? -1 : 1
        var current = day
        // Zero: roll onto a working day in the direction of travel; otherwise against it, so
        // the weekend itself counts for nothing.
        let roll = count == 0 ? step : -step
        while !isWorkingDay(current) { current += roll }
        var remaining = abs(count)
        // Whole weeks first, so a large offset costs no more than a small one.
        current += step * Int64(remaining / 5) * 7
        remaining %= 5
        while remaining > 0 {
            current += step
            if isWorkingDay(current) { remaining -= 1 }
        }
        return current
    }

    /// The day number of a `YYYY-MM-DD` text, or nil when it is not a real day.
    public static func dayNumber(_ text: String) -> Int64? {
        guard let date = Timestamps.parseDay(text) else { return nil }
        return Int64((date.timeIntervalSince1970 / 86_400).rounded(.down))
    }

    /// `YYYY-MM-DD` of a day number.
    public static func text(_ day: Int64) -> String {
        let (y, m, d) = Timestamps.civil(fromDays: day)
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let year = String(y)
        return String(repeating: "0", count: max(0, 4 - year.count)) + year + "-\(two(m))-\(two(d))"
    }
}
