/// Where an item stands. `failed` is set only by verification, when an automated check fails.
public enum ItemStatus: String, Sendable, Codable, CaseIterable, Equatable {
    case todo
    case inProgress = "in-progress"
    case done
    case blocked
    case notApplicable = "n/a"
    case failed

    /// The states a user may set with `sop mark`.
    public static let markable: [ItemStatus] = [.todo, .inProgress, .done, .blocked, .notApplicable]

    /// Parses what users type (`n/a`, `na`, `in-progress`, `inprogress`).
    public init?(userText: String) {
        switch userText.lowercased() {
        case "todo", "to-do": self = .todo
        case "in-progress", "inprogress", "in_progress", "doing": self = .inProgress
        case "done": self = .done
        case "blocked": self = .blocked
        case "n/a", "na", "not-applicable", "not_applicable": self = .notApplicable
        case "failed": self = .failed
        default: return nil
        }
    }

    /// Done or not applicable: nothing left to do.
    public var isSettled: Bool { self == .done || self == .notApplicable }
}
