extension Check {
    /// No security group lets the internet reach an administration port.
    static let ec2SecurityGroupAdminPortsRestricted = Check(
        id: "ec2_securitygroup_admin_ports_restricted",
        title: "No admin ports open to the internet",
        items: ["network.security-groups"],
        scope: .regional,
        needs: [.securityGroups],
        criterion:
            "No ingress rule from 0.0.0.0/0 or ::/0 allows all traffic, or TCP/UDP to a port range covering one of `admin_ports`.",
        controls: ["CIS 5.2", "CIS 5.3", "EC2.13", "EC2.14", "EC2.53", "EC2.54"],
        parameters: [CheckParameter("admin_ports", default: .list(["22", "3389"]), "administrative ports")],
        examples: [
            CheckExample(
                "HTTPS open, SSH from the office", .pass,
                snapshot: Snapshot {
                    $0.securityGroups = .value([
                        SecurityGroup(
                            id: "sg-web",
                            ingress: [
                                IngressRule("tcp", from: 443, to: 443, source: "0.0.0.0/0"),
                                IngressRule("tcp", from: 22, to: 22, source: "203.0.113.0/24"),
                            ])
                    ])
                }),
            CheckExample(
                "SSH open to the world", .fail, resources: ["sg-ssh"],
                snapshot: Snapshot {
                    $0.securityGroups = .value([
                        SecurityGroup(
                            id: "sg-web", ingress: [IngressRule("tcp", from: 443, to: 443, source: "0.0.0.0/0")]),
                        SecurityGroup(
                            id: "sg-ssh", ingress: [IngressRule("tcp", from: 22, to: 22, source: "0.0.0.0/0")]),
                    ])
                }),
            CheckExample(
                "all traffic from IPv6 anywhere", .fail, resources: ["sg-all"],
                snapshot: Snapshot {
                    $0.securityGroups = .value([
                        SecurityGroup(id: "sg-all", ingress: [IngressRule("-1", from: nil, to: nil, source: "::/0")])
                    ])
                }),
            CheckExample(
                "RDP inside a wide range", .fail, resources: ["sg-range"],
                snapshot: Snapshot {
                    $0.securityGroups = .value([
                        SecurityGroup(
                            id: "sg-range", ingress: [IngressRule("tcp", from: 3000, to: 4000, source: "0.0.0.0/0")])
                    ])
                }),
        ]
    ) { input throws(FetchFailure) in
        let groups = try input.snapshot.securityGroups.get("ec2:DescribeSecurityGroups")
        let ports = try input.ports("admin_ports")
        // What each offending group opens, port by port and source by source ("22 to 0.0.0.0/0").
        var opened: [String: String] = [:]
        for group in groups {
            var openings: [String] = []
            for port in ports {
                for rule in group.ingress where rule.isFromAnywhere && rule.covers(port: port) {
                    let opening = "\(port) to \(rule.source)"
                    if !openings.contains(opening) { openings.append(opening) }
                }
            }
            if !openings.isEmpty { opened["\(group.id) opens"] = openings.joined(separator: ", ") }
        }
        let offenders = groups.filter { opened["\($0.id) opens"] != nil }.map(\.id).sorted()
        return CheckResult.failing(
            offenders,
            "\(offenders.count) security group(s) open \(ports.map(String.init).joined(separator: "/")) to the internet",
            else:
                "no security group opens \(ports.map(String.init).joined(separator: "/")) to the internet (\(groups.count) groups)"
        ).observing(opened)
    }
}

extension CheckInput {
    /// A list parameter of port numbers; anything else is a bad parameter.
    func ports(_ name: String) throws(FetchFailure) -> [Int] {
        var ports: [Int] = []
        for text in try list(name) {
            guard let port = Int(text.trimmingCharacters(in: .whitespaces)), (0...65535).contains(port) else {
                throw FetchFailure(
                    code: "InvalidParameter", message: "'\(text)' in \(name) is not a port number",
                    operation: "parameter \(name)")
            }
            ports.append(port)
        }
        return ports
    }
}
