extension Check {
    /// A backup plan runs on a schedule with a retention policy and covers resources.
    static let backupPlanWithSelection = Check(
        id: "backup_plan_with_selection",
        title: "Backup plan with resources assigned",
        items: ["backup.plans", "backup.resources"],
        scope: .global,
        needs: [.backupPlans],
        criterion:
            "In some verified region, a backup plan has ≥ 1 rule with a schedule and a lifecycle (retention) and ≥ 1 resource selection.",
        notes:
            "moto does not implement `ListBackupSelections`: against the emulator a plan that is otherwise complete reports `error`.",
        examples: [
            CheckExample(
                "plan with selection", .pass,
                snapshot: Snapshot {
                    $0.backupPlans = .value([
                        BackupPlan(
                            id: "p1", name: "daily", rules: .value([BackupRule(name: "daily")]),
                            selections: .value(["ebs"]))
                    ])
                }),
            CheckExample(
                "plan without resources", .fail, resources: ["daily"],
                snapshot: Snapshot {
                    $0.backupPlans = .value([
                        BackupPlan(
                            id: "p1", name: "daily", rules: .value([BackupRule(name: "daily")]), selections: .value([]))
                    ])
                }),
            CheckExample(
                "rule without retention", .fail, resources: ["daily"],
                snapshot: Snapshot {
                    $0.backupPlans = .value([
                        BackupPlan(
                            id: "p1", name: "daily", rules: .value([BackupRule(name: "daily", hasLifecycle: false)]),
                            selections: .value(["ebs"]))
                    ])
                }),
            CheckExample("no plan", .fail, snapshot: Snapshot { $0.backupPlans = .value([]) }),
            CheckExample(
                "emulator: selections not implemented", .error,
                snapshot: Snapshot {
                    $0.backupPlans = .value([
                        BackupPlan(
                            id: "p1", name: "daily", rules: .value([BackupRule(name: "daily")]),
                            selections: .failed(
                                FetchFailure(
                                    code: "NotImplemented", message: "", operation: "backup:ListBackupSelections")))
                    ])
                }),
        ]
    ) { input throws(FetchFailure) in
        let (found, failures) = input.acrossRegions(\.backupPlans, "backup:ListBackupPlans")
        let plans = found.flatMap(\.value)
        var unreadable: FetchFailure?
        var incomplete: [String] = []
        for plan in plans.sorted(by: { $0.name < $1.name }) {
            guard let rules = plan.rules.value else {
                unreadable = unreadable ?? plan.rules.failure
                continue
            }
            guard rules.contains(where: { $0.scheduleExpression != nil && $0.hasLifecycle }) else {
                incomplete.append(plan.name)
                continue
            }
            switch plan.selections {
            case .value(let selections) where !selections.isEmpty:
                return .pass("plan \(plan.name) has \(selections.count) resource selections")
            case .value: incomplete.append(plan.name)
            case .failed(let f): unreadable = unreadable ?? f
            case .notFetched: unreadable = unreadable ?? .notFetched("backup:ListBackupSelections")
            }
        }
        if let unreadable { return .error("backup plans could not be fully read: \(unreadable.description)") }
        if plans.isEmpty { return input.noneFound("no backup plan", failures: failures) }
        return input.noneFound(
            "no backup plan with a scheduled, retained rule and resources", failures: failures, resources: incomplete)
    }
}
