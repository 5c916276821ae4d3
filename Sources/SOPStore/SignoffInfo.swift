import SOPCore

/// A sign-off as users, `status --json` and the renderer see it.
public struct SignoffInfo: Sendable, Codable, Equatable {

    /// `S7`, or nil for a missing sign-off.
    public var id: String?
    /// Item id or section number.
    public var target: String
    /// `item` or `section`.
    public var targetKind: String
    public var role: String
    public var by: String?
    public var at: String?
    public var note: String?
    /// SHA-256 of the evidence set approved.
    public var evidenceHash: String?
    public var state: SignoffState
    public var revokedAt: String?
    public var revokedBy: String?
    public var revokedReason: String?
}
