extension Check {
    /// Environment subnets sit behind custom network ACLs that keep admin ports closed to the internet.
    static let ec2NetworkACLCustomRestrictive = Check(
        id: "ec2_networkacl_custom_restrictive",
        title: "Custom restrictive network ACLs",
        items: ["network.nacls"],
        scope: .regional,
        needs: [.vpcNetwork, .networkAcls],
        criterion:
            "Every subnet of a VPC tagged with one of `environments` is associated with a non-default NACL, and no "
            + "such NACL's inbound rules (first match by rule number) allow one of `admin_ports` from 0.0.0.0/0 or ::/0.",
        controls: ["CIS 5.1", "EC2.21"],
        parameters: [
            CheckParameter(
                "environments", default: .list(["Production", "Development", "Testing"]), "Environment tag values"),
            CheckParameter("admin_ports", default: .list(["22", "3389"]), "administrative ports"),
        ],
        notes: "Not applicable in a region without environment VPCs.",
        examples: [
            CheckExample(
                "custom NACL denies admin ports", .pass,
                snapshot: Snapshot {
                    $0.vpcNetwork = .value(.segmented(["Production"]))
                    $0.networkAcls = .value([
                        .restrictive(
                            vpc: "vpc-production", subnets: ["subnet-public-production", "subnet-private-production"])
                    ])
                }),
            CheckExample(
                "subnet left on the default NACL", .fail, resources: ["subnet-private-production"],
                snapshot: Snapshot {
                    $0.vpcNetwork = .value(.segmented(["Production"]))
                    $0.networkAcls = .value([
                        .restrictive(vpc: "vpc-production", subnets: ["subnet-public-production"]),
                        NetworkACL(
                            id: "acl-default", vpcId: "vpc-production", isDefault: true,
                            subnetIds: ["subnet-private-production"],
                            entries: [NetworkACLEntry(ruleNumber: 100, allow: true, protocol: "-1", cidr: "0.0.0.0/0")]),
                    ])
                }),
            CheckExample(
                "custom NACL allows SSH from anywhere", .fail, resources: ["acl-open"],
                snapshot: Snapshot {
                    $0.vpcNetwork = .value(.segmented(["Production"]))
                    $0.networkAcls = .value([
                        NetworkACL(
                            id: "acl-open", vpcId: "vpc-production",
                            subnetIds: ["subnet-public-production", "subnet-private-production"],
                            entries: [
                                NetworkACLEntry(
                                    ruleNumber: 100, allow: true, protocol: "6", cidr: "0.0.0.0/0", from: 0, to: 1024)
                            ])
                    ])
                }),
            CheckExample(
                "no environment VPC in the region", .notApplicable,
                snapshot: Snapshot {
                    $0.vpcNetwork = .value(VPCNetwork(vpcs: [VPC(id: "vpc-default", isDefault: true)]))
                    $0.networkAcls = .value([])
                }),
        ]
    ) { input throws(FetchFailure) in
        let network = try input.snapshot.vpcNetwork.get("ec2:DescribeVpcs")
        let acls = try input.snapshot.networkAcls.get("ec2:DescribeNetworkAcls")
        let environments = Set(try input.list("environments").map { $0.lowercased() })
        let ports = try input.ports("admin_ports")
        let vpcs = Set(
            network.vpcs.filter { !$0.isDefault && environments.contains(($0.environment ?? "").lowercased()) }.map(
                \.id))
        guard !vpcs.isEmpty else { return .notApplicable("no environment VPC in \(input.region ?? "this region")") }
        var offenders: [String] = []
        var problems: [String] = []
        for subnet in network.subnets where vpcs.contains(subnet.vpcId) {
            let acl = acls.first { $0.subnetIds.contains(subnet.id) }
            if acl == nil || acl?.isDefault == true {
                offenders.append(subnet.id)
                problems.append("\(subnet.id) uses the default NACL")
            }
        }
        for acl in acls where vpcs.contains(acl.vpcId) && !acl.isDefault {
            let open = ports.filter(acl.allowsFromAnywhere(port:))
            if !open.isEmpty {
                offenders.append(acl.id)
                problems.append("\(acl.id) allows \(open.map(String.init).joined(separator: "/")) from anywhere")
            }
        }
        return problems.isEmpty
            ? .pass("\(vpcs.count) environment VPCs behind custom NACLs")
            : .fail(problems.joined(separator: "; "), resources: offenders)
    }
}

extension NetworkACL {
    /// Denies SSH and RDP from anywhere, then allows the rest (for examples).
    static func restrictive(vpc: String, subnets: [String]) -> NetworkACL {
        NetworkACL(
            id: "acl-\(vpc)", vpcId: vpc, subnetIds: subnets,
            entries: [
                NetworkACLEntry(ruleNumber: 100, allow: false, protocol: "6", cidr: "0.0.0.0/0", from: 22, to: 22),
                NetworkACLEntry(ruleNumber: 110, allow: false, protocol: "6", cidr: "0.0.0.0/0", from: 3389, to: 3389),
                NetworkACLEntry(ruleNumber: 200, allow: true, protocol: "6", cidr: "0.0.0.0/0", from: 443, to: 443),
                NetworkACLEntry(ruleNumber: 300, allow: true, protocol: "6", cidr: "0.0.0.0/0", from: 1024, to: 65535),
            ])
    }
}
