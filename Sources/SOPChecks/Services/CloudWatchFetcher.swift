import AWSClient

/// Reads CloudWatch metric alarms (also in us-east-1 for the billing metric) and dashboards.
enum CloudWatchFetcher {
    static func alarms(region: String, _ context: FetchContext) async throws(FetchFailure) -> [MetricAlarm] {
        let (pages, _) = try await context.jsonPages(
            .cloudwatch, "DescribeAlarms", ["AlarmTypes": ["MetricAlarm"]], region: region)
        return pages.flatMap { $0["MetricAlarms"]?.elements ?? [] }.map { alarm in
            MetricAlarm(
                name: alarm["AlarmName"]?.string ?? "", namespace: alarm["Namespace"]?.string ?? "",
                metricName: alarm["MetricName"]?.string ?? "", actionsEnabled: alarm["ActionsEnabled"]?.bool ?? false,
                alarmActions: alarm["AlarmActions"]?.elements.compactMap(\.string) ?? [])
        }
    }

    static func dashboards(region: String, _ context: FetchContext) async throws(FetchFailure) -> [String] {
        let (pages, _) = try await context.jsonPages(.cloudwatch, "ListDashboards", region: region)
        return pages.flatMap { $0["DashboardEntries"]?.elements ?? [] }.compactMap { $0["DashboardName"]?.string }
    }
}
