extension Check {
    /// A trail records management events from every region, and its log files can be validated.
    static let cloudtrailMultiRegionLogging = Check(
        id: "cloudtrail_multi_region_logging",
        title: "Multi-region trail logging",
        items: ["cloudtrail.create", "cloudtrail.configure", "cloudtrail.all-regions"],
        scope: .global,
        needs: [.trails],
        criterion: "≥ 1 trail is multi-region, includes global service events, is logging, has log file validation on "
            + "and records all (read and write) management events.",
        controls: ["CIS 3.1", "CIS 3.2", "CloudTrail.1", "CloudTrail.4"],
        notes:
            "Trails are listed with shadow trails from the first verified region; event selectors are read in each trail's home region.",
        examples: [
            CheckExample("good trail", .pass, snapshot: Snapshot { $0.trails = .value([Trail(name: "org-trail")]) }),
            CheckExample(
                "single-region trail without validation", .fail,
                resources: ["arn:aws:cloudtrail:us-east-1:123456789012:trail/local"],
                snapshot: Snapshot {
                    $0.trails = .value([Trail(name: "local", isMultiRegion: false, logFileValidationEnabled: false)])
                }),
            CheckExample(
                "logging stopped", .fail,
                snapshot: Snapshot {
                    $0.trails = .value([Trail(name: "org-trail", isLogging: .value(false))])
                }),
            CheckExample("no trails", .fail, snapshot: Snapshot { $0.trails = .value([]) }),
            CheckExample(
                "status unreadable", .error,
                snapshot: Snapshot {
                    $0.trails = .value([
                        Trail(
                            name: "org-trail",
                            isLogging: .failed(
                                FetchFailure(
                                    code: "AccessDeniedException", message: "", operation: "cloudtrail:GetTrailStatus"))
                        )
                    ])
                }),
        ]
    ) { input throws(FetchFailure) in
        let trails = try input.snapshot.trails.get("cloudtrail:DescribeTrails")
        if trails.isEmpty { return .fail("no CloudTrail trail") }
        var problems: [String] = []
        var unreadable: FetchFailure?
        for trail in trails.sorted(by: { $0.arn < $1.arn }) {
            var missing: [String] = []
            if !trail.isMultiRegion { missing.append("not multi-region") }
            if !trail.includesGlobalServiceEvents { missing.append("no global service events") }
            if !trail.logFileValidationEnabled { missing.append("log file validation off") }
            switch trail.isLogging {
            case .value(false): missing.append("not logging")
            case .failed(let f): unreadable = unreadable ?? f
            case .notFetched: unreadable = unreadable ?? .notFetched("cloudtrail:GetTrailStatus")
            case .value(true): break
            }
            switch trail.recordsAllManagementEvents {
            case .value(false): missing.append("management events not ReadWriteType All")
            case .failed(let f): unreadable = unreadable ?? f
            case .notFetched: unreadable = unreadable ?? .notFetched("cloudtrail:GetEventSelectors")
            case .value(true): break
            }
            if missing.isEmpty, trail.isLogging.value == true, trail.recordsAllManagementEvents.value == true {
                return .pass("trail \(trail.name) logs all regions with log file validation")
            }
            if !missing.isEmpty { problems.append("\(trail.name): " + missing.joined(separator: ", ")) }
        }
        if let unreadable { return .error("trail state could not be read: \(unreadable.description)") }
        return .fail(
            "no compliant trail (" + problems.joined(separator: "; ") + ")", resources: trails.map(\.arn).sorted())
    }
}
