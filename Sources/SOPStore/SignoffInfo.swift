/// A sign-off as users, `status --json` and the renderer see it.
public struct SignoffInfo: Sendable, Codable, Equatable {
    public enum State: String, Sendable, Codable {
        /// Given, and the evidence is unchanged since.
        case valid
        /// Given, but the evidence changed since: must be given again.
        case stale
        /// Withdrawn with a reason.
        case revoked
        /// Required by the template and not given yet.
        case missing
    }

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
    public var state: State
    public var revokedAt: String?
    public var revokedBy: String?
    public var revokedReason: String?
}
