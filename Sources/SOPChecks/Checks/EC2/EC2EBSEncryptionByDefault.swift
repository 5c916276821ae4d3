extension Check {
    /// New EBS volumes are encrypted without anyone having to remember, and none is unencrypted.
    static let ec2EBSEncryptionByDefault = Check(
        id: "ec2_ebs_encryption_by_default",
        title: "EBS encryption by default",
        items: ["storage.ebs-encryption-default"],
        scope: .regional,
        needs: [.ebsEncryption],
        criterion: "`GetEbsEncryptionByDefault` is true and no volume in the region is unencrypted.",
        controls: ["CIS 2.2.1", "EC2.7", "EC2.3"],
        examples: [
            CheckExample(
                "on, volumes encrypted", .pass,
                snapshot: Snapshot {
                    $0.ebsEncryption = .value(EBSEncryption(encryptionByDefault: true))
                }),
            CheckExample(
                "off", .fail, resources: ["us-east-1"],
                snapshot: Snapshot {
                    $0.ebsEncryption = .value(EBSEncryption(encryptionByDefault: false))
                }),
            CheckExample(
                "on, but an old unencrypted volume", .fail, resources: ["vol-0old"],
                snapshot: Snapshot {
                    $0.ebsEncryption = .value(
                        EBSEncryption(encryptionByDefault: true, unencryptedVolumes: ["vol-0old"]))
                }),
        ]
    ) { input throws(FetchFailure) in
        let ebs = try input.snapshot.ebsEncryption.get("ec2:GetEbsEncryptionByDefault")
        let region = input.region ?? "global"
        var problems: [String] = []
        var offenders: [String] = []
        if !ebs.encryptionByDefault {
            problems.append("EBS encryption by default is off in \(region)")
            offenders.append(region)
        }
        if !ebs.unencryptedVolumes.isEmpty {
            problems.append("\(ebs.unencryptedVolumes.count) unencrypted volumes")
            offenders.append(contentsOf: ebs.unencryptedVolumes.sorted())
        }
        let result: CheckResult =
            problems.isEmpty
            ? .pass("EBS encryption by default is on") : .fail(problems.joined(separator: "; "), resources: offenders)
        return result.observing([
            "EBS encryption by default": ebs.encryptionByDefault ? "on" : "off",
            "unencrypted volumes": "\(ebs.unencryptedVolumes.count)",
        ])
    }
}
