import SOPCore

/// A customer as commands and the renderer see it.
public struct CustomerInfo: Sendable, Codable, Equatable {
    public var slug: String
    public var name: String
    public var email: String
    public var address: String?
    public var phone: String?
    public var contacts: [String]
    public var owner: String?
    public var due: String?
    public var compliance: [String]
    public var regions: [String]
    public var awsProfile: String?
    public var roleArn: String?
    public var externalId: String?
    /// Overrides given with `--param`; defaults come from the template.
    public var parameters: [String: ParameterValue]
    public var template: TemplatePin
    public var createdAt: String
    public var createdBy: String
    public var lastActivityAt: String

    init(_ r: CustomerRecord) {
        slug = r.slug
        name = r.name
        email = r.email
        address = r.address
        phone = r.phone
        contacts = r.contacts
        owner = r.owner
        due = r.due
        compliance = r.compliance
        regions = r.regions
        awsProfile = r.awsProfile
        roleArn = r.roleArn
        externalId = r.externalId
        parameters = r.parameters
        template = TemplatePin(
            id: r.templateId, version: r.templateVersion, sha256: r.templateSha256, title: r.templateTitle)
        createdAt = r.createdAt
        createdBy = r.createdBy
        lastActivityAt = r.lastActivityAt
    }

    /// The facts template conditions are evaluated against.
    public var attributes: CustomerAttributes {
        CustomerAttributes(compliance: Set(compliance), regions: Set(regions), parameters: parameters)
    }
}

/// The template version a customer is pinned to.
public struct TemplatePin: Sendable, Codable, Equatable {
    public var id: String
    public var version: String
    public var sha256: String
    public var title: String
}

/// Everything `sop new` needs to know about a customer besides the template.
public struct NewCustomer: Sendable {
    public var slug: String
    public var name: String
    public var email: String
    public var address: String?
    public var phone: String?
    public var contacts: [String]
    public var owner: String?
    public var due: String?
    public var compliance: [String]
    public var regions: [String]
    public var awsProfile: String?
    public var roleArn: String?
    public var externalId: String?
    /// `KEY=VALUE` overrides as typed; parsed against the template's parameter defaults.
    public var parameters: [String]

    public init(
        slug: String, name: String, email: String, address: String? = nil, phone: String? = nil,
        contacts: [String] = [], owner: String? = nil, due: String? = nil, compliance: [String] = [],
        regions: [String] = [], awsProfile: String? = nil, roleArn: String? = nil, externalId: String? = nil,
        parameters: [String] = []
    ) {
        self.slug = slug
        self.name = name
        self.email = email
        self.address = address
        self.phone = phone
        self.contacts = contacts
        self.owner = owner
        self.due = due
        self.compliance = compliance
        self.regions = regions
        self.awsProfile = awsProfile
        self.roleArn = roleArn
        self.externalId = externalId
        self.parameters = parameters
    }
}
