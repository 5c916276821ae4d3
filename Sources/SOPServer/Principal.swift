import SOPApp

/// Who a request acts for: a team member (by account) or a customer's stakeholder (through an
/// invitation, bound to one customer and one role).
enum Principal: Sendable, Equatable {
    case member(name: String, roles: [String])
    case stakeholder(slug: String, role: String, email: String, invitation: String)

    /// The name the audit trail records.
    var actor: String {
        switch self {
        case .member(let name, _): name
        case .stakeholder(_, let role, let email, _): "\(email) (\(role))"
        }
    }

    /// A team member who may change things (anyone but a viewer).
    var canAct: Bool {
        if case .member(_, let roles) = self { return roles.contains { $0 != viewerRole } }
        return false
    }

    /// Whether the principal holds `role` (case as the template spells it, compared without case).
    func holds(_ role: String) -> Bool {
        switch self {
        case .member(_, let roles): roles.contains { $0.caseInsensitiveCompare(role) == .orderedSame }
        case .stakeholder(_, let own, _, _): own.caseInsensitiveCompare(role) == .orderedSame
        }
    }

    /// What a page shown to this principal may be cached under (pages name who is signed in,
    /// and each stakeholder sees only their customer).
    var cacheScope: String {
        switch self {
        case .member(let name, let roles): "member:\(name):" + roles.sorted().joined(separator: "|")
        case .stakeholder(let slug, let role, _, _): "stakeholder:\(slug):\(role)"
        }
    }
}
