extension Check {
    /// The managed REQUIRED_TAGS rule flags resources missing the standard tag keys.
    static let configRuleRequiredTags = Check(
        id: "config_rule_required_tags",
        title: "Config rule enforces required tags",
        items: ["tagging.enforce"],
        scope: .regional,
        needs: [.configRules],
        criterion:
            "ACTIVE AWS managed `REQUIRED_TAGS` rules whose `tagNKey` parameters together cover every key of `required_tag_keys`.",
        parameters: [
            CheckParameter(
                "required_tag_keys", default: .list(["Environment", "Department", "Project"]),
                "tag keys every resource carries")
        ],
        examples: [
            CheckExample(
                "rule covers the keys", .pass,
                snapshot: Snapshot {
                    $0.configRules = .value([
                        ConfigRule(
                            name: "required-tags", sourceIdentifier: "REQUIRED_TAGS",
                            inputParameters: [
                                "tag1Key": "Environment", "tag2Key": "Department", "tag3Key": "Project",
                            ])
                    ])
                }),
            CheckExample(
                "rule misses Project", .fail, resources: ["Project"],
                snapshot: Snapshot {
                    $0.configRules = .value([
                        ConfigRule(
                            name: "required-tags", sourceIdentifier: "REQUIRED_TAGS",
                            inputParameters: [
                                "tag1Key": "Environment", "tag2Key": "Department",
                            ])
                    ])
                }),
            CheckExample("no rule", .fail, snapshot: Snapshot { $0.configRules = .value([]) }),
        ]
    ) { input throws(FetchFailure) in
        let rules = try input.snapshot.configRules.get("config:DescribeConfigRules")
        let required = try input.list("required_tag_keys")
        let tagRules = rules.filter { $0.isActiveManaged && $0.sourceIdentifier == "REQUIRED_TAGS" }
        let region = input.region ?? "global"
        guard !tagRules.isEmpty else { return .fail("no active REQUIRED_TAGS rule in \(region)", resources: [region]) }
        let covered = Set(
            tagRules.flatMap { rule in
                rule.inputParameters.filter { $0.key.hasPrefix("tag") && $0.key.hasSuffix("Key") }.map(\.value)
            })
        let missing = required.filter { !covered.contains($0) }
        return .failing(
            missing, "REQUIRED_TAGS rules do not require \(missing.joined(separator: ", "))",
            else: "REQUIRED_TAGS rule requires \(required.joined(separator: ", "))")
    }
}
