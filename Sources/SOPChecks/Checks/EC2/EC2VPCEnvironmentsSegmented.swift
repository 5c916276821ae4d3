extension Check {
    /// Each environment has its own VPC with public and private subnets, an internet
    /// gateway and a NAT gateway.
    static let ec2VPCEnvironmentsSegmented = Check(
        id: "ec2_vpc_environments_segmented",
        title: "One segmented VPC per environment",
        items: ["vpc.environments", "vpc.subnets-gateways"],
        scope: .global,
        needs: [.vpcNetwork],
        criterion:
            "For each of `environments`, some verified region has a non-default VPC tagged `Environment=<env>` with "
            + "an attached internet gateway, a public subnet (0.0.0.0/0 → igw), a private subnet (0.0.0.0/0 → nat, no igw) "
            + "and an `available` NAT gateway in a public subnet.",
        parameters: [
            CheckParameter(
                "environments", default: .list(["Production", "Development", "Testing"]), "Environment tag values")
        ],
        examples: [
            CheckExample(
                "three segmented VPCs", .pass,
                snapshot: Snapshot {
                    $0.vpcNetwork = .value(.segmented(["Production", "Development", "Testing"]))
                }),
            CheckExample(
                "environments spread over regions", .pass,
                regions: [
                    "us-east-1": Snapshot { $0.vpcNetwork = .value(.segmented(["Production"])) },
                    "eu-west-1": Snapshot { $0.vpcNetwork = .value(.segmented(["Development", "Testing"])) },
                ], snapshot: Snapshot()),
            CheckExample(
                "Testing VPC has no private subnet", .fail, resources: ["vpc-testing"],
                snapshot: Snapshot {
                    var network = VPCNetwork.segmented(["Production", "Development", "Testing"])
                    network.routeTables.removeAll { $0.id == "rtb-private-testing" }
                    $0.vpcNetwork = .value(network)
                }),
            CheckExample(
                "only the default VPC", .fail, resources: ["Production", "Development", "Testing"],
                snapshot: Snapshot {
                    $0.vpcNetwork = .value(VPCNetwork(vpcs: [VPC(id: "vpc-default", isDefault: true)]))
                }),
            CheckExample(
                "one region unreadable, VPCs missing", .error,
                regions: [
                    "us-east-1": Snapshot { $0.vpcNetwork = .value(.segmented(["Production"])) },
                    "eu-west-1": Snapshot {
                        $0.vpcNetwork = .failed(
                            FetchFailure(code: "UnauthorizedOperation", message: "", operation: "ec2:DescribeVpcs"))
                    },
                ], snapshot: Snapshot()),
        ]
    ) { input throws(FetchFailure) in
        let environments = try input.list("environments")
        let (networks, failures) = input.acrossRegions(\.vpcNetwork, "ec2:DescribeVpcs")
        var missing: [String] = []
        var incomplete: [String] = []
        var problems: [String] = []
        for environment in environments {
            var found = false
            var candidateProblems: [(vpc: String, problems: [String])] = []
            for (_, network) in networks {
                for vpc in network.vpcs
                where !vpc.isDefault && vpc.environment?.caseInsensitiveCompare(environment) == .orderedSame {
                    let issues = network.segmentationProblems(of: vpc)
                    if issues.isEmpty { found = true } else { candidateProblems.append((vpc.id, issues)) }
                }
            }
            if found { continue }
            if candidateProblems.isEmpty {
                missing.append(environment)
                problems.append("no VPC tagged Environment=\(environment)")
            } else {
                incomplete.append(contentsOf: candidateProblems.map(\.vpc))
                problems.append(
                    contentsOf: candidateProblems.map {
                        "\($0.vpc) (\(environment)): \($0.problems.joined(separator: ", "))"
                    })
            }
        }
        if problems.isEmpty { return .pass("segmented VPCs for \(environments.joined(separator: ", "))") }
        if !failures.isEmpty { return input.noneFound(problems.joined(separator: "; "), failures: failures) }
        return .fail(problems.joined(separator: "; "), resources: missing + incomplete)
    }
}

extension VPC {
    var environment: String? { tags["Environment"] }
}

extension VPCNetwork {
    /// What keeps a VPC from the public/private layout the SOP asks for.
    func segmentationProblems(of vpc: VPC) -> [String] {
        var problems: [String] = []
        let subnets = self.subnets.filter { $0.vpcId == vpc.id }
        let publicSubnets = subnets.filter(isPublic)
        if !internetGateways.contains(where: { $0.attachedVpcIds.contains(vpc.id) }) {
            problems.append("no internet gateway attached")
        }
        if publicSubnets.isEmpty { problems.append("no public subnet") }
        if !subnets.contains(where: isPrivate) { problems.append("no private subnet") }
        let publicIds = Set(publicSubnets.map(\.id))
        if !natGateways.contains(where: {
            $0.vpcId == vpc.id && $0.state == "available" && publicIds.contains($0.subnetId)
        }) {
            problems.append("no available NAT gateway in a public subnet")
        }
        return problems
    }

    /// A well-formed layout for each environment, for examples: `vpc-<env>` and friends.
    static func segmented(_ environments: [String]) -> VPCNetwork {
        var network = VPCNetwork(vpcs: [VPC(id: "vpc-default", isDefault: true)])
        for environment in environments {
            let key = environment.lowercased()
            let vpc = "vpc-\(key)"
            network.vpcs.append(VPC(id: vpc, tags: ["Environment": environment]))
            network.subnets += [
                Subnet(id: "subnet-public-\(key)", vpcId: vpc), Subnet(id: "subnet-private-\(key)", vpcId: vpc),
            ]
            network.internetGateways.append(InternetGateway(id: "igw-\(key)", attachedVpcIds: [vpc]))
            network.natGateways.append(NATGateway(id: "nat-\(key)", vpcId: vpc, subnetId: "subnet-public-\(key)"))
            network.routeTables += [
                RouteTable(id: "rtb-main-\(key)", vpcId: vpc, isMain: true, routes: [Route("10.0.0.0/16", "local")]),
                RouteTable(
                    id: "rtb-public-\(key)", vpcId: vpc, subnetIds: ["subnet-public-\(key)"],
                    routes: [Route("10.0.0.0/16", "local"), Route("0.0.0.0/0", "igw-\(key)")]),
                RouteTable(
                    id: "rtb-private-\(key)", vpcId: vpc, subnetIds: ["subnet-private-\(key)"],
                    routes: [Route("10.0.0.0/16", "local"), Route("0.0.0.0/0", "nat-\(key)")]),
            ]
        }
        return network
    }
}
