import AWSClient

/// Reads the region's backup plans, each plan's rules and its resource selections.
enum BackupFetcher {
    static func backupPlans(_ region: String, _ context: FetchContext) async throws(FetchFailure) -> [BackupPlan] {
        let (pages, depth) = try await context.restJSONPages(.backup, "ListBackupPlans", region: region, followUps: 1)
        let plans = pages.flatMap { $0["BackupPlansList"]?.elements ?? [] }
        return try await concurrently(plans) { plan throws(FetchFailure) in
            let id = plan["BackupPlanId"]?.string ?? ""
            async let rules = fetched { () async throws(FetchFailure) -> [BackupRule] in
                let (result, _) = try await context.restJSON(
                    .backup, "GetBackupPlan", path: ["BackupPlanId": id],
                    region: region, after: depth)
                return (result["BackupPlan"]?["Rules"]?.elements ?? []).map { rule in
                    let lifecycle = rule["Lifecycle"]
                    return BackupRule(
                        name: rule["RuleName"]?.string ?? "", scheduleExpression: rule["ScheduleExpression"]?.string,
                        hasLifecycle: lifecycle?["DeleteAfterDays"]?.int != nil
                            || lifecycle?["MoveToColdStorageAfterDays"]?.int != nil)
                }
            }
            async let selections = fetched { () async throws(FetchFailure) -> [String] in
                let (pages, _) = try await context.restJSONPages(
                    .backup, "ListBackupSelections", path: ["BackupPlanId": id],
                    region: region, after: depth)
                return pages.flatMap { $0["BackupSelectionsList"]?.elements ?? [] }.compactMap {
                    $0["SelectionName"]?.string
                }
            }
            return BackupPlan(
                id: id, name: plan["BackupPlanName"]?.string ?? id, rules: await rules, selections: await selections)
        }
    }
}
