public struct VPC: Sendable, Equatable, Codable {
    public var id: String
    public var isDefault: Bool
    public var tags: [String: String]

    public init(id: String, isDefault: Bool = false, tags: [String: String] = [:]) {
        self.id = id
        self.isDefault = isDefault
        self.tags = tags
    }
}

public struct Subnet: Sendable, Equatable, Codable {
    public var id: String
    public var vpcId: String

    public init(id: String, vpcId: String) {
        self.id = id
        self.vpcId = vpcId
    }
}

public struct Route: Sendable, Equatable, Codable {
    public var destination: String
    /// `igw-…`, `nat-…`, `local`, …
    public var target: String

    public init(_ destination: String, _ target: String) {
        self.destination = destination
        self.target = target
    }
}

public struct RouteTable: Sendable, Equatable, Codable {
    public var id: String
    public var vpcId: String
    public var isMain: Bool
    public var subnetIds: [String]
    public var routes: [Route]

    public init(id: String, vpcId: String, isMain: Bool = false, subnetIds: [String] = [], routes: [Route] = []) {
        self.id = id
        self.vpcId = vpcId
        self.isMain = isMain
        self.subnetIds = subnetIds
        self.routes = routes
    }

    func defaultRouteTarget() -> String? {
        routes.first { $0.destination == "0.0.0.0/0" }?.target
    }
}

public struct InternetGateway: Sendable, Equatable, Codable {
    public var id: String
    /// VPC ids it is attached to (state `available` or `attached`).
    public var attachedVpcIds: [String]

    public init(id: String, attachedVpcIds: [String]) {
        self.id = id
        self.attachedVpcIds = attachedVpcIds
    }
}

public struct NATGateway: Sendable, Equatable, Codable {
    public var id: String
    public var vpcId: String
    public var subnetId: String
    public var state: String

    public init(id: String, vpcId: String, subnetId: String, state: String = "available") {
        self.id = id
        self.vpcId = vpcId
        self.subnetId = subnetId
        self.state = state
    }
}

/// The VPC layout of one region.
public struct VPCNetwork: Sendable, Equatable, Codable {
    public var vpcs: [VPC]
    public var subnets: [Subnet]
    public var routeTables: [RouteTable]
    public var internetGateways: [InternetGateway]
    public var natGateways: [NATGateway]

    public init(
        vpcs: [VPC] = [], subnets: [Subnet] = [], routeTables: [RouteTable] = [],
        internetGateways: [InternetGateway] = [], natGateways: [NATGateway] = []
    ) {
        self.vpcs = vpcs
        self.subnets = subnets
        self.routeTables = routeTables
        self.internetGateways = internetGateways
        self.natGateways = natGateways
    }

    /// The route table a subnet uses: its explicit association, else its VPC's main table.
    public func routeTable(for subnet: Subnet) -> RouteTable? {
        routeTables.first { $0.subnetIds.contains(subnet.id) }
            ?? routeTables.first { $0.vpcId == subnet.vpcId && $0.isMain }
    }

    /// Public: default route to an internet gateway.
    public func isPublic(_ subnet: Subnet) -> Bool {
        routeTable(for: subnet)?.defaultRouteTarget()?.hasPrefix("igw-") ?? false
    }

    /// Private: default route to a NAT gateway and none to an internet gateway.
    public func isPrivate(_ subnet: Subnet) -> Bool {
        guard let table = routeTable(for: subnet) else { return false }
        let targets = table.routes.filter { $0.destination == "0.0.0.0/0" }.map(\.target)
        return targets.contains { $0.hasPrefix("nat-") } && !targets.contains { $0.hasPrefix("igw-") }
    }
}

/// One ingress permission of a security group, flattened per source range.
public struct IngressRule: Sendable, Equatable, Codable {
    /// `-1` (all), `tcp`, `udp`, `icmp` or a protocol number.
    public var ipProtocol: String
    public var fromPort: Int?
    public var toPort: Int?
    public var source: String

    public init(_ ipProtocol: String, from fromPort: Int?, to toPort: Int?, source: String) {
        self.ipProtocol = ipProtocol
        self.fromPort = fromPort
        self.toPort = toPort
        self.source = source
    }

    public var isFromAnywhere: Bool { source == "0.0.0.0/0" || source == "::/0" }

    /// True when traffic to `port` is allowed by the rule's protocol and port range.
    public func covers(port: Int) -> Bool {
        switch ipProtocol.lowercased() {
        case "-1", "all": return true
        case "tcp", "udp", "6", "17":
            guard let from = fromPort, let to = toPort else { return true }
            if from == -1 && to == -1 { return true }
            return from <= port && port <= to
        default: return false
        }
    }
}

public struct SecurityGroup: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    public var vpcId: String
    public var ingress: [IngressRule]

    public init(id: String, name: String = "", vpcId: String = "", ingress: [IngressRule] = []) {
        self.id = id
        self.name = name
        self.vpcId = vpcId
        self.ingress = ingress
    }
}

public struct NetworkACLEntry: Sendable, Equatable, Codable {
    public var ruleNumber: Int
    public var egress: Bool
    public var allow: Bool
    /// `-1` (all), `6` (tcp), `17` (udp), …
    public var `protocol`: String
    public var cidr: String
    public var fromPort: Int?
    public var toPort: Int?

    public init(
        ruleNumber: Int, egress: Bool = false, allow: Bool, protocol: String, cidr: String,
        from fromPort: Int? = nil, to toPort: Int? = nil
    ) {
        self.ruleNumber = ruleNumber
        self.egress = egress
        self.allow = allow
        self.protocol = `protocol`
        self.cidr = cidr
        self.fromPort = fromPort
        self.toPort = toPort
    }

    var asIngressRule: IngressRule {
        IngressRule(self.protocol == "-1" ? "-1" : self.protocol, from: fromPort, to: toPort, source: cidr)
    }
}

public struct NetworkACL: Sendable, Equatable, Codable {
    public var id: String
    public var vpcId: String
    public var isDefault: Bool
    public var subnetIds: [String]
    public var entries: [NetworkACLEntry]

    public init(
        id: String, vpcId: String, isDefault: Bool = false, subnetIds: [String] = [], entries: [NetworkACLEntry] = []
    ) {
        self.id = id
        self.vpcId = vpcId
        self.isDefault = isDefault
        self.subnetIds = subnetIds
        self.entries = entries
    }

    /// Whether inbound traffic from anywhere to `port` ends up allowed: NACL entries are
    /// evaluated in rule-number order and the first match decides.
    public func allowsFromAnywhere(port: Int) -> Bool {
        for entry in entries.filter({ !$0.egress }).sorted(by: { $0.ruleNumber < $1.ruleNumber }) {
            let rule = entry.asIngressRule
            guard rule.isFromAnywhere, rule.covers(port: port) else { continue }
            return entry.allow
        }
        return false
    }
}

public struct EBSEncryption: Sendable, Equatable, Codable {
    public var encryptionByDefault: Bool
    /// Ids of volumes that are not encrypted.
    public var unencryptedVolumes: [String]

    public init(encryptionByDefault: Bool, unencryptedVolumes: [String] = []) {
        self.encryptionByDefault = encryptionByDefault
        self.unencryptedVolumes = unencryptedVolumes
    }
}
