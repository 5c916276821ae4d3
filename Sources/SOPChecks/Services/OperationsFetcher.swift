import AWSClient

/// Reads one region's operations data: CloudWatch dashboards and alarms, log groups, backup plans.
enum OperationsFetcher {
    static let keys: Set<DataKey> = [.dashboards, .alarms, .logGroups, .backupPlans]

    static func fetch(_ keys: Set<DataKey>, region: String, context: FetchContext) async -> [SnapshotPatch] {
        async let dashboards: Fetched<[String]>? = keys.contains(.dashboards)
            ? fetched { () async throws(FetchFailure) in try await CloudWatchFetcher.dashboards(region: region, context) } : nil
        async let alarms: Fetched<[MetricAlarm]>? = keys.contains(.alarms)
            ? fetched { () async throws(FetchFailure) in try await CloudWatchFetcher.alarms(region: region, context) } : nil
        async let logs: Fetched<[LogGroup]>? = keys.contains(.logGroups)
            ? fetched { () async throws(FetchFailure) in try await logGroups(region, context) } : nil
        async let plans: Fetched<[BackupPlan]>? = keys.contains(.backupPlans)
            ? fetched { () async throws(FetchFailure) in try await backupPlans(region, context) } : nil
        var patches: [SnapshotPatch] = []
        if let dashboards = await dashboards { patches.append { $0.dashboards = dashboards } }
        if let alarms = await alarms { patches.append { $0.alarms = alarms } }
        if let logs = await logs { patches.append { $0.logGroups = logs } }
        if let plans = await plans { patches.append { $0.backupPlans = plans } }
        return patches
    }

    static func logGroups(_ region: String, _ context: FetchContext) async throws(FetchFailure) -> [LogGroup] {
        let (pages, _) = try await context.jsonPages(.logs, "DescribeLogGroups", region: region)
        return pages.flatMap { $0["logGroups"]?.elements ?? [] }.map {
            LogGroup(name: $0["logGroupName"]?.string ?? "", retentionInDays: $0["retentionInDays"]?.int)
        }
    }

    static func backupPlans(_ region: String, _ context: FetchContext) async throws(FetchFailure) -> [BackupPlan] {
        let (pages, depth) = try await context.restJSONPages(.backup, "ListBackupPlans", region: region)
        let plans = pages.flatMap { $0["BackupPlansList"]?.elements ?? [] }
        return try await concurrently(plans) { plan throws(FetchFailure) in
            let id = plan["BackupPlanId"]?.string ?? ""
            async let rules = fetched { () async throws(FetchFailure) -> [BackupRule] in
                let (result, _) = try await context.restJSON(.backup, "GetBackupPlan", path: ["BackupPlanId": id],
                                                             region: region, after: depth)
                return (result["BackupPlan"]?["Rules"]?.elements ?? []).map { rule in
                    let lifecycle = rule["Lifecycle"]
                    return BackupRule(name: rule["RuleName"]?.string ?? "", scheduleExpression: rule["ScheduleExpression"]?.string,
                                      hasLifecycle: lifecycle?["DeleteAfterDays"]?.int != nil
                                          || lifecycle?["MoveToColdStorageAfterDays"]?.int != nil)
                }
            }
            async let selections = fetched { () async throws(FetchFailure) -> [String] in
                let (pages, _) = try await context.restJSONPages(.backup, "ListBackupSelections", path: ["BackupPlanId": id],
                                                                 region: region, after: depth)
                return pages.flatMap { $0["BackupSelectionsList"]?.elements ?? [] }.compactMap { $0["SelectionName"]?.string }
            }
            return BackupPlan(id: id, name: plan["BackupPlanName"]?.string ?? id, rules: await rules, selections: await selections)
        }
    }
}

/// CloudWatch listings shared by the billing and the operations fetchers.
enum CloudWatchFetcher {
    static func alarms(region: String, _ context: FetchContext) async throws(FetchFailure) -> [MetricAlarm] {
        let (pages, _) = try await context.jsonPages(.cloudwatch, "DescribeAlarms", ["AlarmTypes": ["MetricAlarm"]], region: region)
        return pages.flatMap { $0["MetricAlarms"]?.elements ?? [] }.map { alarm in
            MetricAlarm(name: alarm["AlarmName"]?.string ?? "", namespace: alarm["Namespace"]?.string ?? "",
                        metricName: alarm["MetricName"]?.string ?? "", actionsEnabled: alarm["ActionsEnabled"]?.bool ?? false,
                        alarmActions: alarm["AlarmActions"]?.elements.compactMap(\.string) ?? [])
        }
    }

    static func dashboards(region: String, _ context: FetchContext) async throws(FetchFailure) -> [String] {
        let (pages, _) = try await context.jsonPages(.cloudwatch, "ListDashboards", region: region)
        return pages.flatMap { $0["DashboardEntries"]?.elements ?? [] }.compactMap { $0["DashboardName"]?.string }
    }
}
