extension Check {
    /// The standard tag keys are activated for cost allocation, so spend can be reported by tag.
    static let ceCostAllocationTagsActive = Check(
        id: "ce_cost_allocation_tags_active",
        title: "Cost allocation tags active",
        items: ["tagging.cost-allocation"],
        scope: .global,
        needs: [.costAllocationTags],
        criterion: "Every key of `required_tag_keys` is a user-defined cost allocation tag with status Active.",
        parameters: [
            CheckParameter(
                "required_tag_keys", default: .list(["Environment", "Department", "Project"]),
                "tag keys activated for cost allocation")
        ],
        notes:
            "Needs the payer (management) account. moto does not implement `ListCostAllocationTags`: against the emulator the result is `error`.",
        examples: [
            CheckExample(
                "all active", .pass,
                snapshot: Snapshot {
                    $0.costAllocationTags = .value(
                        CostAllocationTags(["Environment": "Active", "Department": "Active", "Project": "Active"]))
                }),
            CheckExample(
                "Project inactive, Department never seen", .fail, resources: ["Department", "Project"],
                snapshot: Snapshot {
                    $0.costAllocationTags = .value(
                        CostAllocationTags(["Environment": "Active", "Project": "Inactive"]))
                }),
            CheckExample(
                "emulator: not implemented", .error,
                snapshot: Snapshot {
                    $0.costAllocationTags = .failed(
                        FetchFailure(code: "NotImplemented", message: "", operation: "ce:ListCostAllocationTags"))
                }),
        ]
    ) { input throws(FetchFailure) in
        let tags = try input.snapshot.costAllocationTags.get("ce:ListCostAllocationTags")
        let required = try input.list("required_tag_keys")
        let inactive = required.filter { tags.statuses[$0] != "Active" }
        return .failing(
            inactive, "cost allocation tags not active: \(inactive.joined(separator: ", "))",
            else: "cost allocation tags active: \(required.joined(separator: ", "))")
    }
}
