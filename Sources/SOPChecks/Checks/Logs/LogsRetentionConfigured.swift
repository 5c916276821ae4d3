extension Check {
    /// Logs are kept at least as long as the template asks.
    static let logsRetentionConfigured = Check(
        id: "logs_retention_configured",
        title: "Log retention meets the minimum",
        items: ["logs.retention"],
        scope: .regional,
        needs: [.logGroups],
        criterion: "Every log group keeps events for ≥ `log_retention_min_days` days, or never expires them.",
        controls: ["CloudWatch.16"],
        parameters: [CheckParameter("log_retention_min_days", default: .integer(365), "minimum retention in days")],
        notes: "Not applicable in a region without log groups.",
        examples: [
            CheckExample(
                "a year and never-expire", .pass,
                snapshot: Snapshot {
                    $0.logGroups = .value([
                        LogGroup(name: "/aws/cloudtrail", retentionInDays: 365),
                        LogGroup(name: "/app", retentionInDays: nil),
                    ])
                }),
            CheckExample(
                "a week", .fail, resources: ["/app/debug"],
                snapshot: Snapshot {
                    $0.logGroups = .value([
                        LogGroup(name: "/aws/cloudtrail", retentionInDays: 400),
                        LogGroup(name: "/app/debug", retentionInDays: 7),
                    ])
                }),
            CheckExample(
                "HIPAA customer asks for six years", .fail, resources: ["/aws/cloudtrail"],
                parameters: ["log_retention_min_days": .integer(2192)],
                snapshot: Snapshot {
                    $0.logGroups = .value([LogGroup(name: "/aws/cloudtrail", retentionInDays: 365)])
                }),
            CheckExample("no log groups", .notApplicable, snapshot: Snapshot { $0.logGroups = .value([]) }),
        ]
    ) { input throws(FetchFailure) in
        let groups = try input.snapshot.logGroups.get("logs:DescribeLogGroups")
        let minimum = try input.integer("log_retention_min_days")
        guard !groups.isEmpty else { return .notApplicable("no log groups in \(input.region ?? "this region")") }
        let short = groups.filter { ($0.retentionInDays ?? Int.max) < minimum }.map(\.name).sorted()
        let shortest = groups.compactMap(\.retentionInDays).min()
        return CheckResult.failing(
            short, "\(short.count) of \(groups.count) log groups keep events for less than \(minimum) days",
            else: "\(groups.count) log groups keep events ≥ \(minimum) days"
        ).observing(["shortest log retention days": shortest.map(String.init) ?? "never expires"])
    }
}
