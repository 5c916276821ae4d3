extension Check {
    /// Access is granted through the required groups: they exist, have members and
    /// policies; every user is in a group and no user holds policies directly.
    static let iamGroupsRequiredWithMembers = Check(
        id: "iam_groups_required_with_members",
        title: "Required IAM groups with members and policies",
        items: ["iam.groups", "iam.users", "iam.group-permissions"],
        scope: .global,
        needs: [.iamAuthorizationDetails],
        criterion:
            "Each of `required_groups` exists with ≥ 1 member and ≥ 1 attached or inline policy; every user is in "
            + "≥ 1 group; no user has policies attached directly.",
        controls: ["CIS 1.15", "IAM.2"],
        parameters: [
            CheckParameter(
                "required_groups", default: .list(["Admins", "Developers", "ReadOnly"]), "IAM groups that must exist")
        ],
        examples: [
            CheckExample(
                "groups populated", .pass, snapshot: Snapshot { $0.iamAuthorizationDetails = .value(.wellGrouped) }),
            CheckExample(
                "empty ReadOnly group and a user with a direct policy", .fail,
                resources: ["group/ReadOnly", "arn:aws:iam::123456789012:user/carol"],
                snapshot: Snapshot {
                    var details = IAMAuthorizationDetails.wellGrouped
                    details.users.removeAll { $0.name == "rita" }
                    details.users.append(
                        IAMUserDetail(
                            name: "carol", groups: ["Developers"],
                            attachedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"]))
                    $0.iamAuthorizationDetails = .value(details)
                }),
            CheckExample(
                "missing group and a user in no group", .fail,
                resources: ["group/Developers", "arn:aws:iam::123456789012:user/dave"],
                snapshot: Snapshot {
                    var details = IAMAuthorizationDetails.wellGrouped
                    details.groups.removeAll { $0.name == "Developers" }
                    details.users = details.users.map {
                        var u = $0
                        u.groups.removeAll { $0 == "Developers" }
                        return u
                    }
                    details.users.append(IAMUserDetail(name: "dave"))
                    $0.iamAuthorizationDetails = .value(details)
                }),
        ]
    ) { input throws(FetchFailure) in
        let details = try input.snapshot.iamAuthorizationDetails.get("iam:GetAccountAuthorizationDetails")
        let required = try input.list("required_groups")
        var offenders: [String] = []
        var problems: [String] = []
        for name in required {
            guard let group = details.groups.first(where: { $0.name == name }) else {
                offenders.append("group/\(name)")
                problems.append("group \(name) is missing")
                continue
            }
            if details.members(of: name).isEmpty {
                offenders.append("group/\(name)")
                problems.append("group \(name) has no members")
            } else if group.attachedPolicyArns.isEmpty && group.inlinePolicies.isEmpty {
                offenders.append("group/\(name)")
                problems.append("group \(name) has no policy")
            }
        }
        for user in details.users.sorted(by: { $0.name < $1.name }) {
            if user.groups.isEmpty {
                offenders.append(user.arn)
                problems.append("user \(user.name) is in no group")
            } else if !user.attachedPolicyArns.isEmpty || !user.inlinePolicies.isEmpty {
                offenders.append(user.arn)
                problems.append("user \(user.name) has policies attached directly")
            }
        }
        return problems.isEmpty
            ? .pass(
                "groups \(required.joined(separator: ", ")) have members and policies; \(details.users.count) users all in groups"
            )
            : .fail(problems.joined(separator: "; "), resources: offenders)
    }
}

extension IAMAuthorizationDetails {
    static let wellGrouped = IAMAuthorizationDetails(
        users: [
            IAMUserDetail(name: "alice", groups: ["Admins"]),
            IAMUserDetail(name: "dev", groups: ["Developers"]),
            IAMUserDetail(name: "rita", groups: ["ReadOnly"]),
        ],
        groups: [
            IAMGroupDetail(name: "Admins", attachedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"]),
            IAMGroupDetail(name: "Developers", attachedPolicyArns: ["arn:aws:iam::aws:policy/PowerUserAccess"]),
            IAMGroupDetail(
                name: "ReadOnly", inlinePolicies: [IAMInlinePolicy(name: "read", document: #"{"Statement":[]}"#)]),
        ])
}
