import Foundation

/// A waiver as the packet and the site show it: an approved exception to an item or a check,
/// until a date, with who asked and who decided. Waivers are shown to the customer audience
/// too (an exception the customer's account lives with is theirs to know); decision notes are
/// not on the customer packet.
public struct WaiverView: Sendable, Equatable {
    public var id: String
    /// `item-or-check[@region]`.
    public var scope: String
    /// The state in force on the report's day: requested, approved, rejected, revoked, expired.
    public var state: String
    public var reason: String
    /// The last day it covers.
    public var expires: String
    public var requestedBy: String
    public var decidedBy: String?
    public var decidedRole: String?
    /// Resources it is limited to (empty: any).
    public var resources: [String]

    public init(
        id: String, scope: String, state: String, reason: String, expires: String, requestedBy: String,
        decidedBy: String?, decidedRole: String?, resources: [String] = []
    ) {
        self.id = id
        self.scope = scope
        self.state = state
        self.reason = reason
        self.expires = expires
        self.requestedBy = requestedBy
        self.decidedBy = decidedBy
        self.decidedRole = decidedRole
        self.resources = resources
    }

    /// In force: approved and not past its last day.
    public var inForce: Bool { state == "approved" }

    /// `approved by priya (Security Lead)`, or who asked while it is still requested.
    public var decision: String {
        guard let decidedBy else { return "requested by \(requestedBy)" }
        return "\(state) by \(decidedBy)" + (decidedRole.map { " (\($0))" } ?? "")
    }
}

/// A check that passed in the accepted run and does not in the latest one.
public struct RegressionView: Sendable, Equatable {
    /// `check@region`.
    public var key: String
    /// `pass → fail`, `pass → none`.
    public var change: String
    /// What changed: `password minimum length 16 → 8`, `sg-0ab… (new)`.
    public var details: [String]

    public init(key: String, change: String, details: [String]) {
        self.key = key
        self.change = change
        self.details = details
    }
}
