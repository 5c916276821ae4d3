import SOPCore
import SOPStore

extension SOPApplication {
    /// `sop upgrade`: moves a customer to a newer version of its template (or, with `dryRun`,
    /// only plans it). `version` may be `1.1.0` or `id@1.1.0`. The versions in between are
    /// loaded too, so `replaces` chains resolve across a jump of several versions.
    public func upgrade(slug: String, to version: String, dryRun: Bool, by: String?) throws -> UpgradePlan {
        let actor = try context.actor(by)
        let tracker = try Tracker.open(context)
        return try tracker.run { store in
            let customer = try store.customer(slug)
            let prefix = "\(customer.template.id)@"
            let bare = version.hasPrefix(prefix) ? String(version.dropFirst(prefix.count)) : version
            guard SemanticVersion(bare) != nil else {
                throw AppError.badInput("--to: '\(version)' is not a version (like 1.1.0)")
            }
            let template = try context.template(prefix + bare)
            let current = SemanticVersion(customer.template.version)
            let intermediates = try context.templateLibrary.entries()
                .filter { entry in
                    guard let current, entry.id == customer.template.id else { return false }
                    return entry.version > current && entry.version < template.version
                }
                .map { try context.template($0.reference) }
            return try store.upgrade(customer: slug, to: template, through: intermediates, by: actor, dryRun: dryRun)
        }
    }
}
