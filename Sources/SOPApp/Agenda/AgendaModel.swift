import SOPCore
import SOPJSON

/// The project manager's week across every customer: what `sop agenda` lists, `--json` and
/// `--ics` write and `sop digest` posts. One model, four renderings, so they cannot disagree.
public struct Agenda: Sendable, Equatable {
    /// What kind of attention an entry asks for. The raw value is the JSON/ICS name (stable).
    public enum Kind: String, Sendable, CaseIterable, Comparable {
        case overdue
        case blocked
        /// A check that passed in the customer's baseline and does not now (the latest run).
        case regression
        case failingCheck = "failing-check"
        case staleSignoff = "stale-signoff"
        case due
        case evidenceExpiring = "evidence-expiring"
        case waiverExpiring = "waiver-expiring"

        /// Most urgent first, within a day.
        var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }

        public static func < (a: Kind, b: Kind) -> Bool { a.rank < b.rank }

        /// How `count` entries of the kind read in a summary (`2 stale sign-offs`).
        public func counted(_ count: Int) -> String {
            let one = count == 1
            switch self {
            case .overdue, .blocked, .due: return "\(count) \(label)"
            case .regression: return one ? "1 regression" : "\(count) regressions"
            case .failingCheck: return one ? "1 failing check" : "\(count) failing checks"
            case .staleSignoff: return one ? "1 stale sign-off" : "\(count) stale sign-offs"
            case .evidenceExpiring: return "\(count) evidence expiring"
            case .waiverExpiring: return one ? "1 waiver expiring" : "\(count) waivers expiring"
            }
        }

        /// How the kind reads in a line of text.
        public var label: String {
            switch self {
            case .overdue: return "overdue"
            case .blocked: return "blocked"
            case .regression: return "regressed"
            case .failingCheck: return "failing check"
            case .staleSignoff: return "stale sign-off"
            case .due: return "due"
            case .evidenceExpiring: return "evidence expires"
            case .waiverExpiring: return "waiver expires"
            }
        }
    }

    /// One thing to look at.
    public struct Entry: Sendable, Equatable {
        /// The day the entry belongs to: the due or expiry day; today for what needs attention now
        /// (blocked, failing, stale); the due day for overdue items (before today).
        public var date: String
        public var kind: Kind
        public var customer: String
        /// The item (or, for a section sign-off, the section number); nil when neither.
        public var item: String?
        public var title: String
        /// One line saying why it is here (the reason, the check's summary, who signed).
        public var detail: String
        /// What on the item the entry is about when one item can have several (an evidence id,
        /// `check@region`, a signing role): part of the calendar UID.
        public var subject: String

        public init(
            date: String, kind: Kind, customer: String, item: String?, title: String, detail: String,
            subject: String = ""
        ) {
            self.subject = subject
            self.date = date
            self.kind = kind
            self.customer = customer
            self.item = item
            self.title = title
            self.detail = detail
        }

        /// Overdue first (oldest first), then by day, kind, customer and item.
        static func moreUrgent(_ a: Entry, _ b: Entry) -> Bool {
            let ao = a.kind == .overdue ? 0 : 1
            let bo = b.kind == .overdue ? 0 : 1
            if ao != bo { return ao < bo }
            if a.date != b.date { return a.date < b.date }
            if a.kind != b.kind { return a.kind < b.kind }
            if a.customer != b.customer { return a.customer < b.customer }
            if (a.item ?? "") != (b.item ?? "") { return (a.item ?? "") < (b.item ?? "") }
            return a.detail < b.detail
        }
    }

    /// One heading of the agenda: the overdue items, then one day at a time.
    public struct Group: Sendable, Equatable {
        /// nil for the overdue group.
        public var date: String?
        public var entries: [Entry]
    }

    /// The day the agenda was made for (the clock's day, `SOP_NOW` in tests).
    public var today: String
    /// The window's length in days, today included.
    public var days: Int
    /// The `--owner` filter, when given.
    public var owner: String?
    /// Most urgent first (``Entry/moreUrgent(_:_:)``).
    public var entries: [Entry]
    /// When the agenda was made (ICS `DTSTAMP`).
    public var generatedAt: String

    /// The window's last day (`today` + `days` - 1).
    public var lastDay: String { Self.day(today, plus: days - 1) }

    /// Overdue entries first, then the rest by day, each group in urgency order.
    public var groups: [Group] {
        var groups: [Group] = []
        let overdue = entries.filter { $0.kind == .overdue }
        if !overdue.isEmpty { groups.append(Group(date: nil, entries: overdue)) }
        for entry in entries where entry.kind != .overdue {
            if let last = groups.last, last.date == entry.date {
                groups[groups.count - 1].entries.append(entry)
            } else {
                groups.append(Group(date: entry.date, entries: [entry]))
            }
        }
        return groups
    }

    static func day(_ day: String, plus count: Int) -> String {
        guard let number = WorkingDays.dayNumber(day) else { return day }
        return WorkingDays.text(number + Int64(count))
    }

    /// `Friday 2026-05-01`.
    static func dayHeading(_ day: String) -> String {
        guard let number = WorkingDays.dayNumber(day) else { return day }
        let names = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
        return "\(names[WorkingDays.weekday(number)]) \(day)"
    }
}
