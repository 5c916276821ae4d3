/// Why a piece of account data could not be read; a check that needs it reports `error`.
public struct FetchFailure: Error, Sendable, Equatable, Codable, CustomStringConvertible {
    /// The AWS error code (`AccessDenied`, `ThrottlingException`, `NotImplemented`, …).
    public var code: String
    public var message: String
    /// The call that failed, as `service:Operation`.
    public var operation: String

    public init(code: String, message: String, operation: String) {
        self.code = code
        self.message = message.replacingOccurrences(of: "\n", with: " ")
        self.operation = operation
    }

    public var description: String {
        let detail = message.isEmpty ? "" : ": \(message.prefix(160))"
        return "\(operation) failed with \(code)\(detail)"
    }

    /// Data a check needs was never fetched (a bug in the plan, or a trimmed run).
    static func notFetched(_ what: String) -> FetchFailure {
        FetchFailure(code: "NotFetched", message: "\(what) was not fetched", operation: what)
    }
}

/// A piece of fetched account data, or why it is missing.
///
/// Reading it with ``get()`` throws the failure, which the runner turns into an
/// `error` result for exactly the checks that needed the data.
public enum Fetched<Value: Sendable>: Sendable {
    case value(Value)
    case failed(FetchFailure)
    case notFetched

    public func get(_ what: String = "data") throws(FetchFailure) -> Value {
        switch self {
        case .value(let v): return v
        case .failed(let f): throw f
        case .notFetched: throw FetchFailure.notFetched(what)
        }
    }

    public var value: Value? {
        if case .value(let v) = self { return v }
        return nil
    }

    public var failure: FetchFailure? {
        if case .failed(let f) = self { return f }
        return nil
    }
}

extension Fetched: Equatable where Value: Equatable {}

extension Fetched: Codable where Value: Codable {
    private enum CodingKeys: String, CodingKey { case value, failure }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if c.contains(.value) {
            // `contains` rather than `decodeIfPresent`: an optional value may be a JSON null.
            self = .value(try c.decode(Value.self, forKey: .value))
        } else if let f = try c.decodeIfPresent(FetchFailure.self, forKey: .failure) {
            self = .failed(f)
        } else {
            self = .notFetched
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .value(let v): try c.encode(v, forKey: .value)
        case .failed(let f): try c.encode(f, forKey: .failure)
        case .notFetched: break
        }
    }
}
