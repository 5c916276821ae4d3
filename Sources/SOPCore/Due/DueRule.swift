import Foundation

/// When an item is due, as a template item's `due:` metadata says it.
///
/// Three anchors cover how an onboarding is planned: from the customer's start (`start+5wd`),
/// after another item (`after prep.root-email +3d`), and back from the customer's own due date
/// (`customer-due-2wd`). Offsets are whole calendar days (`d`) or working days (`wd`, Monday to
/// Friday, see ``WorkingDays``). Rules are relative, never absolute dates, so one released
/// template plans every customer; ``DueSchedule`` turns them into days when a customer is created.
public enum DueRule: Sendable, Hashable, CustomStringConvertible {
    /// `start+N(d|wd)`: after the day the customer was created.
    case start(DueOffset)
    /// `after ITEM +N(d|wd)`: after the due date of another item.
    case after(item: String, DueOffset)
    /// `customer-due-N(d|wd)`: before the customer's due date (none when the customer has none).
    case customerDue(DueOffset)

    /// The text the rule is written as, normalised (`after a +3d`).
    public var description: String {
        switch self {
        case .start(let offset): return "start+\(offset)"
        case .after(let item, let offset): return "after \(item) +\(offset)"
        case .customerDue(let offset): return "customer-due-\(offset)"
        }
    }

    /// The item this rule is anchored on, if any.
    public var anchorItem: String? {
        if case .after(let item, _) = self { return item }
        return nil
    }

    /// Parses the three forms; the error says what is wrong in words a template author reads.
    public static func parse(_ text: String) throws(MetadataValueError) -> DueRule {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let rest = trimmed.dropPrefix("start") {
            return .start(try offset(rest, sign: "+", text: text))
        }
        if let rest = trimmed.dropPrefix("customer-due") {
            return .customerDue(try offset(rest, sign: "-", text: text))
        }
        if let rest = trimmed.dropPrefix("after "), !rest.isEmpty {
            let body = rest.trimmingCharacters(in: .whitespaces)
            guard let plus = body.firstIndex(of: "+") else {
                throw MetadataValueError("'\(text.prefix(60))' names no offset (write 'after ITEM +3d')")
            }
            let item = body[..<plus].trimmingCharacters(in: .whitespaces)
            guard Identifier.isItemID(item) else {
                throw MetadataValueError("'\(item.prefix(60))' in due rule is not an item id")
            }
            return .after(item: item, try offset(String(body[plus...]), sign: "+", text: text))
        }
        throw MetadataValueError(
            "'\(text.prefix(60))' is not a due rule (use start+5wd, after ITEM +3d or customer-due-2wd)")
    }

    /// `+5wd` / `-2d` after the anchor word.
    private static func offset(_ rest: String, sign: Character, text: String) throws(MetadataValueError) -> DueOffset {
        let body = rest.trimmingCharacters(in: .whitespaces)
        guard body.first == sign else {
            throw MetadataValueError(
                "'\(text.prefix(60))' needs '\(sign)' and an offset such as \(sign)5wd or \(sign)3d")
        }
        let amount = body.dropFirst().trimmingCharacters(in: .whitespaces)
        let digits = amount.prefix { $0.isASCII && $0.isNumber }
        let unit = amount.dropFirst(digits.count)
        guard !digits.isEmpty, digits.count <= 4, let count = Int(digits) else {
            throw MetadataValueError("'\(text.prefix(60))' has no whole number of days (like 5wd or 3d, at most 9999)")
        }
        switch unit {
        case "d": return DueOffset(count: count, unit: .days)
        case "wd": return DueOffset(count: count, unit: .workingDays)
        default:
            throw MetadataValueError(
                "'\(text.prefix(60))' has unit '\(unit.prefix(20))' (use d for days or wd for working days)")
        }
    }
}

/// A whole number of calendar or working days.
public struct DueOffset: Sendable, Hashable, CustomStringConvertible {
    public enum Unit: String, Sendable, Hashable {
        case days = "d"
        case workingDays = "wd"
    }

    public var count: Int
    public var unit: Unit

    public init(count: Int, unit: Unit) {
        self.count = count
        self.unit = unit
    }

    public var description: String { "\(count)\(unit.rawValue)" }

    /// The day `count` units after (or, `backwards`, before) `day`.
    public func apply(to day: Int64, backwards: Bool = false) -> Int64 {
        switch unit {
        case .days: return day + Int64(backwards ? -count : count)
        case .workingDays: return WorkingDays.adding(count, to: day, backwards: backwards)
        }
    }
}

/// Why a `due:` or `valid_for:` value cannot be read (the parser adds the line).
public struct MetadataValueError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension String {
    fileprivate func dropPrefix(_ prefix: String) -> String? {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : nil
    }
}
