extension Check {
    /// At least one IAM user can see billing, through a billing policy on the user or a group.
    static let iamBillingAccessAssigned = Check(
        id: "iam_billing_access_assigned",
        title: "Billing access assigned to users",
        items: ["billing.access-assigned"],
        scope: .global,
        needs: [.iamAuthorizationDetails],
        criterion:
            "≥ 1 IAM user has, directly or through a group, the AWS managed `Billing` or `AWSBillingReadOnlyAccess` "
            + "policy or a customer policy that allows `aws-portal:`, `billing:`, `ce:`, `budgets:`, `cur:` or `payments:` actions.",
        notes:
            "Policies that only allow `*` do not count. The account switch \"IAM user/role access to Billing information\" "
            + "has no read API and stays a manual step.",
        examples: [
            CheckExample(
                "group with the Billing policy", .pass,
                snapshot: Snapshot {
                    var details = IAMAuthorizationDetails.wellGrouped
                    details.groups.append(
                        IAMGroupDetail(
                            name: "Finance", attachedPolicyArns: ["arn:aws:iam::aws:policy/job-function/Billing"]))
                    details.users.append(IAMUserDetail(name: "fin", groups: ["Finance"]))
                    $0.iamAuthorizationDetails = .value(details)
                }),
            CheckExample(
                "customer policy allowing ce:* on a group", .pass,
                snapshot: Snapshot {
                    var details = IAMAuthorizationDetails.wellGrouped
                    let arn = "arn:aws:iam::123456789012:policy/BillingView"
                    details.policies = [
                        IAMManagedPolicy(
                            arn: arn,
                            document:
                                #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ce:Get*","budgets:View*"],"Resource":"*"}]}"#
                        )
                    ]
                    details.groups[0].attachedPolicyArns.append(arn)
                    $0.iamAuthorizationDetails = .value(details)
                }),
            CheckExample(
                "only administrators", .fail, snapshot: Snapshot { $0.iamAuthorizationDetails = .value(.wellGrouped) }),
        ]
    ) { input throws(FetchFailure) in
        let details = try input.snapshot.iamAuthorizationDetails.get("iam:GetAccountAuthorizationDetails")
        let documents = Dictionary(details.policies.map { ($0.arn, $0.document) }, uniquingKeysWith: { a, _ in a })
        func grantsBilling(attached: [String], inline: [IAMInlinePolicy]) -> Bool {
            attached.contains { arn in
                PolicyDocument.billingManagedPolicies.contains(arn)
                    || documents[arn].map(PolicyDocument.allowsBilling) == true
            } || inline.contains { PolicyDocument.allowsBilling($0.document) }
        }
        let billingGroups = Set(
            details.groups.filter {
                grantsBilling(attached: $0.attachedPolicyArns, inline: $0.inlinePolicies)
            }.map(\.name))
        let users = details.users.filter { user in
            grantsBilling(attached: user.attachedPolicyArns, inline: user.inlinePolicies)
                || user.groups.contains(where: billingGroups.contains)
        }.map(\.name).sorted()
        return users.isEmpty
            ? .fail("no IAM user has billing access (no billing policy on a user or on a group with members)")
            : .pass("billing access: \(users.joined(separator: ", "))")
    }
}
