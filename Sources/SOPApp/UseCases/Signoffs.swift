import SOPCore
import SOPStore

extension SOPApplication {
    /// `sop signoff`: a role the template names approves an item or a section, pinned to the
    /// evidence it saw.
    public func signoff(slug: String, target: String, role: String, by: String, note: String?) throws -> SignoffInfo {
        let signer = try context.actor(by)
        return try Tracker.with(context) {
            try $0.signoff(customer: slug, target: target, role: role, by: signer, note: note)
        }
    }

    /// `sop signoff revoke`: withdraws a role's sign-off, with a reason.
    public func revokeSignoff(slug: String, target: String, role: String, reason: String, by: String?) throws {
        let actor = try context.actor(by)
        try Tracker.with(context) {
            try $0.revokeSignoff(customer: slug, target: target, role: role, reason: reason, by: actor)
        }
    }
}
