import AWSClient

/// Reads the trails visible from the primary region (shadow trails included), each
/// trail's status and event selectors (from its home region), and its bucket's settings.
enum CloudTrailFetcher {

    static func fetch(_ keys: Set<DataKey>, region _: String, context: FetchContext) async -> [SnapshotPatch] {
        let region = context.primaryRegion
        let listed = await fetched { () async throws(FetchFailure) in
            try await context.json(
                .cloudtrail, "DescribeTrails", ["includeShadowTrails": true], region: region,
                followUps: 1)
        }
        let basics: Fetched<[(trail: Trail, depth: Int)]>
        switch listed {
        case .value(let (result, depth)):
            var seen = Set<String>()
            basics = .value(
                (result["trailList"]?.elements ?? []).compactMap { entry in
                    let arn = entry["TrailARN"]?.string ?? ""
                    guard seen.insert(arn).inserted else { return nil }
                    let trail = Trail(
                        name: entry["Name"]?.string ?? "", arn: arn, homeRegion: entry["HomeRegion"]?.string ?? region,
                        isMultiRegion: entry["IsMultiRegionTrail"]?.bool ?? false,
                        includesGlobalServiceEvents: entry["IncludeGlobalServiceEvents"]?.bool ?? false,
                        logFileValidationEnabled: entry["LogFileValidationEnabled"]?.bool ?? false,
                        kmsKeyId: entry["KmsKeyId"]?.string, s3BucketName: entry["S3BucketName"]?.string,
                        isLogging: .notFetched, recordsAllManagementEvents: .notFetched)
                    return (trail, depth)
                })
        case .failed(let f): basics = .failed(f)
        case .notFetched: basics = .notFetched
        }
        async let trails: Fetched<[Trail]>? = keys.contains(.trails) ? details(basics, context) : nil
        async let bucketsValue: Fetched<[BucketSecurity]>? =
            keys.contains(.trailBuckets) ? buckets(basics, context) : nil
        var patches: [SnapshotPatch] = []
        if let trails = await trails { patches.append { $0.trails = trails } }
        if let buckets = await bucketsValue { patches.append { $0.trailBuckets = buckets } }
        return patches
    }

    static func details(_ basics: Fetched<[(trail: Trail, depth: Int)]>, _ context: FetchContext) async -> Fetched<
        [Trail]
    > {
        await fetched { () async throws(FetchFailure) in
            try await concurrently(try basics.get("cloudtrail:DescribeTrails")) { entry throws(FetchFailure) in
                let arn = entry.trail.arn
                let home = entry.trail.homeRegion
                async let status = fetched { () async throws(FetchFailure) -> Bool in
                    let (result, _) = try await context.json(
                        .cloudtrail, "GetTrailStatus", ["Name": .string(arn)],
                        region: home, after: entry.depth)
                    return result["IsLogging"]?.bool ?? false
                }
                async let selectors = fetched { () async throws(FetchFailure) -> Bool in
                    let (result, _) = try await context.json(
                        .cloudtrail, "GetEventSelectors", ["TrailName": .string(arn)],
                        region: home, after: entry.depth)
                    return recordsAllManagementEvents(result)
                }
                var trail = entry.trail
                trail.isLogging = await status
                trail.recordsAllManagementEvents = await selectors
                return trail
            }
        }
    }

    /// Basic selectors: management events included with ReadWriteType All. Advanced selectors:
    /// one selecting eventCategory Management without narrowing to read-only or write-only.
    static func recordsAllManagementEvents(_ result: JSONValue) -> Bool {
        if let basic = result["EventSelectors"]?.array, !basic.isEmpty {
            return basic.contains {
                ($0["IncludeManagementEvents"]?.bool ?? true) && $0["ReadWriteType"]?.string == "All"
            }
        }
        return (result["AdvancedEventSelectors"]?.elements ?? []).contains { selector in
            let fields = selector["FieldSelectors"]?.elements ?? []
            let management = fields.contains {
                $0["Field"]?.string == "eventCategory" && ($0["Equals"]?.elements ?? []).contains(.string("Management"))
            }
            return management && !fields.contains { $0["Field"]?.string == "readOnly" }
        }
    }

    static func buckets(_ basics: Fetched<[(trail: Trail, depth: Int)]>, _ context: FetchContext) async -> Fetched<
        [BucketSecurity]
    > {
        await fetched { () async throws(FetchFailure) in
            var seen = Set<String>()
            let targets = try basics.get("cloudtrail:DescribeTrails").compactMap {
                entry -> (name: String, region: String, depth: Int)? in
                guard let name = entry.trail.s3BucketName, seen.insert(name).inserted else { return nil }
                return (name, entry.trail.homeRegion, entry.depth)
            }
            return try await concurrently(targets) { bucket throws(FetchFailure) in
                async let encryption = fetched { () async throws(FetchFailure) -> String? in
                    try await recovering(nil, when: { $0.code == "ServerSideEncryptionConfigurationNotFoundError" }) {
                        () async throws(FetchFailure) -> String? in
                        let (result, _) = try await context.restXML(
                            .s3, "GetBucketEncryption", path: ["Bucket": bucket.name],
                            region: bucket.region, after: bucket.depth)
                        return result.first("SSEAlgorithm")?.text
                    }
                }
                async let block = fetched { () async throws(FetchFailure) -> PublicAccessBlock? in
                    try await recovering(nil, when: \.isNotFound) {
                        () async throws(FetchFailure) -> PublicAccessBlock? in
                        let (result, _) = try await context.restXML(
                            .s3, "GetPublicAccessBlock", path: ["Bucket": bucket.name],
                            region: bucket.region, after: bucket.depth)
                        return PublicAccessBlock(xml: result)
                    }
                }
                return BucketSecurity(name: bucket.name, sseAlgorithm: await encryption, publicAccessBlock: await block)
            }
        }
    }
}

extension PublicAccessBlock {
    /// From a `PublicAccessBlockConfiguration` document (missing flags are false).
    init(xml: XMLNode) {
        let node = xml.first("PublicAccessBlockConfiguration") ?? xml
        self.init(
            blockPublicAcls: node.bool("BlockPublicAcls") ?? false,
            ignorePublicAcls: node.bool("IgnorePublicAcls") ?? false,
            blockPublicPolicy: node.bool("BlockPublicPolicy") ?? false,
            restrictPublicBuckets: node.bool("RestrictPublicBuckets") ?? false)
    }
}
