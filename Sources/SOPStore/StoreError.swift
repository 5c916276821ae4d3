/// A problem the store reports to its caller as one line.
///
/// `badInput` covers everything the user can fix by changing the command
/// (unknown customer, item or role, a bad date, a missing file, a refused secret);
/// nothing was written when it is thrown. `integrity` means the database itself is
/// not what `sop` wrote.
public struct StoreError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Kind: Sendable, Equatable {
        case badInput
        case notFound
        case refused
        case integrity
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message.replacingOccurrences(of: "\n", with: " ")
    }

    public var description: String { message }

    static func badInput(_ message: String) -> StoreError { StoreError(.badInput, message) }
    static func notFound(_ message: String) -> StoreError { StoreError(.notFound, message) }
    static func refused(_ message: String) -> StoreError { StoreError(.refused, message) }
}
