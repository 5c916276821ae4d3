extension Check {
    /// The managed Config rule that flags unencrypted EBS volumes is active in the region.
    static let configRuleEncryptedVolumes = Check(
        id: "config_rule_encrypted_volumes",
        title: "Config rule for encrypted volumes",
        items: ["config.rules"],
        scope: .regional,
        needs: [.configRules],
        criterion: "An ACTIVE AWS managed rule with source identifier `ENCRYPTED_VOLUMES` exists.",
        controls: ["EC2.3 (related)"],
        notes: "Rule compliance results are not read (moto does not evaluate rules).",
        examples: [
            CheckExample(
                "rule active", .pass,
                snapshot: Snapshot {
                    $0.configRules = .value([
                        ConfigRule(name: "encrypted-volumes", sourceIdentifier: "ENCRYPTED_VOLUMES")
                    ])
                }),
            CheckExample(
                "only other rules", .fail, resources: ["us-east-1"],
                snapshot: Snapshot {
                    $0.configRules = .value([
                        ConfigRule(
                            name: "tags", sourceIdentifier: "REQUIRED_TAGS", inputParameters: ["tag1Key": "Environment"]
                        )
                    ])
                }),
            CheckExample(
                "rule being deleted", .fail,
                snapshot: Snapshot {
                    $0.configRules = .value([
                        ConfigRule(name: "encrypted-volumes", sourceIdentifier: "ENCRYPTED_VOLUMES", state: "DELETING")
                    ])
                }),
        ]
    ) { input throws(FetchFailure) in
        let rules = try input.snapshot.configRules.get("config:DescribeConfigRules")
        let region = input.region ?? "global"
        if let rule = rules.first(where: { $0.isActiveManaged && $0.sourceIdentifier == "ENCRYPTED_VOLUMES" }) {
            return .pass("rule \(rule.name) (ENCRYPTED_VOLUMES) is active")
        }
        return .fail("no active ENCRYPTED_VOLUMES rule in \(region)", resources: [region])
    }
}
