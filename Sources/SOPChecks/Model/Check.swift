import SOPCore

/// One automated check: its metadata (the user documentation of the check), the data
/// it needs, a pure judgement over that data, and examples that prove the judgement.
///
/// Checks live one per file under `Checks/<Service>/`, are registered in
/// ``CheckCatalog``, and are documented in the generated `Documentation/Checks.md`.
public struct Check: Sendable, Identifiable {
    /// `<service>_<resource>_<state>`, e.g. `iam_password_policy_strong`. Templates name checks by it.
    public let id: String
    /// A short title (≤ 60 characters).
    public let title: String
    /// Template item ids this check verifies (in any shipped template version).
    public let items: [String]
    /// Whether the check judges the account once, or each verified region.
    public let scope: Scope
    /// The account data the check reads; its API calls follow from these.
    public let needs: [DataKey]
    /// When the check passes, in words.
    public let criterion: String
    /// Matching CIS AWS Foundations Benchmark / AWS Security Hub controls, e.g. `CIS 1.5`, `IAM.9`.
    public let controls: [String]
    /// Template parameters the check reads, with the value used when the template defines none.
    public let parameters: [CheckParameter]
    /// Caveats: what the check cannot see, emulator gaps.
    public let notes: String?
    /// Passing and failing examples; one generic test runs them all.
    public let examples: [CheckExample]
    /// The file declaring the check (the catalog test compares it with the id).
    public let sourcePath: String
    let judge: @Sendable (CheckInput) throws(FetchFailure) -> CheckResult

    public init(
        id: String, title: String, items: [String], scope: Scope, needs: [DataKey], criterion: String,
        controls: [String] = [], parameters: [CheckParameter] = [], notes: String? = nil,
        examples: [CheckExample], sourcePath: String = #filePath,
        judge: @escaping @Sendable (CheckInput) throws(FetchFailure) -> CheckResult
    ) {
        self.id = id
        self.title = title
        self.items = items
        self.scope = scope
        self.needs = needs
        self.criterion = criterion
        self.controls = controls
        self.parameters = parameters
        self.notes = notes
        self.examples = examples
        self.sourcePath = sourcePath
        self.judge = judge
    }

    /// The service prefix of the id (`iam` for `iam_root_mfa_enabled`).
    public var service: String { String(id.split(separator: "_").first ?? Substring(id)) }

    /// Every read-only operation the check's data takes, sorted, without duplicates.
    public var calls: [APICall] {
        Array(Set(needs.flatMap(\.calls))).sorted()
    }

    /// Judges the data; missing data and bad parameters become `error`, never `pass`.
    public func evaluate(_ input: CheckInput) -> CheckResult {
        do {
            return try judge(input)
        } catch {
            return .error("could not be verified: \(error.description)")
        }
    }

    /// Template values for this check's parameters: the check's defaults overlaid with `values`.
    public func resolvedParameters(_ values: [String: ParameterValue]) -> [String: ParameterValue] {
        var resolved: [String: ParameterValue] = [:]
        for parameter in parameters { resolved[parameter.name] = values[parameter.name] ?? parameter.defaultValue }
        return resolved
    }
}

/// A template parameter a check reads, with the default used when a template has none.
public struct CheckParameter: Sendable, Equatable {
    public var name: String
    public var defaultValue: ParameterValue
    public var description: String

    public init(_ name: String, default defaultValue: ParameterValue, _ description: String) {
        self.name = name
        self.defaultValue = defaultValue
        self.description = description
    }
}

/// A snapshot with the outcome a check must reach on it.
public struct CheckExample: Sendable {
    public var name: String
    public var expected: CheckOutcome
    /// Offending resources the result must name (nil: not compared).
    public var resources: [String]?
    public var parameters: [String: ParameterValue]
    /// Account-wide data merged with the data of the region under test (`us-east-1`).
    public var snapshot: Snapshot
    /// Other regions' data for checks that look across regions; nil means only `us-east-1` = `snapshot`.
    public var regions: [String: Snapshot]?

    public init(
        _ name: String, _ expected: CheckOutcome, resources: [String]? = nil,
        parameters: [String: ParameterValue] = [:], regions: [String: Snapshot]? = nil, snapshot: Snapshot
    ) {
        self.name = name
        self.expected = expected
        self.resources = resources
        self.parameters = parameters
        self.snapshot = snapshot
        self.regions = regions
    }

    public static let exampleRegion = "us-east-1"

    /// The input the example stands for, as the runner would build it.
    public func input(for check: Check) -> CheckInput {
        CheckInput(
            snapshot: snapshot,
            regional: regions ?? [Self.exampleRegion: snapshot],
            region: check.scope == .regional ? Self.exampleRegion : nil,
            accountId: "123456789012",
            parameters: check.resolvedParameters(parameters))
    }
}
