/// Why a use case did not produce an OK result, in the three kinds every front end understands.
///
/// The CLI turns a kind into an exit code and `sop serve` into an HTTP status; both do it in
/// one place (``Verdict/exitCode`` here, the server's own mapping there), never per command.
public struct AppError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The request was wrong (unknown customer, malformed value, unreadable file): nothing changed.
        case badInput
        /// The thing checked is not OK (a broken audit chain, lint problems, a failed check).
        case notOK
        /// Some of what was asked could not be decided (verification errors without failures).
        case undecided
    }

    public var kind: Kind
    /// One line, naming the value, file or line at fault. Empty when the use case already reported.
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message.replacingOccurrences(of: "\n", with: " ")
    }

    public static func badInput(_ message: String) -> AppError { AppError(.badInput, message) }
    public static func notOK(_ message: String) -> AppError { AppError(.notOK, message) }

    public var description: String { message }

    /// The verdict this error stands for.
    public var verdict: Verdict {
        switch kind {
        case .badInput: return .badInput
        case .notOK: return .notOK
        case .undecided: return .undecided
        }
    }
}

/// How a use case ended, and the one rule that turns it into `sop`'s exit code.
public enum Verdict: Sendable, Equatable {
    case ok
    case notOK
    case badInput
    case undecided

    /// 0 OK, 1 not OK, 2 bad usage or input (nothing changed), 3 could not decide.
    public var exitCode: Int32 {
        switch self {
        case .ok: return 0
        case .notOK: return 1
        case .badInput: return 2
        case .undecided: return 3
        }
    }

    /// Not OK beats undecided beats OK: one failed check makes a run not OK even when others
    /// could not be verified.
    public static func combining(failed: Bool, undecided: Bool) -> Verdict {
        if failed { return .notOK }
        if undecided { return .undecided }
        return .ok
    }
}
