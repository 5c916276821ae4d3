extension Check {
    /// Someone can see the key indicators at a glance.
    static let cloudwatchDashboardsPresent = Check(
        id: "cloudwatch_dashboards_present",
        title: "CloudWatch dashboards present",
        items: ["cloudwatch.dashboards"],
        scope: .global,
        needs: [.dashboards],
        criterion: "≥ 1 CloudWatch dashboard exists in some verified region.",
        examples: [
            CheckExample(
                "dashboard in one region", .pass,
                regions: [
                    "us-east-1": Snapshot { $0.dashboards = .value([]) },
                    "eu-west-1": Snapshot { $0.dashboards = .value(["operations"]) },
                ], snapshot: Snapshot()),
            CheckExample("no dashboards", .fail, snapshot: Snapshot { $0.dashboards = .value([]) }),
            CheckExample(
                "none readable", .error,
                snapshot: Snapshot {
                    $0.dashboards = .failed(
                        FetchFailure(code: "AccessDenied", message: "", operation: "cloudwatch:ListDashboards"))
                }),
        ]
    ) { input throws(FetchFailure) in
        let (found, failures) = input.acrossRegions(\.dashboards, "cloudwatch:ListDashboards")
        let dashboards = found.flatMap { entry in entry.value.map { "\(entry.region)/\($0)" } }
        if !dashboards.isEmpty { return .pass("dashboards: \(dashboards.prefix(5).joined(separator: ", "))") }
        return input.noneFound("no CloudWatch dashboard", failures: failures)
    }
}
