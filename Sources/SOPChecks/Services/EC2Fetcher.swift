import AWSClient

/// Reads one region's network layout, security groups, network ACLs and EBS encryption.
/// Every listing is paginated; nothing is fetched per volume or per snapshot.
enum EC2Fetcher {
    static func items(_ pages: [XMLNode], _ set: String) -> [XMLNode] { pages.flatMap { $0.list(set) } }

    static func list(
        _ action: String, _ set: String, _ region: String, _ context: FetchContext,
        _ parameters: [String: String] = [:]
    ) async -> Fetched<[XMLNode]> {
        await fetched { () async throws(FetchFailure) in
            items(try await context.queryPages(.ec2, action, parameters, region: region).0, set)
        }
    }

    static func network(_ region: String, _ context: FetchContext) async throws(FetchFailure) -> VPCNetwork {
        async let vpcs = list("DescribeVpcs", "vpcSet", region, context)
        async let subnets = list("DescribeSubnets", "subnetSet", region, context)
        async let tables = list("DescribeRouteTables", "routeTableSet", region, context)
        async let gateways = list("DescribeInternetGateways", "internetGatewaySet", region, context)
        async let nats = list("DescribeNatGateways", "natGatewaySet", region, context)
        let (v, s, t, g, n) = await (vpcs, subnets, tables, gateways, nats)
        return VPCNetwork(
            vpcs: try v.get().map { vpc in
                VPC(id: vpc.string("vpcId") ?? "", isDefault: vpc.bool("isDefault") ?? false, tags: tags(vpc))
            },
            subnets: try s.get().map { Subnet(id: $0.string("subnetId") ?? "", vpcId: $0.string("vpcId") ?? "") },
            routeTables: try t.get().map { table in
                let associations = table.list("associationSet")
                return RouteTable(
                    id: table.string("routeTableId") ?? "", vpcId: table.string("vpcId") ?? "",
                    isMain: associations.contains { $0.bool("main") == true },
                    subnetIds: associations.compactMap { $0.string("subnetId") },
                    routes: table.list("routeSet").map { route in
                        let target =
                            route.string("gatewayId") ?? route.string("natGatewayId") ?? route.string(
                                "transitGatewayId")
                            ?? route.string("networkInterfaceId") ?? route.string("vpcPeeringConnectionId") ?? ""
                        return Route(
                            route.string("destinationCidrBlock") ?? route.string("destinationIpv6CidrBlock") ?? "",
                            target)
                    })
            },
            internetGateways: try g.get().map { gateway in
                InternetGateway(
                    id: gateway.string("internetGatewayId") ?? "",
                    attachedVpcIds: gateway.list("attachmentSet").filter {
                        ["available", "attached"].contains($0.string("state") ?? "")
                    }.compactMap { $0.string("vpcId") })
            },
            natGateways: try n.get().map {
                NATGateway(
                    id: $0.string("natGatewayId") ?? "", vpcId: $0.string("vpcId") ?? "",
                    subnetId: $0.string("subnetId") ?? "", state: $0.string("state") ?? "")
            })
    }

    static func tags(_ node: XMLNode) -> [String: String] {
        Dictionary(
            node.list("tagSet").compactMap { tag in tag.string("key").map { ($0, tag.string("value") ?? "") } },
            uniquingKeysWith: { a, _ in a })
    }

    static func securityGroups(_ region: String, _ context: FetchContext) async throws(FetchFailure) -> [SecurityGroup]
    {
        try await list("DescribeSecurityGroups", "securityGroupInfo", region, context).get().map { group in
            SecurityGroup(
                id: group.string("groupId") ?? "", name: group.string("groupName") ?? "",
                vpcId: group.string("vpcId") ?? "",
                ingress: group.list("ipPermissions").flatMap { permission -> [IngressRule] in
                    let proto = permission.string("ipProtocol") ?? "-1"
                    let from = permission.int("fromPort")
                    let to = permission.int("toPort")
                    let sources =
                        permission.list("ipRanges").compactMap { $0.string("cidrIp") }
                        + permission.list("ipv6Ranges").compactMap { $0.string("cidrIpv6") }
                    return sources.map { IngressRule(proto, from: from, to: to, source: $0) }
                })
        }
    }

    static func networkAcls(_ region: String, _ context: FetchContext) async throws(FetchFailure) -> [NetworkACL] {
        try await list("DescribeNetworkAcls", "networkAclSet", region, context).get().map { acl in
            NetworkACL(
                id: acl.string("networkAclId") ?? "", vpcId: acl.string("vpcId") ?? "",
                isDefault: acl.bool("default") ?? false,
                subnetIds: acl.list("associationSet").compactMap { $0.string("subnetId") },
                entries: acl.list("entrySet").map { entry in
                    NetworkACLEntry(
                        ruleNumber: entry.int("ruleNumber") ?? 32767, egress: entry.bool("egress") ?? false,
                        allow: entry.string("ruleAction") == "allow", protocol: entry.string("protocol") ?? "-1",
                        cidr: entry.string("cidrBlock") ?? entry.string("ipv6CidrBlock") ?? "",
                        from: entry["portRange"]?.int("from"), to: entry["portRange"]?.int("to"))
                })
        }
    }

    static func ebs(_ region: String, _ context: FetchContext) async throws(FetchFailure) -> EBSEncryption {
        async let byDefault = fetched { () async throws(FetchFailure) in
            try await context.query(.ec2, "GetEbsEncryptionByDefault", region: region).0
        }
        async let volumes = list(
            "DescribeVolumes", "volumeSet", region, context,
            ["Filter.1.Name": "encrypted", "Filter.1.Value.1": "false"])
        let (d, v) = await (byDefault, volumes)
        return EBSEncryption(
            encryptionByDefault: try d.get().bool("ebsEncryptionByDefault") ?? false,
            unencryptedVolumes: try v.get().filter { $0.bool("encrypted") != true }.compactMap { $0.string("volumeId") }
        )
    }
}
