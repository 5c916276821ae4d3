import SOPCore
import SOPStore

extension SOPApplication {
    /// `sop mark`: moves an item to a state a user may set. `done` is refused while required
    /// evidence or a `depends` item is missing, unless forced with a reason (recorded).
    public func mark(slug: String, item: String, state: String, reason: String?, force: Bool, by: String?) throws
        -> ItemStatus
    {
        guard let status = ItemStatus(userText: state), ItemStatus.markable.contains(status) else {
            throw AppError.badInput("'\(state)' is not a state (use todo, in-progress, done, blocked or n/a)")
        }
        let actor = try context.actor(by)
        try Tracker.with(context) {
            try $0.mark(customer: slug, item: item, status: status, reason: reason, force: force, by: actor)
        }
        return status
    }

    /// `sop assign`: gives an item to someone, optionally with a due date.
    public func assign(slug: String, item: String, to assignee: String, due: String?, by: String?) throws {
        let actor = try context.actor(by)
        try Tracker.with(context) { try $0.assign(customer: slug, item: item, to: assignee, due: due, by: actor) }
    }
}
