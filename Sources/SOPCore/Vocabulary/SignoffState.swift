/// Where a required sign-off stands. Declared once: the tracker computes it, every view shows it.
public enum SignoffState: String, Sendable, Codable, CaseIterable {
    /// Given, and the evidence is unchanged since.
    case valid
    /// Given, but the evidence changed since: must be given again.
    case stale
    /// Withdrawn with a reason.
    case revoked
    /// Required by the template and not given yet.
    case missing
}
