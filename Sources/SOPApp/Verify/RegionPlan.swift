import CloudRegions
import SOPCore
import SOPStore

/// Which regions a verification covers, as the user asked: `--regions all`, a list, or nothing
/// (the customer's regions, else every enabled region).
public enum RegionRequest: Sendable, Equatable {
    case customerOrEnabled
    case allEnabled
    case list([String])

    /// Parses `--regions` values (already split at commas). Every name must pass the one region
    /// validator that `sop new` and the AWS client use, so nothing is sent for a region that
    /// cannot exist.
    public init(_ values: [String]) throws {
        if values.isEmpty {
            self = .customerOrEnabled
        } else if values == ["all"] {
            self = .allEnabled
        } else {
            try RegionNames.validate(values)
            self = .list(values)
        }
    }
}

/// The region rule shared by every use case that takes region names.
public enum RegionNames {
    /// Refuses the first name that is not a region of `provider` (AWS for verification; the
    /// template's own for `sop new`), with the message `sop new` and `sop verify` both print.
    public static func validate(_ names: [String], provider: CloudProvider? = .aws, template: String = "") throws {
        for name in names where !(provider?.isRegion(name) ?? false) {
            throw AppError.badInput(StoreProblem.foreignRegion(name, provider, template, option: "--regions"))
        }
    }
}

/// Where a verification's regions come from: known before any call, or the account's enabled
/// regions (`ec2:DescribeRegions`), which must be fetched.
///
/// The one planning rule: a list given wins; `all` means the enabled regions; otherwise the
/// customer's regions, and a customer created without any gets the enabled regions.
enum RegionPlan: Equatable {
    case known([String])
    case enabledRegions

    init(_ request: RegionRequest, customerRegions: [String]) {
        switch request {
        case .list(let regions): self = .known(regions)
        case .allEnabled: self = .enabledRegions
        case .customerOrEnabled: self = customerRegions.isEmpty ? .enabledRegions : .known(customerRegions)
        }
    }

    var needsEnabledRegions: Bool { self == .enabledRegions }

    /// The regions to report, given what the region listing returned (nil: not asked or failed).
    /// Without a usable listing only the home region is verified, and a note says so.
    func regions(enabled: [String]?, home: String) -> [String] {
        switch self {
        case .known(let regions): return regions
        case .enabledRegions:
            guard let enabled, !enabled.isEmpty else { return [home] }
            return enabled
        }
    }
}
