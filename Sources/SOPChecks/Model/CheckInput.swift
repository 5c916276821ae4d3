import SOPCore

/// What a check judges: the fetched data and the parameter values for one scope.
public struct CheckInput: Sendable {
    /// Account-wide data, with the region's data overlaid for regional checks.
    public var snapshot: Snapshot
    /// Every verified region's data, for account-wide checks that look across regions
    /// (a dashboard or a backup plan in any region satisfies the SOP).
    public var regional: [String: Snapshot]
    /// The region under judgement; nil for account-wide checks.
    public var region: String?
    public var accountId: String
    /// This check's parameters, resolved (template defaults, customer overrides, check defaults).
    public var parameters: [String: ParameterValue]

    public init(
        snapshot: Snapshot, regional: [String: Snapshot], region: String?, accountId: String,
        parameters: [String: ParameterValue]
    ) {
        self.snapshot = snapshot
        self.regional = regional
        self.region = region
        self.accountId = accountId
        self.parameters = parameters
    }

    public func integer(_ name: String) throws(FetchFailure) -> Int {
        if let value = parameters[name]?.intValue { return value }
        if case .string(let s)? = parameters[name], let value = Int(s) { return value }
        throw Self.badParameter(name, "an integer")
    }

    public func boolean(_ name: String) throws(FetchFailure) -> Bool {
        if let value = parameters[name]?.boolValue { return value }
        if case .string(let s)? = parameters[name], let value = ParameterValue.boolean(false).parsing(s)?.boolValue {
            return value
        }
        throw Self.badParameter(name, "true or false")
    }

    public func list(_ name: String) throws(FetchFailure) -> [String] {
        if let value = parameters[name]?.listValue { return value }
        throw Self.badParameter(name, "a list")
    }

    private static func badParameter(_ name: String, _ shape: String) -> FetchFailure {
        FetchFailure(
            code: "InvalidParameter", message: "template parameter '\(name)' must be \(shape)",
            operation: "parameter \(name)")
    }

    /// One piece of regional data from every verified region, in region order, with the
    /// regions where it could not be read kept apart.
    public func acrossRegions<T>(_ field: KeyPath<Snapshot, Fetched<T>>, _ what: String)
        -> (values: [(region: String, value: T)], failures: [(region: String, failure: FetchFailure)])
    {
        var values: [(region: String, value: T)] = []
        var failures: [(region: String, failure: FetchFailure)] = []
        for region in regional.keys.sorted() {
            guard let snapshot = regional[region] else { continue }
            switch snapshot[keyPath: field] {
            case .value(let v): values.append((region, v))
            case .failed(let f): failures.append((region, f))
            case .notFetched: failures.append((region, .notFetched(what)))
            }
        }
        return (values, failures)
    }

    /// The result for an account-wide "at least one somewhere" criterion that found none:
    /// `error` when some region could not be read (the thing may be there), else `fail`.
    public func noneFound(
        _ summary: String, failures: [(region: String, failure: FetchFailure)],
        resources: [String] = []
    ) -> CheckResult {
        if let first = failures.first {
            return .error("\(summary) in the readable regions; \(first.region): \(first.failure.description)")
        }
        return .fail(summary, resources: resources)
    }
}
