/// `organizations:DescribeOrganization`; the fetcher stores nil when the account is in no organization.
public struct OrganizationInfo: Sendable, Equatable, Codable {
    public var id: String
    public var featureSet: String
    public var masterAccountId: String

    public init(id: String, featureSet: String, masterAccountId: String = "") {
        self.id = id
        self.featureSet = featureSet
        self.masterAccountId = masterAccountId
    }
}

public struct OrganizationAccount: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    public var status: String

    public init(id: String, name: String, status: String = "ACTIVE") {
        self.id = id
        self.name = name
        self.status = status
    }
}

public struct OrganizationalUnit: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    public var parentId: String
    public var accounts: [OrganizationAccount]

    public init(id: String, name: String, parentId: String, accounts: [OrganizationAccount] = []) {
        self.id = id
        self.name = name
        self.parentId = parentId
        self.accounts = accounts
    }
}

public struct OrganizationRoot: Sendable, Equatable, Codable {
    public var id: String
    /// Policy type → status (`SERVICE_CONTROL_POLICY` → `ENABLED`).
    public var policyTypes: [String: String]

    public init(id: String, policyTypes: [String: String] = [:]) {
        self.id = id
        self.policyTypes = policyTypes
    }

    public func enabled(_ type: String) -> Bool { policyTypes[type] == "ENABLED" }
}

/// Roots and every OU under them (nested OUs flattened), with their direct accounts.
/// `inUse` is false when the account belongs to no organization.
public struct OrganizationTree: Sendable, Equatable, Codable {
    public var inUse: Bool
    public var roots: [OrganizationRoot]
    public var units: [OrganizationalUnit]

    public init(inUse: Bool = true, roots: [OrganizationRoot] = [], units: [OrganizationalUnit] = []) {
        self.inUse = inUse
        self.roots = roots
        self.units = units
    }

    public static let notInUse = OrganizationTree(inUse: false)
}

/// A policy of the organization with the targets (root, OU or account ids) it is attached to.
public struct OrganizationPolicy: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    public var awsManaged: Bool
    public var targets: [String]

    public init(id: String, name: String, awsManaged: Bool = false, targets: [String] = []) {
        self.id = id
        self.name = name
        self.awsManaged = awsManaged
        self.targets = targets
    }
}

public struct OrganizationPolicies: Sendable, Equatable, Codable {
    public var inUse: Bool
    public var serviceControlPolicies: [OrganizationPolicy]
    public var tagPolicies: [OrganizationPolicy]

    public init(
        inUse: Bool = true, serviceControlPolicies: [OrganizationPolicy] = [], tagPolicies: [OrganizationPolicy] = []
    ) {
        self.inUse = inUse
        self.serviceControlPolicies = serviceControlPolicies
        self.tagPolicies = tagPolicies
    }
}
