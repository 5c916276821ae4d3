import Foundation

/// A person who may sign in to `sop serve`, with the template roles they hold.
///
/// The password is stored only as a bcrypt hash (``passwordHash``), which the application
/// layer checks; no output ever shows it.
public struct UserAccount: Sendable, Equatable {
    public var name: String
    public var roles: [String]
    /// bcrypt; nil for an account that signs in only through a trusted proxy.
    public var passwordHash: String?
    public var createdAt: String
    public var createdBy: String
    public var disabledAt: String?

    public var isDisabled: Bool { disabledAt != nil }
}

/// A bearer token for scripts: only its SHA-256 is stored; ``id`` names it in lists and events.
public struct AccessToken: Sendable, Equatable {
    public var id: String
    public var user: String
    public var createdAt: String
    public var expiresAt: String
    public var revokedAt: String?
}

/// A one-time sign-in link for a customer's stakeholder: one customer, one role.
public struct Invitation: Sendable, Equatable {
    public var id: String
    public var customer: String
    public var role: String
    public var email: String
    public var createdAt: String
    public var createdBy: String
    public var expiresAt: String
    public var usedAt: String?
}
