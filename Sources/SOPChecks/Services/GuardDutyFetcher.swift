import AWSClient

/// Reads the region's GuardDuty detectors and their status.
enum GuardDutyFetcher {
    static func detectors(_ region: String, _ context: FetchContext) async throws(FetchFailure) -> [GuardDutyDetector] {
        let (pages, depth) = try await context.restJSONPages(.guardduty, "ListDetectors", region: region, followUps: 1)
        let ids = pages.flatMap { $0["detectorIds"]?.elements ?? [] }.compactMap(\.string)
        return try await concurrently(ids) { id throws(FetchFailure) in
            let (detector, _) = try await context.restJSON(
                .guardduty, "GetDetector", path: ["DetectorId": id],
                region: region, after: depth)
            return GuardDutyDetector(id: id, status: detector["status"]?.string ?? detector["Status"]?.string ?? "")
        }
    }
}
