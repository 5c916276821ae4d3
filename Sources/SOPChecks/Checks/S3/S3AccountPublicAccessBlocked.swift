extension Check {
    /// No bucket in the account can be made public by accident.
    static let s3AccountPublicAccessBlocked = Check(
        id: "s3_account_public_access_blocked",
        title: "S3 Block Public Access for the account",
        items: ["storage.s3-block-public-access"],
        scope: .global,
        needs: [.s3AccountPublicAccessBlock],
        criterion: "The account-level Block Public Access configuration exists with all four flags true.",
        controls: ["CIS 2.1.4", "S3.1"],
        examples: [
            CheckExample("all four flags", .pass, snapshot: Snapshot { $0.s3AccountPublicAccessBlock = .value(.all) }),
            CheckExample(
                "policies not blocked", .fail, resources: ["123456789012"],
                snapshot: Snapshot {
                    $0.s3AccountPublicAccessBlock = .value(
                        PublicAccessBlock(
                            blockPublicAcls: true, ignorePublicAcls: true,
                            blockPublicPolicy: false, restrictPublicBuckets: false))
                }),
            CheckExample(
                "no configuration", .fail, resources: ["123456789012"],
                snapshot: Snapshot { $0.s3AccountPublicAccessBlock = .value(nil) }),
        ]
    ) { input throws(FetchFailure) in
        guard let block = try input.snapshot.s3AccountPublicAccessBlock.get("s3control:GetPublicAccessBlock") else {
            return .fail("the account has no S3 Block Public Access configuration", resources: [input.accountId])
                .observing(["Block Public Access": "none"])
        }
        var off: [String] = []
        if !block.blockPublicAcls { off.append("BlockPublicAcls") }
        if !block.ignorePublicAcls { off.append("IgnorePublicAcls") }
        if !block.blockPublicPolicy { off.append("BlockPublicPolicy") }
        if !block.restrictPublicBuckets { off.append("RestrictPublicBuckets") }
        let result: CheckResult =
            off.isEmpty
            ? .pass("account-level Block Public Access is fully on")
            : .fail(
                "account-level Block Public Access is off for \(off.joined(separator: ", "))",
                resources: [input.accountId])
        func flag(_ on: Bool) -> String { on ? "on" : "off" }
        return result.observing([
            "BlockPublicAcls": flag(block.blockPublicAcls), "IgnorePublicAcls": flag(block.ignorePublicAcls),
            "BlockPublicPolicy": flag(block.blockPublicPolicy),
            "RestrictPublicBuckets": flag(block.restrictPublicBuckets),
        ])
    }
}
