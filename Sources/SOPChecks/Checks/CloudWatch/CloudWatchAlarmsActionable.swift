extension Check {
    /// Alarms exist and tell someone when they fire.
    static let cloudwatchAlarmsActionable = Check(
        id: "cloudwatch_alarms_actionable",
        title: "CloudWatch alarms with actions",
        items: ["cloudwatch.alarms"],
        scope: .global,
        needs: [.alarms],
        criterion:
            "≥ 1 metric alarm exists in the verified regions, and every alarm has actions enabled and ≥ 1 alarm action.",
        controls: ["CloudWatch.15"],
        examples: [
            CheckExample(
                "alarm notifies", .pass,
                snapshot: Snapshot {
                    $0.alarms = .value([
                        MetricAlarm(name: "cpu-high", alarmActions: ["arn:aws:sns:us-east-1:123456789012:ops"])
                    ])
                }),
            CheckExample(
                "alarm without actions", .fail, resources: ["us-east-1/cpu-high"],
                snapshot: Snapshot {
                    $0.alarms = .value([
                        MetricAlarm(name: "cpu-high", alarmActions: []),
                        MetricAlarm(name: "disk", alarmActions: ["arn:aws:sns:us-east-1:123456789012:ops"]),
                    ])
                }),
            CheckExample("no alarms", .fail, snapshot: Snapshot { $0.alarms = .value([]) }),
        ]
    ) { input throws(FetchFailure) in
        let (found, failures) = input.acrossRegions(\.alarms, "cloudwatch:DescribeAlarms")
        let all = found.flatMap { entry in entry.value.map { (region: entry.region, alarm: $0) } }
        if all.isEmpty { return input.noneFound("no CloudWatch alarm", failures: failures) }
        let silent = all.filter { !$0.alarm.isActionable }.map { "\($0.region)/\($0.alarm.name)" }
        if !silent.isEmpty {
            return .fail("\(silent.count) of \(all.count) alarms have no enabled actions", resources: silent)
        }
        if let failure = failures.first {
            return .error("alarms in \(failure.region) could not be read: \(failure.failure.description)")
        }
        return .pass("\(all.count) alarms, all with actions")
    }
}
