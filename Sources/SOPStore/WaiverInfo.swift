import Foundation

/// An exception to one item or check, asked for with a reason until a date, and decided by
/// someone else who holds a sign-off role for it.
///
/// States: `requested` → `approved` | `rejected`; `approved` → `revoked` | `expired`. Only an
/// approved waiver whose expiry date has not passed covers anything, and it never turns a
/// failure into a pass: a covered failure stays `fail` and is reported as waived.
public struct WaiverInfo: Sendable, Equatable, Codable {
    public enum State: String, Sendable, CaseIterable, Codable {
        case requested, approved, rejected, revoked, expired
    }

    /// `W-<n>`.
    public var id: String
    public var customer: String
    /// An item id or a check id (`targetKind` says which).
    public var target: String
    public var targetKind: String
    /// Only this region (nil: every region, and global checks).
    public var region: String?
    /// Only failures naming nothing but these resources (empty: any resource).
    public var resources: [String]
    public var reason: String
    /// The last day (UTC, `YYYY-MM-DD`) the waiver covers: the date is inclusive.
    public var expires: String
    /// The state as recorded; ``state(today:)`` is the state in force.
    public var recordedState: State
    public var requestedBy: String
    public var requestedAt: String
    public var decidedBy: String?
    public var decidedRole: String?
    public var decidedAt: String?
    /// Who ended an approved waiver (revoked, or `sop` when it expired) and when.
    public var endedBy: String?
    public var endedAt: String?
    /// The decider's or revoker's note.
    public var note: String?
    /// The state in force on the day of the report that carries this waiver (`sop status --json`
    /// shows it beside `recorded_state`); nil elsewhere, where ``state(today:)`` answers.
    public var currentState: State?

    public init(
        id: String, customer: String, target: String, targetKind: String, region: String?, resources: [String],
        reason: String, expires: String, recordedState: State, requestedBy: String, requestedAt: String,
        decidedBy: String? = nil, decidedRole: String? = nil, decidedAt: String? = nil, endedBy: String? = nil,
        endedAt: String? = nil, note: String? = nil
    ) {
        self.id = id
        self.customer = customer
        self.target = target
        self.targetKind = targetKind
        self.region = region
        self.resources = resources
        self.reason = reason
        self.expires = expires
        self.recordedState = recordedState
        self.requestedBy = requestedBy
        self.requestedAt = requestedAt
        self.decidedBy = decidedBy
        self.decidedRole = decidedRole
        self.decidedAt = decidedAt
        self.endedBy = endedBy
        self.endedAt = endedAt
        self.note = note
    }

    /// `target[@region]`, as `sop waive` was given it.
    public var scope: String { region.map { "\(target)@\($0)" } ?? target }

    /// The state in force on `today` (`YYYY-MM-DD`): an approved waiver past its expiry date is
    /// expired whether or not the expiry has been recorded yet (fail closed).
    public func state(today: String) -> State {
        recordedState == .approved && expires < today ? .expired : recordedState
    }

    /// Whether this waiver, in force on `today`, covers a failing result of `check` (which
    /// verifies `items`) in `region` (nil: a global check) naming `resources`.
    public func covers(check: String, items: [String], region: String?, resources failing: [String], today: String)
        -> Bool
    {
        guard state(today: today) == .approved else { return false }
        switch targetKind {
        case "check": guard target == check else { return false }
        default: guard items.contains(target) else { return false }
        }
        if let scoped = self.region, scoped != (region ?? "global") { return false }
        // A failure naming a resource the waiver does not list is not covered (nor one that
        // names none, when the waiver is for particular resources).
        if !resources.isEmpty {
            guard !failing.isEmpty, Set(failing).isSubset(of: Set(resources)) else { return false }
        }
        return true
    }

    /// The decisions each state allows, and the state each leads to.
    public enum Decision: String, Sendable, CaseIterable {
        case approve, reject, revoke

        /// The state a waiver in `state` moves to, nil when the decision is not allowed there.
        public func next(from state: State) -> State? {
            switch (self, state) {
            case (.approve, .requested): return .approved
            case (.reject, .requested): return .rejected
            case (.revoke, .approved): return .revoked
            default: return nil
            }
        }

        /// The audit action.
        var action: String {
            switch self {
            case .approve: return "waiver.approve"
            case .reject: return "waiver.reject"
            case .revoke: return "waiver.revoke"
            }
        }
    }

    /// A calendar date as `sop waive --expires` takes it: `YYYY-MM-DD`, a real day.
    public static func validDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-") }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return false }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard (1...12).contains(month), day >= 1,
            let date = calendar.date(from: DateComponents(year: year, month: month, day: day)),
            calendar.component(.day, from: date) == day, calendar.component(.month, from: date) == month
        else { return false }
        return true
    }
}
