extension Check {
    /// GuardDuty watches the region.
    static let guarddutyDetectorEnabled = Check(
        id: "guardduty_detector_enabled",
        title: "GuardDuty enabled",
        items: ["guardduty.enable"],
        scope: .regional,
        needs: [.guardDutyDetectors],
        criterion: "A detector exists with status ENABLED.",
        controls: ["GuardDuty.1"],
        examples: [
            CheckExample(
                "enabled", .pass, snapshot: Snapshot { $0.guardDutyDetectors = .value([GuardDutyDetector(id: "d1")]) }),
            CheckExample(
                "suspended", .fail, resources: ["d1"],
                snapshot: Snapshot {
                    $0.guardDutyDetectors = .value([GuardDutyDetector(id: "d1", status: "DISABLED")])
                }),
            CheckExample(
                "no detector", .fail, resources: ["us-east-1"],
                snapshot: Snapshot { $0.guardDutyDetectors = .value([]) }),
        ]
    ) { input throws(FetchFailure) in
        let detectors = try input.snapshot.guardDutyDetectors.get("guardduty:ListDetectors")
        let region = input.region ?? "global"
        let observed = [
            "GuardDuty detectors": detectors.isEmpty
                ? "none" : detectors.map { "\($0.id) \($0.status)" }.sorted().joined(separator: ", ")
        ]
        if let detector = detectors.first(where: { $0.status == "ENABLED" }) {
            return CheckResult.pass("detector \(detector.id) is enabled").observing(observed)
        }
        let result: CheckResult =
            detectors.isEmpty
            ? .fail("GuardDuty is not enabled in \(region)", resources: [region])
            : .fail("GuardDuty detector is not enabled", resources: detectors.map(\.id))
        return result.observing(observed)
    }
}
