extension Check {
    /// AWS Config records every supported resource type in the region and delivers it.
    static let configRecorderAllResources = Check(
        id: "config_recorder_all_resources",
        title: "Config records all resources",
        items: ["config.recorder"],
        scope: .regional,
        needs: [.configRecorders],
        criterion:
            "A recorder with `allSupported = true` is recording, its last status is not FAILURE, and ≥ 1 delivery channel exists.",
        controls: ["CIS 3.5", "Config.1"],
        notes: "Global resource types (IAM) need to be recorded in one region only, so they are not required here.",
        examples: [
            CheckExample(
                "recording everything", .pass,
                snapshot: Snapshot {
                    $0.configRecorders = .value(
                        ConfigSetup(recorders: [ConfigRecorder(lastStatus: "PENDING")], deliveryChannels: ["default"]))
                }),
            CheckExample(
                "selected types only", .fail, resources: ["default"],
                snapshot: Snapshot {
                    $0.configRecorders = .value(
                        ConfigSetup(recorders: [ConfigRecorder(allSupported: false)], deliveryChannels: ["default"]))
                }),
            CheckExample(
                "stopped, no channel", .fail,
                snapshot: Snapshot {
                    $0.configRecorders = .value(ConfigSetup(recorders: [ConfigRecorder(recording: false)]))
                }),
            CheckExample(
                "no recorder", .fail, resources: ["us-east-1"],
                snapshot: Snapshot { $0.configRecorders = .value(ConfigSetup()) }),
        ]
    ) { input throws(FetchFailure) in
        let setup = try input.snapshot.configRecorders.get("config:DescribeConfigurationRecorders")
        let region = input.region ?? "global"
        guard !setup.recorders.isEmpty else {
            return .fail("no configuration recorder in \(region)", resources: [region])
        }
        var problems: [String] = []
        for recorder in setup.recorders {
            if !recorder.allSupported { problems.append("\(recorder.name) does not record all resource types") }
            if !recorder.recording { problems.append("\(recorder.name) is not recording") }
            if recorder.lastStatus == "FAILURE" { problems.append("\(recorder.name) last delivery failed") }
        }
        if setup.deliveryChannels.isEmpty { problems.append("no delivery channel") }
        return problems.isEmpty
            ? .pass("recorder \(setup.recorders.map(\.name).joined(separator: ", ")) records all resources")
            : .fail(problems.joined(separator: "; "), resources: setup.recorders.map(\.name))
    }
}
